// The relaxed-SIMD build (issue 22): load() picks it exactly where the engine validates relaxed
// SIMD ({ relaxed: false } and { simd: false } force the others), and its hot kernels really run
// f32x4.relaxed_madd: sums built so that a fused multiply-add and a mul + add give different
// bits. Run twice by scripts/test.sh: plain Node 20 (no relaxed SIMD: the SIMD build is chosen)
// and with --experimental-wasm-relaxed-simd (the relaxed build is chosen and checked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { distModule } from './helpers.mjs';
import { relaxModule } from '../../wasm/relax-opcodes.mjs';

const mod = await import(distModule);
const relaxed = mod.relaxedSupported();

// Whether this engine fuses relaxed_madd (one rounding): the spec lets it do either, V8 fuses
// where the CPU has FMA. A hand-made module computes (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 fused,
// 0 unfused.
function engineFuses() {
  const f32 = (x) => [...new Uint8Array(new Float32Array([x]).buffer)];
  const splat = (x) => [0x43, ...f32(x), 0xfd, 0x13];
  const body = [0, ...splat(1 + 2 ** -23), ...splat(1 - 2 ** -23), ...splat(-1), 0xfd, 0x85, 0x02, 0xfd, 0x1f, 0, 0x0b];
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7d, 3, 2, 1, 0,
    7, 5, 1, 1, 0x66, 0, 0, 10, body.length + 2, 1, body.length, ...body]);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f() !== 0;
}

const T = (shape, data) => ({ shape, data: Float32Array.from(data) });
const a = 1 + 2 ** -12; // a * a = 1 + 2^-11 + 2^-24: exact only with one rounding
// Three sums of a*a - a*a, each through a different kernel, as conv2d calls: unfused every
// product rounds to 1 + 2^-11 and the sum is 0; fused, one product stays exact and the sum is
// +-2^-24.
const cases = [
  // 1x1 kernel, 2 input channels, 8 output channels: the implicit GEMM (gemm_mx8).
  ['gemm (1x1, 2 -> 8 channels)', T([1, 2, 12, 12], Array.from({ length: 288 }, () => a)),
    T([8, 2, 1, 1], Array.from({ length: 16 }, (_, i) => (i % 2 ? -a : a)))],
  // 3x3 single channel: the 3x3 stride-1 pair kernel (dot3 of a kernel row).
  ['3x3 pairs (1 -> 1 channel)', T([1, 1, 16, 16], Array.from({ length: 256 }, () => a)),
    T([1, 1, 3, 3], [a, -a, 0, 0, 0, 0, 0, 0, 0])],
  // 5x5, 1 -> 4 channels: the direct row kernel.
  ['5x5 direct rows (1 -> 4 channels)', T([1, 1, 20, 20], Array.from({ length: 400 }, () => a)),
    T([4, 1, 5, 5], Array.from({ length: 100 }, (_, i) => (i % 25 === 0 ? a : i % 25 === 1 ? -a : 0)))],
];

test('load() runs the relaxed-SIMD build exactly where the engine validates relaxed SIMD', async () => {
  const cp = await mod.load();
  assert.equal(cp.backend, relaxed ? 'wasm-relaxed-simd' : 'wasm-simd128');
  assert.equal((await mod.load({ relaxed: false })).backend, 'wasm-simd128');
  assert.equal((await mod.load({ simd: false })).backend, 'scalar');
  assert.equal((await mod.load({ simd: false, relaxed: true })).backend, 'scalar');
});

test('relaxedSupported() is WebAssembly.validate of relaxed_madd', () => {
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
    10, 19, 1, 17, 0, 65, 0, 253, 17, 65, 0, 253, 17, 65, 0, 253, 17, 253, 133, 2, 11]);
  assert.equal(relaxed, WebAssembly.validate(probe));
  // Node 20 needs the flag; Node 22+ runs relaxed SIMD by default.
  const major = Number(process.versions.node.split('.')[0]);
  if (major === 20) assert.equal(relaxed, process.execArgv.includes('--experimental-wasm-relaxed-simd'));
});

test('the SIMD build never fuses: every a*a - a*a is exactly 0', async () => {
  const cp = await mod.load({ relaxed: false });
  for (const [name, x, w] of cases) {
    const y = cp.conv2d(x, w);
    assert.ok(y.data.length > 0 && y.data.every((v) => v === 0), `${name}: ${y.data.slice(0, 4)}`);
  }
});

test('the relaxed build runs fused multiply-adds in the GEMM, 3x3 and direct kernels', { skip: !relaxed && 'no relaxed SIMD in this engine' }, async () => {
  const cp = await mod.load();
  assert.equal(cp.backend, 'wasm-relaxed-simd');
  const fuses = engineFuses();
  for (const [name, x, w] of cases) {
    const y = cp.conv2d(x, w);
    const want = fuses ? 2 ** -24 : 0;
    assert.ok(y.data.length > 0 && y.data.every((v) => Math.abs(v) === want), `${name}: got ${y.data.slice(0, 4)}, want +-${want}`);
  }
});

test('relax-opcodes rewrites the prototype fma (0xfd 0xaf) to relaxed_madd (0xfd 0x105) by decoding, not matching bytes', () => {
  // (func (result v128) (drop (i32.const 22525)) ... f32x4.fma): the constant's LEB128 is the
  // bytes fd af 01 too, which a byte search would rewrite.
  const body = [0, 0x41, 0xfd, 0xaf, 0x01, 0x1a, 0x41, 0, 0xfd, 0x11, 0x41, 0, 0xfd, 0x11, 0x41, 0, 0xfd, 0x11,
    0xfd, 0xaf, 0x01, 0x0b];
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
    10, body.length + 2, 1, body.length, ...body]);
  const before = Uint8Array.from(bytes);
  assert.deepEqual(relaxModule(bytes), { rewritten: 1, madd: 1 });
  const changed = [...bytes.keys()].filter((i) => bytes[i] !== before[i]);
  assert.deepEqual(changed.map((i) => bytes[i]), [0x85, 0x02]); // only the instruction, not the constant
  if (relaxed) assert.ok(WebAssembly.validate(bytes));
  // The built relaxed core: already rewritten, every fused multiply-add final.
  const dist = readFileSync(new URL('../../dist/convplay-relaxed.mjs', import.meta.url), 'utf8');
  const wasm = Buffer.from(/data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/.exec(dist)[1], 'base64');
  const again = relaxModule(wasm);
  assert.equal(again.rewritten, 0);
  assert.ok(again.madd > 100, `${again.madd} relaxed_madd in dist/convplay-relaxed.mjs`);
});
