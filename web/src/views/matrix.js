// "As a matrix": im2col (unfold and the weight matrix, conv = W · cols) and the dense kernel
// matrix M (conv2d: vec(y) = M·vec(x); conv_transpose2d: vec(y) = Mᵀ·vec(x)), computed by the
// API and linked to the tensors: hovering a row of M lights the output cell and its receptive
// field, a column lights the input cell (or the padding cell it stands for).

import { h, clear } from '../dom.js';
import { displayLong, groupDigits } from '../numfmt.js';
import { convPads } from '../state.js';
import { drawMatrix } from '../matdraw.js';
import { t } from '../i18n.js';
import { MATRIX_VALUES, VIEW_WORK } from '../budget.js';
import { convTMatrix } from '../convt-model.js';

// A matrix too large for this panel is described, not computed.
const tooLarge = (what, rows, cols) => h('p', { class: 'muted', 'data-testid': 'matrix-skipped' },
  t('{what} would be [{r}, {c}] ({n} values): too large to compute here (up to {m}).', { what, r: rows, c: cols, n: groupDigits(rows * cols), m: groupDigits(MATRIX_VALUES) }));

// Links from matrix rows/columns to the tensors: cell references through ctx.link (link.js).
export function linkOutput(ctx, o, oh, ow) { ctx.link.output(o, oh, ow); }
export function linkInput(ctx, c, ih, iw) { const s = ctx.model.state; ctx.link.input(c, ih, iw, s.H, s.W); }
// The input cell at (ih, iw) of channel c, or the padding cell there.
function inputRef(ctx, c, ih, iw) {
  const s = ctx.model.state;
  const inside = ih >= 0 && ih < s.H && iw >= 0 && iw < s.W;
  return { testid: inside ? 'input-cell' : 'ghost-cell', c, h: ih, w: iw };
}

export function drawConvTMatrix(app, M, c, o, testid = 'kmat') {
  const s = app.model.state, r = app.model.result;
  const [, , OW] = r.shape;
  const [mr, mc] = M.shape;
  return drawMatrix(M.data, mr, mc, {
    transpose: true, testid, name: t('Mᵀ, {r} by {c}', { r: mc, c: mr }),
    rowLabel: (i) => `y[${o}, ${Math.floor(i / OW)}, ${i % OW}]`,
    colLabel: (j) => `x[${c}, ${Math.floor(j / s.W)}, ${j % s.W}]`,
    onRow: (i) => linkOutput(app, o, Math.floor(i / OW), i % OW),
    onCell: (i, j) => { linkOutput(app, o, Math.floor(i / OW), i % OW); app.link.mark({ testid: 'input-cell', c, h: Math.floor(j / s.W), w: j % s.W }); },
    onCol: (j) => linkInput(app, c, Math.floor(j / s.W), j % s.W),
    onLeave: () => app.link.clear(),
  });
}

export class MatrixView {
  // ctx: { cp, model, link } (page.js)
  constructor(ctx, body, details) {
    this.ctx = ctx;
    this.body = body;
    this.details = details;
    details.addEventListener('toggle', () => this.render());
  }

  render() {
    if (!this.details.open) return;
    const app = this.ctx, s = app.model.state, r = app.model.result, cp = app.cp;
    if (!r) return;
    clear(this.body);
    if (!r.ok) { this.body.append(h('p', { class: 'muted' }, t('Needs a valid configuration.'))); return; }
    if (r.pending) { this.body.append(h('p', { class: 'muted' }, t('The output is still being computed.'))); return; }
    const multi = s.C > 1 || s.K > 1;
    try {
      if (s.op === 'conv2d') this.renderConv(app, s, r, cp, multi);
      else {
        const [, OH, OW] = r.shape;
        if (s.H * s.W * OH * OW > MATRIX_VALUES) { this.body.append(h('h3', null, t('Transposed convolution as Mᵀ')), tooLarge('Mᵀ', OH * OW, s.H * s.W)); return; }
        const M = convTMatrix(cp, s, r, 0, 0);
        const [mr, mc] = M.shape;
        this.body.append(
          h('h3', null, t('Transposed convolution as Mᵀ')),
          h('p', null, t('Take the forward conv2d with the same kernel, stride, padding and dilation from the {oh}×{ow} output size: its kernel matrix M is [{mr}, {mc}]. Then vec(y) = Mᵀ · vec(x), with Mᵀ of shape [{mc}, {mr}]{note}. Mᵀ undoes the shape of the conv, not its values: a transposed convolution is not an inverse.',
            { oh: OH, ow: OW, mr, mc, note: multi ? t(' (for kernel w[0,0], input channel 0 → output channel 0)') : '' })),
          h('p', { class: 'hint wide' }, t('Hover a row: its output cell and the inputs that feed it light up. Hover a column: its input cell lights up.')),
          drawConvTMatrix(app, M, 0, 0).el);
      }
    } catch (e) {
      this.body.append(h('p', { class: 'muted' }, e.message));
    }
  }

