// Vite builds the web app from web/ into web/dist, which `eqprop serve` serves at /.
// `npx vite web` runs a dev server that proxies /api to a running `eqprop serve` on :8080.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2500, sourcemap: false },
  server: { host: '127.0.0.1', proxy: { '/api': 'http://127.0.0.1:8080' } },
});
