import packageInfo from '../../package.json';
import { FRONTEND_VERSION, toPythonVersion, versionsMatch } from '../version';

describe('version', () => {
  it('is the version of the package.json the frontend was built from', () => {
    expect(FRONTEND_VERSION).toBe(packageInfo.version);
  });

  it.each([
    ['0.1.0', '0.1.0'],
    ['1.2.0-alpha.1', '1.2.0a1'],
    ['1.2.0-beta.3', '1.2.0b3'],
    ['1.2.0-rc.2', '1.2.0rc2'],
    ['1.2.0-dev.1', '1.2.0-dev.1']
  ])('spells npm version %s as Python version %s', (npm, python) => {
    expect(toPythonVersion(npm)).toBe(python);
  });

  it('matches the same release in either spelling', () => {
    expect(versionsMatch('0.1.0', '0.1.0')).toBe(true);
    expect(versionsMatch('1.2.0-alpha.1', '1.2.0a1')).toBe(true);
  });

  it('does not match different releases', () => {
    expect(versionsMatch('0.1.0', '0.2.0')).toBe(false);
    expect(versionsMatch('1.2.0-alpha.1', '1.2.0a2')).toBe(false);
    expect(versionsMatch('1.2.0', '1.2.0a1')).toBe(false);
  });
});
