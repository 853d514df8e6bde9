// The named actions: the only ways the playground's state (what the URL holds) changes.
// Each is a function (state, payload) that mutates a copy of the state (store.js makes the copy)
// and may return a notice for the reader. Pure data: no DOM, testable under Node.

import { f32 } from './numfmt.js';
import { LIMITS, getKernel, setInputSize, setKernelSize, setOutChannels, setAllKernels, weightLayout, pairKey, changeOp, isPool } from './state.js';
import { applyInputPreset, applyKernelPreset } from './presets.js';
import { squeezeTo } from './paste.js';
import { applyWavenetLayer } from './wavenet.js';
import { t } from './i18n.js';
import { GRAD_ACTIONS, setGradOutputCell } from './grad-state.js';

// Integer parameters of the Parameters panel, by the data-param name of their field.
const PARAMS = {
  in_channels: (s, v) => setInputSize(s, v, s.H, s.W),
  height: (s, v) => setInputSize(s, s.C, v, s.W),
  width: (s, v) => setInputSize(s, s.C, s.H, v),
  out_channels: (s, v) => setOutChannels(s, v),
  'kernel-h': (s, v) => { poolStrideFollows(s, v, s.kw); setKernelSize(s, v, s.kw); },
  'kernel-w': (s, v) => { poolStrideFollows(s, s.kh, v); setKernelSize(s, s.kh, v); },
  groups: (s, v) => { s.groups = v; },
  // 3-D: the depth of the input and of the kernels, and the depth components.
  depth: (s, v) => setInputSize(s, s.C, s.H, s.W, v),
  'kernel-d': (s, v) => setKernelSize(s, s.kh, s.kw, v),
  'stride-d': (s, v) => { s.strideD = v; },
  'padding-d': (s, v) => { s.paddingD = v; s.paddingKind = 'num'; },
  'dilation-d': (s, v) => { s.dilationD = v; },
  'output_padding-d': (s, v) => { s.outputPaddingD = v; },
  // avg_pool2d: an integer, or null (an empty field) for None.
  divisor_override: (s, v) => { s.divisorOverride = v; },
};

// Pooling's stride defaults to kernel_size: while it still equals the kernel, it follows it.
function poolStrideFollows(s, kh, kw) {
  if (isPool(s.op) && s.stride[0] === s.kh && s.stride[1] === s.kw) s.stride = [kh, kw];
}
for (const [name, key] of [['stride', 'stride'], ['padding', 'padding'], ['dilation', 'dilation'], ['output_padding', 'outputPadding']]) {
  PARAMS[`${name}-h`] = (s, v) => { s[key] = [v, s[key][1]]; if (key === 'padding') s.paddingKind = 'num'; };
  PARAMS[`${name}-w`] = (s, v) => { s[key] = [s[key][0], v]; if (key === 'padding') s.paddingKind = 'num'; };
}

function pasteInput(s, { matrix: tm, c, h: i0, w: j0 }) {
  let q = squeezeTo(tm, 3);
  if (q.shape.length === 1) q = { shape: [1, q.shape[0]], data: q.data };
  if (q.shape.length === 3) {
    const [C, H, W] = q.shape;
    if (C > LIMITS.channels || H > LIMITS.size || W > LIMITS.size) throw new Error(t('{a} is larger than {b}', { a: `${C}×${H}×${W}`, b: `${LIMITS.channels}×${LIMITS.size}×${LIMITS.size}` }));
    setInputSize(s, C, H, W);
    for (let k = 0; k < C; k++) s.x[k] = Array.from(q.data.slice(k * H * W, (k + 1) * H * W));
    return t('Pasted a {a} input.', { a: `${C}×${H}×${W}` });
  }
  if (q.shape.length !== 2) throw new Error(t('a tensor of shape {s} does not fit an input grid', { s: `[${tm.shape.join(', ')}]` }));
  const [H, W] = q.shape;
  if (H > LIMITS.size || W > LIMITS.size) throw new Error(t('{a} is larger than {b}', { a: `${H}×${W}`, b: `${LIMITS.size}×${LIMITS.size}` }));
  const resize = i0 === 0 && j0 === 0;
  if (resize) setInputSize(s, s.C, H, W);
  for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) {
    if (i + i0 < s.H && j + j0 < s.W) s.x[c][(i + i0) * s.W + j + j0] = q.data[i * W + j];
  }
  return resize ? t('Pasted a {a} matrix into channel {c} (the input is now {a}).', { a: `${H}×${W}`, c })
    : t('Pasted a {a} matrix at ({i}, {j}) of channel {c}.', { a: `${H}×${W}`, i: i0, j: j0, c });
}

function pasteWeight(s, { matrix: tm, in: inC, out: outC, h: i0, w: j0 }) {
  let q = squeezeTo(tm, 2);
  if (q.shape.length === 4) {
    // A whole weight tensor in the current op's layout.
    const [A, B, kh, kw] = q.shape;
    const conv = s.op === 'conv2d';
    setKernelSize(s, kh, kw);
    const g = Math.max(1, s.groups);
    if (conv) { setOutChannels(s, A); if (B * g !== s.C) setInputSize(s, B * g, s.H, s.W); } else { if (A !== s.C) setInputSize(s, A, s.H, s.W); setOutChannels(s, B * g); }
    weightLayout(s).slots.forEach((slot, n) => s.kernels.set(pairKey(slot.inC, slot.outC), Array.from(q.data.slice(n * kh * kw, (n + 1) * kh * kw))));
    return t('Pasted a weight of shape {s}.', { s: `[${q.shape.join(', ')}]` });
  }
  if (q.shape.length === 1) q = { shape: [1, q.shape[0]], data: q.data };
  if (q.shape.length !== 2) throw new Error(t('a tensor of shape {s} does not fit a kernel (paste a 2-D kernel or the whole 4-D weight)', { s: `[${tm.shape.join(', ')}]` }));
  const [kh, kw] = q.shape;
  if (kh > LIMITS.kernel || kw > LIMITS.kernel) throw new Error(t('{a} is larger than {b}', { a: `${kh}×${kw}`, b: `${LIMITS.kernel}×${LIMITS.kernel}` }));
  if (i0 === 0 && j0 === 0) setKernelSize(s, kh, kw);
  const k = getKernel(s, inC, outC);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    if (i + i0 < s.kh && j + j0 < s.kw) k[(i + i0) * s.kw + j + j0] = q.data[i * kw + j];
  }
  return t('Pasted a {a} kernel.', { a: `${kh}×${kw}` });
}

