// The playground's state: plain data, independent of the DOM.
// Kernels are stored per (input channel, output channel) pair so that switching between
// conv2d (weight [out, in/groups, kH, kW]) and conv_transpose2d (weight [in, out/groups, kH, kW])
// or changing groups keeps every kernel the user typed.

import { f32 } from './numfmt.js';

export const LIMITS = { size: 64, channels: 16, kernel: 16 };

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
  };
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
export function deltaKernel(kh, kw) {
  const k = new Array(kh * kw).fill(0);
  if (kh > 0 && kw > 0) k[Math.floor((kh - 1) / 2) * kw + Math.floor((kw - 1) / 2)] = 1;
  return k;
}

export function getKernel(s, inC, outC) {
  let k = s.kernels.get(pairKey(inC, outC));
  if (!k || k.length !== s.kh * s.kw) {
    k = deltaKernel(s.kh, s.kw);
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
  if (s.op === 'conv_transpose2d') {
    const Kg = Math.max(1, Math.floor(s.K / g));
    const Cg = Math.max(1, Math.floor(s.C / g));
    const slots = [];
    for (let i = 0; i < s.C; i++) {
      for (let ol = 0; ol < Kg; ol++) {
        const grp = Math.floor(i / Cg);
        slots.push({ a: i, b: ol, inC: i, outC: Math.min(s.K - 1, grp * Kg + ol) });
      }
    }
    return { shape: [s.C, Kg, s.kh, s.kw], A: s.C, B: Kg, slots, aName: 'in', bName: 'out' };
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
  return { shape: [s.K, Cg, s.kh, s.kw], A: s.K, B: Cg, slots, aName: 'out', bName: 'in' };
}

export function buildTensors(s) {
  const x = new Float32Array(s.C * s.H * s.W);
  for (let c = 0; c < s.C; c++) x.set(s.x[c], c * s.H * s.W);
  const layout = weightLayout(s);
  const ks = s.kh * s.kw;
  const w = new Float32Array(layout.slots.length * ks);
  layout.slots.forEach((slot, n) => w.set(getKernel(s, slot.inC, slot.outC), n * ks));
  const b = s.useBias ? { shape: [s.bias.length], data: Float32Array.from(s.bias) } : null;
  return { x: { shape: [s.C, s.H, s.W], data: x }, w: { shape: layout.shape, data: w }, b, layout };
}

export function options(s) {
  if (s.op === 'conv_transpose2d') {
    const o = { stride: s.stride, padding: s.paddingKind === 'num' ? s.padding : s.paddingKind,
      outputPadding: s.outputPadding, dilation: s.dilation, groups: s.groups };
    if (s.paddingMode !== 'zeros') o.paddingMode = s.paddingMode;
    return o;
  }
  return { stride: s.stride, padding: s.paddingKind === 'num' ? s.padding : s.paddingKind,
    dilation: s.dilation, groups: s.groups, paddingMode: s.paddingMode };
}

// Padding actually applied by conv2d on each side: [top, bottom, left, right].
export function convPads(s) {
  if (s.paddingKind === 'valid') return [0, 0, 0, 0];
  if (s.paddingKind === 'same') {
    const th = s.dilation[0] * (s.kh - 1);
    const tw = s.dilation[1] * (s.kw - 1);
    const t = Math.floor(th / 2), l = Math.floor(tw / 2);
    return [t, th - t, l, tw - l];
  }
  return [s.padding[0], s.padding[0], s.padding[1], s.padding[1]];
}

// ---- resizing (keeps the top-left values, new cells are 0) -------------------------------

function resize2d(arr, oh, ow, nh, nw, fill = 0) {
  const out = new Array(nh * nw).fill(fill);
  for (let r = 0; r < Math.min(oh, nh); r++) {
    for (let c = 0; c < Math.min(ow, nw); c++) out[r * nw + c] = arr[r * ow + c];
  }
  return out;
}

const clampSize = (v, max) => Math.max(0, Math.min(max, v | 0));

export function setInputSize(s, C, H, W) {
  C = clampSize(C, LIMITS.channels); H = clampSize(H, LIMITS.size); W = clampSize(W, LIMITS.size);
  const x = [];
  for (let c = 0; c < C; c++) {
    x.push(c < s.x.length ? resize2d(s.x[c], s.H, s.W, H, W) : new Array(H * W).fill(0));
  }
  s.x = x; s.C = C; s.H = H; s.W = W;
}

export function setKernelSize(s, kh, kw) {
  kh = clampSize(kh, LIMITS.kernel); kw = clampSize(kw, LIMITS.kernel);
  for (const [key, k] of s.kernels) {
    if (k.length === s.kh * s.kw) s.kernels.set(key, resize2d(k, s.kh, s.kw, kh, kw));
    else s.kernels.delete(key);
  }
  s.kh = kh; s.kw = kw;
}

export function setOutChannels(s, K) {
  K = clampSize(K, LIMITS.channels);
  s.K = K;
  s.bias = resize2d(s.bias, 1, s.bias.length, 1, K);
}

export function setAllKernels(s, fn) {
  // fn(inC, outC) -> number[kh*kw]
  for (const slot of weightLayout(s).slots) s.kernels.set(pairKey(slot.inC, slot.outC), fn(slot.inC, slot.outC).map(f32));
}

export function equalStates(a, b) {
  return JSON.stringify(snapshot(a)) === JSON.stringify(snapshot(b));
}
function snapshot(s) {
  return { ...s, kernels: [...s.kernels].sort() };
}
