// Where the time of a fresh result goes (issue 19: conv1d one-shot reached 60% of P4's
// GFLOP/s, 97% with `out`). One Node process, interleaved rounds (the order alternating),
// each sample at least 40 ms of repeated calls, medians; GC pauses counted per contender with
// a PerformanceObserver on 'gc' entries. Everything runs on conv1d's result: 200,704 floats
// (0.8 MB), 1x64x3136 -> 64, k3 p1.
//   conv1d fresh / out         the API call one-shot and into `out` (the difference is a
//                              fresh result's cost)
//   tiny call                  conv1d on [1, 1, 4] with k1: the fixed cost of any call
//                              (argument checks, the heap frame, Embind)
//   heap -> out.set            copying 0.8 MB out of the WASM heap into an existing array
//   new F32(view)              what the API does for a fresh result: allocate + copy once
//   new F32(n) + set           allocate zeroed, then copy
//   F32 slice                  the heap view's slice()
//   U8 slice (tfjs)            what tfjs-wasm's dataSync() does (HEAPU8.slice)
// usage: node bench/fresh-result.mjs [--rounds N] [--out DIR]  (writes DIR/fresh-result.md)
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import './page/bench-cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const argv = process.argv.slice(2);
const roundsArg = argv.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Number(argv[roundsArg + 1]) : 15;
const outArg = argv.indexOf('--out');
const OUT = outArg >= 0 ? resolve(argv[outArg + 1]) : join(here, 'results');
const { randomData } = globalThis.convplayBenchCases;
const cp = await (await import(pathToFileURL(join(root, 'dist', 'convplay.mjs')).href)).load();
const load0 = loadavg()[0];

const n = 64 * 3136;
const x = { shape: [1, 64, 3136], data: randomData(n, 61) }, w = { shape: [64, 64, 3], data: randomData(64 * 64 * 3, 62) };
const tiny = { shape: [1, 1, 4], data: randomData(4, 63) }, tinyW = { shape: [1, 1, 1], data: randomData(1, 64) };
const out = new Float32Array(n);
const core = cp._core;
const block = core._malloc(4 * n);            // a result-sized region of the heap
const view = () => core.HEAPF32.subarray(block >> 2, (block >> 2) + n);
const viewU8 = () => core.HEAPU8.subarray(block, block + 4 * n);
view().set(x.data);
let keep;
const contenders = [
  ['conv1d fresh', () => { keep = cp.conv1d(x, w, null, { padding: 1 }); }],
  ['conv1d out', () => { keep = cp.conv1d(x, w, null, { padding: 1, out }); }],
  ['tiny call', () => { keep = cp.conv1d(tiny, tinyW, null); }],
  ['heap -> out.set', () => { out.set(view()); }],
  ['new F32(view)', () => { keep = new Float32Array(view()); }],
  ['new F32(n) + set', () => { keep = new Float32Array(n); keep.set(view()); }],
  ['F32 slice', () => { keep = view().slice(); }],
  ['U8 slice (tfjs)', () => { keep = new Float32Array(viewU8().slice().buffer); }],
];

// GC entries arrive later than they happen: each is given to the sample whose time window
// holds its start.
const windows = [];
const gc = Object.fromEntries(contenders.map(([name]) => [name, { ms: 0, count: 0, calls: 0, faults: 0, sys: 0, cpu: 0 }]));
const gcEntries = [];
const observer = new PerformanceObserver((list) => { gcEntries.push(...list.getEntries()); });
observer.observe({ entryTypes: ['gc'] });
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const us = (ms) => (ms * 1000).toFixed(0);

