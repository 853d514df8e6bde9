// The model: everything the views draw, derived from the state by pure functions (no DOM;
// tests/node/model.test.mjs runs them under Node with the real core).
//
//   deriveResult(cp, state) -> result: validation, the output shape or the broken rule, the
//     core's output (or the bands it will be computed in when it is over the one-task budget),
//     the padded input, the cropped frame of conv_transpose2d, the receptive-field geometry;
//   deriveHighlight(state, result, ui) -> { refs, self, explain }: the cells to light for the
//     focused cell (its receptive field and kernel taps, or the outputs an input reaches), and
//     what the explanation panel writes (the sum of products with its numbers).
//
// A cell reference is { testid, c, h, w } plus, for weights, { in, out } (the data-* hooks).

import { buildTensors, options, convPads, base2d, opDims, isPool } from './state.js';
import { deriveOpsResult, opsHighlight } from './model-ops.js';
import { geometry, convOutputTaps, convInputReach, convTOutputTaps, convTInputReach, padSource } from './receptive.js';
import { drawable, margin, convWork, fitsOneTask, TASK_VALUES } from './budget.js';
import { bandGeometry, planBands } from './banded-conv.js';

export function deriveResult(cp, s) {
  // The other ops (1-D, 3-D, pooling): model-ops.js.
  if (s.op !== 'conv2d' && s.op !== 'conv_transpose2d') return deriveOpsResult(cp, s);
  const r = { ok: false, error: '', y: null, xPad: null, yFrame: null, shape: null, pending: false };
  const { x, w, b, layout } = buildTensors(s);
  r.x = x; r.w = w; r.b = b; r.layout = layout;
  try {
    const opts = options(s);
    const conv = s.op === 'conv2d';
    const chk = conv ? cp.conv2dOutputShape(x.shape, w.shape, opts, b ? b.shape : null)
      : cp.convTranspose2dOutputShape(x.shape, w.shape, opts, b ? b.shape : null);
    if (!chk.ok) {
      r.error = chk.error;
    } else {
      r.shape = chk.shape;
      r.ok = true;
      const [K, OH, OW] = chk.shape;
      // conv_transpose2d's drawn output shows the border its padding crops (at most margin()
      // cells each side: a padding of 1000 is not 2000 drawn rows): the "frame" result, computed
      // with that much less padding.
      if (!conv && (s.padding[0] > 0 || s.padding[1] > 0) && drawable(chk.shape)) {
        const [mh, mw] = [margin(s.padding[0]), margin(s.padding[1])];
        r.frame = { opts: { ...opts, padding: [s.padding[0] - mh, s.padding[1] - mw] }, shape: [K, OH + 2 * mh, OW + 2 * mw], margins: [mh, mw] };
      }
      const pads = conv ? convPads(s) : [0, 0, 0, 0];
      if (!fitsOneTask(convWork(s.op, x.shape, w.shape, chk.shape, pads, s.paddingMode))) {
        // Over the one-task budget: computed in bands, one per task, after the first draw.
        r.pending = true;
        r.bands = planBands(r.frame ? bandGeometry(s.op, x.shape, w.shape, r.frame.opts, r.frame.shape)
          : bandGeometry(s.op, x.shape, w.shape, opts, chk.shape));
      } else {
        r.y = conv ? cp.conv2d(x, w, b, opts) : cp.convTranspose2d(x, w, b, opts);
        r.shape = r.y.shape;
        if (r.frame) r.yFrame = cp.convTranspose2d(x, w, b, r.frame.opts);
      }
      // conv2d's padded input (F.pad), for the matrix panel's im2col: computed by the core when
      // first read, and only when small. The padding cells read the input (paddedValue).
      const [pt, pb, pl, pr] = pads;
      let xPad = null;
      Object.defineProperty(r, 'xPad', {
        enumerable: true,
        get() {
          if (xPad === null && conv && (pt || pb || pl || pr) && s.C * (s.H + pt + pb) * (s.W + pl + pr) <= TASK_VALUES / 4) {
            try { xPad = cp.pad(x, { pad: [pl, pr, pt, pb], mode: s.paddingMode === 'zeros' ? 'constant' : s.paddingMode, value: 0 }); } catch { xPad = null; }
          }
          return xPad;
        },
      });
    }
  } catch (e) {
    r.ok = false;
    r.error = e && e.message ? e.message : String(e);
  }
  r.geo = r.ok ? geometry(s, r.shape) : null;
  if (r.ok) { r.planes = r.shape; r.outD = 1; r.coreShape = r.shape; }
  return r;
}

