// The browser build of the renderer (`npm run build:web`): the same App, with window.penholder provided by
// the WebSocket bridge instead of Electron's preload. Served by main/web/host.ts from dist-web/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs, so the page works wherever the host mounts it.
  base: './',
  plugins: [react()],
  server: { fs: { allow: [projectRoot] } },
  build: {
    outDir: fileURLToPath(new URL('../../dist-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One bundle: ProseMirror, Yjs and React together are a few hundred kB, loaded once from disk.
    chunkSizeWarningLimit: 2048,
  },
});
