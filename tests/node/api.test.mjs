// The JS API contract: defaults, IntPair, nested arrays, unbatched and empty batches,
// inputs left untouched, shape helpers, and random shapes against an independent JS loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distModule, close } from './helpers.mjs';

const mod = await import(distModule);
const cp = await mod.load();

const T = (shape, fill) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, (_, i) => (typeof fill === 'function' ? fill(i) : fill)) };
};

test('default export, named load and the classic global share one API', async () => {
  assert.equal(mod.default, mod.load);
  const other = await mod.default();
  assert.equal(typeof other.conv2d, 'function');
});

test('seed examples, with nested arrays in and out', () => {
  const x = cp.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
  assert.deepEqual(x.shape, [1, 1, 3, 3]);
  const y = cp.conv2d(x, [[[[1, 1], [1, 1]]]]);
  assert.deepEqual(cp.toNested(y), [[[[12, 16], [24, 28]]]]);
  const t = cp.convTranspose2d(y, T([1, 1, 3, 3], 1));
  assert.deepEqual(cp.toNested(t)[0][0], [[12, 28, 28, 16], [36, 80, 80, 44], [36, 80, 80, 44], [24, 52, 52, 28]]);
  const d2l = cp.convTranspose2d([[[0, 1], [2, 3]]], [[[[0, 1], [2, 3]]]], null, { stride: 2 });
  assert.deepEqual(d2l.shape, [1, 4, 4]);
  assert.deepEqual(cp.toNested(cp.convTranspose2d([[[0, 1], [2, 3]]], [[[[0, 1], [2, 3]]]], null, { padding: 1 })), [[[4]]]);
  const a = T([1, 1, 5, 5], (i) => i);
  assert.deepEqual(Array.from(cp.conv2d(a, T([1, 1, 3, 3], 1), null, { dilation: 2 }).data), [108]);
});

test('IntPair options and padding strings', () => {
  const x = T([1, 2, 7, 9], (i) => Math.sin(i));
  const w = T([3, 2, 4, 2], (i) => Math.cos(i));
  assert.deepEqual(cp.conv2d(x, w, null, { padding: 'same', dilation: [1, 3] }).shape, [1, 3, 7, 9]);
  assert.deepEqual(cp.conv2d(x, w, null, { padding: 'valid' }).shape, [1, 3, 4, 8]);
  assert.deepEqual(cp.conv2d(x, w, null, { stride: [2, 3], padding: [1, 0] }).shape, [1, 3, 3, 3]);
  assert.deepEqual(cp.conv2d(x, w, null, { padding: 2, paddingMode: 'circular' }).shape, [1, 3, 8, 12]);
  assert.deepEqual(cp.convTranspose2d(T([1, 1, 4, 4], 1), T([1, 1, 3, 3], 1), null, { stride: 2, outputPadding: 1 }).shape, [1, 1, 10, 10]);
});

test('unbatched [C, H, W] input gives [K, OH, OW]; N = 0 gives an empty batch', () => {
  const x = T([2, 5, 6], (i) => i % 7);
  const w = T([4, 2, 3, 3], (i) => (i % 5) - 2);
  const y = cp.conv2d(x, w, T([4], 0.5), { padding: 1 });
  const yb = cp.conv2d({ shape: [1, 2, 5, 6], data: x.data }, w, T([4], 0.5), { padding: 1 });
  assert.deepEqual(y.shape, [4, 5, 6]);
  assert.deepEqual(Array.from(y.data), Array.from(yb.data));
  const empty = cp.conv2d(T([0, 2, 5, 6], 0), w);
  assert.deepEqual(empty.shape, [0, 4, 3, 4]);
  assert.equal(empty.data.length, 0);
  assert.deepEqual(cp.convTranspose2d(T([0, 2, 5, 6], 0), T([2, 3, 3, 3], 1)).shape, [0, 3, 7, 8]);
});

test('inputs are never modified and results are fresh arrays', () => {
  const x = T([1, 3, 8, 8], (i) => i / 10);
  const w = T([3, 1, 3, 3], (i) => i - 4);
  const x0 = Float32Array.from(x.data);
  const w0 = Float32Array.from(w.data);
  const a = cp.conv2d(x, w, null, { groups: 3, padding: 1, paddingMode: 'reflect' });
  const b = cp.conv2d(x, w, null, { groups: 3, padding: 1, paddingMode: 'reflect' });
  assert.deepEqual(x.data, x0);
  assert.deepEqual(w.data, w0);
  assert.notEqual(a.data, b.data);
  assert.notEqual(a.data.buffer, b.data.buffer);
  a.data[0] = 1234;
  assert.notEqual(b.data[0], 1234);
});

