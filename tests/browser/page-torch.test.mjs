// The page against real PyTorch 1.13, through the page's URL contract and test hooks only.
// A seeded RNG makes PER_OP random configurations of each of the eight ops (conv1d, with causal=1
// sometimes; conv_transpose1d; conv2d; conv_transpose2d; conv3d; conv_transpose3d; max_pool2d;
// avg_pool2d), varying channels (1–4), groups, stride (1–3), padding (0–2, and same / valid),
// padding_mode (zeros, reflect, replicate, circular), dilation (1–2), output_padding, bias,
// kernel sizes and, for pooling, kernel_size, stride (or its default), padding, dilation,
// ceil_mode, count_include_pad and divisor_override; values are halves in [-4, 4]. Some
// configurations are invalid (an output size ≤ 0, reflect padding ≥ the input size, 'same' with
// a stride, output_padding too large, pool padding over half the kernel, ...). A few fixed edge
// cases (with random values) add what chance rarely hits: PyTorch's reflect / circular padding
// limits, asymmetric 'same', causal with stride, max-pool ties, ceil_mode's dropped window.
// PyTorch computes every configuration in ONE Python run (tests/browser/page-torch.py). Each
// configuration is then loaded as index.html#<hash> in headless Chromium and:
//   - the link must be read completely (no [data-testid="url-error"]);
//   - where PyTorch raises, the page must show its error ([data-testid="error"] visible) and draw
//     no output cell;
//   - otherwise the error box is hidden, [data-testid="output-shape"] is "1×" + PyTorch's shape,
//     every output value has exactly one [data-testid="output-cell"], each cell's data-value is
//     within 1e-4·(1 + |torch|) of PyTorch's and, for max_pool2d, its data-index equals
//     return_indices.
// A failure names the configuration's hash and its first differing cell.
// Run: node --test tests/browser/page-torch.test.mjs (dist/ built; PYTHON overrides /usr/bin/python3;
// PAGE_TORCH_SEED overrides the seed; the default, 12, was picked among the first few for a
// mix of valid and invalid configurations and of padding modes).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const PYTHON = process.env.PYTHON || '/usr/bin/python3';
const SEED = Number(process.env.PAGE_TORCH_SEED || 12);
const PER_OP = 10;
const MAX_OUTPUT = 2000; // values per configuration, so every output cell is drawn

// ---- Seeded random configurations -------------------------------------------------------

// mulberry32: a small deterministic PRNG.
function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    int,
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    value: () => int(-8, 8) / 2, // halves in [-4, 4]: exact in float32
  };
}
const rng = makeRng(SEED);

// A parameter per dimension: often the same number for every dimension, sometimes not.
const param = (n, lo, hi) => {
  if (rng.chance(0.6)) return new Array(n).fill(rng.int(lo, hi));
  return Array.from({ length: n }, () => rng.int(lo, hi));
};
// "2" when every dimension agrees, else "2,1" / "2,1,1" (1-D: always one integer).
const fmtParam = (p) => (p.every((v) => v === p[0]) ? String(p[0]) : p.join(','));

// A nested array of the given shape filled with random halves.
const tensor = (shape) => (shape.length === 0 ? rng.value() : Array.from({ length: shape[0] }, () => tensor(shape.slice(1))));
// One channel or kernel in the URL syntax: 1-D one row; 2-D rows by ';'; 3-D slices by '/'.
const fmtBlock = (t, dims) => (dims === 1 ? t.join(',')
  : dims === 2 ? t.map((r) => r.join(',')).join(';')
    : t.map((s) => s.map((r) => r.join(',')).join(';')).join('/'));
// Channels (or kernels, flattened in the weight's order) by '|'.
const fmtTensor = (blocks, dims) => blocks.map((b) => fmtBlock(b, dims)).join('|');

const product = (a) => a.reduce((p, v) => p * v, 1);
const divisors = (n) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);

const DIMS = { conv1d: 1, conv_transpose1d: 1, conv2d: 2, conv_transpose2d: 2, conv3d: 3, conv_transpose3d: 3, max_pool2d: 2, avg_pool2d: 2 };

