/**
 * The browser side: `npm run build` puts it in dist/client/, which the server serves: the
 * dashboard at `/` (every other unknown path falls back to its index.html: client-side
 * routes) and the explorer at `/graphiql/`. Each page is an HTML entry point under client/.
 */
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Absolute asset URLs: the dashboard's index.html is served at any route (/runs/…).
  base: '/',
  plugins: [svelte()],
  build: {
    outDir: here('../dist/client'),
    emptyOutDir: true,
    // Monaco alone is 2.8 MB, far past Vite's default 500 kB; warn only when that grows.
    chunkSizeWarningLimit: 3000,
    rolldownOptions: {
      input: { dashboard: here('index.html'), graphiql: here('graphiql/index.html') },
      onwarn(warning, warn) {
        // GraphiQL's modules start with React directives ('use client', 'use no memo') that
        // mean nothing in a browser bundle; hundreds of them would bury real warnings.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
