// The gradient view's numbers (views/gradient.js draws them): pure functions of the state, the
// forward result (model.js) and the core, no DOM (tests/node/grad-model.test.mjs).
//
//   deriveGrad(cp, s, r) -> the backward pass for grad_output g (default ones): dL/dx, dL/dW,
//     dL/db from the core's conv2dBackward / convTranspose2dBackward, and two checks made visible:
//     - the identity: conv2d's dL/dx is conv_transpose2d(g, W) with the same stride, dilation,
//       groups (and padding, plus the output_padding that restores x's shape); with padding it
//       is the padded input's gradient, cropped (zeros) or folded back, each ghost cell's
//       gradient added into the cell it copies (reflect / replicate / circular).
//       conv_transpose2d's dL/dx is conv2d(g, W) with the same stride, padding, dilation, groups.
//     - dL/dW as a correlation of x with g, computed by the core's conv2d with the roles swapped
//       (the data as a batch of one-channel images, g as the kernels, stride and dilation swapped).
//   gradInputTerms(s, r, grad, c, i, j) -> the grad_output cells and weights that feed
//     dL/dx[c, i, j], the products of its sum, and the cells to light.

import { options, convPads } from './state.js';
import { padSource } from './receptive.js';
import { GRAD_OPS, gradFits, fitGradOutput } from './grad-state.js';

// The cells the panel draws (grad_output, dL/dx, the padded gradient, dL/dW, dL/db), built in
// one task: beyond this the panel says so instead (the main grids build big tensors over several
// tasks; a teaching view of the backward pass does not need that size).
export const GRAD_MAX_CELLS = 6000;
export function gradCells(s, r) {
  const [K, OH, OW] = r.shape;
  const [pt, pb, pl, pr] = s.op === 'conv2d' ? convPads(s) : [0, 0, 0, 0];
  return K * OH * OW + s.C * s.H * s.W + (pt || pb || pl || pr ? s.C * (s.H + pt + pb) * (s.W + pl + pr) : 0) + r.w.data.length + (s.useBias ? K : 0);
}

// The largest |a − b| over two arrays (NaN where one is NaN and the other is not).
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) return NaN;
  let worst = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k], y = b[k];
    const d = x > y ? x - y : y - x;
    if (d > worst) worst = d;
    else if (!(d <= worst) && !(x !== x && y !== y)) return NaN; // NaN against a number (or ∞ − ∞)
  }
  return worst;
}

// status: 'off' (panel closed), 'op' (not conv2d / conv_transpose2d), 'invalid' (no forward
// output), 'large' (too big to draw), 'ok'.
export function deriveGrad(cp, s, r) {
  if (!s.grad) return { status: 'off' };
  if (!GRAD_OPS.includes(s.op)) return { status: 'op' };
  if (!r || !r.ok) return { status: 'invalid' };
  if (r.pending || !gradFits(r.shape) || gradCells(s, r) > GRAD_MAX_CELLS) return { status: 'large', shape: r.shape, cells: r.pending ? null : gradCells(s, r) };
  const out = { status: 'ok', shape: r.shape };
  const go = { shape: r.shape, data: fitGradOutput(s, r.shape) };
  out.g = go;
  const opts = options(s);
  try {
    const b = s.op === 'conv2d' ? cp.conv2dBackward(r.x, r.w, go, opts) : cp.convTranspose2dBackward(r.x, r.w, go, opts);
    out.gradInput = b.gradInput; out.gradWeight = b.gradWeight; out.gradBias = b.gradBias;
  } catch (e) { return { status: 'invalid', error: e.message }; }
  try {
    if (s.op === 'conv2d') conv2dChecks(cp, s, r, go, out);
    else convT2dChecks(cp, s, r, go, out);
  } catch (e) { out.checkError = e.message; }
  return out;
}

