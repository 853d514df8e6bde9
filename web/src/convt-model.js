// The numbers behind the three views of conv_transpose2d (views/convt-views.js draws them), pure
// functions of the state, the result and the core (no DOM):
//   1. scatter-add: each input cell stamps its scaled kernel into the (uncropped) output;
//   2. zero insertion: (stride-1) zeros between the inputs, padding d(k-1)-p (plus
//      output_padding on the far side), then an ordinary stride-1 conv2d (run by the core) with
//      the 180°-rotated, in/out-swapped kernel;
//   3. matrix: vec(y) = Σ_c M_cᵀ · vec(x_c), M from the core's kernelMatrix;
// and a check that they agree with the core's conv_transpose2d; the overlap map's counts.

const f = Math.fround;
const MATRIX_WORK = 3e6;       // multiply-adds allowed for the matrix check

// Values computeConvTViews writes or reads in JavaScript (and multiply-adds of its core conv2d):
// the uncropped result, the scatter-add's products, the zero-inserted grid, the three comparisons.
export function viewsWork(s, r) {
  const [K, OH, OW] = r.shape;
  const [sh, sw] = s.stride, [ph, pw] = s.padding, [oph, opw] = s.outputPadding, [dh, dw] = s.dilation;
  const g = Math.max(1, s.groups), Kg = K / g, Cg = s.C / g;
  const Hz = Math.max(0, (s.H - 1) * sh + 1 + 2 * (dh * (s.kh - 1) - ph) + oph), Wz = Math.max(0, (s.W - 1) * sw + 1 + 2 * (dw * (s.kw - 1) - pw) + opw);
  return K * (OH + 2 * ph) * (OW + 2 * pw) + s.C * s.H * s.W * Kg * s.kh * s.kw
    + (s.C + 1) * Hz * Wz + K * Cg * s.kh * s.kw * OH * OW + 3 * K * OH * OW;
}

export function computeConvTViews(cp, s, r) {
  const g = Math.max(1, s.groups), C = s.C, K = s.K, Cg = C / g, Kg = K / g;
  const [sh, sw] = s.stride, [ph, pw] = s.padding, [oph, opw] = s.outputPadding, [dh, dw] = s.dilation;
  const { kh, kw, H, W } = s;
  const [, OH, OW] = r.shape;
  const FH = OH + 2 * ph, FW = OW + 2 * pw;
  const x = r.x.data, w = r.w.data, bias = r.b ? r.b.data : null;
  const ks = kh * kw;
  const out = { FH, FW, OH, OW, Cg, Kg, g };

  // 1. Scatter-add, in stamp order (c, i, j), float32 running sums.
  const full = new Float32Array(K * FH * FW);
  for (let c = 0; c < C; c++) {
    const grp = Math.floor(c / Cg);
    for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) {
      const xv = x[(c * H + i) * W + j];
      for (let ol = 0; ol < Kg; ol++) {
        const o = grp * Kg + ol, base = (c * Kg + ol) * ks;
        for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) {
          const fi = i * sh + a * dh, fj = j * sw + b * dw;
          if (fi >= FH || fj >= FW) continue;
          const k = (o * FH + fi) * FW + fj;
          full[k] = f(full[k] + f(xv * w[base + a * kw + b]));
        }
      }
    }
  }
  const yScatter = new Float32Array(K * OH * OW);
  for (let o = 0; o < K; o++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    yScatter[(o * OH + i) * OW + j] = f(full[(o * FH + i + ph) * FW + j + pw] + (bias ? bias[o] : 0));
  }
  out.full = full; out.yScatter = yScatter;

  // 2. Zero insertion + padding, then the core's conv2d with the rotated kernel.
  const qh = dh * (kh - 1) - ph, qw = dw * (kw - 1) - pw;
  const Hz = (H - 1) * sh + 1 + 2 * qh + oph, Wz = (W - 1) * sw + 1 + 2 * qw + opw;
  out.q = [qh, qw]; out.Hz = Hz; out.Wz = Wz;
  if (Hz > 0 && Wz > 0) {
    const z = new Float32Array(C * Hz * Wz);
    const kind = new Uint8Array(Hz * Wz); // 0 inserted zero, 1 input value, 2 padding, 3 output_padding
    for (let zi = 0; zi < Hz; zi++) for (let zj = 0; zj < Wz; zj++) {
      const ri = zi - qh, rj = zj - qw;
      let k = 0;
      if (zi >= Hz - oph || zj >= Wz - opw) k = 3;
      else if (ri < 0 || rj < 0 || ri > (H - 1) * sh || rj > (W - 1) * sw) k = 2;
      else if (ri % sh === 0 && rj % sw === 0) k = 1;
      kind[zi * Wz + zj] = k;
    }
    for (let c = 0; c < C; c++) for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) {
      const zi = i * sh + qh, zj = j * sw + qw;
      if (zi >= 0 && zi < Hz && zj >= 0 && zj < Wz) z[(c * Hz + zi) * Wz + zj] = x[(c * H + i) * W + j];
    }
    const wRot = new Float32Array(K * Cg * ks);
    for (let o = 0; o < K; o++) {
      const grp = Math.floor(o / Kg), ol = o % Kg;
      for (let cl = 0; cl < Cg; cl++) {
        const c = grp * Cg + cl;
        for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) {
          wRot[((o * Cg + cl) * kh + a) * kw + b] = w[((c * Kg + ol) * kh + (kh - 1 - a)) * kw + (kw - 1 - b)];
        }
      }
    }
    out.z = z; out.kind = kind; out.wRot = wRot;
    try {
      out.yZero = cp.conv2d({ shape: [C, Hz, Wz], data: z }, { shape: [K, Cg, kh, kw], data: wRot }, r.b, { dilation: s.dilation, groups: g }).data;
    } catch (e) { out.zeroError = e.message; }
  } else out.zeroError = t('the zero-inserted grid would be {h}×{w}', { h: Hz, w: Wz });

  // 3. Matrix: Σ over the group's input channels of M_(c,o)ᵀ · vec(x_c).
  const work = C * Kg * H * W * OH * OW;
  if (work <= MATRIX_WORK) {
    const yMat = new Float32Array(K * OH * OW);
    for (let c = 0; c < C; c++) {
      const grp = Math.floor(c / Cg);
      for (let ol = 0; ol < Kg; ol++) {
        const o = grp * Kg + ol;
        const M = convTMatrix(cp, s, r, c, o);
        const [mr, mc] = M.shape;
        if (mr !== H * W || mc !== OH * OW) { out.matrixError = t('M is [{a}, {b}], expected [{c}, {d}]', { a: mr, b: mc, c: H * W, d: OH * OW }); break; }
        for (let p = 0; p < mc; p++) {
          let acc = yMat[o * mc + p];
          for (let q = 0; q < mr; q++) { const m = M.data[q * mc + p]; if (m !== 0) acc = f(acc + f(m * x[c * H * W + q])); }
          yMat[o * mc + p] = acc;
        }
      }
    }
    if (bias) for (let o = 0; o < K; o++) for (let p = 0; p < OH * OW; p++) yMat[o * OH * OW + p] = f(yMat[o * OH * OW + p] + bias[o]);
    out.yMat = yMat;
  } else out.matrixSkipped = work;

  // Agreement with the core's conv_transpose2d.
  const y = r.y.data;
  const diff = (v) => {
    if (!v) return null;
    let worst = 0;
    for (let k = 0; k < y.length; k++) {
      if (Number.isNaN(y[k]) && Number.isNaN(v[k])) continue;
      const d = Math.abs(v[k] - y[k]) / Math.max(1, Math.abs(y[k]));
      if (!(d <= worst)) worst = d; // NaN counts as a disagreement
    }
    return worst;
  };
  out.diff = { scatter: diff(yScatter), zeros: out.yZero ? diff(out.yZero) : null, matrix: out.yMat ? diff(out.yMat) : null };
  const ok = (d) => d !== null && d <= 1e-5;
  out.agree = ok(out.diff.scatter) && ok(out.diff.zeros) && (out.diff.matrix === null ? !!out.matrixSkipped : ok(out.diff.matrix));
  out.identical = out.agree && out.diff.scatter === 0 && out.diff.zeros === 0 && (out.diff.matrix === null || out.diff.matrix === 0);
  return out;
}

