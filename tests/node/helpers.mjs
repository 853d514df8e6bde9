// Shared by the Node tests: the built module, golden files, tolerant comparison.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const distModule = join(root, 'dist', 'convplay.mjs');
export const distScalarModule = join(root, 'dist', 'convplay-scalar.mjs');

// The builds the golden and random tests run, as [module path, load() options, backend]: the
// SIMD build (forced: the bit-reproducible product), the scalar fallback, and the relaxed-SIMD
// build where this engine validates relaxed SIMD (Node 22+, or Node 20 run with
// --experimental-wasm-relaxed-simd, as scripts/test.sh does once). All match PyTorch within the
// one documented tolerance (close() below), fused multiply-adds or not.
export async function coreBuilds() {
  const builds = [[distModule, { relaxed: false }, 'wasm-simd128'], [distScalarModule, {}, 'scalar']];
  if ((await import(distModule)).relaxedSupported()) builds.push([distModule, {}, 'wasm-relaxed-simd']);
  return builds;
}

export function decodeFloat(v) {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

export function decodeTensor(t) {
  return { shape: t.shape, data: Float32Array.from(t.data, decodeFloat) };
}

export function golden(name) {
  return JSON.parse(readFileSync(join(root, 'tests', 'golden', name), 'utf8')).cases;
}

// The contract: within 1e-4 absolute + 1e-4 relative of PyTorch; NaN matches NaN.
export function close(got, want) {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= 1e-4 + 1e-4 * Math.abs(want);
}

// Throws an informative Error unless tensors match in shape and values.
export function assertTensorClose(got, want, label) {
  const same = got.shape.length === want.shape.length && got.shape.every((d, i) => d === want.shape[i]);
  if (!same) throw new Error(`${label}: shape [${got.shape}] != [${want.shape}]`);
  if (!(got.data instanceof Float32Array)) throw new Error(`${label}: data is not a Float32Array`);
  for (let i = 0; i < want.data.length; ++i)
    if (!close(got.data[i], want.data[i]))
      throw new Error(`${label}: element ${i} is ${got.data[i]}, want ${want.data[i]}`);
}
