/**
 * The browser side: `npm run build` puts it in dist/client/, which the server serves at `/`
 * (and the explorer at `/graphiql/`). Each page is an HTML entry point under client/.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the pages load whatever prefix a proxy serves gatewatch under.
  base: './',
  build: {
    outDir: here('../dist/client'),
    emptyOutDir: true,
    // Monaco alone is 2.8 MB, far past Vite's default 500 kB; warn only when that grows.
    chunkSizeWarningLimit: 3000,
    rolldownOptions: {
      input: { graphiql: here('graphiql/index.html') },
      onwarn(warning, warn) {
        // GraphiQL's modules start with React directives ('use client', 'use no memo') that
        // mean nothing in a browser bundle; hundreds of them would bury real warnings.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
