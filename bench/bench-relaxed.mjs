// Issue 22's benchmark: the relaxed-SIMD build (fused multiply-add) against the plain SIMD build,
// tfjs-wasm and onnxruntime-web, and the two ceilings (13 f32x4 chains of mul+add, and of
// relaxed_madd), in one Node process with interleaved rounds. Needs relaxed SIMD in the engine:
//   node --experimental-wasm-relaxed-simd bench/bench-relaxed.mjs [--rounds N] [--min-ms N]
//        [--only P4,T1] [--out DIR] [--smoke]
// (Node 22+ without the flag). Writes results/relaxed-latest.{md,json} (--smoke: relaxed-smoke.*,
// correctness only, no timing claims). Targets (issue 22): P4, P5, P6 >= 1.5x the SIMD build and
// >= 1.7x tfjs-wasm; T1, P4t, P5t >= 2.2x ORT; P3 >= 3x the faster peer. They are judged on
// the median of per-round paired ratios and reported, never failing the run; a wrong result does.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { loadTfjs, loadOrt, tfjsRunner, ortRunner, convplayRunner, stats, timeCalls, fmtTime, fmtG, fmtX }
  from './runners.mjs';
import './page/bench-cases.js';
import './page/bench-naive.js';
import './page/bench-ceiling.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { cases: ALL_CASES, randomData } = globalThis.convplayBenchCases;
const naive = globalThis.convplayNaive;
const ceilingBench = globalThis.convplayCeiling;
const TOLERANCE = 1e-3; // |a - b| / (1 + |b|), as bench.mjs
const TARGETS = {
  P3: [['best', 3]],
  P4: [['simd', 1.5], ['tfjs-wasm', 1.7]],
  P5: [['simd', 1.5], ['tfjs-wasm', 1.7]],
  P6: [['simd', 1.5], ['tfjs-wasm', 1.7]],
  T1: [['ort-wasm', 2.2]],
  P4t: [['ort-wasm', 2.2]],
  P5t: [['ort-wasm', 2.2]],
};
const PEER_NAMES = { simd: 'the SIMD build', 'tfjs-wasm': 'tfjs-wasm', 'ort-wasm': 'ORT', best: 'the faster peer' };

const args = { smoke: false, rounds: 15, minMs: 50, only: Object.keys(TARGETS), out: join(here, 'results') };
for (let i = 2; i < process.argv.length; ++i) {
  const v = process.argv[i];
  if (v === '--smoke') Object.assign(args, { smoke: true, rounds: 2, minMs: 0 });
  else if (v === '--rounds') args.rounds = Number(process.argv[++i]);
  else if (v === '--min-ms') args.minMs = Number(process.argv[++i]);
  else if (v === '--only') args.only = process.argv[++i].split(',');
  else if (v === '--out') args.out = resolve(process.argv[++i]);
  else throw new Error(`unknown argument ${v}`);
}
const cases = ALL_CASES.filter((c) => args.only.includes(c.id));
const failures = [];
const fail = (m) => { failures.push(m); console.error(`FAIL: ${m}`); };
const log = (...m) => console.log(...m);

const dist = join(root, 'dist', 'convplay.mjs');
if (!existsSync(dist)) throw new Error(`${dist} is missing: run bash scripts/build.sh first`);
const mod = await import(pathToFileURL(dist).href);
if (!mod.relaxedSupported()) {
  console.error('bench-relaxed: this engine has no relaxed SIMD; run Node 20 with --experimental-wasm-relaxed-simd (or Node 22+)');
  process.exit(2);
}
const relaxed = await mod.load();
const simd = await mod.load({ relaxed: false });
if (relaxed.backend !== 'wasm-relaxed-simd') fail(`load() gave ${relaxed.backend}, want wasm-relaxed-simd`);
if (simd.backend !== 'wasm-simd128') fail(`load({ relaxed: false }) gave ${simd.backend}, want wasm-simd128`);
const tfjs = await loadTfjs();
const ortLib = await loadOrt();
const loadBefore = loadavg();

