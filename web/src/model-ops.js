// The model of the ops beyond conv2d / conv_transpose2d (model.js does those two and hands the
// others here): the core's result of conv1d (causal: F.pad, then conv1d), conv_transpose1d,
// conv3d, conv_transpose3d, max_pool2d (with its indices) and avg_pool2d, and what lights up
// for a focused cell of the 3-D ops and of pooling (the 1-D ops use the 2-D code: they are its
// height-1 case). Pure functions, tested under Node (tests/node/model-ops.test.mjs).
//
// Results carry, besides model.js's fields: coreShape (the core's output shape), shape (1-D:
// [K, 1, L], lifted so the 2-D code and grids serve it; 3-D: [K, OD, OH, OW]), planes
// ([K·OD, OH, OW]: the H×W grids drawn), outD, indices (max_pool2d), xPad (causal conv1d).

import { buildTensors, options, opDims, isPool, isTransposed, convPads } from './state.js';
import { geometry, padSource } from './receptive.js';
import { geometry3d, outputTaps3d, inputReach3d, poolGeometry, poolWindow, poolReach } from './receptive-ops.js';
import { TASK_MACS, margin } from './budget.js';
import { groupDigits } from './numfmt.js';

const SHAPE_FN = {
  conv1d: 'conv1dOutputShape', conv_transpose1d: 'convTranspose1dOutputShape', conv3d: 'conv3dOutputShape',
  conv_transpose3d: 'convTranspose3dOutputShape', max_pool2d: 'maxPool2dOutputShape', avg_pool2d: 'avgPool2dOutputShape',
};
const RUN_FN = {
  conv1d: 'conv1d', conv_transpose1d: 'convTranspose1d', conv3d: 'conv3d', conv_transpose3d: 'convTranspose3d',
  max_pool2d: 'maxPool2d', avg_pool2d: 'avgPool2d',
};

export function deriveOpsResult(cp, s) {
  const r = { ok: false, error: '', y: null, xPad: null, yFrame: null, shape: null, pending: false };
  const { x, w, b, layout } = buildTensors(s);
  r.x = x; r.w = w; r.b = b; r.layout = layout;
  const dims = opDims(s.op), pool = isPool(s.op);
  try {
    const opts = options(s);
    let xin = x;
    if (s.causal && s.op === 'conv1d') {
      // Causal: F.pad(x, ((k − 1)·d, 0)), then conv1d without padding; the output keeps x's length.
      const left = convPads(s)[2];
      xin = cp.pad(x, { pad: [left, 0], mode: 'constant', value: 0 });
      r.xPad = xin;
    }
    const chk = pool ? cp[SHAPE_FN[s.op]](xin.shape, opts) : cp[SHAPE_FN[s.op]](xin.shape, w.shape, opts, b ? b.shape : null);
    if (!chk.ok) { r.error = chk.error; return r; }
    const macs = workOf(s, chk.shape);
    if (macs > TASK_MACS) {
      r.error = `${s.op}: this configuration needs ${groupDigits(macs)} multiply-adds; the page computes at most ${groupDigits(TASK_MACS)} for it at once — make the input, the kernel or the channels smaller`;
      return r;
    }
    const out = cp[RUN_FN[s.op]](xin, pool ? opts : w, pool ? undefined : b, pool ? undefined : opts);
    const y = out.output || out;
    if (out.indices) r.indices = out.indices.data;
    r.coreShape = y.shape;
    r.shape = dims === 1 ? [y.shape[0], 1, y.shape[1]] : y.shape;
    r.y = { shape: r.shape, data: y.data };
    if (s.op === 'conv_transpose1d' && s.padding[1] > 0) {
      // The cells padding crops from the full result, drawn dashed beside the output (at most
      // margin() each side), as conv_transpose2d's: the same op with that much less padding.
      const m = margin(s.padding[1]);
      const frameOpts = { ...opts, padding: s.padding[1] - m };
      r.frame = { opts: frameOpts, shape: [r.shape[0], 1, r.shape[2] + 2 * m], margins: [0, m] };
      r.yFrame = { shape: r.frame.shape, data: cp.convTranspose1d(xin, w, b, frameOpts).data };
    }
    if (s.op === 'conv_transpose3d' && (s.paddingD > 0 || s.padding[0] > 0 || s.padding[1] > 0)) {
      // Likewise the rows and columns padding crops around each output slice, and the depth
      // slices it crops before and after (margins: [rows, columns], depth: slices each side).
      const [md, mh, mw] = [margin(s.paddingD), margin(s.padding[0]), margin(s.padding[1])];
      const frameOpts = { ...opts, padding: [s.paddingD - md, s.padding[0] - mh, s.padding[1] - mw] };
      const yf = cp.convTranspose3d(xin, w, b, frameOpts);
      r.frame = { opts: frameOpts, shape: yf.shape, margins: [mh, mw], depth: md };
      r.yFrame = { shape: yf.shape, data: yf.data };
    }
    r.outD = dims === 3 ? r.shape[1] : 1;
    r.planes = dims === 3 ? [r.shape[0] * r.shape[1], r.shape[2], r.shape[3]] : r.shape;
    r.ok = true;
  } catch (e) {
    r.ok = false;
    r.error = e && e.message ? e.message : String(e);
  }
  if (r.ok) r.geo = pool ? poolGeometry(s, r.shape) : dims === 3 ? geometry3d(s, r.shape) : geometry(s, r.shape);
  else r.geo = null;
  return r;
}

