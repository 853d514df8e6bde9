// Copies the browser benchmark page (bench/page/) into dist/: bench.html and its classic
// scripts and stylesheet. It runs from file:// and needs dist/convplay.js and
// dist/convplay-scalar.js from the core build (bash scripts/build.sh).
// usage: node bench/build-page.mjs [dist dir]
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.argv[2] ?? join(here, '..', 'dist'));
mkdirSync(dist, { recursive: true });

const files = [
  ['index.html', 'bench.html'],
  ['bench-page.js', 'bench-page.js'],
  ['bench-page.css', 'bench-page.css'],
  ['bench-cases.js', 'bench-cases.js'],
  ['bench-naive.js', 'bench-naive.js'],
  ['bench-ceiling.js', 'bench-ceiling.js'],
];
for (const [from, to] of files) copyFileSync(join(here, 'page', from), join(dist, to));
console.log(`bench page: ${files.map(([, to]) => to).join(', ')} -> ${dist}`);
for (const needed of ['convplay.js', 'convplay-scalar.js'])
  if (!existsSync(join(dist, needed)))
    console.warn(`warning: ${join(dist, needed)} is missing; run bash scripts/build.sh to build the WebAssembly core.`);
