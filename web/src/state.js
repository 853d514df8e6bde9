// The playground's state: plain data, independent of the DOM.
// Kernels are stored per (input channel, output channel) pair so that switching between
// conv2d (weight [out, in/groups, kH, kW]) and conv_transpose2d (weight [in, out/groups, kH, kW])
// or changing groups keeps every kernel the user typed.
//
// Every op shares the 2-D fields (H, W, kh, kw, [h, w] pairs). The other ops add to them rather
// than rename them (other views build on the 2-D fields):
//   1-D ops (conv1d, conv_transpose1d) are the 2-D state with H = kh = 1 and the height
//     components fixed (stride 1, padding 0, dilation 1): a length is W, a kernel width kw, so
//     the 2-D receptive-field code and grids serve them unchanged (one row per channel);
//   3-D ops add a depth: D, kd and the depth components strideD, paddingD, dilationD,
//     outputPaddingD; x[c] and each kernel hold D·H·W (kd·kh·kw) values, depth-major;
//   pooling (max_pool2d, avg_pool2d) has no weights: kh, kw are kernel_size; ceilMode,
//     countIncludePad, divisorOverride (null: none) are its options.
//   causal (conv1d): pads (kw − 1)·dilation on the left only (F.pad, then conv1d).

import { f32 } from './numfmt.js';

export const LIMITS = { size: 64, channels: 16, kernel: 16, depth: 8 };

export const OPS = ['conv1d', 'conv_transpose1d', 'conv2d', 'conv_transpose2d', 'conv3d', 'conv_transpose3d', 'max_pool2d', 'avg_pool2d'];
// 1, 2 or 3 spatial dimensions.
export const opDims = (op) => (op.endsWith('1d') ? 1 : op.endsWith('3d') ? 3 : 2);
export const isTransposed = (op) => op.startsWith('conv_transpose');
export const isPool = (op) => op.endsWith('pool2d');
// The 2-D op whose index math an op shares (1-D ops are 2-D ops of height 1).
export const base2d = (op) => (isPool(op) ? op : isTransposed(op) ? 'conv_transpose2d' : 'conv2d');

export function arange(n, start = 0) {
  return Array.from({ length: n }, (_, i) => start + i);
}

export function defaultState() {
  // Seed 002: 5×5 arange, 3×3 ones, dilation 1 -> [[54, 63, 72], [99, 108, 117], [144, 153, 162]].
  const s = emptyState();
  s.C = 1; s.H = 5; s.W = 5; s.K = 1; s.kh = 3; s.kw = 3;
  s.x = [arange(25)];
  s.kernels.set(pairKey(0, 0), new Array(9).fill(1));
  return s;
}

export function emptyState() {
  return {
    op: 'conv2d',
    C: 1, H: 1, W: 1, K: 1, kh: 1, kw: 1,
    stride: [1, 1],
    padding: [0, 0],
    paddingKind: 'num', // 'num' | 'same' | 'valid'
    dilation: [1, 1],
    groups: 1,
    outputPadding: [0, 0],
    paddingMode: 'zeros',
    useBias: false,
    x: [[0]],
    kernels: new Map(), // "in,out" -> number[kh*kw]
    bias: [0],
    D: 1, kd: 1, strideD: 1, paddingD: 0, dilationD: 1, outputPaddingD: 0,
    causal: false,
    ceilMode: false, countIncludePad: true, divisorOverride: null,
  };
}

// The default tensors of an op that a URL names without giving them: conv1d arange(8) with a
// kernel of ones(3); conv3d a 1×3×4×4 arange with a 2×2×2 kernel of ones; pooling a 4×4 arange
// with kernel_size 2 (stride = kernel_size, as in PyTorch).
export function defaultStateFor(op) {
  const s = defaultState();
  s.op = op;
  if (opDims(op) === 1) {
    s.H = 1; s.W = 8; s.kh = 1; s.kw = 3; s.x = [arange(8)];
    s.kernels = new Map([[pairKey(0, 0), [1, 1, 1]]]);
  } else if (opDims(op) === 3) {
    s.D = 3; s.H = 4; s.W = 4; s.kd = 2; s.kh = 2; s.kw = 2; s.x = [arange(48)];
    s.kernels = new Map([[pairKey(0, 0), new Array(8).fill(1)]]);
  } else if (isPool(op)) {
    s.H = 4; s.W = 4; s.x = [arange(16)]; s.kh = 2; s.kw = 2; s.stride = [2, 2]; s.K = 1;
    s.kernels = new Map();
  }
  return s;
}

