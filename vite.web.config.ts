import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer built for the headless satellite's web UI (served by src/main/api).
export default defineConfig({
  root: resolve('src/renderer'),
  base: './',
  plugins: [react()],
  // One bundle served from disk or loopback: chunk size does not cost a network round trip here.
  build: { outDir: resolve('out/web'), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
