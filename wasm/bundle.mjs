// Bundles the JS API (wasm/convplay.mjs) with the Emscripten module into dist/:
//   convplay.mjs  ES module (Node 20 by file path, browsers over http)
//   convplay.js   classic script defining the global `convplay` (pages opened from file://,
//                 where Chromium refuses module scripts)
//   convplay.d.ts the typings
//   convplay-scalar.{mjs,js}  the same API on the scalar build (no WebAssembly SIMD), global
//                 `convplayScalar`: for engines without SIMD and for speed comparisons
//   convplay-relaxed.{mjs,js} the relaxed-SIMD build (fused multiply-add), global
//                 `convplayRelaxed`: convplay.{mjs,js} load it from beside themselves where
//                 the engine validates relaxed SIMD (a separate file, so engines without it
//                 never download it, and the default bundle keeps its size)
// usage: node wasm/bundle.mjs <convplay-core.mjs> <convplay-core-scalar.mjs> <convplay-core-relaxed.mjs> <dist dir>
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [core, scalarCore, relaxedCore, dist] = process.argv.slice(2).map((p) => resolve(p));
if (!core || !scalarCore || !relaxedCore || !dist) {
  console.error('usage: node wasm/bundle.mjs <convplay-core.mjs> <convplay-core-scalar.mjs> <convplay-core-relaxed.mjs> <dist dir>');
  process.exit(2);
}
mkdirSync(dist, { recursive: true });

const common = {
  entryPoints: [join(here, 'convplay.mjs')],
  bundle: true,
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
  // The core is SINGLE_FILE: import.meta.url (empty in the classic build) is never needed.
  logOverride: { 'empty-import-meta': 'silent' },
  banner: { js: '// convplay: PyTorch-exact 2-D convolutions in WebAssembly. https://github.com/convplay' },
};
for (const [wasm, variant, name, global] of [[core, 'simd', 'convplay', 'convplay'],
  [scalarCore, 'scalar', 'convplay-scalar', 'convplayScalar'],
  [relaxedCore, 'relaxed', 'convplay-relaxed', 'convplayRelaxed']]) {
  const alias = { 'convplay-core': wasm };
  for (const format of ['esm', 'iife']) {
    const define = { __CONVPLAY_VARIANT__: JSON.stringify(variant), __CONVPLAY_FORMAT__: JSON.stringify(format) };
    await esbuild.build({
      ...common, alias, define, format, outfile: join(dist, `${name}.${format === 'esm' ? 'mjs' : 'js'}`),
      ...(format === 'iife' ? { globalName: global } : {}),
    });
  }
}
copyFileSync(join(here, 'convplay.d.ts'), join(dist, 'convplay.d.ts'));
