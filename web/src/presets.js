// Presets for the input and the kernels, and the worked examples of the source notes
// (../shared/seeds/README.md), each as a URL hash so that loading one exercises the URL contract.

import { arange, setInputSize, setKernelSize, setAllKernels, deltaKernel, planeSize, opDims } from './state.js';
import { f32 } from './numfmt.js';

// Deterministic PRNG (mulberry32): presets are reproducible, and their values go into the URL.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let seedCounter = 1;

// A 12×12 hand-drawn digit "7" (0 = paper, 1 = ink): the small image patch.
const PATCH = [
  '............',
  '..########..',
  '..#########.',
  '.........##.',
  '........##..',
  '.......##...',
  '......###...',
  '..########..',
  '.....##.....',
  '....##......',
  '....##......',
  '...##.......',
];
function patchValue(r, c) {
  // Soften the strokes a little: ink 1, edge neighbours 0.3.
  const at = (rr, cc) => (rr >= 0 && rr < 12 && cc >= 0 && cc < 12 && PATCH[rr][cc] === '#' ? 1 : 0);
  if (at(r, c)) return 1;
  const nb = at(r - 1, c) + at(r + 1, c) + at(r, c - 1) + at(r, c + 1);
  return nb > 0 ? 0.25 : 0;
}

export const INPUT_PRESETS = [
  { id: 'arange', label: 'arange', title: 'torch.arange(C·H·W).reshape(C, H, W)', fill: (s) => s.x.map((_, c) => arange(planeSize(s), c * planeSize(s))) },
  { id: 'arange1', label: 'arange from 1', title: 'torch.arange(1, C·H·W + 1)', fill: (s) => s.x.map((_, c) => arange(planeSize(s), c * planeSize(s) + 1)) },
  { id: 'ones', label: 'ones', title: 'torch.ones', fill: (s) => s.x.map(() => new Array(planeSize(s)).fill(1)) },
  { id: 'randint', label: 'random integers', title: 'torch.randint(-5, 6) (new draw each click)', fill: (s) => {
    const r = rng(seedCounter++ * 7919);
    return s.x.map(() => Array.from({ length: planeSize(s) }, () => Math.floor(r() * 11) - 5));
  } },
  { id: 'randn', label: 'random normal', title: 'torch.randn, rounded to 2 decimals (new draw each click)', fill: (s) => {
    const r = rng(seedCounter++ * 104729);
    const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    return s.x.map(() => Array.from({ length: planeSize(s) }, () => f32(Math.round(normal() * 100) / 100)));
  } },
  { id: 'checker', label: 'checkerboard', title: '1 and 0 alternating', fill: (s) => s.x.map(() => Array.from({ length: planeSize(s) }, (_, i) => ((Math.floor(i / s.W) + (i % s.W)) % 2 === 0 ? 1 : 0))) },
  { id: 'image', label: 'image patch', title: 'a 12×12 handwritten 7 (sets the input to 12×12)', fill: (s) => {
    // 1-D: row 7 of the digit (its crossbar); 3-D: the digit on every depth slice.
    setInputSize(s, s.C, 12, 12);
    const row0 = opDims(s.op) === 1 ? 7 : 0;
    return s.x.map(() => Array.from({ length: planeSize(s) }, (_, i) => f32(patchValue(row0 + (Math.floor(i / 12) % 12), i % 12))));
  } },
];

