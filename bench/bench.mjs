// convplay against TensorFlow.js's WebAssembly backend (XNNPACK) and ONNX Runtime Web's
// WebAssembly backend, single-threaded, in one Node process; plus convplay's scalar build,
// the native build, and the WASM SIMD ceiling. `bash bench/run.sh` runs it; see bench/README.md.
//
// usage: node bench/bench.mjs [--smoke] [--rounds N] [--min-ms N] [--only P4,T2]
//                             [--native PATH] [--out DIR]
//   --smoke   every correctness and memory check, tiny iteration counts, no timing claims
//
// Order of work: load everything -> correctness (naive JS reference, then every contender
// against convplay) -> memory (workspace, heap growth) -> native build -> timing (warm-up,
// calibration, interleaved rounds, ceiling before and after) -> bench/results/latest.{md,json}.
// Exits non-zero on any wrong result, a workspace above 16 MiB, or a heap that grows.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

import { loadTfjs, loadOrt, tfjsRunner, ortRunner, convplayRunner, stats, timeCalls, fmtTime, fmtG, fmtX, fmtBytes }
  from './runners.mjs';
import './page/bench-cases.js';
import './page/bench-naive.js';
import './page/bench-ceiling.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { cases: ALL_CASES, randomData } = globalThis.convplayBenchCases;
const naive = globalThis.convplayNaive;
const ceilingBench = globalThis.convplayCeiling;

const WORKSPACE_LIMIT = 16 * 1024 * 1024;
const TOLERANCE = 1e-3; // |a - b| / (1 + |b|)
const SMOKE_REFERENCE_MACS = 30e6;

