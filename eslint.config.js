import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';
import { coreLayersRule } from './scripts/eslint/core-layers.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// Dependencies point inward: renderer -> shared; app, api -> core -> shared.
export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'src/shared runs everywhere: no electron.' }, ...nodeBuiltins.map((name) => ({ name, message: 'src/shared also runs in the renderer: no Node built-ins.' }))],
        patterns: [{ group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared depends on nothing else in src.' }],
      }],
    },
  },
  {
    files: ['src/main/core/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The core runs in plain Node: no electron. Put it in src/main/app.' }],
        patterns: [{ group: ['**/main/app/**', '**/main/api/**', '../api/**', '../app/**', '**/renderer/**', '**/preload/**'], message: 'core depends only on shared.' }],
      }],
    },
  },
  {
    // Inside core, folders import only the folders below them (the table in scripts/eslint/core-layers.js).
    files: ['src/main/core/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.testkit.ts'],
    plugins: { satellite: { rules: { 'core-layers': coreLayersRule } } },
    rules: { 'satellite/core-layers': 'error' },
  },
  {
    // Inside core, the leaves: PKI primitives and the shared errors and log import no other core folder.
    // (A test, core/folder-dependencies.spec.ts, refuses any cycle between core's folders.)
    files: ['src/main/core/pki/**', 'src/main/core/common/**'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The core runs in plain Node: no electron.' }],
        patterns: [
          { group: ['**/main/app/**', '**/main/api/**', '**/renderer/**', '**/preload/**'], message: 'core depends only on shared.' },
          { regex: '^\\.\\./(?!common(/|$)|\\.)', message: 'pki and common are leaves of core: import only from src/shared, pki or common.' },
        ],
      }],
    },
  },
  {
    files: ['src/main/api/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The API server runs headless: no electron.' }],
        patterns: [{ group: ['**/main/app/**', '../app/**', '**/renderer/**', '**/preload/**'], message: 'api depends on core and shared only.' }],
      }],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer talks to the main process only through the preload API.' }, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is sandboxed: no Node built-ins.' }))],
        patterns: [{ group: ['**/main/**', '**/preload/**'], message: 'The renderer depends on src/shared only.' }],
      }],
    },
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'The preload depends on electron and src/shared only.' }],
      }],
    },
  },
);
