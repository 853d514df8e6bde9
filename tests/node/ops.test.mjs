// Issue 19's operations through the public JS API of dist/convplay.mjs and the scalar build:
// PyTorch's golden vectors (conv1d, conv_transpose1d, conv3d, conv_transpose3d, the backward
// passes from torch.autograd, max_pool2d with indices, avg_pool2d), the identity
// gradInput == convTranspose2d(gradOutput, w, ...) with the outputPadding that restores the
// shape, the *OutputShape companions and the argument checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distModule, coreBuilds, golden, decodeTensor, assertTensorClose } from './helpers.mjs';

for (const [path, options, backend] of await coreBuilds()) {
  const { load } = await import(path);
  const cp = await load(options);

  for (const [file, fn, min] of [['conv1d.json', 'conv1d', 20], ['conv_transpose1d.json', 'convTranspose1d', 10],
    ['conv3d.json', 'conv3d', 20], ['conv_transpose3d.json', 'convTranspose3d', 10]]) {
    test(`${backend}: ${fn} golden cases`, () => {
      const cases = golden(file);
      for (const c of cases) {
        const bias = c.bias ? decodeTensor(c.bias) : null;
        const y = cp[fn](decodeTensor(c.input), decodeTensor(c.weight), bias, c.options);
        assertTensorClose(y, decodeTensor(c.output), `${fn} ${c.name}`);
        const s = cp[`${fn}OutputShape`](c.input.shape, c.weight.shape, c.options, c.bias ? c.bias.shape : null);
        assert.deepEqual(s, { ok: true, shape: c.output.shape, error: null }, `${fn}OutputShape ${c.name}`);
      }
      assert.ok(cases.length >= min);
    });
  }

  for (const [file, fn, min] of [['conv2d_backward.json', 'conv2dBackward', 20],
    ['conv_transpose2d_backward.json', 'convTranspose2dBackward', 8]]) {
    test(`${backend}: ${fn} golden cases (torch.autograd)`, () => {
      const cases = golden(file);
      for (const c of cases) {
        const r = cp[fn](decodeTensor(c.input), decodeTensor(c.weight), decodeTensor(c.gradOutput), c.options);
        assertTensorClose(r.gradInput, decodeTensor(c.gradInput), `${fn} ${c.name} gradInput`);
        assertTensorClose(r.gradWeight, decodeTensor(c.gradWeight), `${fn} ${c.name} gradWeight`);
        assertTensorClose(r.gradBias, decodeTensor(c.gradBias), `${fn} ${c.name} gradBias`);
        const s = cp[`${fn}OutputShape`](c.input.shape, c.weight.shape, c.gradOutput.shape, c.options);
        assert.deepEqual(s, { ok: true, shape: c.input.shape, error: null });
      }
      assert.ok(cases.length >= min);
    });
  }

  test(`${backend}: conv2dBackward's gradInput == convTranspose2d(gradOutput, w) with the outputPadding that restores the shape`, () => {
    let checked = 0;
    for (const c of golden('conv2d_backward.json')) {
      const o = c.options;
      if (o.paddingMode !== 'zeros' || typeof o.padding === 'string') continue;
      const x = decodeTensor(c.input), w = decodeTensor(c.weight), gy = decodeTensor(c.gradOutput);
      const [H, W] = x.shape.slice(-2), [OH, OW] = gy.shape.slice(-2), [kh, kw] = w.shape.slice(2);
      const outputPadding = [
        H + 2 * o.padding[0] - ((OH - 1) * o.stride[0] + o.dilation[0] * (kh - 1) + 1),
        W + 2 * o.padding[1] - ((OW - 1) * o.stride[1] + o.dilation[1] * (kw - 1) + 1)];
      const back = cp.convTranspose2d(gy, w, null, { stride: o.stride, padding: o.padding, dilation: o.dilation,
        groups: o.groups, outputPadding });
      assertTensorClose(back, cp.conv2dBackward(x, w, gy, o).gradInput, `identity ${c.name}`);
      assertTensorClose(back, decodeTensor(c.gradInput), `identity ${c.name} vs torch`);
      ++checked;
    }
    assert.ok(checked >= 10, `${checked} cases`);
  });

  test(`${backend}: maxPool2d golden cases (values and indices) and avgPool2d`, () => {
    const maxes = golden('max_pool2d.json');
    for (const c of maxes) {
      const x = decodeTensor(c.input);
      const { output, indices } = cp.maxPool2d(x, { ...c.options, returnIndices: true });
      assertTensorClose(output, decodeTensor(c.output), `maxPool2d ${c.name}`);
      assert.ok(indices.data instanceof Int32Array);
      assert.deepEqual(indices.shape, c.output.shape);
      assert.deepEqual(Array.from(indices.data), c.indices, `maxPool2d ${c.name} indices`);
      assertTensorClose(cp.maxPool2d(x, c.options), decodeTensor(c.output), `maxPool2d ${c.name} without indices`);
      assert.deepEqual(cp.maxPool2dOutputShape(c.input.shape, c.options).shape, c.output.shape);
    }
    const avgs = golden('avg_pool2d.json');
    for (const c of avgs) {
      assertTensorClose(cp.avgPool2d(decodeTensor(c.input), c.options), decodeTensor(c.output), `avgPool2d ${c.name}`);
      assert.deepEqual(cp.avgPool2dOutputShape(c.input.shape, c.options).shape, c.output.shape);
    }
    assert.ok(maxes.length >= 20 && avgs.length >= 15);
  });

  // The 3-wide stride-2 pooling kernel (core/src/kernels/pool_3rows_k3s2.hpp) as compiled to
  // WebAssembly (its shuffles, the fast pass's NaN check), on rows wide enough for its SIMD
  // loop, against plain JS loops of PyTorch's rules: max exactly (NaN where a window holds
  // one), avg within the usual tolerance.
  test(`${backend}: maxPool2d / avgPool2d k3 s2 on wide rows with NaN and infinities == plain JS loops`, () => {
    let seed = 19;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
    let maxes = 0, avgs = 0;
    for (let it = 0; it < 300; ++it) {
      const planes = pick(1, 3), H = pick(1, 9), W = pick(1, 45), kh = pick(1, 3);
      const ph = pick(0, Math.floor(kh / 2)), pw = pick(0, 1), sh = pick(1, 3), ceilMode = rand() < 0.4;
      const nan = rand() < 0.4, inf = rand() < 0.4;
      const data = new Float32Array(planes * H * W);
      for (let i = 0; i < data.length; ++i) {
        const r = rand();
        data[i] = nan && r < 0.01 ? NaN : inf && r < 0.04 ? (r < 0.025 ? Infinity : -Infinity) : r < 0.12 ? 0.5 : 2 * rand() - 1;
      }
      const x = { shape: [1, planes, H, W], data };
      const isMax = it % 2 === 0;
      const options = { kernelSize: [kh, 3], stride: [sh, 2], padding: [ph, pw], ceilMode };
      if (!isMax) options.countIncludePad = rand() < 0.5;
      const check = isMax ? cp.maxPool2dOutputShape(x.shape, options) : cp.avgPool2dOutputShape(x.shape, options);
      if (!check.ok) continue;
      const [OH, OW] = check.shape.slice(2);
      const got = isMax ? cp.maxPool2d(x, options) : cp.avgPool2d(x, options);
      for (let p = 0; p < planes; ++p)
        for (let oh = 0; oh < OH; ++oh)
          for (let ow = 0; ow < OW; ++ow) {
            const h0 = oh * sh - ph, w0 = ow * 2 - pw;
            let m = -Infinity, sum = 0, n = 0;
            for (let ih = Math.max(h0, 0); ih < Math.min(h0 + kh, H); ++ih)
              for (let iw = Math.max(w0, 0); iw < Math.min(w0 + 3, W); ++iw) {
                const v = data[(p * H + ih) * W + iw];
                if (v > m || Number.isNaN(v)) m = v;
                sum += v;
                ++n;
              }
            const g = got.data[(p * OH + oh) * OW + ow];
            const label = `${isMax ? 'max' : 'avg'} [${planes}, ${H}, ${W}] k ${kh}x3 s ${sh}x2 p ${ph}/${pw} ceil ${ceilMode} at ${p},${oh},${ow}`;
            if (isMax) {
              assert.ok(Object.is(g, m) || g === m || (Number.isNaN(g) && Number.isNaN(m)), `${label}: ${g}, want ${m}`);
            } else {
              const hEnd = Math.min(h0 + kh, H + ph), wEnd = Math.min(w0 + 3, W + pw);
              const divisor = options.countIncludePad ? (hEnd - h0) * (wEnd - w0) : n;
              const want = n === 0 ? 0 : sum / divisor;
              assertTensorClose({ shape: [1], data: new Float32Array([g]) }, { shape: [1], data: new Float32Array([want]) }, label);
            }
          }
      if (isMax) ++maxes; else ++avgs;
    }
    assert.ok(maxes > 100 && avgs > 100, `${maxes} max, ${avgs} avg configurations`);
  });
}