// --- arguments ------------------------------------------------------------------------
function parseArgs(argv) {
  const a = { smoke: false, rounds: 21, minMs: 50, only: null, native: null, out: join(here, 'results') };
  for (let i = 0; i < argv.length; ++i) {
    const v = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${v} needs a value`);
      return argv[++i];
    };
    if (v === '--smoke') a.smoke = true;
    else if (v === '--rounds') a.rounds = Number(next());
    else if (v === '--min-ms') a.minMs = Number(next());
    else if (v === '--only') a.only = next().split(',');
    else if (v === '--native') a.native = next();
    else if (v === '--out') a.out = resolve(next());
    else throw new Error(`unknown argument ${v}`);
  }
  if (a.smoke) {
    a.rounds = 2;
    a.minMs = 0;
  }
  return a;
}
const args = parseArgs(process.argv.slice(2));
const cases = args.only ? ALL_CASES.filter((c) => args.only.includes(c.id)) : ALL_CASES;
if (cases.length === 0) throw new Error(`--only ${args.only} matches no case`);

const failures = [];
function fail(message) {
  failures.push(message);
  console.error(`FAIL: ${message}`);
}
const log = (...m) => console.log(...m);
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

// --- contenders -----------------------------------------------------------------------
async function loadConvplay(file) {
  const path = join(root, 'dist', file);
  if (!existsSync(path)) throw new Error(`${path} is missing: run bash scripts/build.sh first`);
  const { load } = await import(pathToFileURL(path).href);
  return load({ relaxed: false }); // the SIMD build even where relaxed SIMD runs (bench-relaxed.mjs has that one)
}

// --- helpers --------------------------------------------------------------------------
function check(name, got, want, shape) {
  if (got.length !== want.length) {
    fail(`${name}: ${got.length} values, want ${want.length} (output ${shape.join('x')})`);
    return Infinity;
  }
  const { error, index } = naive.maxError(got, want);
  if (!(error <= TOLERANCE))
    fail(`${name}: max |a-b|/(1+|b|) = ${error.toExponential(3)} at flat index ${index} ` +
      `(got ${got[index]}, want ${want[index]}; tolerance ${TOLERANCE})`);
  return error;
}

// --- main -----------------------------------------------------------------------------
const started = performance.now();
log(`convplay benchmark${args.smoke ? ' (smoke: correctness and memory checks, tiny iteration counts)' : ''}`);
const cp = await loadConvplay('convplay.mjs');
const cpScalar = await loadConvplay('convplay-scalar.mjs');
const tfjs = await loadTfjs();
const ortLib = await loadOrt();
const versions = {
  node: process.version,
  convplay: cp.version,
  convplayBackend: cp.backend,
  convplayScalarBackend: cpScalar.backend,
  tfjs: tfjs.version,
  tfjsBinary: tfjs.binary,
  tfjsThreads: tfjs.threads,
  onnxruntimeWeb: ortLib.version,
  ortThreads: ortLib.ort.env.wasm.numThreads,
};
log(`node ${versions.node}; convplay ${versions.convplay} (${versions.convplayBackend}; scalar build ${versions.convplayScalarBackend}); ` +
  `tfjs-backend-wasm ${versions.tfjs} (${versions.tfjsBinary}, ${versions.tfjsThreads} thread); ` +
  `onnxruntime-web ${versions.onnxruntimeWeb} (wasm, numThreads ${versions.ortThreads})`);
if (cp.backend !== 'wasm-simd128') fail(`dist/convplay.mjs reports backend ${cp.backend}, want wasm-simd128`);
if (cpScalar.backend !== 'scalar') fail(`dist/convplay-scalar.mjs reports backend ${cpScalar.backend}, want scalar`);

// Per case: data, runners, and everything measured.
const contenders = ['convplay', 'convplay-scalar', 'tfjs-wasm', 'ort-wasm'];
const state = [];
for (const [i, c] of cases.entries()) {
  const x = randomData(c.C * c.H * c.W, 1000 + 2 * i);
  const w = randomData(c.wShape.reduce((a, b) => a * b, 1), 1001 + 2 * i);
  const runners = {
    convplay: convplayRunner(cp, c, x, w),
    'convplay-scalar': convplayRunner(cpScalar, c, x, w),
    'tfjs-wasm': tfjsRunner(tfjs, c, x, w),
    'ort-wasm': await ortRunner(ortLib, c, x, w),
  };
  state.push({ c, x, w, runners, errors: {}, results: {}, memory: {}, native: null });
}

// 1. Correctness, before any timing.
log(`\n== correctness (max |a-b|/(1+|b|), tolerance 1e-3) [${elapsed()}] ==`);
for (const s of state) {
  const { c, x, w, runners } = s;
  const t0 = performance.now();
  const expectShape = c.yShape.join('x');
  const main = cp[c.transposed ? 'convTranspose2d' : 'conv2d']({ shape: c.xShape, data: x }, { shape: c.wShape, data: w }, null, c.options);
  if (main.shape.join('x') !== expectShape) fail(`${c.id}: convplay output shape ${main.shape} != ${expectShape}`);
  const scalar = runners['convplay-scalar'].call();
  // The plain JS loops take about a second on the biggest shapes: a smoke run keeps them to
  // the small ones (the big ones are still checked against both peers and, natively,
  // against the C++ reference kernels).
  let refMs = 0;
  if (!args.smoke || c.macs <= SMOKE_REFERENCE_MACS) {
    const r0 = performance.now();
    const ref = (c.transposed ? naive.convTranspose2d : naive.conv2d)(x, c.xShape, w, c.wShape, c.options);
    refMs = performance.now() - r0;
    if (ref.shape.join('x') !== expectShape) fail(`${c.id}: naive reference shape ${ref.shape} != ${expectShape}`);
    s.errors['convplay vs JS reference'] = check(`${c.id} convplay vs JS reference`, main.data, ref.data, c.yShape);
    s.errors['scalar vs JS reference'] = check(`${c.id} convplay-scalar vs JS reference`, scalar, ref.data, c.yShape);
  }
  s.errors['scalar vs convplay'] = check(`${c.id} convplay-scalar vs convplay`, scalar, main.data, c.yShape);
  for (const name of ['tfjs-wasm', 'ort-wasm']) {
    const r = runners[name];
    if (!r) continue;
    const got = r.toNCHW(r.async ? await r.call() : r.call());
    s.errors[`${name} vs convplay`] = check(`${c.id} ${name} vs convplay`, got, main.data, c.yShape);
  }
  s.refMs = refMs;
  log(`${c.id.padEnd(5)} ${c.shape.padEnd(40)} ${`${(performance.now() - t0).toFixed(0)} ms`.padStart(8)} (JS ref ${refMs.toFixed(0)}) ` +
    Object.entries(s.errors).map(([k, v]) => `${k.replace(' vs ', '/')} ${v.toExponential(1)}`).join('  '));
}
// The ONNX bias input and convplay's bias path, on one conv and one transposed conv.
for (const s of state.filter((t) => ['P2', 'T1'].includes(t.c.id))) {
  const { c, x, w } = s;
  const bias = randomData(c.K, 77);
  const withB = convplayRunner(cp, c, x, w, bias).call();
  const noB = s.runners.convplay.call();
  const want = new Float32Array(noB.length);
  const plane = c.OH * c.OW;
  for (let i = 0; i < noB.length; ++i) want[i] = noB[i] + bias[Math.floor(i / plane)];
  s.errors['convplay bias'] = check(`${c.id} convplay with bias vs without + bias`, withB, want, c.yShape);
  const ortB = await ortRunner(ortLib, c, x, w, bias);
  s.errors['ort-wasm bias'] = check(`${c.id} ort-wasm with bias vs convplay with bias`, await ortB.call(), withB, c.yShape);
  await ortB.session.release();
}

// 2. Memory: workspace per case and heap growth over repeated calls, both builds.
log(`\n== memory (convplay; workspace = heap in use after one call from a released heap, less the result) [${elapsed()}] ==`);
const maxRepeats = args.smoke ? 2 : 20;
for (const [name, lib] of [['convplay', cp], ['convplay-scalar', cpScalar]]) {
  const memoryBefore = lib._core.HEAP8.length;
  for (const s of state) {
    const r = s.runners[name];
    lib.releaseMemory();
    const h0 = lib.heapInUse();
    const t0 = performance.now();
    r.call();
    const once = performance.now() - t0;
    const h1 = lib.heapInUse();
    // 3 to 20 repeated calls, about half a second's worth (one for each in a smoke run)
    const repeats = args.smoke ? maxRepeats : Math.max(3, Math.min(maxRepeats, Math.round(500 / Math.max(once, 1e-3))));
    const resultBytes = 4 * s.c.yShape.reduce((a, b) => a * b, 1);
    const workspace = Math.max(0, h1 - h0 - resultBytes);
    const heapBefore = lib.heapInUse();
    const memBefore = lib._core.HEAP8.length;
    for (let i = 0; i < repeats; ++i) r.call();
    const heapGrowth = lib.heapInUse() - heapBefore;
    const memoryGrowth = lib._core.HEAP8.length - memBefore;
    s.memory[name] = { workspaceBytes: workspace, heapGrowthBytes: heapGrowth, memoryGrowthBytes: memoryGrowth, repeats };
    if (workspace > WORKSPACE_LIMIT) fail(`${s.c.id} ${name}: workspace ${fmtBytes(workspace)} > 16 MiB`);
    if (heapGrowth !== 0) fail(`${s.c.id} ${name}: heap in use grew by ${heapGrowth} B over ${repeats} repeated calls`);
    if (memoryGrowth !== 0) fail(`${s.c.id} ${name}: WASM memory grew by ${memoryGrowth} B over ${repeats} repeated calls`);
  }
  log(`${name.padEnd(16)} ` + state.map((s) => `${s.c.id} ${fmtBytes(s.memory[name].workspaceBytes)}` +
    `${s.memory[name].heapGrowthBytes || s.memory[name].memoryGrowthBytes ? ' GROWS' : ''}`).join(', ') +
    `; memory ${fmtBytes(memoryBefore)} -> ${fmtBytes(lib._core.HEAP8.length)}`);
}

// 3. The native build.
let native = { available: false };
const nativePath = args.native ?? join(root, 'build', 'native', 'bench', 'convplay_native_bench');
if (existsSync(nativePath)) {
  log(`\n== native (${nativePath}) [${elapsed()}] ==`);
  const nargs = [...(args.smoke ? ['--smoke'] : ['--min-ms', String(args.minMs), '--rounds', String(args.rounds)]),
    ...state.map((s) => s.c.nativeSpec)];
  const r = spawnSync(nativePath, nargs, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const lines = (r.stdout || '').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  native = { available: true, path: nativePath, backend: lines[0]?.backend, exitCode: r.status };
  for (const line of lines.slice(1)) {
    const s = state.find((t) => t.c.id === line.id);
    if (!s) continue;
    s.native = line;
    if (!line.ok) fail(`${line.id} native: ${line.error ?? `max error ${line.maxError} vs the reference kernel`}`);
    if (line.workspaceBytes > WORKSPACE_LIMIT) fail(`${line.id} native: workspace ${fmtBytes(line.workspaceBytes)} > 16 MiB`);
    log(`${line.id.padEnd(5)} ${fmtTime(line.medianMs).padStart(9)}  ${fmtG(line.gflops).padStart(5)} GFLOP/s  ` +
      `path ${line.path}, workspace ${fmtBytes(line.workspaceBytes)}, max error ${line.maxError}`);
  }
  if (r.status !== 0) fail(`native benchmark exited with ${r.status}: ${(r.stderr || '').trim()}`);
  for (const s of state) if (!s.native) fail(`${s.c.id}: no native result`);
} else {
  log(`\n(native benchmark ${nativePath} not built: skipped)`);
}

// 4. Timing.
log(`\n== timing: ${args.rounds} interleaved rounds${args.smoke ? ' of 1 call' : ` of >= ${args.minMs} ms`} per case and contender [${elapsed()}] ==`);
const ceilingRuns = [];
const ceilingOptions = args.smoke ? { minMs: 5, rounds: 3 } : { minMs: 100, rounds: 9 };
ceilingRuns.push(...ceilingBench.measure(ceilingOptions).rounds);
const active = contenders;
// warm-up and calibration
for (const s of state) {
  s.iterations = {};
  for (const name of active) {
    const r = s.runners[name];
    if (!r) continue;
    if (args.smoke) {
      s.iterations[name] = 1;
      continue;
    }
    await timeCalls(r, 3);
    let n = 1;
    let t = await timeCalls(r, n);
    for (let k = 0; k < 3 && t * n < args.minMs * 0.8; ++k) {
      n = Math.max(1, Math.min(1e6, Math.ceil((args.minMs * 1.1) / Math.max(t, 1e-4))));
      t = await timeCalls(r, n);
    }
    s.iterations[name] = n;
  }
}
let heapAtStart = null; // after the first round, when every case has sized the workspace
const samples = new Map(state.map((s) => [s.c.id, Object.fromEntries(active.map((n) => [n, []]))]));
for (let round = 0; round < args.rounds; ++round) {
  for (const s of state) {
    for (let j = 0; j < active.length; ++j) {
      const name = active[(j + round) % active.length]; // rotate who goes first
      const r = s.runners[name];
      if (!r) continue;
      samples.get(s.c.id)[name].push(await timeCalls(r, s.iterations[name]));
    }
  }
  if (round === 0)
    heapAtStart = { convplay: [cp.heapInUse(), cp._core.HEAP8.length], 'convplay-scalar': [cpScalar.heapInUse(), cpScalar._core.HEAP8.length] };
  log(`round ${round + 1}/${args.rounds} [${elapsed()}]`);
}
ceilingRuns.push(...ceilingBench.measure(ceilingOptions).rounds);
const heapOverRounds = {};
for (const [name, lib] of [['convplay', cp], ['convplay-scalar', cpScalar]]) {
  const [h0, m0] = heapAtStart[name];
  heapOverRounds[name] = { heapInUseBefore: h0, heapInUseAfter: lib.heapInUse(), memoryBefore: m0, memoryAfter: lib._core.HEAP8.length };
  const g = heapOverRounds[name];
  log(`${name}: heap in use ${g.heapInUseBefore} -> ${g.heapInUseAfter} B, WASM memory ${fmtBytes(g.memoryBefore)} -> ${fmtBytes(g.memoryAfter)} over timing rounds 2-${args.rounds}`);
  if (g.heapInUseAfter !== g.heapInUseBefore) fail(`${name}: heap in use changed by ${g.heapInUseAfter - g.heapInUseBefore} B over timing rounds 2-${args.rounds}`);
  if (g.memoryAfter !== g.memoryBefore) fail(`${name}: WASM memory grew by ${g.memoryAfter - g.memoryBefore} B over timing rounds 2-${args.rounds}`);
}
const ceiling = { ...stats(ceilingRuns), rounds: ceilingRuns, chains: ceilingBench.CHAINS };

// --- results --------------------------------------------------------------------------
const TARGETS = {
  P1: { peer: 'tfjs-wasm', factor: 1, text: 'time <= tfjs' },
  P2: { peer: 'tfjs-wasm', factor: 1, text: 'time <= tfjs' },
  T0: { peer: 'tfjs-wasm', factor: 1, text: 'time <= tfjs' },
  P3: { peer: 'best', factor: 2, text: '>= 2x faster peer' },
  P3dw: { peer: 'best', factor: 2, text: '>= 2x faster peer' },
  P4: { peer: 'tfjs-wasm', factor: 1.15, text: '>= 1.15x tfjs' },
  P5: { peer: 'tfjs-wasm', factor: 1.15, text: '>= 1.15x tfjs' },
  P6: { peer: 'tfjs-wasm', factor: 1.15, text: '>= 1.15x tfjs' },
  T1: { peer: 'ort-wasm', factor: 1.5, text: '>= 1.5x ORT' },
  P4t: { peer: 'ort-wasm', factor: 1.5, text: '>= 1.5x ORT' },
  P5t: { peer: 'ort-wasm', factor: 1.5, text: '>= 1.5x ORT' },
  T2: { peer: 'ort-wasm', factor: 1.5, text: '>= 1.5x ORT' },
};
for (const s of state) {
  for (const name of active) {
    const v = samples.get(s.c.id)[name];
    if (!v.length) continue;
    const st = stats(v);
    s.results[name] = {
      medianMs: st.median, minMs: st.min, maxMs: st.max, q1Ms: st.q1, q3Ms: st.q3,
      iterations: s.iterations[name], rounds: v.length,
      gflops: s.c.flops / (st.median * 1e6),
      samplesMs: v,
    };
    s.results[name].pctCeiling = (100 * s.results[name].gflops) / ceiling.median;
  }
  const mine = s.results.convplay.medianMs;
  s.speedup = {};
  for (const peer of ['tfjs-wasm', 'ort-wasm', 'convplay-scalar'])
    if (s.results[peer]) s.speedup[peer] = s.results[peer].medianMs / mine;
  const best = Math.min(s.results['tfjs-wasm']?.medianMs ?? Infinity, s.results['ort-wasm']?.medianMs ?? Infinity);
  s.speedup.best = best / mine;
  // Paired ratios: each round's peer time over convplay's time in the same round (rounds are
  // interleaved, so both saw the same machine state), then the median over rounds. On a noisy
  // machine this is steadier than the ratio of the two medians, which can come from different
  // rounds; the targets are judged on it, and both are reported.
  const rounds = samples.get(s.c.id);
  const peerRound = (peer, r) => {
    const at = (n) => rounds[n]?.[r] ?? Infinity;
    return peer === 'best' ? Math.min(at('tfjs-wasm'), at('ort-wasm')) : at(peer);
  };
  s.paired = {};
  for (const peer of ['tfjs-wasm', 'ort-wasm', 'best']) {
    const ratios = rounds.convplay.map((mine, r) => peerRound(peer, r) / mine).filter(Number.isFinite);
    if (ratios.length) s.paired[peer] = stats(ratios);
  }
  const t = TARGETS[s.c.id];
  if (t) s.target = { ...t, speedup: s.paired[t.peer]?.median, met: s.paired[t.peer]?.median >= t.factor };
}

const when = new Date().toISOString();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
const json = {
  date: when, smoke: args.smoke, machine, versions,
  settings: { rounds: args.rounds, minMsPerRound: args.minMs, tolerance: TOLERANCE, workspaceLimitBytes: WORKSPACE_LIMIT },
  ceiling, native: { ...native }, heapOverRounds,
  cases: state.map((s) => ({
    id: s.c.id, label: s.c.label, shape: s.c.shape, op: s.c.op, xShape: s.c.xShape, wShape: s.c.wShape,
    yShape: s.c.yShape, options: s.c.options, macs: s.c.macs,
    errors: s.errors, memory: s.memory, native: s.native, results: s.results, speedup: s.speedup, paired: s.paired, target: s.target,
  })),
  failures,
};

const md = [];
md.push(`# convplay benchmark${args.smoke ? ' (smoke run: timings are meaningless)' : ''}`, '');
md.push(`${when} · ${machine} · Node ${versions.node}`, '');
md.push(`convplay ${versions.convplay} (WebAssembly SIMD; scalar build beside it) vs ` +
  `@tensorflow/tfjs-backend-wasm ${versions.tfjs} (XNNPACK, ${versions.tfjsBinary}, ${versions.tfjsThreads} thread) and ` +
  `onnxruntime-web ${versions.onnxruntimeWeb} (wasm backend, numThreads 1). One-shot public API per call, ` +
  `copies in and out included (convplay \`conv2d\`/\`convTranspose2d\`; tfjs tensors made per call from ` +
  `NHWC arrays prepared once, \`dataSync()\`, dispose; ORT \`session.run\` with new \`ort.Tensor\`s, X and W as graph inputs). ` +
  `Median of ${args.rounds} interleaved rounds${args.smoke ? '' : ` of >= ${args.minMs} ms`}; GFLOP/s = 2·MACs/time ` +
  '(transposed: MACs = Cin·Hin·Win·Cout·k²).', '');
md.push(`**Ceiling** (WASM SIMD, ${ceiling.chains} independent f32x4 mul+add chains, one core): ` +
  `${fmtG(ceiling.median)} GFLOP/s median (${fmtG(ceiling.min)}–${fmtG(ceiling.max)}).`, '');
md.push('| case | shape | MFLOP | convplay | % ceiling | scalar build | tfjs-wasm | onnxruntime-web | vs tfjs | vs ORT | native | target |');
md.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
const cell = (r) => (r ? `${fmtTime(r.medianMs)} (${fmtG(r.gflops)})` : '–');
for (const s of state) {
  const r = s.results;
  const t = s.target;
  md.push(`| ${s.c.id} | ${s.c.shape} | ${(s.c.flops / 1e6).toPrecision(3)} | ${cell(r.convplay)} | ` +
    `${r.convplay ? r.convplay.pctCeiling.toFixed(0) + '%' : '–'} | ${cell(r['convplay-scalar'])} | ${cell(r['tfjs-wasm'])} | ` +
    `${cell(r['ort-wasm'])} | ${fmtX(s.speedup['tfjs-wasm'])} | ${fmtX(s.speedup['ort-wasm'])} | ` +
    `${s.native ? `${fmtTime(s.native.medianMs)} (${fmtG(s.native.gflops)})` : '–'} | ` +
    `${t ? `${t.text}: ${t.met ? 'met' : '**not met**'} (${fmtX(t.speedup)}; IQR ${fmtX(s.paired[t.peer]?.q1)}–${fmtX(s.paired[t.peer]?.q3)})` : ''} |`);
}
md.push('', 'Cells: median time per call (GFLOP/s). "vs tfjs" / "vs ORT": the peer\'s median time / convplay\'s ' +
  '(above 1 = convplay faster). Target: judged on the median over rounds of each round\'s ratio (peer time / convplay ' +
  'time in the same interleaved round; "faster peer" takes the faster of the two in that round), with its interquartile ' +
  'range. Native: the raw-pointer C++ operator of the same core (SSE2), no copies.', '');
md.push('## Spread (min–max over rounds; interquartile range)', '');
md.push('| case | convplay | scalar build | tfjs-wasm | onnxruntime-web | calls per round (cp / scalar / tfjs / ORT) |');
md.push('|---|---|---|---|---|---|');
const spread = (r) => (r ? `${fmtTime(r.minMs)}–${fmtTime(r.maxMs)} (IQR ${fmtTime(r.q1Ms)}–${fmtTime(r.q3Ms)})` : '–');
for (const s of state) {
  const r = s.results;
  md.push(`| ${s.c.id} | ${spread(r.convplay)} | ${spread(r['convplay-scalar'])} | ${spread(r['tfjs-wasm'])} | ` +
    `${spread(r['ort-wasm'])} | ${active.map((n) => s.iterations[n] ?? '–').join(' / ')} |`);
}
md.push('', '## Correctness and memory', '');
md.push('Errors are max |a−b|/(1+|b|) (tolerance 1e-3). Workspace: convplay\'s heap in use after one call ' +
  'on a released heap, less the result buffer (native: the kernels\' scratch capacity); limit 16 MiB. ' +
  `Heap growth: change of heap in use, WASM memory size over ${args.smoke ? maxRepeats : `3–${maxRepeats}`} repeated calls of the case.`, '');
md.push('| case | convplay vs JS | scalar vs JS | tfjs vs convplay | ORT vs convplay | workspace (SIMD / scalar / native) | heap growth (SIMD / scalar) | native path |');
md.push('|---|---:|---:|---:|---:|---|---|---|');
const e = (v) => (v == null ? '–' : v.toExponential(1));
for (const s of state) {
  const m = s.memory;
  md.push(`| ${s.c.id} | ${e(s.errors['convplay vs JS reference'])} | ${e(s.errors['scalar vs JS reference'])} | ` +
    `${e(s.errors['tfjs-wasm vs convplay'])} | ${e(s.errors['ort-wasm vs convplay'])} | ` +
    `${fmtBytes(m.convplay?.workspaceBytes)} / ${fmtBytes(m['convplay-scalar']?.workspaceBytes)} / ${fmtBytes(s.native?.workspaceBytes)} | ` +
    `${m.convplay?.heapGrowthBytes ?? '–'} B, ${m.convplay?.memoryGrowthBytes ?? '–'} B / ` +
    `${m['convplay-scalar']?.heapGrowthBytes ?? '–'} B, ${m['convplay-scalar']?.memoryGrowthBytes ?? '–'} B | ${s.native?.path ?? '–'} |`);
}
const callsAfterFirst = (name) => state.reduce((n, t) => n + (t.iterations[name] ?? 0), 0) * (args.rounds - 1);
md.push('', `Over timing rounds 2–${args.rounds} (every case): ${Object.entries(heapOverRounds).map(([n, g]) => `${n} (${callsAfterFirst(n)} calls) heap in use ${g.heapInUseBefore} → ${g.heapInUseAfter} B, ` +
  `WASM memory ${fmtBytes(g.memoryBefore)} → ${fmtBytes(g.memoryAfter)}`).join('; ')}.`);
md.push('', failures.length ? `## FAILURES\n\n${failures.map((f) => `- ${f}`).join('\n')}` : 'All correctness and memory checks passed.', '');
const markdown = md.join('\n');

mkdirSync(args.out, { recursive: true });
const base = args.smoke ? 'smoke' : 'latest';
writeFileSync(join(args.out, `${base}.md`), markdown);
writeFileSync(join(args.out, `${base}.json`), JSON.stringify(json, null, 2) + '\n');
log('\n' + markdown);
log(`wrote ${join(args.out, `${base}.md`)} and ${base}.json in ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (const s of state) await s.runners['ort-wasm'].session.release();
if (failures.length) {
  console.error(`\n${failures.length} check(s) failed`);
  process.exit(1);
}
process.exit(0);