const times = Object.fromEntries(contenders.map(([name]) => [name, []]));
for (const [, fn] of contenders) fn();
for (let r = 0; r < ROUNDS; ++r) {
  const order = r % 2 ? contenders.slice().reverse() : contenders;
  for (const [name, fn] of order) {
    let k = 0;
    const r0 = process.resourceUsage();
    const t0 = performance.now();
    do { fn(); ++k; } while (performance.now() - t0 < 40);
    const t1 = performance.now();
    const r1 = process.resourceUsage();
    gc[name].faults += r1.minorPageFault - r0.minorPageFault;
    gc[name].sys += r1.systemCPUTime - r0.systemCPUTime;
    gc[name].cpu += r1.userCPUTime - r0.userCPUTime + r1.systemCPUTime - r0.systemCPUTime;
    times[name].push((t1 - t0) / k);
    windows.push([name, t0, t1]);
    gc[name].calls += k;
  }
  await new Promise((r) => setTimeout(r, 0)); // the observer delivers entries between tasks
}
await new Promise((r) => setTimeout(r, 10));
observer.disconnect();
for (const e of gcEntries) {
  const win = windows.find(([, t0, t1]) => e.startTime >= t0 && e.startTime < t1);
  if (win) { gc[win[0]].ms += e.duration; gc[win[0]].count += 1; }
}

// Which way of making a fresh array is quickest, by size: interleaved rounds of 20 ms samples
// (the order rotating), the median of each round's ratio to new Float32Array(view).
const sizes = [4096, 50000, 200704, 401408, 802816];
const bigBlock = core._malloc(4 * sizes[sizes.length - 1]);
const sizeRows = [];
for (const m of sizes) {
  const v = () => core.HEAPF32.subarray(bigBlock >> 2, (bigBlock >> 2) + m);
  const ways = [['ctor', () => { keep = new Float32Array(v()); }], ['newset', () => { keep = new Float32Array(m); keep.set(v()); }],
    ['slice', () => { keep = v().slice(); }]];
  const t = Object.fromEntries(ways.map(([k]) => [k, []]));
  for (const [, fn] of ways) fn();
  for (let r = 0; r < 2 * ROUNDS; ++r)
    for (let j = 0; j < ways.length; ++j) {
      const [k, fn] = ways[(j + r) % ways.length];
      let c = 0;
      const t0 = performance.now();
      do { fn(); ++c; } while (performance.now() - t0 < 20);
      t[k].push((performance.now() - t0) / c);
    }
  const ratio = (k) => median(t[k].map((x, i) => x / t.ctor[i])).toFixed(2);
  sizeRows.push(`| ${m.toLocaleString('en-US')} | ${us(median(t.ctor))} | ${ratio('newset')} | ${ratio('slice')} |`);
  console.log(`${m} floats: new F32(view) ${us(median(t.ctor))} us, new + set ${ratio('newset')}x, slice ${ratio('slice')}x`);
}
core._free(bigBlock);
core._free(block);

const lines = ['# The cost of a fresh result (bench/fresh-result.mjs)', '',
  `Node ${process.version}, ${ROUNDS} interleaved rounds, medians; 200,704 floats (conv1d's 1x64x3136 -> 64 output); ` +
  `1-minute load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end.`, '',
  'Page faults and CPU time are the whole process\'s (all threads: V8 frees ArrayBuffers and marks on helper threads).', '',
  '| what | µs per call | GC pauses per 100 calls | GC pause µs per call | page faults per call | CPU µs per call (of which system) |',
  '|---|---|---|---|---|---|'];
for (const [name] of contenders) {
  const g = gc[name];
  const row = [us(median(times[name])), (100 * g.count / g.calls).toFixed(1), (1000 * g.ms / g.calls).toFixed(0),
    (g.faults / g.calls).toFixed(0), `${(g.cpu / g.calls).toFixed(0)} (${(g.sys / g.calls).toFixed(0)})`];
  lines.push(`| ${name} | ${row.join(' | ')} |`);
  console.log(`${name.padEnd(18)} ${row.map((v) => v.padStart(8)).join(' ')}`);
}
const fresh = median(times['conv1d fresh'].map((t, i) => t - times['conv1d out'][i]));
lines.push('', `A fresh result cost ${us(fresh)} µs more than writing into \`out\` (median of the rounds' differences).`, '',
  'The ways of making a fresh array from a heap view, by size (time of `new Float32Array(view)`, and the others as the median of',
  'each round\'s ratio to it; below 1 is quicker):', '',
  '| floats | new Float32Array(view) µs | new Float32Array(n) + set | view.slice() |', '|---|---|---|---|', ...sizeRows, '');
console.log(`fresh - out: ${us(fresh)} us`);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'fresh-result.md'), lines.join('\n'));