// A convolution's random choices (shapes and parameters; values are drawn by convCase).
function convChoice(op) {
  const dims = DIMS[op];
  const transposed = op.startsWith('conv_transpose');
  const C = rng.int(1, 4);
  const groups = rng.pick(divisors(C));
  const ch = {
    op, C, groups,
    K: groups * rng.int(1, Math.floor(4 / groups)), // out_channels: a multiple of groups, ≤ 4
    inSize: Array.from({ length: dims }, () => (dims === 1 ? rng.int(2, 10) : dims === 2 ? rng.int(2, 7) : rng.int(1, transposed ? 3 : 5))),
    k: param(dims, 1, 3), stride: param(dims, 1, 3), dilation: param(dims, 1, 2), padding: param(dims, 0, 2),
    paddingMode: 'zeros', causal: false, outputPadding: null, bias: rng.chance(0.5),
  };
  if (!transposed) {
    if (op === 'conv1d' && rng.chance(0.25)) ch.causal = true;
    else {
      const r = rng.int(0, 19);
      if (r < 3) { ch.padding = 'same'; if (rng.chance(0.75)) ch.stride.fill(1); } // 'same' with a stride: PyTorch raises
      else if (r === 3) ch.padding = 'valid';
      ch.paddingMode = rng.pick(['zeros', 'zeros', 'reflect', 'replicate', 'circular']);
    }
  } else {
    // output_padding < max(stride, dilation) per dimension; now and then one too large (PyTorch raises).
    ch.outputPadding = ch.stride.map((st, i) => rng.int(0, Math.max(st, ch.dilation[i]) - 1));
    if (rng.chance(0.08)) ch.outputPadding[dims - 1] = Math.max(ch.stride[dims - 1], ch.dilation[dims - 1]);
  }
  return ch;
}

// A convolution's values, URL and PyTorch spec: { op, hash, spec, outEstimate }.
function convCase(ch) {
  const { op, C, groups, K, inSize, k, stride, dilation, padding, paddingMode, causal, outputPadding } = ch;
  const dims = DIMS[op];
  const transposed = op.startsWith('conv_transpose');
  const x = ch.x || tensor([C, ...inSize]);
  const w = tensor(transposed ? [C, K / groups, ...k] : [K, C / groups, ...k]);
  const b = ch.bias ? tensor([K]) : null;

  const parts = [`op=${op}`, `x=${fmtTensor(x, dims)}`, `w=${fmtTensor(w.flat(1), dims)}`];
  if (b) parts.push(`b=${b.join(',')}`);
  parts.push(`stride=${fmtParam(stride)}`);
  if (!causal) parts.push(`padding=${typeof padding === 'string' ? padding : fmtParam(padding)}`);
  parts.push(`dilation=${fmtParam(dilation)}`);
  if (transposed) parts.push(`output_padding=${fmtParam(outputPadding)}`);
  parts.push(`groups=${groups}`);
  if (!transposed && !causal) parts.push(`padding_mode=${paddingMode}`);
  if (causal) parts.push('causal=1');

  // The output's size if the configuration is valid (to keep every output cell drawn).
  const out = inSize.map((n, i) => {
    const eff = dilation[i] * (k[i] - 1);
    if (transposed) return (n - 1) * stride[i] - 2 * padding[i] + eff + outputPadding[i] + 1;
    if (causal) return Math.floor((n - 1) / stride[i]) + 1;
    if (padding === 'same') return n;
    const p = padding === 'valid' ? 0 : padding[i];
    return Math.floor((n + 2 * p - eff - 1) / stride[i]) + 1;
  });
  const spec = { op, x, w, b, stride, padding, dilation, output_padding: outputPadding, groups, padding_mode: paddingMode, causal };
  return { op, hash: parts.join('&'), spec, outEstimate: K * product(out.map((v) => Math.max(v, 0))) };
}

// A pooling's random choices.
function poolChoice(op) {
  const k = param(2, 1, 3);
  // padding ≤ kernel_size / 2 (PyTorch's rule); now and then one more (PyTorch raises).
  const padding = k.map((kk) => rng.int(0, Math.floor(kk / 2)));
  if (rng.chance(0.08)) padding[1] = Math.floor(k[1] / 2) + 1;
  return {
    op, C: rng.int(1, 4), inSize: [rng.int(2, 7), rng.int(2, 7)], k,
    stride: rng.chance(0.25) ? null : param(2, 1, 3), // null: not in the URL (PyTorch's default, kernel_size)
    padding,
    dilation: op === 'max_pool2d' ? param(2, 1, 2) : [1, 1],
    ceilMode: rng.chance(0.4),
    countIncludePad: op === 'avg_pool2d' ? !rng.chance(0.4) : true,
    divisorOverride: op === 'avg_pool2d' && rng.chance(0.3) ? rng.int(1, 6) : null,
  };
}