export function cloneState(s) {
  return {
    ...s,
    stride: [...s.stride], padding: [...s.padding], dilation: [...s.dilation],
    outputPadding: [...s.outputPadding],
    x: s.x.map((c) => c.slice()),
    kernels: new Map([...s.kernels].map(([k, v]) => [k, v.slice()])),
    bias: s.bias.slice(),
  };
}

export const pairKey = (inC, outC) => `${inC},${outC}`;

// A kernel no one has typed yet: a centred delta (an identity filter).
export function deltaKernel(kh, kw, kd = 1) {
  const k = new Array(kd * kh * kw).fill(0);
  if (kh > 0 && kw > 0 && kd > 0) k[(Math.floor((kd - 1) / 2) * kh + Math.floor((kh - 1) / 2)) * kw + Math.floor((kw - 1) / 2)] = 1;
  return k;
}

// Values in one input channel / one kernel (depth 1 except for the 3-D ops).
export const planeSize = (s) => s.D * s.H * s.W;
export const kernelSize = (s) => s.kd * s.kh * s.kw;

export function getKernel(s, inC, outC) {
  let k = s.kernels.get(pairKey(inC, outC));
  if (!k || k.length !== kernelSize(s)) {
    k = deltaKernel(s.kh, s.kw, s.kd);
    s.kernels.set(pairKey(inC, outC), k);
  }
  return k;
}

const safeGroups = (s) => Math.max(1, s.groups | 0);

// The weight tensor's layout for the current op: its shape and, for each kernel slot
// (a, b) in weight order, the (input channel, output channel) pair it connects.
// When groups does not divide the channel counts the layout is still defined (the
// compute API then explains the broken rule).
export function weightLayout(s) {
  const g = safeGroups(s);
  if (isPool(s.op)) return { shape: [0], A: 0, B: 0, slots: [], aName: 'out', bName: 'in' };
  if (isTransposed(s.op)) {
    const Kg = Math.max(1, Math.floor(s.K / g));
    const Cg = Math.max(1, Math.floor(s.C / g));
    const slots = [];
    for (let i = 0; i < s.C; i++) {
      for (let ol = 0; ol < Kg; ol++) {
        const grp = Math.floor(i / Cg);
        slots.push({ a: i, b: ol, inC: i, outC: Math.min(s.K - 1, grp * Kg + ol) });
      }
    }
    return { shape: [s.C, Kg, ...kernelDims(s)], A: s.C, B: Kg, slots, aName: 'in', bName: 'out' };
  }
  const Cg = Math.max(1, Math.floor(s.C / g));
  const Kg = Math.max(1, Math.floor(s.K / g));
  const slots = [];
  for (let o = 0; o < s.K; o++) {
    for (let il = 0; il < Cg; il++) {
      const grp = Math.floor(o / Kg);
      slots.push({ a: o, b: il, inC: Math.min(s.C - 1, grp * Cg + il), outC: o });
    }
  }
  return { shape: [s.K, Cg, ...kernelDims(s)], A: s.K, B: Cg, slots, aName: 'out', bName: 'in' };
}

// The spatial dimensions of the input and of a kernel, as the op's tensors have them.
export function inputDims(s) {
  const d = opDims(s.op);
  return d === 1 ? [s.W] : d === 3 ? [s.D, s.H, s.W] : [s.H, s.W];
}
export function kernelDims(s) {
  const d = opDims(s.op);
  return d === 1 ? [s.kw] : d === 3 ? [s.kd, s.kh, s.kw] : [s.kh, s.kw];
}