const FIXED3 = {
  sobelx: [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  sobely: [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  laplacian: [0, 1, 0, 1, -4, 1, 0, 1, 0],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
};

function binomial(n) {
  const row = [1];
  for (let i = 1; i < n; i++) row.push((row[i - 1] * (n - i)) / i);
  return row;
}

export const KERNEL_PRESETS = [
  { id: 'identity', label: 'identity', title: 'a centred 1 (output = input)', kernel: (s) => deltaKernel(s.kh, s.kw) },
  { id: 'ones', label: 'ones', title: 'all ones (a sum)', kernel: (s) => new Array(s.kh * s.kw).fill(1) },
  { id: 'box', label: 'box blur', title: 'all 1/(kH·kW) (a mean)', kernel: (s) => new Array(s.kh * s.kw).fill(1 / (s.kh * s.kw)) },
  { id: 'gauss', label: 'Gaussian', title: 'binomial approximation of a Gaussian, normalised', kernel: (s) => {
    const a = binomial(s.kh), b = binomial(s.kw);
    const tot = a.reduce((p, q) => p + q, 0) * b.reduce((p, q) => p + q, 0);
    return a.flatMap((u) => b.map((v) => (u * v) / tot));
  } },
  { id: 'sobelx', label: 'Sobel x', title: 'horizontal gradient (3×3)', size: 3, kernel: () => FIXED3.sobelx },
  { id: 'sobely', label: 'Sobel y', title: 'vertical gradient (3×3)', size: 3, kernel: () => FIXED3.sobely },
  { id: 'laplacian', label: 'Laplacian', title: 'second derivative (3×3)', size: 3, kernel: () => FIXED3.laplacian },
  { id: 'sharpen', label: 'sharpen', title: 'identity plus a negative Laplacian (3×3)', size: 3, kernel: () => FIXED3.sharpen },
  { id: 'bilinear', label: 'bilinear upsampling', title: "d2l's bilinear_kernel (FCN): for ×2 use conv_transpose2d with k=4, stride 2, padding 1", bilinear: true },
];

// Apply presets to a state (mutates). cp is the compute API (for the bilinear kernel).
export function applyInputPreset(s, id) {
  const p = INPUT_PRESETS.find((q) => q.id === id);
  s.x = p.fill(s).map((c) => c.map(f32));
}

export function applyKernelPreset(s, id, cp) {
  const p = KERNEL_PRESETS.find((q) => q.id === id);
  if (opDims(s.op) === 1 && (p.size || p.bilinear)) {
    // 1-D: the middle row of the 2-D kernel (Sobel x: [−2, 0, 2], Laplacian: [1, −4, 1]).
    const k = p.size || Math.max(2, s.kw === 1 ? 4 : s.kw);
    const full = p.bilinear ? Array.from(cp.bilinearKernel(1, 1, k).data) : p.kernel(s);
    setKernelSize(s, 1, k);
    const mid = Math.floor((k - 1) / 2);
    setAllKernels(s, () => full.slice(mid * k, mid * k + k));
    return;
  }
  if (p.size) setKernelSize(s, p.size, p.size);
  if (p.bilinear) {
    const k = Math.max(2, Math.max(s.kh, s.kw) === 1 ? 4 : Math.max(s.kh, s.kw));
    setKernelSize(s, k, k);
    const filt = Array.from(cp.bilinearKernel(1, 1, k).data);
    // d2l: weight[range(in), range(out)] = filt — channel c to channel c only.
    setAllKernels(s, (inC, outC) => (inC === outC || s.C === 1 || s.K === 1 ? filt : new Array(k * k).fill(0)));
    return;
  }
  const k = p.kernel(s);
  setAllKernels(s, () => k);
}

// ---- the worked examples -----------------------------------------------------------------

const rows = (flat, W) => {
  const out = [];
  for (let i = 0; i < flat.length; i += W) out.push(flat.slice(i, i + W).join(','));
  return out.join(';');
};
const ar = (n, start = 0) => arange(n, start);
const ones = (H, W) => rows(new Array(H * W).fill(1), W);
const image = rows(Array.from({ length: 144 }, (_, i) => patchValue(Math.floor(i / 12), i % 12)), 12);

export const EXAMPLES = [
  { id: 'seed004-conv', source: '004', title: 'conv2d: 3×3 arange(1…9) with 2×2 ones', expect: '[[12, 16], [24, 28]]',
    hash: 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1' },
  { id: 'seed004-convt', source: '004', title: 'conv_transpose2d of that output with 3×3 ones', expect: '4×4: [[12, 28, 28, 16], …]',
    hash: `op=conv_transpose2d&x=12,16;24,28&w=${ones(3, 3)}` },
  { id: 'seed001-tconv', source: '001', title: 'd2l trans_conv: X = K = [[0, 1], [2, 3]]', expect: '[[0, 0, 1], [0, 4, 6], [4, 12, 9]]',
    hash: 'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3' },
  { id: 'seed001-pad', source: '001', title: '… with padding=1: the outer ring is removed', expect: '[[4]]',
    hash: 'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&padding=1' },
  { id: 'seed001-stride', source: '001', title: '… with stride=2: the output grows', expect: '4×4',
    hash: 'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&stride=2' },
  { id: 'seed001-k2m', source: '001', title: 'kernel2matrix: 3×3 arange(9) with K = [[1, 2], [3, 4]]', expect: '[[27, 37], [57, 67]]; see “as a matrix”',
    hash: 'op=conv2d&x=0,1,2;3,4,5;6,7,8&w=1,2;3,4' },
  { id: 'seed001-bilinear', source: '001', title: '×2 upsampling: bilinear kernel, k=4, stride 2, padding 1', expect: '12×12 → 24×24',
    hash: `op=conv_transpose2d&x=${image}&w=0.0625,0.1875,0.1875,0.0625;0.1875,0.5625,0.5625,0.1875;0.1875,0.5625,0.5625,0.1875;0.0625,0.1875,0.1875,0.0625&stride=2&padding=1` },
  { id: 'seed002-dil1', source: '002', title: '5×5 arange, 3×3 ones, dilation 1', expect: '[[54, 63, 72], [99, 108, 117], [144, 153, 162]]',
    hash: `op=conv2d&x=${rows(ar(25), 5)}&w=${ones(3, 3)}` },
  { id: 'seed002-dil2', source: '002', title: '… dilation 2', expect: '[[108]]',
    hash: `op=conv2d&x=${rows(ar(25), 5)}&w=${ones(3, 3)}&dilation=2` },
  { id: 'seed002-zeros', source: '002', title: 'padding_mode zeros, padding 1, 1×1 ones on 4×4 arange', expect: '6×6 with a ring of 0',
    hash: `op=conv2d&x=${rows(ar(16), 4)}&w=1&padding=1&padding_mode=zeros` },
  { id: 'seed002-reflect', source: '002', title: '… reflect, padding 1', expect: '[[5, 4, 5, 6, 7, 6], …]',
    hash: `op=conv2d&x=${rows(ar(16), 4)}&w=1&padding=1&padding_mode=reflect` },
  { id: 'seed002-replicate', source: '002', title: '… replicate, padding 2', expect: '[[0, 0, 0, 1, 2, 3, 3, 3], …]',
    hash: `op=conv2d&x=${rows(ar(16), 4)}&w=1&padding=2&padding_mode=replicate` },
  { id: 'seed002-circular', source: '002', title: '… circular, padding 2', expect: '[[10, 11, 8, 9, 10, 11, 8, 9], …]',
    hash: `op=conv2d&x=${rows(ar(16), 4)}&w=1&padding=2&padding_mode=circular` },
  { id: 'seed003-a', source: '003', title: "conv_transpose2d size: i'=5, k=3, s=2", expect: '11×11',
    hash: `op=conv_transpose2d&x=${ones(5, 5)}&w=${ones(3, 3)}&stride=2` },
  { id: 'seed003-b', source: '003', title: "… i'=4, k=3, s=2, output_padding=1", expect: '10×10',
    hash: `op=conv_transpose2d&x=${ones(4, 4)}&w=${ones(3, 3)}&stride=2&output_padding=1` },
  { id: 'seed000-kmatrix', source: '000', title: '3×3 kernel on a 4×4 input: the 4×16 kernel matrix', expect: 'y = M·x, see “as a matrix”',
    hash: `op=conv2d&x=${rows(ar(16), 4)}&w=${rows(ar(9, 1), 3)}` },
  { id: 'seed000-unfold', source: '000', title: 'unfold: 5×3×4 input, 2×3 kernel → 30×4 columns', expect: 'unfold shape [30, 4] (batch 1)',
    hash: `op=conv2d&x=${Array.from({ length: 5 }, (_, c) => rows(ar(12, c * 12), 4)).join('|')}&w=${Array.from({ length: 5 }, () => ones(2, 3)).join('|')}` },
];