// A pooling's values, URL and PyTorch spec: { op, hash, spec, outEstimate }.
function poolCase(ch) {
  const { op, C, inSize, k, stride, padding, dilation, ceilMode, countIncludePad, divisorOverride } = ch;
  const x = ch.x || tensor([C, ...inSize]);
  const parts = [`op=${op}`, `x=${fmtTensor(x, 2)}`, `kernel_size=${fmtParam(k)}`];
  if (stride) parts.push(`stride=${fmtParam(stride)}`);
  parts.push(`padding=${fmtParam(padding)}`);
  if (op === 'max_pool2d') parts.push(`dilation=${fmtParam(dilation)}`);
  if (ceilMode) parts.push('ceil_mode=1');
  if (op === 'avg_pool2d' && !countIncludePad) parts.push('count_include_pad=0');
  if (divisorOverride !== null) parts.push(`divisor_override=${divisorOverride}`);

  const s = stride || k;
  const out = inSize.map((n, i) => Math.floor((n + 2 * padding[i] - dilation[i] * (k[i] - 1) - 1 + (ceilMode ? s[i] - 1 : 0)) / s[i]) + 1);
  const spec = { op, x, kernel_size: k, stride, padding, dilation, ceil_mode: ceilMode, count_include_pad: countIncludePad, divisor_override: divisorOverride };
  return { op, hash: parts.join('&'), spec, outEstimate: C * product(out.map((v) => Math.max(v, 0))) };
}

const OPS = Object.keys(DIMS);
const CONFIGS = [];
for (const op of OPS) {
  const isPool = op.endsWith('pool2d');
  for (let n = 0; n < PER_OP; n++) {
    // Small enough to draw every cell; an output size ≤ 0 kept about a quarter of the time.
    let cfg;
    do cfg = isPool ? poolCase(poolChoice(op)) : convCase(convChoice(op));
    while (cfg.outEstimate > MAX_OUTPUT || (cfg.outEstimate === 0 && !rng.chance(0.25)));
    CONFIGS.push({ ...cfg, name: `${op} #${n + 1}` });
  }
}