// The banded result is complete: data holds every band ([K, FH, FW] of the frame when there is one).
export function finishBands(r, data) {
  if (r.frame) {
    r.yFrame = { shape: r.frame.shape, data };
    r.y = { shape: r.shape, data: cropFrame(data, r.frame.shape, r.frame.margins) };
  } else r.y = { shape: r.shape, data };
  r.pending = false;
}

// The inner [K, FH − 2·mh, FW − 2·mw] of a [K, FH, FW] result (rows copied, no arithmetic).
export function cropFrame(data, [K, FH, FW], [mh, mw]) {
  const OH = FH - 2 * mh, OW = FW - 2 * mw;
  const y = new Float32Array(K * OH * OW);
  for (let o = 0; o < K; o++) {
    for (let i = 0; i < OH; i++) y.set(data.subarray((o * FH + i + mh) * FW + mw, (o * FH + i + mh) * FW + mw + OW), (o * OH + i) * OW);
  }
  return y;
}

// conv2d's padded input at (i, j) of channel c, (0, 0) being the input's first cell: the input
// cell it copies (padSource, PyTorch's F.pad index rule) or 0.
export function paddedValue(s, r, c, i, j) {
  const si = padSource(i, s.H, s.paddingMode), sj = padSource(j, s.W, s.paddingMode);
  return si < 0 || sj < 0 ? 0 : r.x.data[c * s.H * s.W + si * s.W + sj];
}

const cellRef = (testid, c, h, w, via) => (via ? { testid, c, h, w, via } : { testid, c, h, w });
const weightRef = (inC, outC, h, w) => ({ testid: 'weight-cell', in: inC, out: outC, h, w });

// What lights up for the focused cell, and what the explanation panel says about it.
// ui: { focus, highlight, anim } (ui.js); partial: the animation's partial output, if any.
export function deriveHighlight(s, r, ui, partial = null) {
  if (ui.highlight) {
    // A teaching view's highlight: a focused cell (derived as below) plus its own marks and note.
    const hl = ui.highlight;
    const base = hl.focus ? deriveHighlight(s, r, { focus: hl.focus, highlight: null }, partial) : { refs: [], self: null, explain: { kind: 'note', note: null } };
    return { refs: base.refs.concat(hl.refs || []), self: hl.self || base.self, explain: hl.note ? { kind: 'note', note: hl.note } : base.explain };
  }
  const f = ui.focus;
  if (!f) return { refs: [], self: null, explain: { kind: r.ok ? 'idle' : 'invalid' } };
  if (!r.ok) return { refs: [], self: f, explain: { kind: 'invalid' } };
  if (r.pending) return { refs: [], self: f, explain: { kind: 'pending' } };
  if (!inShape(s, r, f)) return { refs: [], self: null, explain: { kind: 'idle' } }; // a cell of an earlier state
  const out = { refs: [], self: f, explain: null };
  const mark = (ref) => out.refs.push(ref);
  if (opDims(s.op) === 3 || isPool(s.op)) { out.explain = opsHighlight(s, r, f, mark, partial); return out; }
  switch (f.testid) {
    case 'output-cell': out.explain = outputTerms(s, r, f.c, f.h, f.w, mark, partial); break;
    case 'input-cell': out.explain = inputReach(s, r, f.c, f.h, f.w, mark); break;
    case 'ghost-cell': out.explain = ghostSource(s, r, f.c, f.h, f.w, mark); break;
    case 'cropped-cell': out.explain = { kind: 'cropped', c: f.c, h: f.h, w: f.w }; break;
    case 'weight-cell': out.explain = { kind: 'weight', ref: f, value: weightValue(s, r, f) }; break;
    case 'bias-cell':
      mark({ testid: 'output-channel', c: f.w }); // every cell of output channel w
      out.explain = { kind: 'bias', c: f.w, value: s.bias[f.w] };
      break;
    default: out.explain = { kind: 'idle' };
  }
  return out;
}

// Whether a focused input or output cell exists in this state (a link may load a smaller one).
function inShape(s, r, f) {
  const d = f.d || 0;
  if (f.testid === 'input-cell') return f.c < s.C && d < s.D && f.h < s.H && f.w < s.W;
  if (f.testid === 'output-cell') {
    const [P, OH, OW] = r.planes || r.shape;
    return (f.c + 1) * (r.outD || 1) <= P && d < (r.outD || 1) && f.h < OH && f.w < OW;
  }
  return true;
}