const { load } = await import(distModule);
const cp = await load();

test('issue 19 argument errors name the parameter and the rule; the module keeps working', () => {
  const x = { shape: [1, 2, 6], data: new Float32Array(12) };
  const w = { shape: [3, 2, 3], data: new Float32Array(18) };
  const cases = [
    [() => cp.conv1d(x, w, null, { stride: [1, 2] }), /^conv1d: stride=\[1, 2\] must be an integer$/],
    [() => cp.conv1d(x, w, null, { padding: 'same', stride: 2 }), /^conv1d: padding='same' is not supported for strided convolutions \(stride=2 must be 1\)$/],
    [() => cp.conv1d(x, w, null, { kernelSize: 2 }), /conv1d: unknown option 'kernelSize'/],
    [() => cp.conv3d({ shape: [1, 1, 3, 3, 3], data: new Float32Array(27) }, { shape: [1, 1, 2, 2, 2], data: new Float32Array(8) }, null,
      { stride: [1, 2] }), /conv3d: stride=\[1, 2\] must be an integer or a triple/],
    [() => cp.convTranspose3d({ shape: [1, 1, 3, 3, 3], data: new Float32Array(27) }, { shape: [1, 1, 2, 2, 2], data: new Float32Array(8) },
      null, { paddingMode: 'reflect' }), /conv_transpose3d: paddingMode='reflect' is not supported/],
    [() => cp.conv2dBackward([[[[1, 2], [3, 4]]]], [[[[1]]]], [[[[1]]]]), /conv2d_backward: gradOutput of shape \[1, 1, 1, 1\] must have the forward output's shape \[1, 1, 2, 2\]/],
    [() => cp.maxPool2d([[[[1, 2], [3, 4]]]], {}), /max_pool2d: kernelSize is required/],
    [() => cp.maxPool2d([[[[1, 2], [3, 4]]]], { kernelSize: 2, returnIndices: 'yes' }), /max_pool2d: returnIndices='yes' must be true or false/],
    [() => cp.avgPool2d([[[[1, 2], [3, 4]]]], { kernelSize: 2, divisorOverride: 0 }), /^avg_pool2d: divisorOverride=0 must not be zero$/],
    [() => cp.avgPool2d([[[[1, 2], [3, 4]]]], { kernelSize: 2, dilation: 2 }), /avg_pool2d: unknown option 'dilation'/],
  ];
  for (const [f, re] of cases) assert.throws(f, (e) => e instanceof Error && re.test(e.message), String(re));
  assert.deepEqual(cp.maxPool2dOutputShape([1, 1, 5, 5], { kernelSize: 2, stride: 2, padding: 1, ceilMode: true }),
    { ok: true, shape: [1, 1, 3, 3], error: null });
  assert.match(cp.conv3dOutputShape([1, 1, 2, 2, 2], [1, 1, 3, 3, 3]).error, /^conv3d: the kernel of weight/);
  assert.deepEqual(cp.conv1d([[1, 2, 3]], [[[1, 1]]]).data, new Float32Array([3, 5]));
  const pooled = new Float32Array(1);
  assert.equal(cp.maxPool2d([[[[1, 5], [3, 2]]]], { kernelSize: 2, out: pooled }).data, pooled);
  assert.deepEqual(pooled, new Float32Array([5]));
  assert.equal(cp.avgPool2d([[[[1, 5], [3, 2]]]], { kernelSize: 2, out: pooled }).data[0], 2.75);
  assert.throws(() => cp.maxPool2d([[[[1]]]], { kernelSize: 1, returnIndices: true, out: pooled }), /max_pool2d: out is not supported with returnIndices/);
  // `out`, as conv2d's: the result is written into it; a wrong size names out
  const out = new Float32Array(2);
  assert.equal(cp.conv1d([[1, 2, 3]], [[[1, 1]]], null, { out }).data, out);
  assert.deepEqual(out, new Float32Array([3, 5]));
  assert.throws(() => cp.convTranspose3d({ shape: [1, 1, 1, 1, 1], data: new Float32Array(1) },
    { shape: [1, 1, 2, 2, 2], data: new Float32Array(8) }, null, { out: new Float32Array(3) }), /conv_transpose3d: out has 3 elements but the output \[1, 1, 2, 2, 2\] has 8/);
});
