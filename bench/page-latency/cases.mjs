// The configurations the page benchmark measures (bench/page-latency/latency.mjs), as URL states
// in the page's syntax, with the output shape each must render (the smoke run checks it).
// The huge outputs are those of tests/browser/hostile.test.mjs.

const ar = (n) => Array.from({ length: n }, (_, i) => i);
const rows = (values, w) => ar(values.length / w).map((r) => values.slice(r * w, (r + 1) * w).join(',')).join(';');
const ones = (h, w) => Array(h).fill(Array(w).fill(1).join(',')).join(';');

// Edit -> next frame: a page is opened on the state once, then cells are edited.
export const EDIT_STATES = [
  { id: 'edit-1x5x5', label: 'default 1×5×5, 3×3 kernel', hash: '', shape: null },
  {
    id: 'edit-8x32x32',
    label: '8×32×32 → 8, 3×3, padding 1',
    hash: `op=conv2d&x=${ar(8).map((c) => rows(ar(1024).map((i) => ((i * 7 + c * 3) % 11) - 5), 32)).join('|')}`
      + `&w=${ar(64).map((k) => rows(ar(9).map((i) => ((i + k) % 5) - 2), 3)).join('|')}&padding=1`,
    shape: '1×8×32×32',
  },
  {
    id: 'edit-16x64x64',
    label: '16×64×64 → 1, 3×3, padding 1',
    hash: `op=conv2d&x=${ar(16).map((c) => rows(ar(4096).map((i) => (i + c) % 7), 64)).join('|')}`
      + `&w=${ar(16).map(() => rows(ar(9).map(() => 1), 3)).join('|')}&padding=1`,
    shape: '1×1×64×64',
  },
  // The gradient view (issue 20): the default page with the panel open, typing into grad_output;
  // conv2d 4×16×16 → 8, 3×3, reflect padding 1 with the panel open, typing into grad_output
  // (dL/dx, dL/dW, dL/db and the badges redrawn) and into the input, and the same configuration
  // with the panel closed (what the panel adds). `cell` names the cells edited (default input-cell).
  { id: 'edit-grad-default', label: 'gradient view open, default 1×5×5: grad_output cells', cell: 'grad-output-cell', hash: 'grad=1', shape: null },
  ...[['edit-grad-g', 'grad-output-cell', '&grad=1', 'gradient view open', 'grad_output'], ['edit-grad-open-x', 'input-cell', '&grad=1', 'gradient view open', 'input'],
    ['edit-grad-closed-x', 'input-cell', '', 'gradient view closed', 'input']].map(([id, cell, grad, what, cells]) => ({
    id, cell, label: `${what}, 4×16×16 → 8, 3×3, reflect padding 1: ${cells} cells`,
    hash: `op=conv2d&x=${ar(4).map((c) => rows(ar(256).map((i) => ((i * 5 + c) % 9) - 4), 16)).join('|')}`
      + `&w=${ar(32).map((k) => rows(ar(9).map((i) => ((i + k) % 5) - 2), 3)).join('|')}&padding=1&padding_mode=reflect${grad}`,
    shape: '1×8×16×16',
  })),
  // Issue 20's views at their large sizes: 1-D rows, 3-D slices side by side, pooling's grids.
  {
    id: 'edit-conv1d-16x64',
    label: 'conv1d 16×64 → 16, k 5, dilation 2, causal',
    hash: `op=conv1d&x=${ar(16).map((c) => ar(64).map((i) => ((i * 5 + c) % 9) - 4).join(',')).join('|')}`
      + `&w=${ar(256).map((k) => ar(5).map((i) => ((i + k) % 3) - 1).join(',')).join('|')}&dilation=2&causal=1`,
    shape: '1×16×64',
  },
  {
    id: 'edit-conv3d-2x8x16x16',
    label: 'conv3d 2×8×16×16 → 2, 3×3×3, padding 1',
    hash: `op=conv3d&x=${ar(2).map((c) => ar(8).map((d) => rows(ar(256).map((i) => (i + d + c) % 7), 16)).join('/')).join('|')}`
      + `&w=${ar(4).map(() => ar(3).map(() => ones(3, 3)).join('/')).join('|')}&padding=1`,
    shape: '1×2×8×16×16',
  },
  {
    id: 'edit-maxpool-4x64x64',
    label: 'max_pool2d 4×64×64, k 3, stride 2, padding 1, ceil_mode',
    hash: `op=max_pool2d&x=${ar(4).map((c) => rows(ar(4096).map((i) => (i * 3 + c) % 11), 64)).join('|')}&kernel_size=3&stride=2&padding=1&ceil_mode=1`,
    shape: '1×4×33×33',
  },
];

// The largest grids the page allows, built from the default page by a change of the URL.
export const BUILD_STATES = [
  { id: 'build-16x64x64', label: 'build the 16×64×64 input grids', hash: EDIT_STATES[2].hash, shape: '1×1×64×64' },
  {
    id: 'build-16x16x16x16',
    label: 'build the 16×16 kernels of 16×16',
    hash: `op=conv2d&x=${ar(16).map((c) => rows(ar(256).map((i) => (i + c) % 7), 16)).join('|')}`
      + `&w=${ar(256).map((k) => rows(ar(256).map((i) => (i + k) % 3), 16)).join('|')}&padding=1`,
    shape: '1×16×3×3',
  },
];

export const HUGE_STATES = [
  ['huge-convt-s1000', 'conv_transpose2d, stride 1000', 'op=conv_transpose2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&stride=1000', '1×1×2002×2002'],
  ['huge-convt-s1000-p3', 'conv_transpose2d, stride 1000, padding 3', 'op=conv_transpose2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&stride=1000&padding=3', '1×1×1996×1996'],
  ['huge-conv-p1000', 'conv2d, zero padding 1000', 'op=conv2d&x=1,2;3,4&w=1&padding=1000', '1×1×2002×2002'],
  ['huge-conv-replicate', 'conv2d, replicate padding 1000', 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&padding=1000&padding_mode=replicate', '1×1×2002×2002'],
  ['huge-convt-16ch', 'conv_transpose2d, 16 channels, stride 1000 (64 M values)', `op=conv_transpose2d&x=${Array(16).fill('1,2,3;4,5,6;7,8,9').join('|')}&w=${Array(16).fill('1,1;1,1').join('|')}&stride=1000&groups=16`, '1×16×2002×2002'],
  ['huge-convt-8002', 'conv_transpose2d, 9×9 input, stride 1000 (64 M values)', `op=conv_transpose2d&x=${ones(9, 9)}&w=1,1;1,1&stride=1000`, '1×1×8002×8002'],
  ['huge-conv-1g', 'conv2d, 16×16 kernel, padding 1000 (1 G multiply-adds)', `op=conv2d&x=${ones(4, 4)}&w=${ones(16, 16)}&padding=1000`, '1×1×1989×1989'],
].map(([id, label, hash, shape]) => ({ id, label, hash, shape }));

// Image mode: a 3×3 identity kernel, per channel, on a 512×512 RGB picture.
export const IMAGE_STATE = { id: 'image-512-rgb', label: 'image mode, 512×512 RGB, 3×3 kernel edit', hash: 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=0,0,0;0,1,0;0,0,0&padding=1', shape: '1×1×3×3' };

export const PASTE_STATE = { id: 'paste-50mb', label: 'a 50 MB paste into a cell', hash: 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1', shape: '1×1×2×2' };
