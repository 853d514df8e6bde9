// Rejected calls leave the module intact: 100,000 of them in a row, and the WASM heap
// (bytes in use, memory size) and stack pointer end where they started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distModule } from './helpers.mjs';

const { load } = await import(distModule);
const cp = await load();

const x = { shape: [1, 4, 5, 5], data: new Float32Array(100) };
const w = { shape: [6, 2, 3, 3], data: new Float32Array(108).fill(1) };
// A mix of rejections from every layer: C++ planning, C++ option parsing, JS checks.
const bad = [
  () => cp.conv2d(x, w, null, { groups: 3 }),                       // C++: groups must divide
  () => cp.conv2d(x, w, null, { paddingMode: 'mirror' }),           // C++: option parsing
  () => cp.convTranspose2d(x, w, null, { outputPadding: 2 }),       // C++: convT rules
  () => cp.unfold(x, { kernelSize: 9 }),                            // C++: sliding blocks
  () => cp.pad(x, { pad: [9, 9], mode: 'reflect' }),                // C++: pad limits
  () => cp.conv2d(x, w, null, { stride: 0.5 }),                     // JS: integer check
  // issue 19's operations
  () => cp.conv1d({ shape: [1, 2, 6], data: new Float32Array(12) }, { shape: [3, 2, 3], data: new Float32Array(18) }, null,
    { padding: 'same', stride: 2 }),                               // C++: 'same' needs stride 1
  () => cp.convTranspose1d({ shape: [1, 2, 5], data: new Float32Array(10) }, { shape: [2, 3, 3], data: new Float32Array(18) },
    null, { outputPadding: 1 }),                                   // C++: outputPadding rule
  () => cp.conv3d({ shape: [1, 2, 2, 5, 5], data: new Float32Array(100) }, { shape: [3, 2, 3, 3, 3], data: new Float32Array(162) }),
  () => cp.convTranspose3d(x, w),                                   // C++: input rank
  () => cp.conv2dBackward(x, w, { shape: [1, 6, 4, 4], data: new Float32Array(96) }, { groups: 2 }), // gradOutput shape
  () => cp.convTranspose2dBackward(x, w, x, { stride: 2, outputPadding: 2 }),
  () => cp.maxPool2d(x, { kernelSize: 2, padding: 2 }),            // C++: padding <= kernel / 2
  () => cp.maxPool2d(x, { kernelSize: 2, ceilMode: 1 }),            // JS: boolean check
  () => cp.avgPool2d(x, { kernelSize: 3, divisorOverride: 0 }),     // C++: divisor not zero
];

test('100,000 rejected calls: heap, memory size and stack unchanged; module still works', () => {
  for (const f of bad) assert.throws(f); // warm up: first-use allocations (message buffer)
  const heap0 = cp.heapInUse();
  const stack0 = cp.stackPointer();
  const memory0 = cp._core.HEAP8.length;
  for (let i = 0; i < 100000; ++i) {
    try {
      bad[i % bad.length]();
      assert.fail('accepted');
    } catch (e) {
      if (!(e instanceof Error) || e.code === 'ERR_ASSERTION') throw e;
    }
  }
  assert.equal(cp.heapInUse(), heap0, 'heap bytes in use');
  assert.equal(cp.stackPointer(), stack0, 'stack pointer');
  assert.equal(cp._core.HEAP8.length, memory0, 'memory size');
  const y = cp.conv2d(x, w, null, { groups: 2, padding: 1 });
  assert.deepEqual(y.shape, [1, 6, 5, 5]);
});

test('repeated valid calls do not grow the heap', () => {
  const big = { shape: [1, 64, 56, 56], data: new Float32Array(64 * 56 * 56).fill(0.5) };
  const wk = { shape: [64, 64, 3, 3], data: new Float32Array(64 * 64 * 9).fill(0.01) };
  cp.conv2d(big, wk, null, { padding: 1 });
  const heap0 = cp.heapInUse();
  const memory0 = cp._core.HEAP8.length;
  for (let i = 0; i < 20; ++i) cp.conv2d(big, wk, null, { padding: 1 });
  assert.equal(cp.heapInUse(), heap0);
  assert.equal(cp._core.HEAP8.length, memory0);
});

test('releaseMemory gives the scratch and result buffers back', () => {
  cp.conv2d({ shape: [1, 8, 64, 64], data: new Float32Array(8 * 64 * 64) }, { shape: [8, 8, 3, 3], data: new Float32Array(576) });
  const before = cp.heapInUse();
  cp.releaseMemory();
  assert.ok(cp.heapInUse() < before);
  assert.equal(cp.conv2d([[[[2]]]], [[[[3]]]]).data[0], 6);
});

test('100,000 mixed valid and invalid calls end with the heap where it started', () => {
  const small = { shape: [1, 2, 6, 6], data: new Float32Array(72).fill(0.25) };
  const k = { shape: [3, 2, 3, 3], data: new Float32Array(54).fill(0.5) };
  const kt = { shape: [2, 3, 3, 3], data: new Float32Array(54).fill(0.5) };
  const mixed = [
    () => cp.conv2d(small, k, null, { padding: 1, paddingMode: 'reflect' }),
    () => cp.conv2d(small, k, null, { groups: 2 }),                    // invalid
    () => cp.convTranspose2d(small, kt, null, { stride: 2, outputPadding: 1 }),
    () => cp.convTranspose2d(small, kt, null, { outputPadding: 3 }),    // invalid
    () => cp.unfold(small, { kernelSize: 2 }),
    () => cp.fold({ shape: [1, 8, 25], data: new Float32Array(200) }, { outputSize: 6, kernelSize: 2 }),
    () => cp.pad(small, { pad: [9, 9], mode: 'circular' }),           // invalid
    () => cp.kernelMatrix([[1, 2], [3, 4]], [6, 6], { padding: 1 }),
    () => cp.conv2d(small, k, null, { stride: 'x' }),                  // invalid (JS)
  ];
  const run = (i) => { try { mixed[i % mixed.length](); } catch (e) { if (!(e instanceof Error)) throw e; } };
  for (let i = 0; i < mixed.length; ++i) run(i); // warm-up
  const heap0 = cp.heapInUse();
  const stack0 = cp.stackPointer();
  let errors = 0;
  for (let i = 0; i < 100000; ++i) {
    try { mixed[i % mixed.length](); } catch (e) { if (!(e instanceof Error)) throw e; ++errors; }
  }
  assert.ok(errors > 40000 && errors < 50000);
  assert.equal(cp.heapInUse(), heap0, 'heap bytes in use');
  assert.equal(cp.stackPointer(), stack0, 'stack pointer');
});