test('shape helpers report the shape or the rule that is broken', () => {
  assert.deepEqual(cp.conv2dOutputShape([1, 3, 32, 32], [8, 3, 3, 3], { padding: 1, stride: 2 }),
    { ok: true, shape: [1, 8, 16, 16], error: null });
  const bad = cp.conv2dOutputShape([1, 4, 5, 5], [6, 1, 3, 3], { groups: 3 });
  assert.equal(bad.ok, false);
  assert.match(bad.error, /groups=3 must divide in_channels=4/);
  const t = cp.convTranspose2dOutputShape([1, 1, 5, 5], [1, 1, 3, 3], { stride: 2 });
  assert.deepEqual(t.shape, [1, 1, 11, 11]);
  const op = cp.convTranspose2dOutputShape([1, 1, 5, 5], [1, 1, 3, 3], { outputPadding: 1 });
  assert.match(op.error, /outputPadding=\(1, 1\) must be smaller than either stride=\(1, 1\) or dilation=\(1, 1\)/);
  assert.match(cp.conv2dOutputShape('x', [1]).error, /input shape/);
});

test('kernelMatrix: M @ x == conv2d(x) and M^T @ y == convTranspose2d(y)', () => {
  const k = T([3, 3], (i) => i + 1);
  const x = T([1, 1, 5, 6], (i) => Math.sin(i));
  const opts = { stride: 2, padding: 1 };
  const m = cp.kernelMatrix(k, [5, 6], opts);
  const y = cp.conv2d(x, { shape: [1, 1, 3, 3], data: k.data }, null, opts);
  assert.deepEqual(m.shape, [y.data.length, 30]);
  for (let r = 0; r < m.shape[0]; ++r) {
    let s = 0;
    for (let c = 0; c < 30; ++c) s += m.data[r * 30 + c] * x.data[c];
    assert.ok(close(s, y.data[r]), `row ${r}`);
  }
  const back = cp.convTranspose2d(y, { shape: [1, 1, 3, 3], data: k.data }, null, { ...opts, outputPadding: [0, 1] });
  assert.deepEqual(back.shape, [1, 1, 5, 6]);
  for (let c = 0; c < 30; ++c) {
    let s = 0;
    for (let r = 0; r < m.shape[0]; ++r) s += m.data[r * 30 + c] * y.data[r];
    assert.ok(close(s, back.data[c]), `column ${c}`);
  }
});

test("kernelMatrix takes conv2d's padding: 'same' (odd and even kernels, dilation), 'valid', and its rules", () => {
  const configs = [[[3, 3], {}], [[2, 2], {}], [[4, 3], {}], [[2, 3], { dilation: [3, 2] }],
    [[3, 3], { dilation: 2 }]];
  for (const [[kh, kw], extra] of configs)
    for (const padding of ['same', 'valid']) {
      const opts = { padding, ...extra };
      const k = T([kh, kw], (i) => i - 2.5);
      const x = T([1, 1, 6, 7], (i) => Math.cos(i));
      const m = cp.kernelMatrix(k, [6, 7], opts);
      const y = cp.conv2d(x, { shape: [1, 1, kh, kw], data: k.data }, null, opts);
      const label = `k${kh}x${kw} ${JSON.stringify(opts)}`;
      assert.deepEqual(m.shape, [y.data.length, 42], label);
      if (padding === 'same') assert.equal(y.data.length, 42, label);
      for (let r = 0; r < m.shape[0]; ++r) {
        let s = 0;
        for (let c = 0; c < 42; ++c) s += m.data[r * 42 + c] * x.data[c];
        assert.ok(close(s, y.data[r]), `${label} row ${r}`);
      }
    }
  assert.throws(() => cp.kernelMatrix(T([3, 3], 1), [5, 5], { padding: 'same', stride: 2 }),
    /^Error: kernel_matrix: padding='same' is not supported for strided convolutions \(stride=\(2, 2\) must be 1\)$/);
  assert.throws(() => cp.kernelMatrix(T([3, 3], 1), [5, 5], { padding: 'full' }), /kernel_matrix: padding='full' is invalid/);
  assert.throws(() => cp.kernelMatrix(T([3, 3], 1), [2, 5], { padding: 'valid' }), /kernel_matrix: .*larger than the padded input size/);
});