// Fixed edge cases on top of the random ones (these parameters, random values unless given),
// for what chance rarely hits: PyTorch's padding limits, asymmetric 'same', ties, ceil_mode's
// dropped window.
const base = { C: 2, groups: 1, K: 2, stride: [1, 1], dilation: [1, 1], paddingMode: 'zeros', causal: false, outputPadding: null, bias: true };
const conv = (op, over) => convCase({ ...base, op, ...over });
const pool = (op, over) => poolCase({ op, C: 2, stride: null, dilation: [1, 1], ceilMode: false, countIncludePad: true, divisorOverride: null, ...over });
const EDGES = [
  ['conv2d reflect, padding = the input size (PyTorch raises)', conv('conv2d', { inSize: [2, 4], k: [1, 1], padding: [2, 2], paddingMode: 'reflect' })],
  ['conv2d reflect, padding = the input size − 1', conv('conv2d', { inSize: [2, 3], k: [2, 2], padding: [1, 1], paddingMode: 'reflect' })],
  ['conv1d circular, padding = the input size', conv('conv1d', { inSize: [2], k: [3], stride: [1], dilation: [1], padding: [2], paddingMode: 'circular' })],
  ['conv1d circular, padding > the input size (PyTorch raises)', conv('conv1d', { inSize: [2], k: [3], stride: [1], dilation: [1], padding: [3], paddingMode: 'circular' })],
  ['conv1d padding=same with stride 2 (PyTorch raises)', conv('conv1d', { inSize: [6], k: [3], stride: [2], dilation: [1], padding: 'same' })],
  ['conv1d padding=same, even kernel, reflect (pads 1 left, 2 right)', conv('conv1d', { inSize: [5], k: [4], stride: [1], dilation: [1], padding: 'same', paddingMode: 'reflect' })],
  ['conv2d padding=same, even kernels, dilation 1,3, replicate', conv('conv2d', { inSize: [4, 5], k: [2, 2], dilation: [1, 3], padding: 'same', paddingMode: 'replicate' })],
  ['conv3d padding=same, kernel 2,3,2, circular', conv('conv3d', { inSize: [3, 3, 4], k: [2, 3, 2], stride: [1, 1, 1], dilation: [1, 1, 1], padding: 'same', paddingMode: 'circular' })],
  ['conv1d causal, stride 2, dilation 2, groups 2', conv('conv1d', { C: 2, K: 4, groups: 2, inSize: [9], k: [3], stride: [2], dilation: [2], padding: [0], causal: true })],
  ['conv_transpose2d groups 2, 2 → 4 channels, stride 2,3', conv('conv_transpose2d', { C: 2, K: 4, groups: 2, inSize: [3, 2], k: [3, 2], stride: [2, 3], padding: [1, 0], outputPadding: [1, 2] })],
  ['conv_transpose1d output size 0 (PyTorch raises)', conv('conv_transpose1d', { inSize: [1], k: [1], stride: [1], dilation: [1], padding: [1], outputPadding: [0], bias: false })],
  ['max_pool2d ties everywhere, padding 1, ceil_mode', pool('max_pool2d', { inSize: [5, 4], k: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true, x: [new Array(5).fill(0).map(() => [1, 1, 1, 1]), new Array(5).fill(0).map(() => [-2, -2, -2, -2])] })],
  ['max_pool2d padding > kernel_size / 2 (PyTorch raises)', pool('max_pool2d', { inSize: [4, 4], k: [2, 2], padding: [0, 2] })],
  ['avg_pool2d ceil_mode drops the last window, count_include_pad=0', pool('avg_pool2d', { inSize: [5, 5], k: [2, 2], stride: [2, 2], padding: [1, 1], ceilMode: true, countIncludePad: false })],
  ['avg_pool2d ceil_mode, divisor_override=3', pool('avg_pool2d', { inSize: [5, 4], k: [3, 2], stride: [2, 3], padding: [1, 1], ceilMode: true, divisorOverride: 3 })],
];
for (const [what, cfg] of EDGES) CONFIGS.push({ ...cfg, name: `${cfg.op} edge: ${what}` });

// ---- PyTorch's answers: one Python process for every configuration ----------------------

const TORCH = JSON.parse(execFileSync(PYTHON, [join(here, 'page-torch.py')], {
  input: JSON.stringify(CONFIGS.map((c) => c.spec)), encoding: 'utf8', maxBuffer: 1 << 26,
}));
assert.equal(TORCH.length, CONFIGS.length, 'PyTorch answered every configuration');
CONFIGS.forEach((c, i) => { c.torch = TORCH[i]; });

// ---- The page ---------------------------------------------------------------------------

let server, browser;
before(async () => {
  await stat(join(dist, 'index.html'));
  server = await serveStatic(dist);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.close();
});

// Loads index.html#hash and reads what it shows once everything is computed and drawn.
async function show(hash) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  try {
    await page.goto(`${server.base}index.html#${hash}`);
    await page.waitForSelector('html[data-ready="1"]', { timeout: 20000 });
    await page.waitForFunction(() => !document.body.dataset.building && !document.querySelector('[data-testid="grid-pending"]')
      && window.convplayApp && window.convplayApp.result && !window.convplayApp.result.pending, null, { timeout: 30000 });
    const shown = await page.evaluate(() => {
      const err = document.querySelector('[data-testid="error"]');
      return {
        shape: document.querySelector('[data-testid="output-shape"]').textContent,
        error: err.textContent.trim(),
        urlError: document.querySelector('[data-testid="url-error"]')?.textContent.trim() || '',
        cells: [...document.querySelectorAll('[data-testid="output-cell"]')].map((e) => ({ ...e.dataset })),
      };
    });
    shown.errorVisible = await page.locator('[data-testid="error"]').isVisible();
    return { ...shown, problems };
  } finally {
    await page.close();
  }
}

