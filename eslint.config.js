// Lint: typescript-eslint's recommended rules plus the import direction of ../shared/DESIGN.md.
// Each restriction's message names the path to use instead.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electronOnlyInApp = {
  name: 'electron',
  message: "Only main/app/ and main/preload.ts may import 'electron'. Put the logic in a plain service (main/services/, main/storage/) and call it from main/app/.",
};

/** Patterns that forbid reaching a folder by relative path. */
const forbidFolder = (folder, message) => ({ group: [`**/${folder}`, `**/${folder}/**`], message });

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'dist-web/**', 'release/**', '.tools/**', 'tests/bench/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['main/**/*.ts', 'tests/**/*.ts', '*.config.ts', '*.config.js', 'renderer/web/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/web/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // shared/ is used by main and renderer alike: it imports nothing of theirs, no Node built-ins, no electron.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: "shared/ never imports 'electron': it runs in the renderer too. Move Electron code to main/app/." },
          ],
          patterns: [
            forbidFolder('main', 'shared/ never imports main/: move the common part into shared/ and import it from main/ instead.'),
            forbidFolder('renderer', 'shared/ never imports renderer/: move the common part into shared/ and import it from renderer/ instead.'),
            { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'better-sqlite3', 'ws'], message: 'shared/ is pure TypeScript with no Node built-ins: do I/O in main/ (main/storage/, main/services/) and pass data in.' },
          ],
        },
      ],
    },
  },
  {
    // The renderer talks to main only through shared/ipc.ts (window.penholder / the web bridge).
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/web/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: "The renderer never imports 'electron': call window.penholder, typed by shared/ipc.ts (renderer/bridge.ts)." },
          ],
          patterns: [
            forbidFolder('main', 'The renderer never imports main/: add an operation to shared/ipc.ts and call it through renderer/bridge.ts.'),
            { group: ['node:*', 'fs', 'path', 'child_process', 'better-sqlite3'], message: 'The renderer has no Node: add an operation to shared/ipc.ts and implement it in main/services/.' },
          ],
        },
      ],
    },
  },
  {
    // Only the desktop shell touches Electron; main/server, main/storage and main/services stay plain Node.
    files: ['main/**/*.ts', 'tests/**/*.ts'],
    ignores: ['main/app/**', 'main/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInApp],
          patterns: [forbidFolder('renderer', 'main/ never imports renderer/: share code through shared/ and talk through shared/ipc.ts.')],
        },
      ],
    },
  },
  {
    files: ['main/app/**/*.ts', 'main/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [forbidFolder('renderer', 'main/ never imports renderer/: share code through shared/ and talk through shared/ipc.ts.')] },
      ],
    },
  },
);