  renderConv(app, s, r, cp, multi) {
    const [pt, pb, pl, pr] = convPads(s);
    const src = r.xPad || r.x;
    const PH = s.H + pt + pb, PW = s.W + pl + pr;
    const [K, OH, OW] = r.shape;
    const L = OH * OW;
    const g = Math.max(1, s.groups), Cg = s.C / g, Kg = K / g;
    const kk = s.kh * s.kw;
    const padded = pt || pb || pl || pr ? '_padded' : '';
    // Padded position -> input cell (or ghost) of channel c.
    const inputAt = (c, ph, pw) => linkInput(app, c, ph - pt, pw - pl);
    const tapOf = (row) => ({ c: Math.floor(row / kk), a: Math.floor((row % kk) / s.kw), b: row % s.kw });

    this.renderIm2col(app, s, r, cp, { src, PH, PW, K, OH, OW, L, g, Cg, Kg, kk, padded, pt, pl, tapOf });
    this.renderKernelMatrix(app, s, r, cp, { PH, PW, OW, L, kk, padded, pt, pl, inputAt, multi });
  }

  renderIm2col(app, s, r, cp, { src, K, OH, OW, L, g, Cg, Kg, kk, padded, pt, pl, tapOf }) {
    const R = s.C * kk;
    // (r.xPad is left out when the padded input is large: then so is the unfold matrix.)
    if ((padded && !r.xPad) || R * L > MATRIX_VALUES || K * L * Cg * kk > VIEW_WORK) { this.body.append(h('h3', null, t('im2col: unfold, then one matrix product')), tooLarge(t('unfold matrix'), R, L)); return; }
    // im2col: cols [C·kH·kW, L]
    const cols = cp.unfold(src, { kernelSize: [s.kh, s.kw], dilation: s.dilation, padding: 0, stride: s.stride });
    const colsView = drawMatrix(cols.data, R, L, {
      testid: 'unfold', name: t('unfold matrix'),
      rowLabel: (i) => { const q = tapOf(i); return t('channel {c}, tap ({a}, {b})', q); },
      colLabel: (l) => t('output position ({oh}, {ow})', { oh: Math.floor(l / OW), ow: l % OW }),
      onCol: (l) => linkOutput(app, 0, Math.floor(l / OW), l % OW),
      onCell: (i, l) => {
        // The entry is a copy of one (padded) input value, read by output position l.
        const q = tapOf(i), oh = Math.floor(l / OW), ow = l % OW;
        const ph = oh * s.stride[0] + q.a * s.dilation[0] - pt, pw = ow * s.stride[1] + q.b * s.dilation[1] - pl;
        app.link.clear();
        app.link.mark(inputRef(app, q.c, ph, pw));
        for (let o = 0; o < K; o++) app.link.mark({ testid: 'output-cell', c: o, h: oh, w: ow });
        app.link.note(h('div', { class: 'sum-note' }, t('cols[{i}, {l}] = x{p}[{c}, {ph}, {pw}] = {v}: tap ({a}, {b}) of the receptive field of output position ({oh}, {ow}).',
          { i, l, p: padded, c: q.c, ph: ph + pt, pw: pw + pl, v: displayLong(cols.data[i * L + l]), a: q.a, b: q.b, oh, ow })));
      },
      onRow: (i) => {
        const q = tapOf(i);
        app.link.clear();
        app.link.markAll(`[data-testid="weight-cell"][data-in="${q.c}"][data-h="${q.a}"][data-w="${q.b}"]`);
      },
      onLeave: () => app.link.clear(),
    });
    // Weight matrix [K, Cg·kH·kW] and the product, computed here from the API's unfold.
    const Wm = r.w.data;
    const prod = new Float32Array(K * L);
    for (let o = 0; o < K; o++) {
      const grp = Math.floor(o / Kg);
      for (let l = 0; l < L; l++) {
        let acc = 0;
        for (let q = 0; q < Cg * kk; q++) acc = Math.fround(acc + Math.fround(Wm[o * Cg * kk + q] * cols.data[(grp * Cg * kk + q) * L + l]));
        prod[o * L + l] = Math.fround(acc + (r.b ? r.b.data[o] : 0));
      }
    }
    let worst = 0;
    for (let k = 0; k < prod.length; k++) worst = Math.max(worst, Math.abs(prod[k] - r.y.data[k]) / Math.max(1, Math.abs(r.y.data[k])));
    const ok = worst <= 1e-5;
    const wView = drawMatrix(Wm, K, Cg * kk, {
      testid: 'wmat', name: t('weight matrix'),
      rowLabel: (o) => t('output channel {o}', { o }),
      colLabel: (q) => { const x = tapOf(q); return t('channel {c}, tap ({a}, {b})', { ...x, c: x.c }); },
      onCell: (o, q) => {
        const x = tapOf(q);
        app.link.clear();
        app.link.markAll(`[data-testid="weight-cell"][data-o="${o}"][data-i="${x.c}"][data-h="${x.a}"][data-w="${x.b}"]`);
      },
      onRow: (o) => { app.link.clear(); app.link.mark({ testid: 'output-channel', c: o }); },
      onLeave: () => app.link.clear(),
    });
    const yView = drawMatrix(prod, K, L, {
      testid: 'ymat', name: t('W · cols'),
      rowLabel: (o) => t('output channel {o}', { o }),
      colLabel: (l) => t('output position ({oh}, {ow})', { oh: Math.floor(l / OW), ow: l % OW }),
      onCell: (o, l) => linkOutput(app, o, Math.floor(l / OW), l % OW),
      onLeave: () => app.link.clear(),
    });
    this.body.append(
      h('h3', null, t('im2col: unfold, then one matrix product')),
      h('p', null, t('unfold(x{p}) has shape [C·kH·kW, L] = [{C}·{kh}·{kw}, {oh}·{ow}] = [{R}, {L}]: column l is the receptive field of output position l, flattened. ', { p: padded, C: s.C, kh: s.kh, kw: s.kw, oh: OH, ow: OW, R, L }),
        g === 1 ? t('Then y = w.reshape({K}, {R}) @ unfold(x) is [{K}, {L}], reshaped to [{K}, {oh}, {ow}].', { K, R, L, oh: OH, ow: OW })
          : t('With groups={g}, output channel o multiplies only the rows of its own group ({n} rows each).', { g, n: Cg * kk })),
      h('p', { class: 'hint wide' }, t('Hover a column of the unfold matrix: its output cell and receptive field light up; an entry lights the input (or padding) cell it copies; a row of W or of the unfold matrix lights the kernel taps.')),
      h('div', { class: 'mat-eq' },
        h('figure', { class: 'mat-fig' }, h('figcaption', null, t('W = w.reshape({K}, {n})', { K, n: Cg * kk })), wView.el),
        h('span', { class: 'mat-op' }, '·'),
        h('figure', { class: 'mat-fig' }, h('figcaption', null, t('cols = unfold(x{p})  [{R}, {L}]', { p: padded, R, L })), colsView.el),
        h('span', { class: 'mat-op' }, '='),
        h('figure', { class: 'mat-fig' }, h('figcaption', null, t('W · cols{b}  [{K}, {L}]', { b: r.b ? ' + b' : '', K, L })), yView.el)),
      h('p', { class: ok ? 'agree ok' : 'agree bad', 'data-testid': 'im2col-agree', 'data-agree': ok ? '1' : '0' },
        ok ? t('✓ W · cols, computed here from the API’s unfold, equals conv2d’s output (largest relative difference {d}).', { d: displayLong(worst) })
          : t('✗ W · cols differs from conv2d’s output by {d}.', { d: displayLong(worst) })));
  }