test('pad modes on a 4x4 arange, and 2-element pad lists', () => {
  const x = T([1, 1, 4, 4], (i) => i);
  assert.equal(cp.pad(x, { pad: [1, 1, 1, 1], mode: 'reflect' }).data[0], 5);
  assert.equal(cp.pad(x, { pad: [1, 1, 1, 1], mode: 'replicate' }).data[0], 0);
  assert.equal(cp.pad(x, { pad: [1, 1, 1, 1], mode: 'circular' }).data[0], 15);
  assert.equal(cp.pad(x, { pad: [1, 1, 1, 1], value: -1 }).data[0], -1);
  assert.deepEqual(cp.pad(x, { pad: [2, 0] }).shape, [1, 1, 4, 6]);
  assert.deepEqual(cp.pad(x, { pad: [-1, -1, 0, 0] }).shape, [1, 1, 4, 2]);
});

test('JS-level argument errors name the parameter', () => {
  const x = T([1, 1, 4, 4], 1);
  const w = T([1, 1, 2, 2], 1);
  const cases = [
    [() => cp.conv2d(x, w, null, { stride: 1.5 }), /stride=1.5 must be an integer/],
    [() => cp.conv2d(x, w, null, { stride: [1, 2, 3] }), /stride=\[1, 2, 3\] must be an integer or a pair/],
    [() => cp.conv2d(x, w, null, { padding: 'full' }), /padding='full'/],
    [() => cp.conv2d(x, w, null, { paddingMode: 3 }), /paddingMode=3 must be a string/],
    [() => cp.conv2d(x, w, null, { paddingMode: 'mirror' }), /paddingMode='mirror' must be one of/],
    [() => cp.conv2d(x, w, null, { strides: 2 }), /unknown option 'strides'/],
    [() => cp.conv2d({ shape: [1, 1, 4, 4], data: new Float32Array(3) }, w), /input.data has 3 elements, but input.shape \[1, 1, 4, 4\] needs 16/],
    [() => cp.conv2d(null, w), /input must be a tensor/],
    [() => cp.conv2d(x, { shape: [1, -1, 2, 2], data: [] }), /weight.shape/],
    [() => cp.conv2d({ shape: [1, 1, 2 ** 14, 2 ** 14], data: { length: 2 ** 28 } }, w), /input of shape .* more than 67108864 elements/],
    [() => cp.convTranspose2d(x, w, null, { padding: 'same' }), /padding='same' is not supported/],
    [() => cp.convTranspose2d(x, w, null, { paddingMode: 'reflect' }), /paddingMode='reflect' is not supported/],
    [() => cp.unfold(x, {}), /kernelSize is required/],
    [() => cp.fold(x, { kernelSize: 2 }), /outputSize is required/],
    [() => cp.pad(x, { pad: [1, 1, 1] }), /pad=\[1, 1, 1\] must be a list/],
    [() => cp.pad(x, { pad: [1, 1], mode: 'foo' }), /mode='foo' must be one of/],
    [() => cp.pad(x, { pad: [1, 1], mode: 'reflect', value: 2 }), /value=.* is only used by mode='constant'/],
    [() => cp.kernelMatrix(T([3, 3], 1), [2, 2]), /kernel_matrix: .*larger than the padded input size/],
    [() => cp.bilinearKernel(3, 2, 4), /in_channels=3 and out_channels=2 must be equal/],
    [() => cp.tensor([[1, 2], [3]]), /ragged nested array/],
  ];
  for (const [call, re] of cases) assert.throws(call, (e) => e instanceof Error && re.test(e.message), re.toString());
});

// An independent plain-JS conv2d / conv_transpose2d (PyTorch definitions), zero padding.
function jsConv2d(x, w, b, N, C, H, W, K, kh, kw, s, p, d, g) {
  const OH = Math.floor((H + 2 * p[0] - d[0] * (kh - 1) - 1) / s[0]) + 1;
  const OW = Math.floor((W + 2 * p[1] - d[1] * (kw - 1) - 1) / s[1]) + 1;
  const Cg = C / g, Kg = K / g, y = new Float64Array(N * K * OH * OW);
  for (let n = 0; n < N; ++n) for (let k = 0; k < K; ++k) for (let oh = 0; oh < OH; ++oh) for (let ow = 0; ow < OW; ++ow) {
    let acc = b ? b[k] : 0;
    for (let c = 0; c < Cg; ++c) for (let i = 0; i < kh; ++i) for (let j = 0; j < kw; ++j) {
      const ih = oh * s[0] - p[0] + i * d[0], iw = ow * s[1] - p[1] + j * d[1];
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      acc += x[((n * C + Math.floor(k / Kg) * Cg + c) * H + ih) * W + iw] * w[((k * Cg + c) * kh + i) * kw + j];
    }
    y[((n * K + k) * OH + oh) * OW + ow] = acc;
  }
  return { shape: [N, K, OH, OW], data: y };
}