const contenders = ['relaxed', 'simd', 'tfjs-wasm', 'ort-wasm'];
const state = [];
for (const [i, c] of cases.entries()) {
  // The same data as bench.mjs (seed by the case's place in the full list).
  const at = ALL_CASES.indexOf(c);
  const x = randomData(c.C * c.H * c.W, 1000 + 2 * at);
  const w = randomData(c.wShape.reduce((a, b) => a * b, 1), 1001 + 2 * at);
  state.push({ c, i, runners: {
    relaxed: convplayRunner(relaxed, c, x, w), simd: convplayRunner(simd, c, x, w),
    'tfjs-wasm': tfjsRunner(tfjs, c, x, w), 'ort-wasm': await ortRunner(ortLib, c, x, w),
  }, errors: {}, results: {} });
}

// Correctness: the relaxed build against plain JS loops and the SIMD build, the peers against it.
log(`== correctness (max |a-b|/(1+|b|), tolerance ${TOLERANCE}) ==`);
for (const s of state) {
  const { c, runners } = s;
  const mine = runners.relaxed.call();
  const check = (name, got, want) => {
    const { error, index } = naive.maxError(got, want);
    if (got.length !== want.length || !(error <= TOLERANCE)) fail(`${c.id} ${name}: error ${error} at ${index}`);
    s.errors[name] = error;
  };
  if (!args.smoke || c.macs <= 30e6) {
    const x = randomData(c.C * c.H * c.W, 1000 + 2 * ALL_CASES.indexOf(c));
    const w = randomData(c.wShape.reduce((a, b) => a * b, 1), 1001 + 2 * ALL_CASES.indexOf(c));
    check('relaxed vs JS reference', mine, (c.transposed ? naive.convTranspose2d : naive.conv2d)(x, c.xShape, w, c.wShape, c.options).data);
  }
  check('relaxed vs SIMD', mine, runners.simd.call());
  for (const peer of ['tfjs-wasm', 'ort-wasm']) {
    const r = runners[peer];
    if (r) check(`${peer} vs relaxed`, r.toNCHW(r.async ? await r.call() : r.call()), mine);
  }
  log(`${c.id.padEnd(5)} ${Object.entries(s.errors).map(([k, v]) => `${k} ${v.toExponential(1)}`).join('  ')}`);
}

// Timing: calibration, then rounds interleaved over cases and contenders (who goes first
// rotates), and the two ceilings interleaved before and after.
const ceil = { plain: [], fused: [] };
const ceilingOptions = args.smoke ? { minMs: 5, rounds: 3 } : { minMs: 100, rounds: 5 };
const measureCeilings = () => {
  ceil.plain.push(...ceilingBench.measure(ceilingOptions).rounds);
  ceil.fused.push(...ceilingBench.measure({ ...ceilingOptions, fused: true }).rounds);
};
log(`== timing: ${args.rounds} interleaved rounds; load average ${loadBefore.map((v) => v.toFixed(2)).join(' ')} ==`);
measureCeilings();
for (const s of state) {
  s.iterations = {};
  for (const name of contenders) {
    const r = s.runners[name];
    if (!r) continue;
    let n = 1;
    if (!args.smoke) {
      await timeCalls(r, 3);
      let t = await timeCalls(r, n);
      for (let k = 0; k < 3 && t * n < args.minMs * 0.8; ++k) {
        n = Math.max(1, Math.ceil((args.minMs * 1.1) / Math.max(t, 1e-4)));
        t = await timeCalls(r, n);
      }
    }
    s.iterations[name] = n;
  }
  s.samples = Object.fromEntries(contenders.map((n) => [n, []]));
}
for (let round = 0; round < args.rounds; ++round) {
  for (const s of state)
    for (let j = 0; j < contenders.length; ++j) {
      const name = contenders[(j + round) % contenders.length];
      if (s.runners[name]) s.samples[name].push(await timeCalls(s.runners[name], s.iterations[name]));
    }
  if (round === Math.floor(args.rounds / 2)) measureCeilings();
  log(`round ${round + 1}/${args.rounds}`);
}
measureCeilings();
const loadAfter = loadavg();
const ceiling = { plain: stats(ceil.plain), fused: stats(ceil.fused), chains: ceilingBench.CHAINS };