// conv2d: the padded input's gradient through conv_transpose2d (padding 0), its fold into dL/dx,
// the direct identity when the padding is zeros and symmetric, and dL/dW as a correlation.
function conv2dChecks(cp, s, r, go, out) {
  const [pt, pb, pl, pr] = convPads(s);
  const [K, OH, OW] = r.shape;
  const [sh, sw] = s.stride, [dh, dw] = s.dilation;
  const Hp = s.H + pt + pb, Wp = s.W + pl + pr;
  // The output_padding that restores a height: what conv2d's floor dropped.
  const restore = (n, OHn, k, st, d) => n - ((OHn - 1) * st + d * (k - 1) + 1);
  const opPad = [restore(Hp, OH, s.kh, sh, dh), restore(Wp, OW, s.kw, sw, dw)];
  const common = { stride: s.stride, dilation: s.dilation, groups: s.groups };
  const gPad = cp.convTranspose2d(go, r.w, null, { ...common, padding: 0, outputPadding: opPad });
  out.padded = { pads: [pt, pb, pl, pr], shape: gPad.shape, data: gPad.data, outputPadding: opPad };
  // Fold: each padded cell's gradient goes to the input cell it reads (zeros padding: nowhere).
  const fold = new Float32Array(s.C * s.H * s.W);
  for (let c = 0; c < s.C; c++) {
    for (let pi = 0; pi < Hp; pi++) {
      const si = padSource(pi - pt, s.H, s.paddingMode);
      if (si < 0) continue;
      for (let pj = 0; pj < Wp; pj++) {
        const sj = padSource(pj - pl, s.W, s.paddingMode);
        if (sj < 0) continue;
        const k = (c * s.H + si) * s.W + sj;
        fold[k] = Math.fround(fold[k] + gPad.data[(c * Hp + pi) * Wp + pj]);
      }
    }
  }
  out.folded = fold;
  const symmetric = pt === pb && pl === pr;
  if (s.paddingMode === 'zeros' && symmetric) {
    const op = [restore(s.H + 2 * pt, OH, s.kh, sh, dh), restore(s.W + 2 * pl, OW, s.kw, sw, dw)];
    const y = cp.convTranspose2d(go, r.w, null, { ...common, padding: [pt, pl], outputPadding: op });
    out.identity = { kind: 'direct', padding: [pt, pl], outputPadding: op, data: y.data, diff: maxAbsDiff(y.data, out.gradInput.data) };
  } else {
    out.identity = { kind: pt || pb || pl || pr ? 'fold' : 'direct', padding: [0, 0], outputPadding: opPad, data: fold, diff: maxAbsDiff(fold, out.gradInput.data) };
  }
  // dL/dW[o, cl, a, b] = Σ_{oh, ow} g[o, oh, ow] · x_pad[c, oh·sh + a·dh, ow·sw + b·dw].
  const xPad = pt || pb || pl || pr ? cp.pad(r.x, { pad: [pl, pr, pt, pb], mode: s.paddingMode === 'zeros' ? 'constant' : s.paddingMode, value: 0 }) : r.x;
  const G = Math.max(1, s.groups), Cg = s.C / G, Kg = K / G, ks = s.kh * s.kw;
  const dW = new Float32Array(r.w.data.length);
  correlate(cp, xPad, go, G, s.dilation, s.stride, s.kh, s.kw, (gi, n, m, a, b, v) => {
    // n: input channel within the group (the batch), m: output channel within the group (the kernel).
    dW[((gi * Kg + m) * Cg + n) * ks + a * s.kw + b] = v;
  });
  out.weightCheck = { data: dW, diff: maxAbsDiff(dW, out.gradWeight.data) };
}

// conv_transpose2d: dL/dx = conv2d(g, W) (same stride, padding, dilation, groups), and dL/dW as
// the correlation of g (its cropped border restored as zeros) with x.
function convT2dChecks(cp, s, r, go, out) {
  const [K] = r.shape;
  const [ph, pw] = s.padding;
  const y = cp.conv2d(go, r.w, null, { stride: s.stride, padding: s.padding, dilation: s.dilation, groups: s.groups });
  // With output_padding ≥ stride (allowed below the dilation) conv2d gives extra rows: the
  // gradient of x is its first H×W.
  const [, YH, YW] = y.shape;
  const crop = new Float32Array(s.C * s.H * s.W);
  for (let c = 0; c < s.C; c++) for (let i = 0; i < s.H; i++) crop.set(y.data.subarray((c * YH + i) * YW, (c * YH + i) * YW + s.W), (c * s.H + i) * s.W);
  out.identity = { kind: 'conv2d', padding: [ph, pw], data: crop, shape: y.shape, diff: maxAbsDiff(crop, out.gradInput.data) };
  const gFull = ph || pw ? cp.pad(go, { pad: [pw, pw, ph, ph], mode: 'constant', value: 0 }) : go;
  const G = Math.max(1, s.groups), Cg = s.C / G, Kg = K / G, ks = s.kh * s.kw;
  const dW = new Float32Array(r.w.data.length);
  correlate(cp, gFull, r.x, G, s.dilation, s.stride, s.kh, s.kw, (gi, n, m, a, b, v) => {
    // n: output channel within the group, m: input channel within the group; weight [in, out/groups].
    dW[((gi * Cg + m) * Kg + n) * ks + a * s.kw + b] = v;
  });
  out.weightCheck = { data: dW, diff: maxAbsDiff(dW, out.gradWeight.data) };
}

