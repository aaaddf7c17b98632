import packageInfo from '../package.json';

/** The version of this frontend, from the package.json it was built from. */
export const FRONTEND_VERSION: string = packageInfo.version;

const NPM_PRERELEASE = /^(\d+\.\d+\.\d+)-(alpha|beta|rc)\.(\d+)$/;
const PEP440_PRERELEASE_TAG: Record<string, string> = {
  alpha: 'a',
  beta: 'b',
  rc: 'rc'
};

/**
 * Spell an npm version the way the Python package reports it.
 *
 * The Python version is derived from package.json by hatch-nodejs-version, which turns
 * `1.2.0-alpha.1` into `1.2.0a1`; without this a pre-release would always look like a
 * mismatch between the two halves of the same build.
 */
export function toPythonVersion(npmVersion: string): string {
  const match = NPM_PRERELEASE.exec(npmVersion);
  if (!match) {
    return npmVersion;
  }
  const [, release, tag, serial] = match;
  return `${release}${PEP440_PRERELEASE_TAG[tag]}${serial}`;
}

/** Whether the server extension and this frontend come from the same release. */
export function versionsMatch(frontendVersion: string, serverVersion: string): boolean {
  return frontendVersion === serverVersion || toPythonVersion(frontendVersion) === serverVersion;
}
