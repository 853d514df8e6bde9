// Out of memory inside WebAssembly is an Error like any other, and the module keeps working.
// The heap is filled on purpose with the allocator's own _malloc, in large blocks, until it
// returns 0: the module grows its memory up to -sMAXIMUM_MEMORY (2 GiB) and then malloc
// fails instead of aborting. Filling "until 0" rather than to a fixed size makes the test
// independent of where the engine actually stops growing (a smaller reachable maximum just
// means fewer blocks). Then calls whose output (C++ side) or inputs (JS side) cannot fit
// must throw an Error that names the operation and says what did not fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distModule } from './helpers.mjs';

const { load } = await import(distModule);
const cp = await load();
const core = cp._core;

const MiB = 2 ** 20;
const ones = (n) => new Float32Array(n).fill(1);

// Allocates blocks of decreasing size until even the smallest fails; returns their addresses.
function fillHeap() {
  const blocks = [];
  for (const size of [256 * MiB, 64 * MiB, 16 * MiB, 4 * MiB, MiB, 256 * 1024, 64 * 1024, 4096, 256]) {
    for (let p = core._malloc(size); p; p = core._malloc(size)) blocks.push({ p, size });
  }
  return blocks;
}

// Each configuration is valid and has tiny inputs (its call frame fits in 256 bytes), but an
// output of 4 M elements or more (16 MiB), far more than is left once the heap is full.
const bigOutputs = [
  ['conv_transpose2d', 2002 * 2002, () => cp.convTranspose2d({ shape: [1, 3, 3], data: ones(9) }, { shape: [1, 1, 2, 2], data: ones(4) }, null, { stride: 1000 })],
  ['conv2d', 2002 * 2002, () => cp.conv2d({ shape: [1, 1, 2, 2], data: ones(4) }, { shape: [1, 1, 1, 1], data: ones(1) }, null, { padding: 1000 })],
  ['unfold', 4 * 2001 * 2001, () => cp.unfold({ shape: [1, 1, 2, 2], data: ones(4) }, { kernelSize: 2, padding: 1000 })],
];

test('a full WebAssembly heap: calls throw "out of memory" Errors, then everything works again', () => {
  // Warm up every path used below (option codes are cached after their first use), then give
  // back the memory kept between calls so that the starting point is the bare module.
  for (const [, , call] of bigOutputs) call();
  cp.releaseMemory();
  const heap0 = cp.heapInUse();
  const stack0 = cp.stackPointer();

  const t0 = performance.now();
  const blocks = fillHeap();
  const filled = core.HEAP8.length;
  console.log(`# heap filled: ${blocks.length} blocks, WebAssembly memory ${(filled / MiB).toFixed(0)} MiB, `
    + `${((cp.heapInUse() - heap0) / MiB).toFixed(1)} MiB taken, ${(performance.now() - t0).toFixed(0)} ms`);
  assert.ok(filled > 1024 * MiB, `the heap grew to ${filled / MiB} MiB before malloc failed`);
  // Room for a call frame and the planning's few small vectors (4 KiB; exactly how much they
  // need depends on the allocator's state, so not a tighter 256 bytes), far from any output.
  // The error path itself must not need memory.
  const free = (size) => { const b = blocks.findLast((x) => x.size === size); core._free(b.p); blocks.splice(blocks.indexOf(b), 1); };
  free(4096);
  for (const [op, elements, call] of bigOutputs) {
    let error = null;
    try { call(); } catch (e) { error = e; }
    assert.ok(error instanceof Error, `${op}: threw ${error}`);
    console.log(`# ${error.message}`);
    assert.match(error.message, new RegExp(`^${op}: out of memory: the WebAssembly heap could not hold the ${elements}-element output`));
  }
  // The JS side: the input frame itself cannot be allocated. Frame: 1024·1024 + 1 floats of
  // data, then 39 int32 words (input [1,1,1024,1024] and weight shapes, no bias, 28 parameters).
  let error = null;
  try { cp.conv2d({ shape: [1, 1, 1024, 1024], data: ones(1024 * 1024) }, { shape: [1, 1, 1, 1], data: ones(1) }); } catch (e) { error = e; }
  assert.ok(error instanceof Error, `threw ${error}`);
  console.log(`# ${error.message}`);
  assert.match(error.message, /^conv2d: out of memory: the WebAssembly heap could not hold the inputs \(4194464 bytes;/);

  // With 64 KiB free (the rest still full), small calls work.
  free(64 * 1024);
  assert.deepEqual(Array.from(cp.conv2d([[[[1, 2], [3, 4]]]], [[[[1, 1], [1, 1]]]]).data), [10]);
  assert.throws(bigOutputs[0][2], /out of memory/);

  for (const { p } of blocks) core._free(p);
  // Everything works again, with the right numbers.
  const y = cp.convTranspose2d({ shape: [1, 3, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) }, { shape: [1, 1, 2, 2], data: ones(4) }, null, { stride: 1000 });
  assert.deepEqual(y.shape, [1, 2002, 2002]);
  assert.deepEqual([y.data[0], y.data[1], y.data[1000], y.data[2002 * 1000 + 1001], y.data[2002 * 2002 - 1]], [1, 1, 2, 5, 9]);
  let sum = 0;
  for (const v of y.data) sum += v;
  assert.equal(sum, 4 * 45);
  const u = cp.unfold({ shape: [1, 1, 64, 64], data: ones(4096) }, { kernelSize: 8, padding: 100 });
  assert.deepEqual(u.shape, [1, 64, 257 * 257]);
  // The allocator's bytes in use and the stack pointer are back where they started.
  cp.releaseMemory();
  assert.equal(cp.heapInUse(), heap0, 'heap bytes in use');
  assert.equal(cp.stackPointer(), stack0, 'stack pointer');
});
