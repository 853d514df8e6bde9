// Issue 19's speed targets, in one Node process like bench/bench.mjs: interleaved rounds,
// medians of per-round paired ratios, every peer's output checked against convplay's before
// any timing (and convplay's against its own reference-checked results where no peer exists).
//   conv1d      1x64x3136 -> 64, k3 p1          GFLOP/s >= 80% of conv2d's on P4 (1x64x56x56 -> 64, k3 p1)
//   conv3d      1x32x16x28x28 -> 32, k3 p1       >= 1.15x onnxruntime-web's Conv (1 thread)
//   convT3d     1x32x8x14x14 -> 16, k4 s2 p1     >= 1.5x onnxruntime-web's ConvTranspose
//   conv2dBackward on P4: gradInput as fast as convTranspose2d on the shape; gradWeight
//               >= 60% of conv2d's GFLOP/s (gradWeight's time = backward - convTranspose2d
//               - gradBias: the backward runs exactly that convTranspose2d for gradInput)
//   maxPool2d / avgPool2d 1x64x112x112, k3 s2 p1  >= 1.2x tfjs-wasm (XNNPACK)
// usage: node bench/bench-ops.mjs [--smoke] [--rounds N] [--only conv1d,conv3d,convT3d,bwd,pool] [--out DIR]
//   --only: run these groups only (their rows alone are written to --out, so a partial run
//   is best given its own --out directory)
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { convModelNd } from './onnx-model.mjs';
import { loadTfjs } from './runners.mjs';
import './page/bench-cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { randomData } = globalThis.convplayBenchCases;

const argv = process.argv.slice(2);
const smoke = argv.includes('--smoke');
const roundsArg = argv.indexOf('--rounds');
const ROUNDS = smoke ? 2 : roundsArg >= 0 ? Number(argv[roundsArg + 1]) : 15;
const onlyArg = argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? new Set(argv[onlyArg + 1].split(',')) : null;
const GROUPS = ['conv1d', 'conv3d', 'convT3d', 'bwd', 'pool'];
if (argv.includes('--help')) {
  console.log('node bench/bench-ops.mjs [--smoke] [--rounds N] [--only ' + GROUPS.join(',') + '] [--out DIR]');
  process.exit(0);
}
if (ONLY) for (const g of ONLY) if (!GROUPS.includes(g)) throw new Error(`--only: unknown group ${g}; the groups are ${GROUPS.join(', ')}`);
const runs = (group) => !ONLY || ONLY.has(group);
const outArg = argv.indexOf('--out');
const OUT = outArg >= 0 ? resolve(argv[outArg + 1]) : join(here, 'results');
const MIN_MS = smoke ? 0 : 40; // per timed sample: calls repeated until this long
const TOLERANCE = 1e-3;

const load0 = loadavg()[0];
const failures = [];
const fail = (m) => { failures.push(m); console.error(`FAIL: ${m}`); };

const path = join(root, 'dist', 'convplay.mjs');
if (!existsSync(path)) throw new Error('run bash scripts/build.sh first');
const cp = await (await import(pathToFileURL(path).href)).load();

// tfjs-backend-wasm's SIMD, single-threaded build, loaded and checked as bench.mjs does.
const { tf } = await loadTfjs();
const ort = await import('onnxruntime-web');
ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;
ort.env.logLevel = 'error';

const T = (shape, seed) => ({ shape, data: randomData(shape.reduce((a, b) => a * b, 1), seed) });

function maxDiff(got, want, label) {
  if (got.length !== want.length) return fail(`${label}: ${got.length} values, want ${want.length}`);
  let worst = 0;
  for (let i = 0; i < want.length; ++i) {
    const d = Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i]));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  if (!(worst <= TOLERANCE)) fail(`${label}: max relative difference ${worst} > ${TOLERANCE}`);
  return worst;
}

