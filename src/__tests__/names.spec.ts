import { nullTranslator } from '@jupyterlab/translation';

import { hasHiddenCharacters, shownName, shownText } from '../components/names';
import { loadTranslation } from '../components/translation';
import { datasetLabel } from '../openbis/label';

describe('names shown as they are', () => {
  it('writes out bidirectional controls, so a name cannot show as another', () => {
    // "\u202eevil\u202c.txt" renders as "live.txt" without this
    expect(shownName('\u202eevil\u202c.txt')).toBe('⟨U+202E⟩evil⟨U+202C⟩.txt');
    expect(shownName('a\u2066b\u2069\u200f')).toBe('a⟨U+2066⟩b⟨U+2069⟩⟨U+200F⟩');
  });

  it('writes out invisible and control characters, line breaks in names too', () => {
    expect(shownName('a\u200bb\ufeff')).toBe('a⟨U+200B⟩b⟨U+FEFF⟩');
    expect(shownName('ab\ncd\t')).toBe('ab⟨U+000A⟩cd⟨U+0009⟩');
    expect(shownText('line one\nline two\tcol')).toBe('line one\nline two\tcol');
    expect(shownText('x\u202ey')).toBe('x⟨U+202E⟩y');
  });

  it('leaves ordinary names of any script alone', () => {
    for (const name of ['Messung_1.csv', 'Überblick', 'قياس', 'मापन', '👩‍🔬 notes', '']) {
      expect(shownName(name)).toBe(name);
      expect(hasHiddenCharacters(name)).toBe(false);
    }
    expect(shownName(null)).toBeUndefined();
  });

  it('puts names into sentences as they are, wherever the bundle is used', () => {
    const trans = loadTranslation(nullTranslator);
    expect(trans.__('Download %1 into %2', '\u202eevil', 'notes')).toBe(
      'Download ⟨U+202E⟩evil into notes'
    );
    expect(trans._n('%1 file of %2', '%1 files of %2', 2, 'x\u200ey')).toBe(
      '2 files of x⟨U+200E⟩y'
    );
  });

  it('calls a dataset by its name and type, its code when it has no name', () => {
    expect(datasetLabel({ name: 'Raw measurement 1', type: 'RAW_DATA', permId: 'p' })).toBe(
      'Raw measurement 1 (RAW_DATA)'
    );
    expect(datasetLabel({ code: 'C1', permId: 'p' })).toBe('C1');
    expect(datasetLabel({ name: '\u202elive', permId: 'p' })).toBe('⟨U+202E⟩live');
  });
});