  renderKernelMatrix(app, s, r, cp, { PH, PW, OW, L, kk, padded, pt, pl, inputAt, multi }) {
    if (L * PH * PW > MATRIX_VALUES) { this.body.append(h('h3', null, t('The kernel matrix')), tooLarge('M', L, PH * PW)); return; }
    // The kernel matrix of one kernel.
    const kernel = { shape: [s.kh, s.kw], data: r.w.data.slice(0, kk) };
    const c0 = 0, o0 = 0;
    const M = cp.kernelMatrix(kernel, [PH, PW], { stride: s.stride, padding: 0, dilation: s.dilation });
    const [mr, mc] = M.shape;
    const mView = drawMatrix(M.data, mr, mc, {
      testid: 'kmat', name: t('kernel matrix M'),
      rowLabel: (i) => `y[${o0}, ${Math.floor(i / OW)}, ${i % OW}]`,
      colLabel: (j) => `x${padded}[${c0}, ${Math.floor(j / PW)}, ${j % PW}]`,
      onRow: (i) => linkOutput(app, o0, Math.floor(i / OW), i % OW),
      onCell: (i, j) => { linkOutput(app, o0, Math.floor(i / OW), i % OW); app.link.mark(inputRef(app, c0, Math.floor(j / PW) - pt, j % PW - pl)); },
      onCol: (j) => inputAt(c0, Math.floor(j / PW), j % PW),
      onLeave: () => app.link.clear(),
    });
    this.body.append(
      h('h3', null, t('The kernel matrix')),
      h('p', null, t('vec(y) = M · vec(x{p}) with M of shape [OH·OW, H·W] = [{mr}, {mc}]{note}: each row is the kernel laid into the input at one output position; zeros everywhere else.',
        { p: padded, mr, mc, note: multi ? t(' (for kernel w[0,0], input channel 0 → output channel 0)') : '' })),
      h('p', { class: 'hint wide' }, t('Hover a row: its output cell and receptive field light up. Hover a column: its input cell lights up.')),
      mView.el);
  }
}