function toNHWC(d, C, H, W) {
  const o = new Float32Array(d.length);
  for (let c = 0; c < C; ++c) for (let i = 0; i < H * W; ++i) o[i * C + c] = d[c * H * W + i];
  return o;
}
function fromNHWC(d, C, H, W) {
  const o = new Float32Array(d.length);
  for (let c = 0; c < C; ++c) for (let i = 0; i < H * W; ++i) o[c * H * W + i] = d[i * C + c];
  return o;
}

async function ortSession(op, x, w, y, o) {
  const model = convModelNd({ op, x: x.shape, w: w.shape, y, ...o });
  const s = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all',
    intraOpNumThreads: 1, interOpNumThreads: 1 });
  return async () => (await s.run({ X: new ort.Tensor('float32', x.data, x.shape), W: new ort.Tensor('float32', w.data, w.shape) })).Y.data;
}

// One timed sample: ms per call, repeating until MIN_MS.
async function sample(fn, isAsync) {
  let n = 0;
  const t0 = performance.now();
  do {
    if (isAsync) await fn(); else fn();
    ++n;
  } while (performance.now() - t0 < MIN_MS);
  return (performance.now() - t0) / n;
}
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// Interleaved rounds of named contenders; returns each one's time per round. Who goes first
// rotates each round (as in bench.mjs): a sample pays part of the garbage the previous one
// left (V8 sweeps freed ArrayBuffers concurrently and collects when they add up), so a fixed
// order would always bill one contender for the other's results.
async function race(contenders) {
  const times = Object.fromEntries(contenders.map(([n]) => [n, []]));
  for (const [, fn, a] of contenders) { if (a) await fn(); else fn(); } // warm-up
  for (let r = 0; r < ROUNDS; ++r)
    for (let j = 0; j < contenders.length; ++j) {
      const [name, fn, a] = contenders[(j + r) % contenders.length];
      times[name].push(await sample(fn, a));
    }
  return times;
}
const pairedRatio = (slow, fast) => median(slow.map((t, i) => t / fast[i]));

const rows = [];
const record = (id, shape, what, value, target, ok) => {
  rows.push({ id, shape, what, value, target, ok });
  console.log(`${id.padEnd(10)} ${what.padEnd(58)} ${value.padEnd(22)} target ${target} ${smoke ? '' : ok ? 'met' : 'MISSED'}`);
};
const gflops = (macs, ms) => (2 * macs / (ms * 1e6)).toFixed(1);

// --- conv1d vs conv2d on P4 --------------------------------------------------------------
if (runs('conv1d')) {
  const x1 = T([1, 64, 3136], 11), w1 = T([64, 64, 3], 12);
  const x2 = T([1, 64, 56, 56], 13), w2 = T([64, 64, 3, 3], 14);
  // correctness: conv1d == conv2d with H = 1 (the reference-checked operator)
  maxDiff(cp.conv1d(x1, w1, null, { padding: 1 }).data,
    cp.conv2d({ shape: [1, 64, 1, 3136], data: x1.data }, { shape: [64, 64, 1, 3], data: w1.data }, null, { padding: [0, 1] }).data,
    'conv1d vs conv2d(H=1)');
  const t = await race([['conv1d', () => cp.conv1d(x1, w1, null, { padding: 1 })], ['conv2d', () => cp.conv2d(x2, w2, null, { padding: 1 })]]);
  const m1 = 64 * 3136 * 64 * 3, m2 = 64 * 56 * 56 * 64 * 9;
  const share = median(t.conv1d.map((v, i) => (m1 / v) / (m2 / t.conv2d[i])));
  record('conv1d', '1x64x3136 -> 64, k3 p1', `conv1d ${gflops(m1, median(t.conv1d))} GFLOP/s vs conv2d P4 ${gflops(m2, median(t.conv2d))}`,
    `${(100 * share).toFixed(0)}% of conv2d's`, '>= 80%', share >= 0.8);
  // the same with `out` for both (no fresh result array per call: conv1d does 1/3 of P4's
  // work on the same input and output sizes, so per-call costs weigh 3x more on it)
  const o1 = new Float32Array(64 * 3136), o2 = new Float32Array(64 * 3136);
  const u = await race([['conv1d', () => cp.conv1d(x1, w1, null, { padding: 1, out: o1 })],
    ['conv2d', () => cp.conv2d(x2, w2, null, { padding: 1, out: o2 })]]);
  const shareOut = median(u.conv1d.map((v, i) => (m1 / v) / (m2 / u.conv2d[i])));
  record('conv1d-out', '1x64x3136 -> 64, k3 p1', `with out: conv1d ${gflops(m1, median(u.conv1d))} GFLOP/s vs conv2d P4 ${gflops(m2, median(u.conv2d))}`,
    `${(100 * shareOut).toFixed(0)}% of conv2d's`, '>= 80%', shareOut >= 0.8);
}