export const ACTIONS = {
  // A typed number: { testid: 'input-cell' | 'weight-cell' | 'bias-cell', c, h, w, in, out, value }.
  // 3-D cells add d, the depth slice.
  setCell(s, { testid, c, d, h: i, w: j, in: inC, out: outC, value }) {
    const v = f32(value);
    if (testid === 'input-cell') s.x[c][((d || 0) * s.H + i) * s.W + j] = v;
    else if (testid === 'weight-cell') getKernel(s, inC, outC)[((d || 0) * s.kh + i) * s.kw + j] = v;
    else if (testid === 'bias-cell') s.bias[j] = v;
    else if (testid === 'grad-output-cell') setGradOutputCell(s, c, i, j, v);
  },
  setOp(s, { op }) { changeOp(s, op); },
  // conv1d's causal switch: F.pad (k − 1)·d zeros on the left; the user's padding is replaced.
  setCausal(s, { on }) { s.causal = on && s.op === 'conv1d'; if (s.causal) { s.padding = [0, 0]; s.paddingKind = 'num'; s.paddingMode = 'zeros'; } },
  // Pooling's switches: ceilMode, countIncludePad.
  setPoolFlag(s, { name, on }) { if (name === 'ceilMode' || name === 'countIncludePad') s[name] = on; },
  setParam(s, { param, value }) { PARAMS[param](s, value); },
  setPaddingKind(s, { kind }) { s.paddingKind = kind; },
  setPaddingMode(s, { mode }) { s.paddingMode = mode; },
  setBias(s, { on }) { s.useBias = on; if (s.bias.length !== s.K) s.bias = new Array(s.K).fill(0); },
  inputPreset(s, { id }) { applyInputPreset(s, id); },
  // The WaveNet stack, layer n of 4 (wavenet.js).
  wavenetLayer(s, { n, cp }) { return applyWavenetLayer(s, n, cp); },
  kernelPreset(s, { id, cp }) { applyKernelPreset(s, id, cp); },
  pasteInput,
  pasteWeight,
  pasteBias(s, { matrix: m, w: j0 }) { m.data.forEach((v, k) => { if (k + j0 < s.bias.length) s.bias[k + j0] = v; }); },
  // The round-trip panel's "try it": the output_padding that restores a shape.
  setOutputPadding(s, { value }) { s.outputPadding = value; },
  // Image mode: the picture's channels become the input, [C, H, W] values.
  setInput(s, { C, H, W, data }) { setInputSize(s, C, H, W); for (let k = 0; k < C; k++) s.x[k] = Array.from(data.slice(k * H * W, (k + 1) * H * W)); },
  // The round-trip panel's "try it": conv2d's output [K, FH, FW] becomes the input of a
  // conv_transpose2d with the same kernels (each now carrying output channel o back to input
  // channel c) and the output_padding that restores the input's shape.
  roundTrip(s, { outputPadding, K, FH, FW, y }) {
    const C0 = s.C, kernels = s.kernels;
    s.op = 'conv_transpose2d'; s.outputPadding = outputPadding.slice(); s.paddingKind = 'num';
    s.C = K; s.H = FH; s.W = FW;
    s.x = Array.from({ length: K }, (_, c) => Array.from(y.subarray(c * FH * FW, (c + 1) * FH * FW)));
    s.K = C0; s.bias = new Array(C0).fill(0); s.useBias = false; s.paddingMode = 'zeros';
    s.kernels = new Map([...kernels].map(([key, k]) => { const [c, o] = key.split(','); return [`${o},${c}`, k.slice()]; }));
  },
  // Image mode's demos: a kernel and the options that go with it, on every kernel.
  imageDemo(s, { id, bilinear4 }) {
    s.groups = 1; s.dilation = [1, 1]; s.paddingKind = 'num'; s.useBias = false; s.outputPadding = [0, 0];
    if (id === 'up2') {
      s.op = 'conv_transpose2d'; s.stride = [2, 2]; s.padding = [1, 1]; s.paddingMode = 'zeros';
      setKernelSize(s, 4, 4);
      setAllKernels(s, () => bilinear4.slice());
    } else {
      s.op = 'conv2d'; s.stride = [1, 1]; s.paddingMode = 'replicate';
      const k = id === 'blur' ? [1, 4, 6, 4, 1].flatMap((a) => [1, 4, 6, 4, 1].map((b) => (a * b) / 256))
        : id === 'edges' ? [-1, -1, -1, -1, 8, -1, -1, -1, -1] : [0, -1, 0, -1, 5, -1, 0, -1, 0];
      const n = Math.round(Math.sqrt(k.length));
      setKernelSize(s, n, n);
      s.padding = [(n - 1) / 2, (n - 1) / 2];
      setAllKernels(s, () => k.slice());
    }
  },
  ...GRAD_ACTIONS, // the gradient view: setGrad, resetGradOutput (grad-state.js)
};

export const ACTION_NAMES = Object.keys(ACTIONS);
export { PARAMS };
