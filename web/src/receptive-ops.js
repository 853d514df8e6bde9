// Receptive-field index math of conv3d / conv_transpose3d and of pooling (receptive.js does
// conv2d / conv_transpose2d, and the 1-D ops as their height-1 case). Every axis is independent:
// a cell's taps are the product of each axis's taps, so one per-axis function serves depth,
// height and width. No arithmetic on values: the numbers shown come from the core.

import { convPads, depthPads } from './state.js';
import { padSource } from './receptive.js';

// -> { C, K, Cg, Kg, n: [D, H, W], k, s, d, lo (padding before), hi (after), out: [OD, OH, OW],
//      transposed, mode } for conv3d / conv_transpose3d with output shape [K, OD, OH, OW].
export function geometry3d(s, outShape) {
  const g = Math.max(1, s.groups);
  const transposed = s.op === 'conv_transpose3d';
  const [pt, pb, pl, pr] = transposed ? [s.padding[0], s.padding[0], s.padding[1], s.padding[1]] : convPads(s);
  const [pf, pk] = transposed ? [s.paddingD, s.paddingD] : depthPads(s);
  return {
    op: s.op, transposed, mode: s.paddingMode, C: s.C, K: s.K, groups: g, Cg: s.C / g, Kg: s.K / g,
    n: [s.D, s.H, s.W], k: [s.kd, s.kh, s.kw], s: [s.strideD, ...s.stride], d: [s.dilationD, ...s.dilation],
    lo: [pf, pt, pl], hi: [pk, pb, pr], out: outShape.slice(1),
  };
}

// conv3d, one axis: for output index q, each tap a and the padded position it reads.
function convAxisTaps(geo, ax, q) {
  const taps = [];
  for (let a = 0; a < geo.k[ax]; a++) {
    const pos = q * geo.s[ax] - geo.lo[ax] + a * geo.d[ax];
    taps.push({ a, pos, src: padSource(pos, geo.n[ax], geo.mode) });
  }
  return taps;
}

// conv_transpose3d, one axis: the (tap, input index) pairs that land on output index q.
function convTAxisTaps(geo, ax, q) {
  const taps = [];
  for (let a = 0; a < geo.k[ax]; a++) {
    const num = q + geo.lo[ax] - a * geo.d[ax];
    if (num >= 0 && num % geo.s[ax] === 0 && num / geo.s[ax] < geo.n[ax]) taps.push({ a, pos: num / geo.s[ax], src: num / geo.s[ax] });
  }
  return taps;
}

// Every term of y[o, od, oh, ow]: input channel c (and its index i in the group), the kernel tap
// [a0, a1, a2], the position read [p0, p1, p2] (padding when outside) and its source (-1: zero).
export function outputTaps3d(geo, o, q) {
  const grp = Math.floor(o / geo.Kg);
  const axis = (ax) => (geo.transposed ? convTAxisTaps(geo, ax, q[ax]) : convAxisTaps(geo, ax, q[ax]));
  const [A, B, Cx] = [axis(0), axis(1), axis(2)];
  const taps = [];
  for (let i = 0; i < geo.Cg; i++) {
    const c = grp * geo.Cg + i;
    for (const t0 of A) for (const t1 of B) for (const t2 of Cx) {
      const pos = [t0.pos, t1.pos, t2.pos];
      const src = t0.src < 0 || t1.src < 0 || t2.src < 0 ? null : [t0.src, t1.src, t2.src];
      const inside = pos.every((p, ax) => p >= 0 && p < geo.n[ax]);
      taps.push({ c, i, tap: [t0.a, t1.a, t2.a], pos, src, inside });
    }
  }
  return taps;
}

// Output indices along one axis that read input index p (conv3d: through padding copies too;
// conv_transpose3d: the footprint p·s + a·d − padding).
function axisReach(geo, ax, p) {
  const res = new Set();
  if (geo.transposed) {
    for (let a = 0; a < geo.k[ax]; a++) {
      const q = p * geo.s[ax] + a * geo.d[ax] - geo.lo[ax];
      if (q >= 0 && q < geo.out[ax]) res.add(q);
    }
  } else {
    for (let q = 0; q < geo.out[ax]; q++) {
      if (convAxisTaps(geo, ax, q).some((t) => t.src === p)) res.add(q);
    }
  }
  return [...res].sort((x, y) => x - y);
}