// The core's tensors: x [C, ...dims], w in the op's weight layout (pooling: none, an empty
// tensor), b or null.
export function buildTensors(s) {
  const n = planeSize(s);
  const x = new Float32Array(s.C * n);
  for (let c = 0; c < s.C; c++) x.set(s.x[c].length === n ? s.x[c] : new Array(n).fill(0), c * n);
  const layout = weightLayout(s);
  const ks = kernelSize(s);
  const w = new Float32Array(layout.slots.length * ks);
  layout.slots.forEach((slot, i) => w.set(getKernel(s, slot.inC, slot.outC), i * ks));
  const b = s.useBias && !isPool(s.op) ? { shape: [s.bias.length], data: Float32Array.from(s.bias) } : null;
  return { x: { shape: [s.C, ...inputDims(s)], data: x }, w: { shape: layout.shape, data: w }, b, layout };
}

const padOpt = (s, v) => (s.paddingKind === 'num' ? v : s.paddingKind);

export function options(s) {
  const dims = opDims(s.op);
  const pick = (pair, depth) => (dims === 1 ? pair[1] : dims === 3 ? [depth, pair[0], pair[1]] : pair);
  if (isPool(s.op)) {
    const o = { kernelSize: [s.kh, s.kw], stride: s.stride, padding: s.padding, ceilMode: s.ceilMode };
    if (s.op === 'max_pool2d') return { ...o, dilation: s.dilation, returnIndices: true };
    o.countIncludePad = s.countIncludePad;
    if (s.divisorOverride !== null) o.divisorOverride = s.divisorOverride;
    return o;
  }
  if (dims !== 2) {
    const o = { stride: pick(s.stride, s.strideD), dilation: pick(s.dilation, s.dilationD), groups: s.groups };
    if (isTransposed(s.op)) {
      o.padding = pick(s.padding, s.paddingD); o.outputPadding = pick(s.outputPadding, s.outputPaddingD);
      if (s.paddingMode !== 'zeros') o.paddingMode = s.paddingMode;
    } else if (s.causal && s.op === 'conv1d') o.padding = 0; // the left padding is F.pad's (model.js)
    else { o.padding = padOpt(s, pick(s.padding, s.paddingD)); o.paddingMode = s.paddingMode; }
    return o;
  }
  if (s.op === 'conv_transpose2d') {
    const o = { stride: s.stride, padding: s.paddingKind === 'num' ? s.padding : s.paddingKind,
      outputPadding: s.outputPadding, dilation: s.dilation, groups: s.groups };
    if (s.paddingMode !== 'zeros') o.paddingMode = s.paddingMode;
    return o;
  }
  return { stride: s.stride, padding: s.paddingKind === 'num' ? s.padding : s.paddingKind,
    dilation: s.dilation, groups: s.groups, paddingMode: s.paddingMode };
}

// Padding actually applied by conv2d (conv1d, conv3d in height and width, pooling) on each
// side: [top, bottom, left, right]. Causal conv1d: (kw − 1)·dilation on the left only.
export function convPads(s) {
  if (s.causal && s.op === 'conv1d') return [0, 0, s.dilation[1] * (s.kw - 1), 0];
  if (s.paddingKind === 'valid') return [0, 0, 0, 0];
  if (s.paddingKind === 'same') {
    const th = s.dilation[0] * (s.kh - 1);
    const tw = s.dilation[1] * (s.kw - 1);
    const t = Math.floor(th / 2), l = Math.floor(tw / 2);
    return [t, th - t, l, tw - l];
  }
  return [s.padding[0], s.padding[0], s.padding[1], s.padding[1]];
}

// conv3d's depth padding: [front, back].
export function depthPads(s) {
  if (s.paddingKind === 'valid') return [0, 0];
  if (s.paddingKind === 'same') { const t = s.dilationD * (s.kd - 1); return [Math.floor(t / 2), t - Math.floor(t / 2)]; }
  return [s.paddingD, s.paddingD];
}

// ---- resizing (keeps the top-left values, new cells are 0) -------------------------------

function resize2d(arr, oh, ow, nh, nw, fill = 0) {
  return resize3d(arr, 1, oh, ow, 1, nh, nw, fill);
}