// --- conv3d and convTranspose3d vs ORT -----------------------------------------------------
if (runs('conv3d')) {
  const x = T([1, 32, 16, 28, 28], 21), w = T([32, 32, 3, 3, 3], 22);
  const ortConv = await ortSession('Conv', x, w, [1, 32, 16, 28, 28], { padding: 1 });
  const mine = () => cp.conv3d(x, w, null, { padding: 1 });
  maxDiff(await ortConv(), mine().data, 'conv3d: ORT vs convplay');
  const t = await race([['convplay', mine], ['ort', ortConv, true]]);
  const r = pairedRatio(t.ort, t.convplay), macs = 32 * 16 * 28 * 28 * 32 * 27;
  record('conv3d', '1x32x16x28x28 -> 32, k3 p1', `convplay ${median(t.convplay).toFixed(2)} ms (${gflops(macs, median(t.convplay))} GFLOP/s), ORT ${median(t.ort).toFixed(2)} ms`,
    `${r.toFixed(2)}x ORT`, '>= 1.15x', r >= 1.15);
}
if (runs('convT3d')) {
  const x = T([1, 32, 8, 14, 14], 31), w = T([32, 16, 4, 4, 4], 32);
  const y = [1, 16, 16, 28, 28];
  const ortT = await ortSession('ConvTranspose', x, w, y, { stride: 2, padding: 1 });
  const mine = () => cp.convTranspose3d(x, w, null, { stride: 2, padding: 1 });
  maxDiff(await ortT(), mine().data, 'convTranspose3d: ORT vs convplay');
  const t = await race([['convplay', mine], ['ort', ortT, true]]);
  const r = pairedRatio(t.ort, t.convplay), macs = 32 * 8 * 14 * 14 * 16 * 64;
  record('convT3d', '1x32x8x14x14 -> 16, k4 s2 p1', `convplay ${median(t.convplay).toFixed(2)} ms (${gflops(macs, median(t.convplay))} GFLOP/s), ORT ${median(t.ort).toFixed(2)} ms`,
    `${r.toFixed(2)}x ORT`, '>= 1.5x', r >= 1.5);
}

// --- conv2dBackward on P4 ------------------------------------------------------------------
if (runs('bwd')) {
  const x = T([1, 64, 56, 56], 41), w = T([64, 64, 3, 3], 42), gy = T([1, 64, 56, 56], 43);
  const back = () => cp.conv2dBackward(x, w, gy, { padding: 1 });
  const convT = () => cp.convTranspose2d(gy, w, null, { padding: 1 });
  const fwd = () => cp.conv2d(x, w, null, { padding: 1 });
  maxDiff(back().gradInput.data, convT().data, 'conv2dBackward gradInput vs convTranspose2d');
  const t = await race([['backward', back], ['convT', convT], ['forward', fwd]]);
  const macs = 64 * 56 * 56 * 64 * 9;
  // gradWeight's share: the backward minus the convTranspose2d it runs (same round)
  const gw = t.backward.map((b, i) => Math.max(b - t.convT[i], 1e-6));
  const gwShare = median(gw.map((g, i) => t.forward[i] / g));
  record('bwd-gx', 'P4 1x64x56x56 -> 64, k3 p1', `gradInput = convTranspose2d ${median(t.convT).toFixed(2)} ms (the same call)`,
    '1.00x convTranspose2d', '>= 1x', true);
  record('bwd-gw', 'P4 1x64x56x56 -> 64, k3 p1', `gradWeight ${median(gw).toFixed(2)} ms (${gflops(macs, median(gw))} GFLOP/s), conv2d ${median(t.forward).toFixed(2)} ms (${gflops(macs, median(t.forward))})`,
    `${(100 * gwShare).toFixed(0)}% of conv2d's GFLOP/s`, '>= 60%', gwShare >= 0.6);
  record('bwd', 'P4 1x64x56x56 -> 64, k3 p1', `whole conv2dBackward ${median(t.backward).toFixed(2)} ms`, '', '-', true);
}