// The flat C-order index of an output cell in an unbatched [C, (D,) (H,) W] tensor.
function flatIndex(shape, d) {
  const c = Number(d.c), w = Number(d.w);
  if (shape.length === 2) return c * shape[1] + w;
  if (shape.length === 3) return (c * shape[1] + Number(d.h)) * shape[2] + w;
  return ((c * shape[1] + Number(d.d)) * shape[2] + Number(d.h)) * shape[3] + w;
}
const cellName = (shape, d) => (shape.length === 2 ? `[${d.c}, ${d.w}]` : shape.length === 3 ? `[${d.c}, ${d.h}, ${d.w}]` : `[${d.c}, ${d.d}, ${d.h}, ${d.w}]`);
const close = (got, want) => Math.abs(got - want) <= 1e-4 * (1 + Math.abs(want));

const tally = Object.fromEntries(OPS.map((op) => [op, { compared: 0, refused: 0, cells: 0 }]));

describe(`the page against PyTorch 1.13: ${PER_OP} random configurations per op (seed ${SEED}) and ${EDGES.length} edge cases`, () => {
  for (const cfg of CONFIGS) {
    test(`${cfg.name}: ${cfg.torch.error ? 'invalid' : `1×${cfg.torch.shape.join('×')}`}`, async () => {
      const where = `${cfg.name}, #${cfg.hash}`;
      const s = await show(cfg.hash);
      assert.deepEqual(s.problems, [], `${where}: no page or console errors`);
      assert.equal(s.urlError, '', `${where}: the link is read completely`);
      const t = cfg.torch;
      if (t.error) {
        assert.ok(s.errorVisible && s.error !== '', `${where}: PyTorch raises (${t.error}); the page must show its error, it shows output shape ${s.shape}`);
        assert.equal(s.cells.length, 0, `${where}: PyTorch raises (${t.error}); the page draws ${s.cells.length} output cells`);
        tally[cfg.op].refused++;
        return;
      }
      assert.ok(!s.errorVisible, `${where}: PyTorch gives 1×${t.shape.join('×')}; the page shows the error "${s.error}"`);
      assert.equal(s.shape, `1×${t.shape.join('×')}`, `${where}: the page's output shape ${s.shape}, PyTorch's 1×${t.shape.join('×')}`);
      assert.equal(s.cells.length, t.y.length, `${where}: ${s.cells.length} output cells drawn, PyTorch has ${t.y.length} values`);
      const seen = new Set();
      const bad = [];
      for (const d of s.cells) {
        const k = flatIndex(t.shape, d);
        assert.ok(Number.isInteger(k) && k >= 0 && k < t.y.length && !seen.has(k), `${where}: output cell ${cellName(t.shape, d)} is outside the output or drawn twice`);
        if (t.shape.length === 2) assert.equal(d.h, '0', `${where}: 1-D output cell ${cellName(t.shape, d)} has data-h="0"`);
        seen.add(k);
        const got = Number(d.value), want = t.y[k];
        if (!close(got, want)) bad.push({ k, msg: `cell ${cellName(t.shape, d)}: page data-value=${d.value}, PyTorch ${want}` });
        else if (t.indices && Number(d.index) !== t.indices[k]) bad.push({ k, msg: `cell ${cellName(t.shape, d)}: page data-index=${d.index}, PyTorch return_indices ${t.indices[k]} (value ${want})` });
      }
      bad.sort((a, b) => a.k - b.k);
      assert.equal(bad.length, 0, `${where}: ${bad.length} of ${t.y.length} cells differ from PyTorch; the first: ${bad[0]?.msg}`);
      tally[cfg.op].compared++;
      tally[cfg.op].cells += t.y.length;
    });
  }
});

test('summary: every op has valid configurations compared cell by cell', () => {
  for (const op of OPS) {
    const c = tally[op];
    console.log(`${op}: ${c.compared} configurations compared (${c.cells} cells), ${c.refused} refused by both PyTorch and the page (edge cases included)`);
  }
  const expected = Object.fromEntries(OPS.map((op) => [op, CONFIGS.filter((c) => c.op === op && !c.name.includes('edge') && !c.torch.error).length]));
  for (const op of OPS) assert.ok(expected[op] >= PER_OP / 2, `${op}: only ${expected[op]} of ${PER_OP} configurations are valid for PyTorch`);
});