// Multiply-adds of one call (pooling: the window reads).
function workOf(s, shape) {
  const n = shape.reduce((a, v) => a * v, 1);
  const kernel = s.kd * s.kh * s.kw;
  if (isPool(s.op)) return n * kernel;
  const g = Math.max(1, s.groups);
  if (isTransposed(s.op)) return s.C * s.D * s.H * s.W * Math.max(1, s.K / g) * kernel;
  return n * Math.max(1, s.C / g) * kernel;
}

function ref(testid, c, d, h, w, via) {
  const q = { testid, c, h, w };
  if (d !== undefined) q.d = d;
  if (via) q.via = via;
  return q;
}

// What lights up for a focused cell of a 3-D op or a pooling, and what the explanation says
// (the same shape as model.js's deriveHighlight cases). mark(ref) collects the cells to light.
export function opsHighlight(s, r, f, mark, partial) {
  if (isPool(s.op)) {
    if (f.testid === 'output-cell') return poolOutput(s, r, f.c, f.h, f.w, mark, partial);
    if (f.testid === 'input-cell') return poolInput(s, r, f.c, f.h, f.w, mark);
    if (f.testid === 'ghost-cell') return { kind: 'pool-pad', c: f.c, i: f.h, j: f.w };
    return { kind: 'idle' };
  }
  const d = f.d || 0;
  if (f.testid === 'output-cell') return outputTerms3d(s, r, f.c, [d, f.h, f.w], mark, partial);
  if (f.testid === 'input-cell') return inputReachOf3d(s, r, f.c, [d, f.h, f.w], mark);
  if (f.testid === 'ghost-cell') {
    // A padding cell at depth d (a slice's margin, or a padding slice): zero, or (reflect,
    // replicate, circular) a copy of the input cell F.pad reads.
    const sd = padSource(d, s.D, s.paddingMode), si = padSource(f.h, s.H, s.paddingMode), sj = padSource(f.w, s.W, s.paddingMode);
    if (sd < 0 || si < 0 || sj < 0) return { kind: 'ghost3d', c: f.c, d, i: f.h, j: f.w, value: 0, src: null };
    mark(ref('input-cell', f.c, sd, si, sj, 'copy'));
    return { kind: 'ghost3d', c: f.c, d, i: f.h, j: f.w, value: xAt(s, r, f.c, [sd, si, sj]), src: [sd, si, sj] };
  }
  if (f.testid === 'weight-cell') {
    const n = r.layout.slots.findIndex((q) => q.inC === f.in && q.outC === f.out);
    const ks = s.kd * s.kh * s.kw;
    return { kind: 'weight', ref: f, value: n < 0 ? NaN : r.w.data[n * ks + (d * s.kh + f.h) * s.kw + f.w] };
  }
  if (f.testid === 'bias-cell') { mark({ testid: 'output-channel', c: f.w }); return { kind: 'bias', c: f.w, value: s.bias[f.w] }; }
  if (f.testid === 'cropped-cell') return { kind: 'cropped', c: f.c, d: f.d || 0, h: f.h, w: f.w };
  return { kind: 'idle' };
}

const xAt = (s, r, c, p) => r.x.data[((c * s.D + p[0]) * s.H + p[1]) * s.W + p[2]];

