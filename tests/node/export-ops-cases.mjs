// Configurations of the new ops (issue 20) with signed decimal values: the export test runs their
// scripts with PyTorch and NumPy, the model test checks their explanations and URL round trip.

function prng(seed) {
  let a = seed >>> 0;
  return () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 4294967296; };
}
const r = prng(20);
const vals = (n) => Array.from({ length: n }, () => Math.round((r() * 2 - 1) * 400) / 100);
const row = (n) => vals(n).join(',');
const block = (D, H, W) => Array.from({ length: D }, () => Array.from({ length: H }, () => row(W)).join(';')).join('/');
const chans = (C, f) => Array.from({ length: C }, f).join('|');

export const EXPORT_OPS_CASES = [
  ['conv1d, 2 channels, stride 2, padding 1, reflect, bias', `op=conv1d&x=${chans(2, () => row(9))}&w=${chans(6, () => row(3))}&stride=2&padding=1&padding_mode=reflect&b=0.5,-1.25,2`],
  ['conv1d causal, dilation 2, 2 kernels', `op=conv1d&x=${row(10)}&w=${chans(2, () => row(3))}&dilation=2&causal=1`],
  ["conv1d padding='same', dilation 2, replicate, groups 2", `op=conv1d&x=${chans(2, () => row(8))}&w=${chans(4, () => row(4))}&padding=same&dilation=2&padding_mode=replicate&groups=2`],
  ['conv_transpose1d stride 2, padding 1, output_padding 1, groups 2, bias', `op=conv_transpose1d&x=${chans(2, () => row(5))}&w=${chans(4, () => row(3))}&stride=2&padding=1&output_padding=1&groups=2&b=1,2,3,4`],
  ['conv3d 2 channels, stride 1,2,1, padding 1, circular, bias', `op=conv3d&x=${chans(2, () => block(3, 4, 4))}&w=${chans(2, () => block(2, 2, 3))}&stride=1,2,1&padding=1&padding_mode=circular&b=0.25`],
  ["conv3d padding='same', dilation 1,2,1", `op=conv3d&x=${block(3, 5, 5)}&w=${block(2, 2, 2)}&padding=same&dilation=1,2,1`],
  ['conv_transpose3d stride 2, padding 0,1,1, output_padding 1, bias', `op=conv_transpose3d&x=${block(2, 3, 3)}&w=${chans(2, () => block(2, 3, 3))}&stride=2&padding=0,1,1&output_padding=1&b=0.5,-0.5`],
  ['max_pool2d k3 s2 p1, dilation 1,2, ceil_mode', `op=max_pool2d&x=${chans(2, () => block(1, 7, 8))}&kernel_size=3&stride=2&padding=1&dilation=1,2&ceil_mode=1`],
  ['max_pool2d ceil_mode drops the last window (n=5, k=2, s=2, p=1)', `op=max_pool2d&x=${block(1, 5, 5)}&kernel_size=2&padding=1&ceil_mode=1`],
  ['avg_pool2d k3 s2 p1 ceil_mode, count_include_pad=0', `op=avg_pool2d&x=${block(1, 7, 7)}&kernel_size=3&stride=2&padding=1&ceil_mode=1&count_include_pad=0`],
  ['avg_pool2d ceil_mode window clipped at the padded edge (count_include_pad)', `op=avg_pool2d&x=${block(1, 6, 6)}&kernel_size=3&stride=2&padding=1&ceil_mode=1`],
  ['avg_pool2d divisor_override=2, k 2, s 1, p 1', `op=avg_pool2d&x=${chans(2, () => block(1, 4, 5))}&kernel_size=2&stride=1&padding=1&divisor_override=2`],
];

