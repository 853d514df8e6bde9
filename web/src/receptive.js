// Receptive-field index math (no arithmetic on values: the numbers shown come from the API).
// geometry(state, outShape) describes one valid configuration; the functions below say which
// input cells and kernel taps feed an output cell, and which output cells an input cell reaches.

import { convPads, isTransposed } from './state.js';

export function geometry(s, outShape) {
  const g = Math.max(1, s.groups);
  const base = {
    op: s.op, C: s.C, H: s.H, W: s.W, K: s.K, kh: s.kh, kw: s.kw,
    sh: s.stride[0], sw: s.stride[1], dh: s.dilation[0], dw: s.dilation[1],
    groups: g, Cg: s.C / g, Kg: s.K / g, OH: outShape[1], OW: outShape[2],
  };
  if (isTransposed(s.op)) {
    const ph = s.padding[0], pw = s.padding[1];
    return { ...base, ph, pw, oph: s.outputPadding[0], opw: s.outputPadding[1],
      fullH: outShape[1] + 2 * ph, fullW: outShape[2] + 2 * pw };
  }
  const [pt, pb, pl, pr] = convPads(s);
  return { ...base, pt, pb, pl, pr, mode: s.paddingMode };
}

// Where padded position p (relative to the input's first row/column; may be negative)
// reads from in an axis of length n, or -1 for a zero.
export function padSource(p, n, mode) {
  if (p >= 0 && p < n) return p;
  switch (mode) {
    case 'reflect': return p < 0 ? -p : 2 * (n - 1) - p;
    case 'replicate': return p < 0 ? 0 : n - 1;
    case 'circular': return ((p % n) + n) % n;
    default: return -1;
  }
}

// conv2d: every tap (c, i, kh, kw) of output y[o, oh, ow] and the padded input cell it reads.
export function convOutputTaps(geo, o, oh, ow) {
  const grp = Math.floor(o / geo.Kg);
  const taps = [];
  for (let i = 0; i < geo.Cg; i++) {
    const c = grp * geo.Cg + i;
    for (let a = 0; a < geo.kh; a++) {
      const ph = oh * geo.sh - geo.pt + a * geo.dh;
      const srcH = padSource(ph, geo.H, geo.mode);
      for (let b = 0; b < geo.kw; b++) {
        const pw = ow * geo.sw - geo.pl + b * geo.dw;
        const srcW = padSource(pw, geo.W, geo.mode);
        const inside = ph >= 0 && ph < geo.H && pw >= 0 && pw < geo.W;
        taps.push({ c, i, a, b, ph, pw, inside, srcH: srcH < 0 || srcW < 0 ? -1 : srcH, srcW: srcH < 0 || srcW < 0 ? -1 : srcW });
      }
    }
  }
  return taps;
}

// Output rows (or columns) of conv2d that read input row ih, directly or through padding copies.
function convAxisReach(ih, n, out, stride, pad, k, d, mode) {
  const res = [];
  for (let oh = 0; oh < out; oh++) {
    for (let a = 0; a < k; a++) {
      if (padSource(oh * stride - pad + a * d, n, mode) === ih) { res.push(oh); break; }
    }
  }
  return res;
}

// conv2d: output cells reached by input x[c, ih, iw] (and the ghost copies of that cell).
export function convInputReach(geo, c, ih, iw) {
  const grp = Math.floor(c / geo.Cg);
  const rows = convAxisReach(ih, geo.H, geo.OH, geo.sh, geo.pt, geo.kh, geo.dh, geo.mode);
  const cols = convAxisReach(iw, geo.W, geo.OW, geo.sw, geo.pl, geo.kw, geo.dw, geo.mode);
  const outs = [];
  for (let o = grp * geo.Kg; o < (grp + 1) * geo.Kg; o++) {
    for (const oh of rows) for (const ow of cols) outs.push({ o, oh, ow });
  }
  const ghosts = [];
  if (geo.mode !== 'zeros') {
    for (let ph = -geo.pt; ph < geo.H + geo.pb; ph++) {
      if (padSource(ph, geo.H, geo.mode) !== ih) continue;
      for (let pw = -geo.pl; pw < geo.W + geo.pr; pw++) {
        if (padSource(pw, geo.W, geo.mode) !== iw) continue;
        if (ph >= 0 && ph < geo.H && pw >= 0 && pw < geo.W) continue;
        ghosts.push({ ph, pw });
      }
    }
  }
  return { outs, ghosts };
}

// conv_transpose2d: the (input cell, kernel tap) pairs that add into y[o, oh, ow].
export function convTOutputTaps(geo, o, oh, ow) {
  const grp = Math.floor(o / geo.Kg);
  const ol = o - grp * geo.Kg;
  const fh = oh + geo.ph, fw = ow + geo.pw;
  const rows = [], cols = [];
  for (let a = 0; a < geo.kh; a++) {
    const num = fh - a * geo.dh;
    if (num >= 0 && num % geo.sh === 0 && num / geo.sh < geo.H) rows.push([a, num / geo.sh]);
  }
  for (let b = 0; b < geo.kw; b++) {
    const num = fw - b * geo.dw;
    if (num >= 0 && num % geo.sw === 0 && num / geo.sw < geo.W) cols.push([b, num / geo.sw]);
  }
  const taps = [];
  for (let i = 0; i < geo.Cg; i++) {
    const c = grp * geo.Cg + i;
    for (const [a, ih] of rows) for (const [b, iw] of cols) taps.push({ c, ol, a, b, ih, iw });
  }
  return taps;
}

// conv_transpose2d: the footprint of x[c, ih, iw]: the kernel scaled by it, placed at
// (ih*stride, iw*stride) with taps dilation apart, minus the padding crop.
// Cells cropped away by padding come back as ghosts (full-output coordinates).
export function convTInputReach(geo, c, ih, iw) {
  const grp = Math.floor(c / geo.Cg);
  const rows = [], cols = [];
  for (let a = 0; a < geo.kh; a++) rows.push(ih * geo.sh + a * geo.dh);
  for (let b = 0; b < geo.kw; b++) cols.push(iw * geo.sw + b * geo.dw);
  const outs = [], ghosts = [];
  for (let o = grp * geo.Kg; o < (grp + 1) * geo.Kg; o++) {
    for (const fh of rows) {
      for (const fw of cols) {
        const oh = fh - geo.ph, ow = fw - geo.pw;
        if (oh >= 0 && oh < geo.OH && ow >= 0 && ow < geo.OW) outs.push({ o, oh, ow });
        else if (fh < geo.fullH && fw < geo.fullW) ghosts.push({ o, fh, fw });
      }
    }
  }
  return { outs, ghosts, rows, cols };
}
