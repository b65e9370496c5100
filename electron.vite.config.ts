// electron-vite: the desktop build. Main is ESM (package.json "type": "module"); the preload is one CommonJS
// file with every dependency bundled in, because a sandboxed preload cannot load ESM or node_modules.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // The Word importer's worker is its own entry: main/services/docxImport.ts starts docxImportWorker.js beside
      // the bundled main file.
      rolldownOptions: {
        input: { index: resolve(root, 'main/app/index.ts'), docxImportWorker: resolve(root, 'main/services/docxImportWorker.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