// For each group: the core's conv2d of A's channels (as a batch of one-channel images) with B's
// channels (as one-channel kernels), stride `st`, dilation `dil`:
//   out[n, m, a, b] = Σ_{i, j} A[n, a·st + i·dil, b·st' + j·dil'] · B[m, i, j],
// the first kh×kw of each result handed to put(group, n, m, a, b, value).
function correlate(cp, A, B, groups, st, dil, kh, kw, put) {
  const [NA, HA, WA] = A.shape, [NB, HB, WB] = B.shape;
  const na = NA / groups, nb = NB / groups;
  for (let gi = 0; gi < groups; gi++) {
    const a4 = { shape: [na, 1, HA, WA], data: A.data.subarray(gi * na * HA * WA, (gi + 1) * na * HA * WA) };
    const b4 = { shape: [nb, 1, HB, WB], data: B.data.subarray(gi * nb * HB * WB, (gi + 1) * nb * HB * WB) };
    const y = cp.conv2d(a4, b4, null, { stride: st, dilation: dil });
    const [, , YH, YW] = y.shape;
    for (let n = 0; n < na; n++) for (let m = 0; m < nb; m++) {
      for (let a = 0; a < Math.min(kh, YH); a++) for (let b = 0; b < Math.min(kw, YW); b++) put(gi, n, m, a, b, y.data[((n * nb + m) * YH + a) * YW + b]);
    }
  }
}

// For each padded cell outside the input (conv2d): its gradient and the input cell it adds
// into ([si, sj], or null for zeros padding: the gradient is dropped).
export function ghostFlows(s, grad, c) {
  const [pt, , pl] = grad.padded.pads;
  const [, Hp, Wp] = grad.padded.shape;
  const list = [];
  for (let pi = 0; pi < Hp; pi++) for (let pj = 0; pj < Wp; pj++) {
    const i = pi - pt, j = pj - pl;
    if (i >= 0 && i < s.H && j >= 0 && j < s.W) continue;
    const si = padSource(i, s.H, s.paddingMode), sj = padSource(j, s.W, s.paddingMode);
    list.push({ i, j, value: grad.padded.data[(c * Hp + pi) * Wp + pj], src: si < 0 || sj < 0 ? null : [si, sj] });
  }
  return list;
}

// Positions along one axis that feed input index `i`: conv2d output index q and tap a with
// padSource(q·st − pad + a·d) = i (p, the padded position, differs from i for a ghost).
function convAxis(i, n, out, st, pad, k, d, mode) {
  const res = [];
  for (let q = 0; q < out; q++) {
    for (let a = 0; a < k; a++) {
      const p = q * st - pad + a * d;
      if (padSource(p, n, mode) === i) res.push({ q, a, p });
    }
  }
  return res;
}

const MAX_TERMS = 400;