// Depth-major [od, oh, ow] values cut or zero-extended to [nd, nh, nw].
function resize3d(arr, od, oh, ow, nd, nh, nw, fill = 0) {
  const out = new Array(nd * nh * nw).fill(fill);
  for (let d = 0; d < Math.min(od, nd); d++) {
    for (let r = 0; r < Math.min(oh, nh); r++) {
      for (let c = 0; c < Math.min(ow, nw); c++) out[(d * nh + r) * nw + c] = arr[(d * oh + r) * ow + c];
    }
  }
  return out;
}

const clampSize = (v, max) => Math.max(0, Math.min(max, v | 0));

export function setInputSize(s, C, H, W, D = s.D) {
  C = clampSize(C, LIMITS.channels); H = clampSize(H, LIMITS.size); W = clampSize(W, LIMITS.size);
  D = opDims(s.op) === 3 ? clampSize(D, LIMITS.depth) : 1;
  if (opDims(s.op) === 1) H = Math.min(H, 1); // a 1-D input is one row per channel
  const x = [];
  for (let c = 0; c < C; c++) {
    x.push(c < s.x.length ? resize3d(s.x[c], s.D, s.H, s.W, D, H, W) : new Array(D * H * W).fill(0));
  }
  s.x = x; s.C = C; s.H = H; s.W = W; s.D = D;
}

export function setKernelSize(s, kh, kw, kd = s.kd) {
  kh = clampSize(kh, LIMITS.kernel); kw = clampSize(kw, LIMITS.kernel);
  kd = opDims(s.op) === 3 ? clampSize(kd, LIMITS.depth) : 1;
  if (opDims(s.op) === 1) kh = Math.min(kh, 1);
  for (const [key, k] of s.kernels) {
    if (k.length === kernelSize(s)) s.kernels.set(key, resize3d(k, s.kd, s.kh, s.kw, kd, kh, kw));
    else s.kernels.delete(key);
  }
  s.kh = kh; s.kw = kw; s.kd = kd;
}

// A new op: the state keeps what the new op can use. Into 1-D: the first row of every channel
// and kernel, height components fixed; into 2-D: the first depth slice; into pooling: stride =
// kernel_size (PyTorch's default) and integer padding.
export function changeOp(s, op) {
  const from = s.op;
  if (from === op) return;
  s.op = op;
  const dims = opDims(op);
  if (dims !== 3) { setInputSize(s, s.C, s.H, s.W, 1); setKernelSize(s, s.kh, s.kw, 1); }
  if (dims === 1) {
    setInputSize(s, s.C, Math.min(1, s.H), s.W); setKernelSize(s, Math.min(1, s.kh), s.kw);
    s.stride = [1, s.stride[1]]; s.padding = [0, s.padding[1]]; s.dilation = [1, s.dilation[1]]; s.outputPadding = [0, s.outputPadding[1]];
  }
  if (op !== 'conv1d') s.causal = false;
  if (isPool(op)) {
    if (!isPool(from)) s.stride = [s.kh, s.kw];
    s.paddingKind = 'num'; s.paddingMode = 'zeros'; s.useBias = false; s.groups = 1;
    if (op === 'avg_pool2d') s.dilation = [1, 1];
  } else if (isPool(from)) {
    s.ceilMode = false; s.countIncludePad = true; s.divisorOverride = null;
  }
  if (isTransposed(op) && s.paddingKind !== 'num') s.paddingKind = 'num';
}

export function setOutChannels(s, K) {
  K = clampSize(K, LIMITS.channels);
  s.K = K;
  s.bias = resize2d(s.bias, 1, s.bias.length, 1, K);
}

export function setAllKernels(s, fn) {
  // fn(inC, outC) -> number[kh*kw] (a 3-D kernel gets it on every depth slice), or a whole kernel.
  for (const slot of weightLayout(s).slots) {
    let k = fn(slot.inC, slot.outC);
    if (s.kd > 1 && k.length === s.kh * s.kw) k = Array.from({ length: s.kd }, () => k).flat();
    s.kernels.set(pairKey(slot.inC, slot.outC), k.map(f32));
  }
}

export function equalStates(a, b) {
  return JSON.stringify(snapshot(a)) === JSON.stringify(snapshot(b));
}
function snapshot(s) {
  return { ...s, kernels: [...s.kernels].sort() };
}
