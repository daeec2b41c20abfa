/**
 * The web app's build. Output goes to web/dist, which the API serves (api/web-app.ts): hashed files under
 * /assets/ (cached for a year) and index.html (never cached). In development, `vite` serves the app with
 * hot reload and forwards the API's paths to the API on :3000.
 */
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const api = process.env.GAVEL_API ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The strict Content-Security-Policy allows no inline script: Vite's module-preload polyfill is one.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // web/dist/.vite/manifest.json: which chunks each page loads (bench/web.bench.ts weighs them). The API
    // serves only /assets/ and the root files, so the manifest never reaches a browser.
    manifest: true,
  },
  server: {
    proxy: Object.fromEntries(['/v1', '/openapi.json', '/docs', '/healthz', '/readyz'].map((p) => [p, api])),
  },
});
