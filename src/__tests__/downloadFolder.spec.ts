import { datasetFolderName, datasetFolderPath } from '../openbis/download';

describe('the folder a dataset is downloaded into', () => {
  it('is named after the permId, inside the chosen folder', () => {
    expect(datasetFolderPath('notes', '20240102010000000-15')).toBe('notes/20240102010000000-15');
    expect(datasetFolderPath('/notes/', '20240102010000000-15')).toBe('notes/20240102010000000-15');
    expect(datasetFolderPath('', '20240102010000000-15')).toBe('20240102010000000-15');
  });

  it('has a safe, visible name whatever the permId holds', () => {
    expect(datasetFolderName('../a b/c')).toBe('_._a_b_c');
    expect(datasetFolderName('.hidden')).toBe('_hidden');
    expect(datasetFolderName('  ')).toBe('_');
  });
});
