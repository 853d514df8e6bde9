// The page's banded convolutions (web/src/banded-conv.js: huge outputs in bands, one band per
// main-thread task) give the one-call result: random conv2d / conv_transpose2d configurations
// (every padding mode, 'same' / 'valid', stride, dilation, groups, output_padding, bias) split
// into many small bands by a tiny budget, compared with the core's single call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distModule } from './helpers.mjs';
import { bandGeometry, planBands, runBand } from '../../web/src/banded-conv.js';

const { load } = await import(distModule);
const cp = await load();

function prng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
const values = (r, n) => Float32Array.from({ length: n }, () => Math.round((r() * 4 - 2) * 8) / 8);

// A random valid configuration (invalid draws are skipped by the caller).
function randomCall(r) {
  const op = r() < 0.5 ? 'conv2d' : 'conv_transpose2d';
  const g = [1, 1, 2, 3][int(r, 0, 3)];
  const C = g * int(r, 1, 2), K = g * int(r, 1, 3);
  const H = int(r, 1, 9), W = int(r, 1, 9), kh = int(r, 1, 4), kw = int(r, 1, 4);
  const stride = [int(r, 1, 4), int(r, 1, 4)], dilation = [int(r, 1, 3), int(r, 1, 3)];
  const bias = r() < 0.5 ? { shape: [K], data: values(r, K) } : null;
  const x = { shape: [C, H, W], data: values(r, C * H * W) };
  if (op === 'conv2d') {
    const w = { shape: [K, C / g, kh, kw], data: values(r, K * (C / g) * kh * kw) };
    const kind = r();
    const padding = kind < 0.15 ? 'same' : kind < 0.25 ? 'valid' : [int(r, 0, 4), int(r, 0, 4)];
    const opts = { stride: padding === 'same' ? 1 : stride, padding, dilation, groups: g, paddingMode: ['zeros', 'reflect', 'replicate', 'circular'][int(r, 0, 3)] };
    return { op, x, w, bias, opts };
  }
  const w = { shape: [C, K / g, kh, kw], data: values(r, C * (K / g) * kh * kw) };
  const outputPadding = [int(r, 0, Math.max(stride[0], dilation[0]) - 1), int(r, 0, Math.max(stride[1], dilation[1]) - 1)];
  return { op, x, w, bias, opts: { stride, padding: [int(r, 0, 3), int(r, 0, 3)], outputPadding, dilation, groups: g } };
}

test('400 random configurations in small bands equal the one-call result', () => {
  const r = prng(7);
  let done = 0, bands = 0, tried = 0;
  while (done < 400) {
    tried++;
    const { op, x, w, bias, opts } = randomCall(r);
    let want;
    try {
      want = op === 'conv2d' ? cp.conv2d(x, w, bias, opts) : cp.convTranspose2d(x, w, bias, opts);
    } catch { continue; } // an invalid draw (e.g. reflect padding wider than the input)
    const geo = bandGeometry(op, x.shape, w.shape, opts, want.shape);
    // A budget of a few dozen values: most bands are one row of one channel.
    const plan = planBands(geo, { values: int(r, 8, 64), macs: int(r, 50, 2000) });
    const y = new Float32Array(want.data.length).fill(NaN);
    for (const band of plan) runBand(cp, geo, x.data, w.data, bias ? bias.data : null, band, y);
    const label = `${op} x[${x.shape}] w[${w.shape}] ${JSON.stringify(opts)} bias=${!!bias}`;
    for (let i = 0; i < y.length; i++) {
      const d = Math.abs(y[i] - want.data[i]);
      if (!(d <= 1e-5 * Math.max(1, Math.abs(want.data[i])))) assert.fail(`${label}: element ${i} is ${y[i]}, one call gives ${want.data[i]}`);
    }
    done++;
    bands += plan.length;
  }
  console.log(`# 400 configurations (${tried - 400} invalid draws skipped) in ${bands} bands: equal to one call`);
});

test('bands stay within the budget and cover the output once', () => {
  // conv_transpose2d with stride 1000 (a 16×2002×2002 output) and conv2d with padding 1000.
  const cases = [
    ['conv_transpose2d', [16, 3, 3], [16, 1, 2, 2], { stride: 1000, groups: 16 }, [16, 2002, 2002]],
    ['conv2d', [16, 64, 64], [15, 16, 3, 3], { padding: 1000 }, [15, 2062, 2062]],
    ['conv_transpose2d', [1, 9, 9], [1, 1, 2, 2], { stride: 1000 }, [1, 8002, 8002]],
  ];
  for (const [op, xs, ws, opts, out] of cases) {
    const geo = bandGeometry(op, xs, ws, opts, out);
    const plan = planBands(geo);
    const covered = new Uint8Array(out[0] * out[1]);
    for (const b of plan) for (let o = b.o0; o < b.o1; o++) for (let r = b.r0; r < b.r1; r++) covered[o * out[1] + r]++;
    assert.ok(covered.every((n) => n === 1), `${op}: every output row of every channel in exactly one band`);
    const largest = Math.max(...plan.map((b) => (b.o1 - b.o0) * (b.r1 - b.r0) * out[2]));
    assert.ok(largest <= 2 ** 22, `${op}: a band of ${largest} values`);
    console.log(`# ${op} -> [${out}]: ${plan.length} bands of at most ${largest} values`);
  }
});