for (const s of state) {
  for (const name of contenders) {
    const v = s.samples[name];
    if (!v.length) continue;
    const st = stats(v);
    s.results[name] = { medianMs: st.median, minMs: st.min, q1Ms: st.q1, q3Ms: st.q3, gflops: s.c.flops / (st.median * 1e6), samplesMs: v };
  }
  s.results.relaxed.pctFusedCeiling = (100 * s.results.relaxed.gflops) / ceiling.fused.median;
  s.results.simd.pctPlainCeiling = (100 * s.results.simd.gflops) / ceiling.plain.median;
  const at = (n, r) => s.samples[n]?.[r] ?? Infinity;
  const peerTime = (peer, r) => (peer === 'best' ? Math.min(at('tfjs-wasm', r), at('ort-wasm', r)) : at(peer, r));
  s.paired = {};
  for (const peer of ['simd', 'tfjs-wasm', 'ort-wasm', 'best']) {
    const ratios = s.samples.relaxed.map((t, r) => peerTime(peer, r) / t).filter(Number.isFinite);
    if (ratios.length) s.paired[peer] = stats(ratios);
  }
  s.targets = (TARGETS[s.c.id] ?? []).map(([peer, factor]) =>
    ({ peer, factor, speedup: s.paired[peer]?.median, q1: s.paired[peer]?.q1, q3: s.paired[peer]?.q3,
      met: s.paired[peer]?.median >= factor }));
}

const when = new Date().toISOString();
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
const la = (l) => l.map((v) => v.toFixed(2)).join(', ');
const md = [`# convplay relaxed-SIMD benchmark${args.smoke ? ' (smoke run: timings are meaningless)' : ''}`, '',
  `${when} · ${machine} · Node ${process.version} ${process.execArgv.join(' ')} · load average (1, 5, 15 min) ` +
  `${la(loadBefore)} before, ${la(loadAfter)} after`, '',
  `The relaxed-SIMD build (\`load()\` where relaxed SIMD validates: \`${relaxed.backend}\`) vs the SIMD build ` +
  `(\`load({ relaxed: false })\`), tfjs-backend-wasm ${tfjs.version} (XNNPACK SIMD, 1 thread) and onnxruntime-web ` +
  `${ortLib.version} (1 thread); one-shot public API per call as in bench.mjs. Median of ${args.rounds} interleaved ` +
  `rounds${args.smoke ? '' : ` of >= ${args.minMs} ms`}; targets judged on the median over rounds of each round's ` +
  'paired ratio (peer time / relaxed time), with its interquartile range.', '',
  `**Ceilings** (${ceiling.chains} independent f32x4 chains, one core, measured before, during and after the rounds): ` +
  `mul+add ${fmtG(ceiling.plain.median)} GFLOP/s (IQR ${fmtG(ceiling.plain.q1)}–${fmtG(ceiling.plain.q3)}, best ${fmtG(ceiling.plain.max)}), ` +
  `relaxed_madd ${fmtG(ceiling.fused.median)} GFLOP/s (IQR ${fmtG(ceiling.fused.q1)}–${fmtG(ceiling.fused.q3)}, best ${fmtG(ceiling.fused.max)}): ` +
  `${fmtX(ceiling.fused.median / ceiling.plain.median)} (best rounds ${fmtX(ceiling.fused.max / ceiling.plain.max)}).`, '',
  '| case | shape | relaxed | % fused ceiling | SIMD build | % mul+add ceiling | tfjs-wasm | onnxruntime-web | vs SIMD | vs tfjs | vs ORT | vs faster peer | targets |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'];
