// Vite: the app in src/, the API of the local server proxied under /api (no CORS in
// development: the browser talks to one origin). LOANSYNCRO_API sets the server's address.
import { defineConfig } from 'vitest/config';

const api = process.env.LOANSYNCRO_API ?? 'http://127.0.0.1:3000';
const proxy = {
  '/api': {
    target: api,
    changeOrigin: true,
    rewrite: (path: string) => path.replace(/^\/api/, ''),
  },
};

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  // The package fetches its .wasm with new URL(..., import.meta.url): keep it out of pre-bundling.
  optimizeDeps: { exclude: ['loansyncro'] },
  build: {
    target: 'es2022',
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 400,
  },
  // The loansyncro package is linked from ../bindings/wasm/pkg (built by scripts/suites/30-wasm.sh).
  server: { port: 5173, strictPort: false, host: '127.0.0.1', proxy, fs: { allow: ['.', '../bindings/wasm/pkg'] } },
  preview: { port: 4173, strictPort: false, host: '127.0.0.1', proxy },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