// The terms of dL/dx[c, i, j]: [{ g, w, o, oh, ow, a, b, ghost: [pi, pj] | null }], the value
// (the core's), and the cells to light: grad_output cells, weights, padded-gradient ghost cells.
export function gradInputTerms(s, r, grad, c, i, j) {
  const [K, OH, OW] = r.shape;
  const G = Math.max(1, s.groups), Cg = s.C / G, Kg = K / G, grp = Math.floor(c / Cg);
  const ks = s.kh * s.kw, g = grad.g.data, w = r.w.data;
  const terms = [], refs = [];
  let total = 0;
  const seenW = new Set(), seenG = new Set();
  const add = (o, oh, ow, a, b, slot, ghost) => {
    total++;
    if (terms.length >= MAX_TERMS) return;
    terms.push({ g: g[(o * OH + oh) * OW + ow], w: w[slot * ks + a * s.kw + b], o, oh, ow, a, b, ghost });
    const gk = `${o},${oh},${ow}`;
    if (!seenG.has(gk)) { seenG.add(gk); refs.push({ testid: 'grad-output-cell', c: o, h: oh, w: ow }); }
    const wk = `${o},${a},${b}`;
    if (!seenW.has(wk)) { seenW.add(wk); refs.push({ testid: 'weight-cell', in: c, out: o, h: a, w: b }); }
  };
  if (s.op === 'conv2d') {
    const [pt, , pl] = convPads(s);
    const rows = convAxis(i, s.H, OH, s.stride[0], pt, s.kh, s.dilation[0], s.paddingMode);
    const cols = convAxis(j, s.W, OW, s.stride[1], pl, s.kw, s.dilation[1], s.paddingMode);
    const ghosts = new Set();
    for (let o = grp * Kg; o < (grp + 1) * Kg; o++) {
      for (const rr of rows) for (const cc of cols) {
        const ghost = rr.p === i && cc.p === j ? null : [rr.p, cc.p];
        if (ghost && !ghosts.has(ghost.join())) { ghosts.add(ghost.join()); refs.push({ testid: 'grad-pad-cell', c, h: ghost[0], w: ghost[1] }); }
        add(o, rr.q, cc.q, rr.a, cc.a, o * Cg + (c - grp * Cg), ghost);
      }
    }
  } else {
    const ol0 = grp * Kg;
    for (let o = ol0; o < ol0 + Kg; o++) {
      for (let a = 0; a < s.kh; a++) {
        const oh = i * s.stride[0] + a * s.dilation[0] - s.padding[0];
        if (oh < 0 || oh >= OH) continue;
        for (let b = 0; b < s.kw; b++) {
          const ow = j * s.stride[1] + b * s.dilation[1] - s.padding[1];
          if (ow < 0 || ow >= OW) continue;
          add(o, oh, ow, a, b, c * Kg + (o - ol0), null);
        }
      }
    }
  }
  return { c, i, j, value: grad.gradInput.data[(c * s.H + i) * s.W + j], terms, total, refs };
}

// Where g[o, oh, ow] flows back to (the reverse of gradInputTerms): every input cell the output
// cell y[o, oh, ow] read (conv2d) or received from (conv_transpose2d), through kernel tap (a, b),
// receives g[o, oh, ow] · w at that tap. Returns { o, oh, ow, g, targets: [{ c, i, j, a, b, w,
// pad: [pi, pj] | null }] (a padding cell, pad, passes its share on to the cell it copies, or
// drops it for zeros: i, j are then null), refs: the dL/dx, padding and weight cells to light }.
export function gradOutputReach(s, r, grad, o, oh, ow) {
  const [K] = r.shape;
  const G = Math.max(1, s.groups), Cg = s.C / G, Kg = K / G, grp = Math.floor(o / Kg);
  const ks = s.kh * s.kw, w = r.w.data;
  const targets = [], refs = [], seen = new Set();
  const light = (ref) => { const k = JSON.stringify(ref); if (!seen.has(k)) { seen.add(k); refs.push(ref); } };
  const conv = s.op === 'conv2d';
  const [pt, , pl] = conv ? convPads(s) : [0, 0, 0, 0];
  for (let c = grp * Cg; c < (grp + 1) * Cg; c++) {
    // The kernel slot of (c, o): conv2d w[o, c − grp·Cg], conv_transpose2d w[c, o − grp·Kg].
    const slot = conv ? o * Cg + (c - grp * Cg) : c * Kg + (o - grp * Kg);
    for (let a = 0; a < s.kh; a++) {
      for (let b = 0; b < s.kw; b++) {
        let i, j, pad = null;
        if (conv) {
          const pi = oh * s.stride[0] - pt + a * s.dilation[0], pj = ow * s.stride[1] - pl + b * s.dilation[1];
          const inside = pi >= 0 && pi < s.H && pj >= 0 && pj < s.W;
          if (!inside) pad = [pi, pj];
          const si = padSource(pi, s.H, s.paddingMode), sj = padSource(pj, s.W, s.paddingMode);
          [i, j] = si < 0 || sj < 0 ? [null, null] : [si, sj];
        } else {
          const ni = oh + s.padding[0] - a * s.dilation[0], nj = ow + s.padding[1] - b * s.dilation[1];
          if (ni % s.stride[0] || nj % s.stride[1]) continue;
          i = ni / s.stride[0]; j = nj / s.stride[1];
          if (i < 0 || i >= s.H || j < 0 || j >= s.W) continue;
        }
        targets.push({ c, i, j, a, b, w: w[slot * ks + a * s.kw + b], pad });
        if (pad) light({ testid: 'grad-pad-cell', c, h: pad[0], w: pad[1] });
        if (i !== null) light({ testid: 'grad-input-cell', c, h: i, w: j });
        light({ testid: 'weight-cell', in: c, out: o, h: a, w: b });
      }
    }
  }
  return { o, oh, ow, g: grad.g.data[(o * r.shape[1] + oh) * r.shape[2] + ow], targets, refs };
}
