import js from '@eslint/js';
import jupyter from '@jupyter/eslint-plugin';
import prettierRecommended from 'eslint-plugin-prettier/recommended';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '.venv/',
      'coverage/',
      'lib/',
      'node_modules/',
      'reana_openbis_lab/',
      'ui-tests/node_modules/',
      'ui-tests/playwright-report/',
      'ui-tests/test-results/',
      '**/*.d.ts',
      '**/*.js',
      '**/*.mjs'
    ]
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        // tsconfig.test.json also covers the Jest specs that the build leaves out.
        project: ['./tsconfig.test.json', './ui-tests/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname
      }
    },
    rules: {
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/naming-convention': [
        'error',
        {
          selector: 'interface',
          format: ['PascalCase'],
          custom: { regex: '^I[A-Z]', match: true }
        }
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }],
      curly: ['error', 'all'],
      eqeqeq: 'error',
      'no-console': 'error',
      // JupyterLab's notifications are silent (bell only) unless given autoClose: a refusal
      // that answers a user's action would go unseen. Say it: a number, false, or 0 for silent.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name='Notification'][callee.property.name=/^(error|warning|info|success)$/]:not(:has(Property[key.name='autoClose']))",
          message:
            'Pass autoClose: without it the notification is silent (no toast); use 0 to mean silent.'
        }
      ],
      'prefer-arrow-callback': 'error'
    }
  },
  // The plugin's recommended blocks name its rules but not the plugin itself.
  ...jupyter.configs.recommended.map(block => ({ ...block, plugins: { jupyter } })),
  {
    files: ['src/plugins/*.ts', 'src/plugins/*.tsx'],
    rules: {
      // Activation needs these at once: the handshake starts immediately and the panel's
      // tab must be in the shell when the application starts.
      'jupyter/prefer-lazy-imports': [
        'warn',
        {
          ignoreImports: [
            '../models/ConnectionsModel',
            '../models/ServerInfoModel',
            '../sidebar',
            // Jobs started before a reload must show at once, so the Transfers section is built at start.
            '../models/JobsModel',
            '../components/transfers/TransfersBody',
            // Loaded with TransfersBody anyway: the notifications name jobs as the rows do.
            '../components/transfers/format'
          ]
        }
      ]
    }
  },
  {
    // Every UI test fails on an unexpected console error: that check lives in the `test` of
    // ui-tests/tests/helpers/test.ts, so specs take `test` from there.
    files: ['ui-tests/tests/**/*.ts'],
    ignores: ['ui-tests/tests/helpers/test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@jupyterlab/galata', '@playwright/test'].map(name => ({
            name,
            importNames: ['test'],
            message: "Import `test` from './helpers/test': it fails a test on console errors."
          }))
        }
      ]
    }
  },
  {
    // Test data and test names are not user interface text.
    files: ['src/__tests__/**', 'ui-tests/**'],
    rules: { 'jupyter/no-untranslated-string': 'off' }
  },
  prettierRecommended
);
