// The PyTorch golden vectors through the public JS API of dist/convplay.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreBuilds, golden, decodeTensor, decodeFloat, assertTensorClose } from './helpers.mjs';

// Every build (helpers.mjs coreBuilds: SIMD, scalar, relaxed SIMD where it validates) must match PyTorch.
for (const [path, options, backend] of await coreBuilds()) {
const { load } = await import(path);
const cp = await load(options);

test(`${backend}: the backend is the one built`, () => {
  assert.equal(cp.backend, backend);
});

test(`${backend}: conv2d golden cases`, () => {
  const cases = golden('conv2d.json');
  for (const c of cases) {
    const bias = c.bias ? decodeTensor(c.bias) : null;
    const y = cp.conv2d(decodeTensor(c.input), decodeTensor(c.weight), bias, c.options);
    assertTensorClose(y, decodeTensor(c.output), `conv2d ${c.name}`);
  }
  assert.ok(cases.length >= 100);
});

test(`${backend}: conv_transpose2d golden cases`, () => {
  const cases = golden('conv_transpose2d.json');
  for (const c of cases) {
    const bias = c.bias ? decodeTensor(c.bias) : null;
    const y = cp.convTranspose2d(decodeTensor(c.input), decodeTensor(c.weight), bias, c.options);
    assertTensorClose(y, decodeTensor(c.output), `convTranspose2d ${c.name}`);
  }
  assert.ok(cases.length >= 80);
});

test(`${backend}: unfold and fold golden cases`, () => {
  for (const c of golden('unfold.json'))
    assertTensorClose(cp.unfold(decodeTensor(c.input), c.options), decodeTensor(c.output), `unfold ${c.name}`);
  for (const c of golden('fold.json'))
    assertTensorClose(cp.fold(decodeTensor(c.input), c.options), decodeTensor(c.output), `fold ${c.name}`);
});

test(`${backend}: pad golden cases`, () => {
  for (const c of golden('pad.json')) {
    const o = { ...c.options, value: decodeFloat(c.options.value) };
    assertTensorClose(cp.pad(decodeTensor(c.input), o), decodeTensor(c.output), `pad ${c.name}`);
  }
});

test(`${backend}: kernelMatrix and bilinearKernel golden cases`, () => {
  for (const c of golden('kernel_matrix.json'))
    assertTensorClose(cp.kernelMatrix(decodeTensor(c.kernel), c.inputSize, c.options),
      decodeTensor(c.output), `kernelMatrix ${c.name}`);
  for (const c of golden('bilinear_kernel.json'))
    assertTensorClose(cp.bilinearKernel(c.in, c.out, c.k), decodeTensor(c.output), `bilinear ${c.in},${c.out},${c.k}`);
});

test(`${backend}: every error case PyTorch rejects throws an Error naming the parameter`, () => {
  const zeros = (shape) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
  const cases = golden('errors.json');
  for (const c of cases) {
    const call = () => {
      const x = zeros(c.input_shape);
      if (c.op === 'conv2d' || c.op === 'conv_transpose2d') {
        const b = c.bias_shape ? zeros(c.bias_shape) : null;
        const f = c.op === 'conv2d' ? 'conv2d' : 'convTranspose2d';
        return cp[f](x, zeros(c.weight_shape), b, c.options);
      }
      if (c.op === 'pad') return cp.pad(x, c.options);
      if (c.op === 'kernel_matrix') return cp.kernelMatrix(zeros(c.kernel_shape), c.input_shape, c.options);
      const nd = { conv1d: 'conv1d', conv3d: 'conv3d', conv_transpose1d: 'convTranspose1d', conv_transpose3d: 'convTranspose3d' };
      if (nd[c.op]) return cp[nd[c.op]](x, zeros(c.weight_shape), c.bias_shape ? zeros(c.bias_shape) : null, c.options);
      if (c.op === 'conv2d_backward') return cp.conv2dBackward(x, zeros(c.weight_shape), zeros(c.grad_output_shape), c.options);
      if (c.op === 'conv_transpose2d_backward')
        return cp.convTranspose2dBackward(x, zeros(c.weight_shape), zeros(c.grad_output_shape), c.options);
      if (c.op === 'max_pool2d') return cp.maxPool2d(x, c.options);
      if (c.op === 'avg_pool2d') return cp.avgPool2d(x, c.options);
      return cp[c.op](x, c.options);
    };
    assert.throws(call, (e) => {
      assert.ok(e instanceof Error, `${c.name}: not an Error`);
      assert.ok(e.message.includes(c.param), `${c.name}: "${e.message}" does not name ${c.param}`);
      return true;
    }, c.name);
  }
  // and the module still works
  const y = cp.conv2d(cp.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]), cp.tensor([[[[1, 1], [1, 1]]]]));
  assert.deepEqual(Array.from(y.data), [12, 16, 24, 28]);
  assert.ok(cases.length >= 150);
});
}
