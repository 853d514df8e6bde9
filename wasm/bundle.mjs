// Bundles the JS API (wasm/convplay.mjs) with the Emscripten module into dist/:
//   convplay.mjs  ES module (Node 20 by file path, browsers over http)
//   convplay.js   classic script defining the global `convplay` (pages opened from file://,
//                 where Chromium refuses module scripts)
//   convplay.d.ts the typings
// usage: node wasm/bundle.mjs <path to convplay-core.mjs> <dist dir>
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [core, dist] = process.argv.slice(2).map((p) => resolve(p));
if (!core || !dist) {
  console.error('usage: node wasm/bundle.mjs <convplay-core.mjs> <dist dir>');
  process.exit(2);
}
mkdirSync(dist, { recursive: true });

const common = {
  entryPoints: [join(here, 'convplay.mjs')],
  bundle: true,
  alias: { 'convplay-core': core },
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
  // The core is SINGLE_FILE: import.meta.url (empty in the classic build) is never needed.
  logOverride: { 'empty-import-meta': 'silent' },
  banner: { js: '// convplay: PyTorch-exact 2-D convolutions in WebAssembly. https://github.com/convplay' },
};
await esbuild.build({ ...common, format: 'esm', outfile: join(dist, 'convplay.mjs') });
await esbuild.build({ ...common, format: 'iife', globalName: 'convplay', outfile: join(dist, 'convplay.js') });
copyFileSync(join(here, 'convplay.d.ts'), join(dist, 'convplay.d.ts'));
