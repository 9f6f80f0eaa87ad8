import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer built for the headless satellite's web UI (served by src/main/api).
export default defineConfig({
  root: resolve('src/renderer'),
  base: './',
  plugins: [react()],
  build: { outDir: resolve('out/web'), emptyOutDir: true },
});
