import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One renderer, two hosts: Electron loads out/renderer, the headless satellite
// serves the same build (vite.web.config.ts) over HTTP.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    // The crypto worker is its own entry so it lands beside index.js, where the pool looks for it.
    build: { rollupOptions: { input: { index: resolve('src/main/app/index.ts'), 'crypto-worker': resolve('src/main/core/keys/crypto-worker.ts') } } },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    // Sandboxed preloads run as classic scripts: CommonJS, whatever package.json's "type" says.
    build: { rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
  },
});