function weightValue(s, r, f) {
  const L = r.layout;
  const n = L.slots.findIndex((q) => q.inC === f.in && q.outC === f.out);
  return n < 0 ? NaN : r.w.data[n * s.kh * s.kw + f.h * s.kw + f.w];
}

// The terms of y[o, oh, ow]: the taps it sums, the input (or padding) and weight of each.
export function outputTerms(s, r, o, oh, ow, mark, partial = null) {
  const geo = r.geo;
  const [, OH, OW] = r.shape;
  const y = (partial || r.y).data[o * OH * OW + oh * OW + ow];
  const bias = s.useBias ? r.b.data[o] : null;
  if (s.useBias) mark(cellRef('bias-cell', o, 0, o));
  const ks = s.kh * s.kw;
  const terms = [];
  if (base2d(s.op) === 'conv2d') {
    for (const t of convOutputTaps(geo, o, oh, ow)) {
      let xv;
      if (t.inside) { mark(cellRef('input-cell', t.c, t.ph, t.pw)); xv = r.x.data[t.c * s.H * s.W + t.ph * s.W + t.pw]; } else {
        mark(cellRef('ghost-cell', t.c, t.ph, t.pw, 'pad'));
        if (t.srcH >= 0) mark(cellRef('input-cell', t.c, t.srcH, t.srcW, 'copy'));
        xv = paddedValue(s, r, t.c, t.ph, t.pw);
      }
      mark(weightRef(t.c, o, t.a, t.b));
      const slot = o * geo.Cg + t.i;
      terms.push({ x: xv, w: r.w.data[slot * ks + t.a * s.kw + t.b], ghost: !t.inside, c: t.c, ph: t.ph, pw: t.pw, wi: [o, t.i, t.a, t.b] });
    }
  } else {
    for (const t of convTOutputTaps(geo, o, oh, ow)) {
      mark(cellRef('input-cell', t.c, t.ih, t.iw));
      mark(weightRef(t.c, o, t.a, t.b));
      const slot = t.c * geo.Kg + t.ol;
      terms.push({ x: r.x.data[t.c * s.H * s.W + t.ih * s.W + t.iw], w: r.w.data[slot * ks + t.a * s.kw + t.b], ghost: false, c: t.c, ph: t.ih, pw: t.iw, wi: [t.c, t.ol, t.a, t.b] });
    }
  }
  return { kind: 'output', o, oh, ow, y, bias, terms };
}

// The outputs x[c, ih, iw] reaches (conv2d: also through its padding copies; conv_transpose2d:
// the footprint it scatters into, the cropped cells and its kernels).
export function inputReach(s, r, c, ih, iw, mark) {
  const geo = r.geo;
  const value = r.x.data[c * s.H * s.W + ih * s.W + iw];
  if (base2d(s.op) === 'conv2d') {
    const { outs, ghosts } = convInputReach(geo, c, ih, iw);
    for (const q of outs) mark(cellRef('output-cell', q.o, q.oh, q.ow));
    for (const q of ghosts) mark(cellRef('ghost-cell', c, q.ph, q.pw, 'copy'));
    return { kind: 'input', c, ih, iw, value, outs: outs.length, ghosts: ghosts.length };
  }
  const { outs, ghosts, rows, cols } = convTInputReach(geo, c, ih, iw);
  for (const q of outs) mark(cellRef('output-cell', q.o, q.oh, q.ow));
  for (const q of ghosts) mark(cellRef('cropped-cell', q.o, q.fh - geo.ph, q.fw - geo.pw, 'pad'));
  const grp = Math.floor(c / geo.Cg);
  for (let o = grp * geo.Kg; o < (grp + 1) * geo.Kg; o++) {
    for (let a = 0; a < s.kh; a++) for (let b = 0; b < s.kw; b++) mark(weightRef(c, o, a, b));
  }
  return { kind: 'input', c, ih, iw, value, outs: outs.length, ghosts: ghosts.length, rows, cols };
}

function ghostSource(s, r, c, i, j, mark) {
  const value = paddedValue(s, r, c, i, j);
  if (s.paddingMode === 'zeros') return { kind: 'ghost', c, i, j, value, src: null };
  const si = padSource(i, s.H, s.paddingMode), sj = padSource(j, s.W, s.paddingMode);
  mark(cellRef('input-cell', c, si, sj, 'copy'));
  return { kind: 'ghost', c, i, j, value, src: [si, sj] };
}
