// conv2d and conv_transpose2d computed in bands (a block of output channels of one group × a
// block of output rows), one core call per band, for results over the one-task budget
// (budget.js). The page runs one band per task, so a huge output never blocks the main thread
// for long, and it stops between bands when a newer edit arrives. No arithmetic on values here:
// bands only move values into place (gather the rows a band reads, copy its rows out).
// Tensors are unbatched [C, H, W]; the result equals the one-call result up to float32
// summation order (the core may pick another kernel for a band's shape).

import { padSource } from './receptive.js';
import { TASK_VALUES, TASK_MACS } from './budget.js';

const pair = (v, d) => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1]]);

// Everything a band needs from a valid call (opts as the API takes them, outShape its output).
export function bandGeometry(op, xShape, wShape, opts, outShape) {
  const [C, H, W] = xShape, [, , kh, kw] = wShape, [K, OH, OW] = outShape;
  const g = opts.groups ?? 1;
  const [sh, sw] = pair(opts.stride, 1), [dh, dw] = pair(opts.dilation, 1);
  const geo = { op, C, H, W, K, OH, OW, kh, kw, g, Cg: C / g, Kg: K / g, sh, sw, dh, dw };
  if (op === 'conv2d') {
    let pads;
    if (opts.padding === 'valid') pads = [0, 0, 0, 0];
    else if (opts.padding === 'same') {
      // PyTorch: the extra element of an odd total goes bottom/right.
      const th = dh * (kh - 1), tw = dw * (kw - 1);
      pads = [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
    } else {
      const [ph, pw] = pair(opts.padding, 0);
      pads = [ph, ph, pw, pw];
    }
    Object.assign(geo, { pads, mode: opts.paddingMode ?? 'zeros', PW: W + pads[2] + pads[3] });
  } else {
    [geo.ph, geo.pw] = pair(opts.padding, 0);
    [geo.oph, geo.opw] = pair(opts.outputPadding, 0);
  }
  return geo;
}

// Rows of the input a band of output rows [r0, r1) reads: conv2d, padded rows; conv_transpose2d,
// input rows (possibly none: rows that only get the bias).
function inputRows(geo, r0, r1) {
  const extent = geo.dh * (geo.kh - 1);
  if (geo.op === 'conv2d') return { first: r0 * geo.sh, count: (r1 - 1 - r0) * geo.sh + extent + 1 };
  const R0 = r0 + geo.ph, R1 = r1 + geo.ph; // rows of the uncropped result
  const first = Math.max(0, Math.ceil((R0 - extent) / geo.sh)), last = Math.min(geo.H - 1, Math.floor((R1 - 1) / geo.sh));
  return { first, count: Math.max(0, last - first + 1) };
}

// The work of a band of nO channels × output rows [r0, r1): values it writes or gathers, and
// multiply-adds (an upper bound for conv_transpose2d).
function bandWork(geo, nO, r0, r1) {
  const { Cg, kh, kw, OW } = geo;
  const { count } = inputRows(geo, r0, r1);
  if (geo.op === 'conv2d') {
    const out = nO * (r1 - r0) * OW;
    return { values: Math.max(out, Cg * count * geo.PW), macs: out * Cg * kh * kw };
  }
  // The call computes every row its input rows reach, then the band's rows are copied out.
  const rows = count ? (count - 1) * geo.sh + geo.dh * (kh - 1) + 1 : 0;
  return { values: Math.max(nO * (r1 - r0) * OW, nO * rows * OW), macs: Cg * count * geo.W * nO * kh * kw };
}

// Bands covering the output once: [{grp, o0, o1, r0, r1, work}] (work: bandWork's values and
// multiply-adds, which tests check against the budget), each within the budget when a single
// row of a single channel is (a kernel dilated over thousands of rows may not be: such a band is
// then over budget, and runs anyway).
export function planBands(geo, budget = {}) {
  const maxValues = budget.values ?? TASK_VALUES, maxMacs = budget.macs ?? TASK_MACS;
  const fits = (w) => w.values <= maxValues && w.macs <= maxMacs;
  const { OH, Kg, g } = geo;
  // Channels per band: as many as fit with one row; rows per band: as many as then fit.
  let nO = Kg;
  while (nO > 1 && !fits(bandWork(geo, nO, 0, 1))) nO = Math.ceil(nO / 2);
  let nR = 1;
  while (nR < OH && fits(bandWork(geo, nO, 0, Math.min(OH, nR * 2)))) nR = Math.min(OH, nR * 2);
  const bands = [];
  for (let grp = 0; grp < g; grp++) {
    for (let o0 = grp * Kg; o0 < (grp + 1) * Kg; o0 += nO) {
      for (let r0 = 0; r0 < OH; r0 += nR) {
        const o1 = Math.min(o0 + nO, (grp + 1) * Kg), r1 = Math.min(r0 + nR, OH);
        bands.push({ grp, o0, o1, r0, r1, work: bandWork(geo, o1 - o0, r0, r1) });
      }
    }
  }
  return bands;
}

// Computes one band into y (Float32Array of K·OH·OW). x, w, b: the call's Float32Arrays (b may
// be null).
export function runBand(cp, geo, x, w, b, band, y) {
  if (geo.op === 'conv2d') conv2dBand(cp, geo, x, w, b, band, y);
  else convTranspose2dBand(cp, geo, x, w, b, band, y);
}

// conv2d of the band's padded rows (gathered here, padding mode included) with padding 0.
function conv2dBand(cp, geo, x, w, b, band, y) {
  const { H, W, Cg, kh, kw, sh, sw, dh, dw, mode, PW, OH, OW } = geo;
  const [pt, , pl] = geo.pads;
  const { grp, o0, o1, r0, r1 } = band;
  const { first, count } = inputRows(geo, r0, r1);
  const colSource = Int32Array.from({ length: PW }, (_, j) => padSource(j - pl, W, mode));
  const xb = new Float32Array(Cg * count * PW); // zeros: rows and columns of zero padding stay 0
  for (let c = 0; c < Cg; c++) {
    const plane = (grp * Cg + c) * H * W;
    for (let r = 0; r < count; r++) {
      const src = padSource(first + r - pt, H, mode);
      if (src < 0) continue;
      const row = x.subarray(plane + src * W, plane + (src + 1) * W);
      const base = (c * count + r) * PW;
      xb.set(row, base + pl);
      if (mode === 'zeros') continue;
      // replicate: a fill (the band's first loop runs before V8 optimises it: padding 1000 was
      // 2,000 reads a row, 35 ms a band).
      if (mode === 'replicate') { xb.fill(row[0], base, base + pl); xb.fill(row[W - 1], base + pl + W, base + PW); continue; }
      for (let j = 0; j < pl; j++) xb[base + j] = row[colSource[j]];
      for (let j = pl + W; j < PW; j++) xb[base + j] = row[colSource[j]];
    }
  }
  const kk = Cg * kh * kw;
  const yb = cp.conv2d({ shape: [Cg, count, PW], data: xb }, { shape: [o1 - o0, Cg, kh, kw], data: w.subarray(o0 * kk, o1 * kk) },
    b ? { shape: [o1 - o0], data: b.subarray(o0, o1) } : null, { stride: [sh, sw], dilation: [dh, dw] });
  const n = (r1 - r0) * OW;
  for (let o = o0; o < o1; o++) y.set(yb.data.subarray((o - o0) * n, (o - o0 + 1) * n), (o * OH + r0) * OW);
}

// conv_transpose2d of the input rows reaching the band, uncropped in height (padding kept in
// width); the band's rows are copied out of it, rows it does not reach get the bias.
function convTranspose2dBand(cp, geo, x, w, b, band, y) {
  const { H, W, Cg, Kg, kh, kw, sh, sw, dh, dw, ph, pw, opw, OH, OW } = geo;
  const { grp, o0, o1, r0, r1 } = band;
  const nO = o1 - o0, kk = kh * kw;
  for (let o = o0; o < o1; o++) y.fill(b ? b[o] : 0, (o * OH + r0) * OW, (o * OH + r1) * OW);
  const { first, count } = inputRows(geo, r0, r1);
  if (count === 0) return;
  const xb = new Float32Array(Cg * count * W), wb = new Float32Array(Cg * nO * kk);
  for (let c = 0; c < Cg; c++) {
    const cin = grp * Cg + c;
    xb.set(x.subarray((cin * H + first) * W, (cin * H + first + count) * W), c * count * W);
    const k0 = (cin * Kg + (o0 - grp * Kg)) * kk;
    wb.set(w.subarray(k0, k0 + nO * kk), c * nO * kk);
  }
  const yb = cp.convTranspose2d({ shape: [Cg, count, W], data: xb }, { shape: [Cg, nO, kh, kw], data: wb },
    b ? { shape: [nO], data: b.subarray(o0, o1) } : null,
    { stride: [sh, sw], padding: [0, pw], outputPadding: [0, opw], dilation: [dh, dw] });
  const rows = yb.shape[1];
  for (let o = o0; o < o1; o++) {
    for (let r = r0; r < r1; r++) {
      const t = r + ph - first * sh; // row of the call's result
      if (t >= 0 && t < rows) y.set(yb.data.subarray(((o - o0) * rows + t) * OW, ((o - o0) * rows + t + 1) * OW), (o * OH + r) * OW);
    }
  }
}