// Kernel taps landing on each output pixel (1 channel, ones): the core's conv_transpose2d of ones.
export function overlapCounts(cp, s) {
  const ones = (n) => new Float32Array(n).fill(1);
  const y = cp.convTranspose2d({ shape: [1, s.H, s.W], data: ones(s.H * s.W) }, { shape: [1, 1, s.kh, s.kw], data: ones(s.kh * s.kw) }, null,
    { stride: s.stride, padding: s.padding, outputPadding: s.outputPadding, dilation: s.dilation });
  return y;
}

// conv_transpose2d's Mᵀ for the kernel connecting input channel c to output channel o.
export function convTMatrix(cp, s, r, c, o) {
  const [, OH, OW] = r.shape;
  const g = Math.max(1, s.groups), Kg = s.K / g;
  const slot = c * Kg + (o % Kg);
  const ks = s.kh * s.kw;
  const kernel = { shape: [s.kh, s.kw], data: r.w.data.slice(slot * ks, (slot + 1) * ks) };
  const M = cp.kernelMatrix(kernel, [OH, OW], { stride: s.stride, padding: s.padding, dilation: s.dilation });
  // With output_padding < dilation (stride 1) the forward conv2d of OH×OW gives more than H×W
  // positions: the transposed conv uses the first H×W of them (the rows of M for i < H, j < W).
  const Hf = Math.floor((OH + 2 * s.padding[0] - s.dilation[0] * (s.kh - 1) - 1) / s.stride[0]) + 1;
  const Wf = Math.floor((OW + 2 * s.padding[1] - s.dilation[1] * (s.kw - 1) - 1) / s.stride[1]) + 1;
  if (Hf === s.H && Wf === s.W) return M;
  const n = OH * OW, data = new Float32Array(s.H * s.W * n);
  for (let i = 0; i < s.H; i++) for (let j = 0; j < s.W; j++) data.set(M.data.subarray((i * Wf + j) * n, (i * Wf + j + 1) * n), (i * s.W + j) * n);
  return { shape: [s.H * s.W, n], data, trimmed: [Hf, Wf] };
}

