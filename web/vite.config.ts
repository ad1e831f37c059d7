// Vite build of the kclinic web front end. The server embeds dist/ and serves it under a strict
// Content-Security-Policy (script-src 'self'; style-src 'self'), so the build must put no inline script or style in
// index.html: modulePreload's polyfill is an inline script, hence off (every browser kclinic supports has
// <link rel="modulepreload"> natively: Chromium 66+, Firefox 115+, Safari 17+).
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2020',
    modulePreload: { polyfill: false },
    // Never inline an asset as a data: URL into CSS/JS: img-src allows data:, but keeping every asset a hashed file
    // keeps caching and the CSP simple.
    assetsInlineLimit: 0,
    rollupOptions: {
      output: {
        entryFileNames: 'assets/[name]-[hash].js',
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
  // `npm run dev`: the API and the live channel come from a `kclinic serve` on 127.0.0.1:8080. changeOrigin stays
  // off so the Host the server sees equals the page's Origin, which the live channel's Origin check requires.
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true, changeOrigin: false },
    },
  },
});