// Output cells [o, od, oh, ow] reached by x[c, p0, p1, p2].
export function inputReach3d(geo, c, p) {
  const grp = Math.floor(c / geo.Cg);
  const [A, B, Cx] = [0, 1, 2].map((ax) => axisReach(geo, ax, p[ax]));
  const outs = [];
  for (let o = grp * geo.Kg; o < (grp + 1) * geo.Kg; o++) {
    for (const a of A) for (const b of B) for (const e of Cx) outs.push([o, a, b, e]);
  }
  return outs;
}

// ---- pooling ---------------------------------------------------------------------------------

// One axis of a pooling: n input, k kernel, s stride, p padding, d dilation, out outputs (the
// core's), floorOut (the count without ceil_mode).
// overhang: how far ceil_mode's last window runs past the padded input (drawn as extra cells).
function poolAxis(n, k, s, p, d, out) {
  const span = d * (k - 1) + 1;
  const floorOut = s > 0 ? Math.floor((n + 2 * p - span) / s) + 1 : 0;
  const overhang = Math.max(0, (out - 1) * s - p + d * (k - 1) - (n - 1) - p);
  return { n, k, s, p, d, out, floorOut, overhang };
}

export function poolGeometry(s, outShape) {
  const dil = s.op === 'max_pool2d' ? s.dilation : [1, 1];
  return {
    op: s.op, C: s.C,
    axes: [poolAxis(s.H, s.kh, s.stride[0], s.padding[0], dil[0], outShape[1]), poolAxis(s.W, s.kw, s.stride[1], s.padding[1], dil[1], outShape[2])],
    countIncludePad: s.countIncludePad, divisorOverride: s.divisorOverride, ceilMode: s.ceilMode,
  };
}

// The window of output (oh, ow): positions [i, j] it covers (padding included) and, for
// avg_pool2d, PyTorch's divisor and why: the window clipped to input + padding (pool size),
// then to the input (the cells summed).
export function poolWindow(geo, oh, ow) {
  const [ah, aw] = geo.axes;
  const rows = [], cols = [];
  for (let a = 0; a < ah.k; a++) rows.push(oh * ah.s - ah.p + a * ah.d);
  for (let b = 0; b < aw.k; b++) cols.push(ow * aw.s - aw.p + b * aw.d);
  const cells = [];
  for (const i of rows) for (const j of cols) cells.push({ i, j, inside: i >= 0 && i < ah.n && j >= 0 && j < aw.n });
  const extra = oh >= ah.floorOut || ow >= aw.floorOut; // a window only ceil_mode adds
  if (geo.op !== 'avg_pool2d') return { rows, cols, cells, extra };
  // avg_pool2d (no dilation): PyTorch's hstart, hend = min(hstart + k, H + p), pool_size, clip.
  const clip = (q, ax) => {
    const start = q * ax.s - ax.p;
    const end = Math.min(start + ax.k, ax.n + ax.p);
    return { size: end - start, start: Math.max(start, 0), end: Math.min(end, ax.n), clipped: start + ax.k > ax.n + ax.p };
  };
  const ch = clip(oh, ah), cw = clip(ow, aw);
  const poolSize = ch.size * cw.size;
  const inputCells = (ch.end - ch.start) * (cw.end - cw.start);
  let divisor, reason;
  if (geo.divisorOverride !== null) { divisor = geo.divisorOverride; reason = 'override'; } else if (geo.countIncludePad) { divisor = poolSize; reason = ch.clipped || cw.clipped ? 'clipped' : 'pad'; } else { divisor = inputCells; reason = 'input'; }
  return { rows, cols, cells, extra, divisor, reason, poolSize, inputCells, clip: [ch, cw] };
}

// Output cells of pooling whose window covers input (i, j).
export function poolReach(geo, i, j) {
  const [ah, aw] = geo.axes;
  const along = (ax, p) => {
    const res = [];
    for (let q = 0; q < ax.out; q++) {
      const r = p - (q * ax.s - ax.p);
      if (r >= 0 && r % ax.d === 0 && r / ax.d < ax.k) res.push(q);
    }
    return res;
  };
  const outs = [];
  for (const oh of along(ah, i)) for (const ow of along(aw, j)) outs.push([oh, ow]);
  return outs;
}
