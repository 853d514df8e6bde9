// The README's JS example: run with `node examples/example.mjs` after the build.
import { load } from '../dist/convplay.mjs';

const cp = await load();

// Seed 004: a 3x3 arange with a 2x2 kernel of ones.
const x = cp.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);   // [1, 1, 3, 3]
const k = cp.tensor([[[[1, 1], [1, 1]]]]);                    // [out=1, in=1, 2, 2]
const y = cp.conv2d(x, k, null, { stride: 1, padding: 0 });
console.log(y.shape, cp.toNested(y)[0][0]);                   // [1, 1, 2, 2] [[12, 16], [24, 28]]

// Transposed convolution with a 3x3 kernel of ones brings it back to 4x4.
const ones3 = { shape: [1, 1, 3, 3], data: new Float32Array(9).fill(1) };
console.log(cp.toNested(cp.convTranspose2d(y, ones3))[0][0][0]); // [12, 28, 28, 16]

// Reflect padding, 'same' output size, and the kernel matrix of the same convolution.
console.log(cp.conv2d(x, k, null, { padding: 'same', paddingMode: 'reflect' }).shape); // [1, 1, 3, 3]
console.log(cp.kernelMatrix([[1, 1], [1, 1]], [3, 3]).shape);                       // [4, 9]

// Invalid configurations throw an Error naming the parameter and the rule.
try {
  cp.conv2d(x, k, null, { groups: 2 });
} catch (e) {
  console.log(e.message); // conv2d: groups=2 must divide out_channels=1 (weight.shape[0] of weight [1, 1, 2, 2])
}
