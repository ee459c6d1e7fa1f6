import { defineConfig } from 'vite';

// The bundle hoistd embeds (server/web/build_web_assets.cmake): file names under
// /assets/ carry a content hash, nothing is inlined as a data: URL, and the worker is
// an ES module so it shares the page's imports.
export default defineConfig({
  base: '/',
  build: {
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
});
