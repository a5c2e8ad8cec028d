// ESLint: typed rules, and the architecture table of ARCHITECTURE.md enforced with no-restricted-imports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const io = [
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:net',
  'node:http',
  'node:https',
  'node:tls',
  'node:dgram',
  'fs',
  'child_process',
  'net',
  'http',
  'https',
];
const sdks = ['@kubernetes/client-node', '@aws-sdk/*', '@google-cloud/*', '@azure/*'];
const noShell = [
  { selector: "CallExpression[callee.property.name='execSync']", message: 'No shell: use execFile/spawn with an args array.' },
  { selector: "CallExpression[callee.name='execSync']", message: 'No shell: use execFile/spawn with an args array.' },
  { selector: "CallExpression[callee.name='exec']", message: 'No shell: use execFile/spawn with an args array.' },
  {
    selector: "CallExpression[callee.object.name='child_process'][callee.property.name='exec']",
    message: 'No shell: use execFile/spawn with an args array.',
  },
  { selector: "Property[key.name='shell'][value.value=true]", message: 'No shell: shell: true is forbidden.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', 'test-results/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ...noShell],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['vscode', ...io].map((name) => ({ name, message: 'core/ is pure: no vscode, no I/O.' })),
          patterns: [
            { group: sdks, message: 'core/ must not import SDKs: define a port and implement it in node/.' },
            { group: ['**/host/**', '**/node/**'], message: 'core/ must not import host/ or node/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'node/ must not import vscode.' }],
          patterns: [{ group: ['**/host/**'], message: 'node/ must not import host/.' }],
        },
      ],
    },
  },
  {
    files: ['src/host/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/node/**'], message: 'host/ gets node/ implementations through extension.ts.' },
            { group: sdks, message: 'host/ must not import SDKs.' },
          ],
          paths: io.map((name) => ({ name, message: 'host/ does no I/O of its own: put it in node/.' })),
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/host/**', 'vscode'], message: 'The CLI never uses host/.' }] },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', 'eslint.config.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        AbortController: 'readonly',
        globalThis: 'readonly',
      },
    },
  },
);