export function outputTerms3d(s, r, o, q, mark, partial = null) {
  const geo = r.geo;
  const [, OD, OH, OW] = r.shape;
  const y = (partial || r.y).data[((o * OD + q[0]) * OH + q[1]) * OW + q[2]];
  const bias = s.useBias ? r.b.data[o] : null;
  if (s.useBias) mark({ testid: 'bias-cell', c: o, h: 0, w: o });
  const ks = s.kd * s.kh * s.kw;
  const terms = [];
  for (const t of outputTaps3d(geo, o, q)) {
    let xv;
    if (t.inside) { mark(ref('input-cell', t.c, ...t.pos)); xv = xAt(s, r, t.c, t.pos); } else {
      mark(ref('ghost-cell', t.c, ...t.pos, 'pad')); // in a slice's margin or a padding slice (depth-padding.js)
      if (t.src) mark(ref('input-cell', t.c, ...t.src, 'copy'));
      xv = t.src ? xAt(s, r, t.c, t.src) : 0;
    }
    mark({ testid: 'weight-cell', in: t.c, out: o, d: t.tap[0], h: t.tap[1], w: t.tap[2] });
    const slot = geo.transposed ? t.c * geo.Kg + (o - Math.floor(o / geo.Kg) * geo.Kg) : o * geo.Cg + t.i;
    const wv = r.w.data[slot * ks + (t.tap[0] * s.kh + t.tap[1]) * s.kw + t.tap[2]];
    terms.push({ x: xv, w: wv, ghost: !t.inside, c: t.c, pos: t.pos, wi: geo.transposed ? [t.c, o % geo.Kg, ...t.tap] : [o, t.i, ...t.tap] });
  }
  return { kind: 'output3d', o, q, y, bias, terms };
}

function inputReachOf3d(s, r, c, p, mark) {
  const outs = inputReach3d(r.geo, c, p);
  for (const [o, a, b, e] of outs) mark(ref('output-cell', o, a, b, e));
  const slices = [...new Set(outs.map((q) => q[1]))];
  return { kind: 'input3d', c, p, value: xAt(s, r, c, p), outs: outs.length, slices };
}

// ---- pooling ---------------------------------------------------------------------------------

function poolOutput(s, r, c, oh, ow, mark, partial) {
  const geo = r.geo;
  const [, OH, OW] = r.shape;
  const k = (c * OH + oh) * OW + ow;
  const y = (partial || r.y).data[k];
  const win = poolWindow(geo, oh, ow);
  const HW = s.H * s.W;
  const values = [];
  for (const q of win.cells) {
    if (q.inside) { mark(ref('input-cell', c, undefined, q.i, q.j)); values.push({ i: q.i, j: q.j, v: r.x.data[c * HW + q.i * s.W + q.j], inside: true }); } else {
      mark(ref('ghost-cell', c, undefined, q.i, q.j, 'pad'));
      // Padding reads −∞ (max) or 0 (avg); cells past the padded input (ceil_mode) read nothing.
      if (q.i < s.H + s.padding[0] && q.j < s.W + s.padding[1]) values.push({ i: q.i, j: q.j, v: s.op === 'max_pool2d' ? -Infinity : 0, inside: false });
    }
  }
  const base = { c, oh, ow, y, values, extra: win.extra && s.ceilMode, rows: win.rows, cols: win.cols };
  if (s.op === 'max_pool2d') {
    const index = r.indices[k];
    const wh = Math.floor(index / s.W), ww = index % s.W;
    mark(ref('input-cell', c, undefined, wh, ww, 'win'));
    return { kind: 'pool-max', ...base, index, win: [wh, ww] };
  }
  const [ch, cw] = win.clip;
  return { kind: 'pool-avg', ...base, divisor: win.divisor, reason: win.reason, poolSize: win.poolSize, inputCells: win.inputCells,
    terms: values.filter((q) => q.inside && q.i >= ch.start && q.i < ch.end && q.j >= cw.start && q.j < cw.end) };
}

function poolInput(s, r, c, i, j, mark) {
  const outs = poolReach(r.geo, i, j);
  const [, OH, OW] = r.shape;
  let wins = 0;
  for (const [oh, ow] of outs) {
    const won = r.indices && r.indices[(c * OH + oh) * OW + ow] === i * s.W + j;
    if (won) wins++;
    mark(ref('output-cell', c, undefined, oh, ow, won ? 'win' : undefined));
  }
  return { kind: 'pool-input', c, i, j, value: r.x.data[c * s.H * s.W + i * s.W + j], outs: outs.length, wins, index: i * s.W + j };
}
