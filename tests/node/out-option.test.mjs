// The `out` option of conv2d and convTranspose2d: the result written into a caller's
// Float32Array (no new array per call), the same values as without it, and clear errors that
// leave the module working and the heap as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distModule } from './helpers.mjs';

const cp = await (await import(distModule)).load();

const T = (shape, f) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, (_, i) => f(i)) };
};
const x = T([1, 3, 9, 11], (i) => Math.sin(i));
const w = T([4, 3, 3, 3], (i) => Math.cos(i) / 4);
const wt = T([3, 4, 4, 4], (i) => Math.cos(i) / 8);
const b = T([4], (i) => i - 1.5);

test('conv2d and convTranspose2d write into out and return it as data, same values', () => {
  const plain = cp.conv2d(x, w, b, { padding: 1, paddingMode: 'reflect' });
  const out = new Float32Array(plain.data.length).fill(NaN);
  const got = cp.conv2d(x, w, b, { padding: 1, paddingMode: 'reflect', out });
  assert.equal(got.data, out);
  assert.deepEqual(got.shape, plain.shape);
  assert.deepEqual(Array.from(out), Array.from(plain.data));
  // Reused: a second call overwrites every element.
  out.fill(-1);
  cp.conv2d(x, w, b, { padding: 1, paddingMode: 'reflect', out });
  assert.deepEqual(Array.from(out), Array.from(plain.data));

  const tPlain = cp.convTranspose2d(x, wt, null, { stride: 2, padding: 1 });
  const tOut = new Float32Array(tPlain.data.length);
  const tGot = cp.convTranspose2d(x, wt, null, { stride: 2, padding: 1, out: tOut });
  assert.equal(tGot.data, tOut);
  assert.deepEqual(Array.from(tOut), Array.from(tPlain.data));
});

test('out may be the input array itself (inputs are copied in before the result is written)', () => {
  const img = T([1, 3, 16, 16], (i) => (i * 7) % 13);
  const k = T([3, 1, 3, 3], () => 1 / 9);
  const want = cp.conv2d(img, k, null, { padding: 1, groups: 3 }).data;
  const got = cp.conv2d(img, k, null, { padding: 1, groups: 3, out: img.data });
  assert.equal(got.data, img.data);
  assert.deepEqual(Array.from(img.data), Array.from(want));
});

test('a wrong out names the option and the rule; the module keeps working, nothing leaks', () => {
  cp.conv2d(x, w, b, { padding: 1 });  // results and scratch at their steady size
  const heap = cp.heapInUse(), sp = cp.stackPointer();
  assert.throws(() => cp.conv2d(x, w, b, { padding: 1, out: [0, 1] }),
    { message: 'conv2d: out=[0, 1] must be a Float32Array (the result is written into it)' });
  assert.throws(() => cp.convTranspose2d(x, wt, null, { out: new Float64Array(4) }),
    { message: 'conv_transpose2d: out=Float64Array must be a Float32Array (the result is written into it)' });
  assert.throws(() => cp.conv2d(x, w, b, { padding: 1, out: new Float32Array(5) }),
    { message: 'conv2d: out has 5 elements but the output [1, 4, 9, 11] has 396 (out must hold exactly the output)' });
  for (let i = 0; i < 200; ++i) assert.throws(() => cp.conv2d(x, w, b, { padding: 1, out: new Float32Array(7) }));
  assert.equal(cp.heapInUse(), heap);
  assert.equal(cp.stackPointer(), sp);
  const ok = new Float32Array(396);
  assert.equal(cp.conv2d(x, w, b, { padding: 1, out: ok }).data, ok);
});