// --- pooling vs tfjs-wasm --------------------------------------------------------------------
if (runs('pool')) {
  const x = T([1, 64, 112, 112], 51);
  const xN = toNHWC(x.data, 64, 112, 112);
  const pad = [[0, 0], [1, 1], [1, 1], [0, 0]];
  const tfPool = (kind) => () => {
    const xt = tf.tensor4d(xN, [1, 112, 112, 64]);
    const yt = kind === 'max' ? tf.maxPool(xt, 3, 2, pad, 'floor') : tf.avgPool(xt, 3, 2, pad, 'floor');
    const d = yt.dataSync();
    xt.dispose();
    yt.dispose();
    return d;
  };
  for (const [kind, mine, opts] of [['max', () => cp.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }), ''],
    ['avg', () => cp.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }), ', countIncludePad false (tf excludes padding)']]) {
    const theirs = tfPool(kind);
    const got = theirs();
    if (got.length !== 64 * 56 * 56) fail(`${kind}Pool2d: tfjs gave ${got.length} values`);
    else maxDiff(fromNHWC(got, 64, 56, 56), mine().data, `${kind}Pool2d: tfjs vs convplay`);
    const t = await race([['convplay', mine], ['tfjs', theirs]]);
    const r = pairedRatio(t.tfjs, t.convplay);
    record(`${kind}Pool2d`, '1x64x112x112, k3 s2 p1', `convplay ${median(t.convplay).toFixed(3)} ms, tfjs-wasm ${median(t.tfjs).toFixed(3)} ms${opts}`,
      `${r.toFixed(2)}x tfjs`, '>= 1.2x', r >= 1.2);
    // convplay writing into `out` (a page reusing its buffer; tfjs's dataSync() has no such form)
    const buf = new Float32Array(64 * 56 * 56);
    const mineOut = kind === 'max' ? () => cp.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1, out: buf })
      : () => cp.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false, out: buf });
    maxDiff(mineOut().data, mine().data, `${kind}Pool2d with out`);
    const u = await race([['convplay', mineOut], ['tfjs', theirs]]);
    const ru = pairedRatio(u.tfjs, u.convplay);
    record(`${kind}-out`, '1x64x112x112, k3 s2 p1', `convplay with out ${median(u.convplay).toFixed(3)} ms, tfjs-wasm ${median(u.tfjs).toFixed(3)} ms`,
      `${ru.toFixed(2)}x tfjs`, '>= 1.2x', ru >= 1.2);
  }
}

if (!smoke) {
  mkdirSync(OUT, { recursive: true });
  const md = ['# Issue 19 benchmark (bench/bench-ops.mjs)', '',
    `Node ${process.version}, ${ROUNDS} interleaved rounds, medians (ratios: median of per-round paired ratios), one thread; ` +
    `1-minute load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (2 cores shared with other work: ` +
    'runs on this machine vary by 20-50%).', '',
    '| case | shape | measured | result | target | verdict |', '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.id} | ${r.shape} | ${r.what} | ${r.value} | ${r.target} | ${r.target === '-' ? '-' : r.ok ? 'met' : 'missed'} |`), ''];
  writeFileSync(join(OUT, 'ops-latest.md'), md.join('\n'));
  writeFileSync(join(OUT, 'ops-latest.json'), JSON.stringify({ node: process.version, rounds: ROUNDS, load: [load0, loadavg()[0]], rows }, null, 1));
}
if (failures.length) {
  console.error(`${failures.length} correctness failure(s)`);
  process.exit(1);
}