function jsConvTranspose2d(x, w, b, N, C, H, W, Kg, kh, kw, s, p, op, d, g) {
  const OH = (H - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + op[0] + 1;
  const OW = (W - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + op[1] + 1;
  const K = Kg * g, Cg = C / g, y = new Float64Array(N * K * OH * OW);
  for (let n = 0; n < N; ++n) for (let k = 0; k < K; ++k) for (let q = 0; q < OH * OW; ++q) y[(n * K + k) * OH * OW + q] = b ? b[k] : 0;
  for (let n = 0; n < N; ++n) for (let c = 0; c < C; ++c) for (let ih = 0; ih < H; ++ih) for (let iw = 0; iw < W; ++iw)
    for (let ko = 0; ko < Kg; ++ko) for (let i = 0; i < kh; ++i) for (let j = 0; j < kw; ++j) {
      const oh = ih * s[0] - p[0] + i * d[0], ow = iw * s[1] - p[1] + j * d[1];
      if (oh < 0 || oh >= OH || ow < 0 || ow >= OW) continue;
      const k = Math.floor(c / Cg) * Kg + ko;
      y[((n * K + k) * OH + oh) * OW + ow] += x[((n * C + c) * H + ih) * W + iw] * w[((c * Kg + ko) * kh + i) * kw + j];
    }
  return { shape: [N, K, OH, OW], data: y };
}

test('random shapes: WASM SIMD kernels == an independent JS loop (600 configurations)', () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const ri = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  let ran = 0;
  while (ran < 600) {
    const transposed = ran % 2 === 1;
    const g = ri(1, 3), Cg = ri(1, 6), Kg = ri(1, 9), N = ri(1, 2), H = ri(1, 12), W = ri(1, 15);
    const kh = ri(1, 4), kw = ri(1, 4), s = [ri(1, 3), ri(1, 3)], p = [ri(0, 2), ri(0, 2)], d = [ri(1, 2), ri(1, 2)];
    const C = Cg * g;
    const x = Float32Array.from({ length: N * C * H * W }, () => rand() * 2 - 1);
    const bias = rand() < 0.5 ? Float32Array.from({ length: Kg * g }, () => rand()) : null;
    let got, want;
    try {
      if (!transposed) {
        const w = Float32Array.from({ length: Kg * g * Cg * kh * kw }, () => rand() * 2 - 1);
        got = cp.conv2d({ shape: [N, C, H, W], data: x }, { shape: [Kg * g, Cg, kh, kw], data: w },
          bias && { shape: [Kg * g], data: bias }, { stride: s, padding: p, dilation: d, groups: g });
        want = jsConv2d(x, w, bias, N, C, H, W, Kg * g, kh, kw, s, p, d, g);
      } else {
        const op = [ri(0, Math.max(s[0], d[0]) - 1), ri(0, Math.max(s[1], d[1]) - 1)];
        const w = Float32Array.from({ length: C * Kg * kh * kw }, () => rand() * 2 - 1);
        got = cp.convTranspose2d({ shape: [N, C, H, W], data: x }, { shape: [C, Kg, kh, kw], data: w },
          bias && { shape: [Kg * g], data: bias }, { stride: s, padding: p, outputPadding: op, dilation: d, groups: g });
        want = jsConvTranspose2d(x, w, bias, N, C, H, W, Kg, kh, kw, s, p, op, d, g);
      }
    } catch (e) {
      if (/must|larger|not positive/.test(e.message)) continue; // an invalid draw
      throw e;
    }
    assert.deepEqual(got.shape, want.shape);
    for (let i = 0; i < want.data.length; ++i)
      assert.ok(close(got.data[i], want.data[i]), `${transposed ? 'convT' : 'conv'} element ${i}: ${got.data[i]} vs ${want.data[i]}`);
    ++ran;
  }
});