const cell = (r) => (r ? `${fmtTime(r.medianMs)} (${fmtG(r.gflops)})` : '–');
for (const s of state) {
  const r = s.results;
  const p = (peer) => fmtX(s.paired[peer]?.median);
  md.push(`| ${s.c.id} | ${s.c.shape} | ${cell(r.relaxed)} | ${r.relaxed.pctFusedCeiling.toFixed(0)}% | ${cell(r.simd)} | ` +
    `${r.simd.pctPlainCeiling.toFixed(0)}% | ${cell(r['tfjs-wasm'])} | ${cell(r['ort-wasm'])} | ${p('simd')} | ${p('tfjs-wasm')} | ` +
    `${p('ort-wasm')} | ${p('best')} | ${s.targets.map((t) => `>= ${t.factor}x ${PEER_NAMES[t.peer]}: ` +
      `${t.met ? 'met' : '**not met**'} (${fmtX(t.speedup)}; IQR ${fmtX(t.q1)}–${fmtX(t.q3)})`).join('; ')} |`);
}
md.push('', 'Cells: median time per call (GFLOP/s). "vs X": median over rounds of X\'s time / the relaxed build\'s in the same round.', '',
  '### Best rounds', '',
  'Each contender\'s fastest round (the least disturbed by other processes on a loaded machine) and the ratios of those.', '',
  '| case | relaxed | SIMD build | tfjs-wasm | onnxruntime-web | vs SIMD | vs tfjs | vs ORT | vs faster peer |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const s of state) {
  const best = (n) => (s.results[n] ? s.results[n].minMs : Infinity);
  const g = (n) => (s.results[n] ? `${fmtTime(best(n))} (${fmtG(s.c.flops / (best(n) * 1e6))})` : '–');
  const mine = best('relaxed');
  md.push(`| ${s.c.id} | ${g('relaxed')} | ${g('simd')} | ${g('tfjs-wasm')} | ${g('ort-wasm')} | ${fmtX(best('simd') / mine)} | ` +
    `${fmtX(best('tfjs-wasm') / mine)} | ${fmtX(best('ort-wasm') / mine)} | ${fmtX(Math.min(best('tfjs-wasm'), best('ort-wasm')) / mine)} |`);
}
md.push('',
  `Correctness (max |a−b|/(1+|b|), tolerance ${TOLERANCE}): ` + state.map((s) => `${s.c.id} ` +
    Object.entries(s.errors).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ')).join('; ') + '.', '',
  failures.length ? `## FAILURES\n\n${failures.map((f) => `- ${f}`).join('\n')}` : 'All correctness checks passed.', '');
const json = { date: when, smoke: args.smoke, machine, node: process.version, execArgv: process.execArgv,
  loadAverage: { before: loadBefore, after: loadAfter }, settings: { rounds: args.rounds, minMs: args.minMs, tolerance: TOLERANCE },
  versions: { relaxed: relaxed.backend, simd: simd.backend, tfjs: tfjs.version, ort: ortLib.version },
  ceiling: { ...ceiling, samples: ceil },
  cases: state.map((s) => ({ id: s.c.id, shape: s.c.shape, errors: s.errors, iterations: s.iterations,
    results: s.results, paired: s.paired, targets: s.targets })), failures };
mkdirSync(args.out, { recursive: true });
const base = args.smoke ? 'relaxed-smoke' : 'relaxed-latest';
writeFileSync(join(args.out, `${base}.md`), md.join('\n'));
writeFileSync(join(args.out, `${base}.json`), JSON.stringify(json, null, 2) + '\n');
log('\n' + md.join('\n'));
for (const s of state) await s.runners['ort-wasm'].session.release();
process.exit(failures.length ? 1 : 0);
