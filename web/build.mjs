// Builds the playground page into dist/: app.js (classic IIFE script bundled by esbuild from
// web/src/main.js), app.css and index.html. dist/convplay.js comes from the core build
// (scripts/build.sh). Usage: node web/build.mjs [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'info',
};

await esbuild.build({ ...common, entryPoints: [join(here, 'src/main.js')], outfile: join(dist, 'app.js') });
await esbuild.build({ ...common, entryPoints: [join(here, 'styles.css')], outfile: join(dist, 'app.css'), format: undefined });
copyFileSync(join(here, 'index.html'), join(dist, 'index.html'));
copyFileSync(join(here, 'favicon.svg'), join(dist, 'favicon.svg'));

if (!existsSync(join(dist, 'convplay.js'))) {
  console.warn('warning: dist/convplay.js is missing; run scripts/build.sh to build the WebAssembly core.');
}
