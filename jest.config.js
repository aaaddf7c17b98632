const jestJupyterLab = require('@jupyterlab/testutils/lib/jest-config');

// JupyterLab and some of its dependencies ship ES modules, which Jest must transpile.
const esModules = [
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@microsoft',
  '@jupyterlab/',
  'exenv-es6',
  'lib0',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  collectCoverageFrom: ['src/**/*.{ts,tsx}', '!src/**/*.d.ts'],
  coverageReporters: ['lcov', 'text-summary'],
  reporters: ['default'],
  roots: ['<rootDir>/src'],
  // Copies of package.json in the venv and the built labextension confuse jest-haste-map.
  modulePathIgnorePatterns: [
    '<rootDir>/.venv/',
    '<rootDir>/reana_openbis_lab/',
    '<rootDir>/ui-tests/'
  ],
  testRegex: 'src/.*/.*.spec.ts[x]?$',
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
