// Three views of conv_transpose2d for the current configuration, each with the real numbers,
// and a check that they agree with the core's conv_transpose2d:
//   1. scatter-add: each input cell stamps its scaled kernel into the (uncropped) output;
//   2. zero insertion: (stride-1) zeros between the inputs, padding d(k-1)-p (plus
//      output_padding on the far side), then an ordinary stride-1 conv2d (run by the core) with
//      the 180°-rotated, in/out-swapped kernel;
//   3. matrix: vec(y) = Σ_c M_cᵀ · vec(x_c), M from the core's kernelMatrix.
// Also: the overlap map (kernel taps per output pixel, the checkerboard) and the round trip
// conv2d -> conv_transpose2d (which output_padding brings the shape back).

import { h, clear } from '../dom.js';
import { displayLong, groupDigits } from '../numfmt.js';
import { Grid, sizeClass } from '../grid.js';
import { Scale } from '../colour.js';
import { convPads, LIMITS } from '../state.js';
import { VIEW_WORK } from '../budget.js';
import { drawConvTMatrix, linkOutput, linkInput } from './matrix.js';
import { viewsWork, computeConvTViews, overlapCounts, convTMatrix } from '../convt-model.js';
import { drawMatrix } from '../matdraw.js';
import { t, pl } from '../i18n.js';

const f = Math.fround;
const MAX_DRAW = 40;           // rows/columns of a view grid drawn

function valueGrid({ rows, cols, values, offset = 0, margins, ghostValue, testid, caption, label, scale, attrs }) {
  const m = margins || { t: 0, b: 0, l: 0, r: 0 };
  const g = new Grid({ rows, cols, editable: false, margins: m, size: sizeClass(cols + m.l + m.r, rows + m.t + m.b),
    attrs: (i, j) => ({ 'data-testid': testid, ...(attrs ? attrs(i, j) : {}) }),
    ghostAttrs: () => ({ 'data-testid': `${testid}-cropped` }),
    label, ariaLabel: typeof caption === 'string' ? caption : null, caption });
  const sc = scale || new Scale(values);
  g.setValues(values, sc, offset);
  if (ghostValue && g.ghosts.size) g.setGhosts((i, j) => ({ value: ghostValue(i, j), title: t('cropped by padding') }), sc);
  return g;
}

export class ConvTViews {
  // ctx: { cp, model, link, dispatch } (page.js)
  constructor(ctx) {
    this.ctx = ctx;
    this.tab = 'scatter';
    this.o = 0;
    this.step = null; // null: all stamps
    this.body = h('div', { class: 'views-body' });
    this.badge = h('span', { class: 'agree', 'data-testid': 'convt-agree' });
    this.tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('view') });
    this.tabBtns = {};
    for (const [id, label] of [['scatter', t('1 · scatter-add')], ['zeros', t('2 · zero insertion + conv')], ['matrix', t('3 · matrix Mᵀx')]]) {
      const b = h('button', { type: 'button', role: 'tab', class: 'tab', 'data-testid': `view-${id}`, onclick: () => { this.tab = id; this.render(); } }, label);
      this.tabBtns[id] = b;
      this.tabs.appendChild(b);
    }
    this.summaryTitle = h('h2', null, t('Three views of conv_transpose2d'));
    this.details = h('details', { class: 'panel views-panel', 'data-testid': 'convt-views', open: true },
      h('summary', null, this.summaryTitle), h('div', { class: 'views-top' }, this.tabs, this.badge), this.body);
    this.details.addEventListener('toggle', () => this.render());
    // Round trip and overlap map.
    this.extraBody = h('div', { class: 'extra-body' });
    this.extra = h('details', { class: 'panel extra-panel', 'data-testid': 'shape-panel' },
      h('summary', null, h('h2', null, t('Round trip and overlaps'))), this.extraBody);
    this.extra.addEventListener('toggle', () => this.renderExtra());
  }

  render() {
    const app = this.ctx, s = app.model.state, r = app.model.result;
    if (!r) return; // nothing derived yet
    const convT = s.op === 'conv_transpose2d';
    this.details.hidden = !convT;
    this.renderExtra();
    if (!convT || !this.details.open) return;
    clear(this.body);
    this.badge.textContent = '';
    for (const [id, b] of Object.entries(this.tabBtns)) { b.setAttribute('aria-selected', String(id === this.tab)); b.classList.toggle('on', id === this.tab); }
    if (!r.ok) { this.badge.dataset.agree = ''; this.body.append(h('p', { class: 'muted' }, t('Needs a valid configuration.'))); return; }
    if (r.pending) { this.badge.dataset.agree = ''; this.body.append(h('p', { class: 'muted' }, t('The output is still being computed.'))); return; }
    // The views re-derive every value in JavaScript: not for huge configurations.
    const work = viewsWork(s, r);
    if (work > VIEW_WORK) {
      this.last = null;
      this.badge.dataset.agree = '';
      this.badge.className = 'agree';
      this.body.append(h('p', { class: 'muted', 'data-testid': 'views-skipped' }, t('The three views are not computed for this configuration: they would re-derive {n} values in this page (it does up to {m}).',
        { n: groupDigits(work), m: groupDigits(VIEW_WORK) })));
      return;
    }
    const v = computeConvTViews(app.cp, s, r);
    this.last = v;
    const fmt = (d) => (d === null ? '—' : d === 0 ? '0' : displayLong(d));
    this.badge.dataset.agree = v.agree ? '1' : '0';
    this.badge.dataset.identical = v.identical ? '1' : '0';
    this.badge.className = `agree ${v.agree ? 'ok' : 'bad'}`;
    this.badge.textContent = v.agree
      ? (v.identical ? t('✓ the three views give exactly the core’s output') : t('✓ the three views agree with the core (largest relative difference {d}: float32 sums in another order)', { d: fmt(Math.max(v.diff.scatter, v.diff.zeros, v.diff.matrix || 0)) }))
      : t('✗ the views disagree: scatter {a}, zero insertion {b}, matrix {c}', { a: fmt(v.diff.scatter), b: v.zeroError || fmt(v.diff.zeros), c: fmt(v.diff.matrix) });
    if (v.matrixSkipped) this.badge.textContent += ' ' + t('(matrix check skipped: {n} multiply-adds)', { n: v.matrixSkipped });
    // Output channel selector.
    if (s.K > 1) {
      const sel = h('select', { 'aria-label': t('output channel'), 'data-testid': 'views-channel' }, Array.from({ length: s.K }, (_, o) => h('option', { value: o }, t('output channel {o}', { o }))));
      if (this.o >= s.K) this.o = 0;
      sel.value = String(this.o);
      sel.addEventListener('change', () => { this.o = Number(sel.value); this.step = null; this.render(); });
      this.body.append(h('div', { class: 'views-chan' }, sel));
    } else this.o = 0;
    if (v.FH > MAX_DRAW || v.FW > MAX_DRAW || (this.tab === 'zeros' && (v.Hz > MAX_DRAW || v.Wz > MAX_DRAW))) {
      this.body.append(h('p', { class: 'muted' }, t('Too large to draw (up to {n}×{n}); the agreement check above still ran on every value.', { n: MAX_DRAW })));
      return;
    }
    if (this.tab === 'scatter') this.drawScatter(v);
    else if (this.tab === 'zeros') this.drawZeros(v);
    else this.drawMatrixView(v);
  }

  drawScatter(v) {
    const app = this.ctx, s = app.model.state, r = app.model.result;
    const o = this.o, grp = Math.floor(o / v.Kg), ol = o % v.Kg;
    const HW = s.H * s.W, n = v.Cg * HW;
    const k = this.step === null ? n : Math.max(1, Math.min(n, this.step));
    const [sh, sw] = s.stride, [dh, dw] = s.dilation, [ph, pw] = s.padding;
    const ks = s.kh * s.kw;
    // Running sum of the first k stamps for output channel o, and the k-th stamp alone.
    const run = new Float32Array(v.FH * v.FW), stamp = new Float32Array(v.FH * v.FW).fill(NaN);
    let cur = null;
    for (let q = 0; q < k; q++) {
      const c = grp * v.Cg + Math.floor(q / HW), i = Math.floor((q % HW) / s.W), j = q % s.W;
      const xv = r.x.data[c * HW + i * s.W + j];
      const base = (c * v.Kg + ol) * ks;
      for (let a = 0; a < s.kh; a++) for (let b = 0; b < s.kw; b++) {
        const fi = i * sh + a * dh, fj = j * sw + b * dw;
        if (fi >= v.FH || fj >= v.FW) continue;
        const term = f(xv * r.w.data[base + a * s.kw + b]);
        run[fi * v.FW + fj] = f(run[fi * v.FW + fj] + term);
        if (q === k - 1) stamp[fi * v.FW + fj] = term;
      }
      if (q === k - 1) cur = { c, i, j, xv, base };
    }
    const margins = { t: ph, b: ph, l: pw, r: pw };
    const inner = (arr) => Float32Array.from({ length: v.OH * v.OW }, (_, q) => arr[(Math.floor(q / v.OW) + ph) * v.FW + (q % v.OW) + pw]);
    const ghost = (arr) => (i, j) => arr[(i + ph) * v.FW + j + pw];
    const scale = new Scale(v.full.subarray(o * v.FH * v.FW, (o + 1) * v.FH * v.FW));
    const stampVals = inner(stamp.map((x) => (Number.isNaN(x) ? 0 : x)));
    const gStamp = valueGrid({ rows: v.OH, cols: v.OW, values: stampVals, margins, ghostValue: ghost(stamp.map((x) => (Number.isNaN(x) ? 0 : x))), testid: 'stamp-cell', scale,
      caption: h('span', null, h('b', null, t('stamp {k}', { k })), ` x[${cur.c}, ${cur.i}, ${cur.j}] = ${displayLong(cur.xv)} × w[${cur.c}, ${ol}]`), label: (i, j) => `(${i}, ${j})` });
    // Cells outside the stamp are blank.
    const off = (el, fi, fj) => { if (el) el.classList.toggle('off', Number.isNaN(stamp[fi * v.FW + fj])); };
    for (let fi = 0; fi < v.FH; fi++) for (let fj = 0; fj < v.FW; fj++) {
      const i = fi - ph, j = fj - pw;
      off(gStamp.cell(i, j) || gStamp.ghost(i, j), fi, fj);
    }
    const gRun = valueGrid({ rows: v.OH, cols: v.OW, values: inner(run), margins, ghostValue: ghost(run), testid: 'scatter-cell', scale,
      caption: h('span', null, h('b', null, t('running sum')), ' ', t('after {k} of {n} {stamps}', { k, n, stamps: pl(n, 'stamp', 'stamps') })), label: (i, j) => `(${i}, ${j})` });
    for (let fi = 0; fi < v.FH; fi++) for (let fj = 0; fj < v.FW; fj++) {
      if (Number.isNaN(stamp[fi * v.FW + fj])) continue;
      const el = gRun.cell(fi - ph, fj - pw) || gRun.ghost(fi - ph, fj - pw);
      if (el) el.dataset.highlight = '1';
    }
    const range = h('input', { type: 'range', min: '1', max: String(n), value: String(k), 'data-testid': 'scatter-step', 'aria-label': t('stamp') });
    range.addEventListener('input', () => { this.step = Number(range.value); this.render(); this.body.querySelector('[data-testid="scatter-step"]')?.focus(); });
    const btn = (label, step, testid) => h('button', { type: 'button', class: 'btn', 'data-testid': testid, onclick: () => { this.step = step; this.render(); } }, label);
    const done = k === n;
    const [pa, pb] = s.padding;
    this.body.append(
      h('p', null, t('Every input cell x[c, i, j] multiplies the whole kernel and adds it into the output at rows i·{sh}, columns j·{sw} (taps {dh}, {dw} apart). Where stamps overlap, they add up: the running sum shows it.', { sh, sw, dh, dw }),
        (pa || pb) ? ' ' + t('Dashed cells are the {p} row(s)/column(s) that padding crops at the end.', { p: `${pa},${pb}` }) : ''),
      h('div', { class: 'anim views-steps' }, btn('|◀', 1, 'scatter-first'), btn('◀', Math.max(1, k - 1), 'scatter-prev'), range, btn('▶', Math.min(n, k + 1), 'scatter-next'), btn(t('all'), null, 'scatter-all'),
        h('span', { class: 'anim-label' }, t('stamp {k} of {n}', { k, n }))),
      h('div', { class: 'views-row' }, gStamp.el, h('span', { class: 'mat-op' }, '→'), gRun.el),
      h('p', { class: 'muted' }, done ? t('After all {n} stamps{crop}{bias} the running sum is y[{o}]: compare with the output grid above.', { n, o, crop: pa || pb ? t(', cropping the dashed border') : '', bias: s.useBias ? t(' and adding b[{o}] = {b}', { o, b: displayLong(s.bias[o]) }) : '' })
        : t('{left} more {stamps} to go.', { left: n - k, stamps: pl(n - k, 'stamp', 'stamps') })));
  }

  drawZeros(v) {
    const app = this.ctx, s = app.model.state, r = app.model.result;
    const o = this.o, grp = Math.floor(o / v.Kg);
    const [qh, qw] = v.q, [sh, sw] = s.stride, [ph, pw] = s.padding, [dh, dw] = s.dilation, [oph, opw] = s.outputPadding;
    if (v.zeroError) { this.body.append(h('p', { class: 'muted' }, v.zeroError)); return; }
    const KIND = ['inserted', 'x', 'pad', 'op'];
    const zs = new Scale(v.z);
    const figs = [];
    const shown = Math.min(v.Cg, 3);
    for (let cl = 0; cl < shown; cl++) {
      const c = grp * v.Cg + cl;
      figs.push(valueGrid({ rows: v.Hz, cols: v.Wz, values: v.z, offset: c * v.Hz * v.Wz, testid: 'zi-cell', scale: zs,
        attrs: (i, j) => ({ 'data-kind': KIND[v.kind[i * v.Wz + j]], 'data-c': c }),
        caption: h('span', null, h('b', null, t('zero-inserted x[{c}]', { c })), ` ${v.Hz}×${v.Wz}`), label: (i, j) => `(${i}, ${j})` }).el);
    }
    if (v.Cg > shown) figs.push(h('p', { class: 'muted' }, t('… and {n} more input channels', { n: v.Cg - shown })));
    const ks = s.kh * s.kw;
    const kerns = [];
    for (let cl = 0; cl < shown; cl++) {
      const c = grp * v.Cg + cl;
      kerns.push(valueGrid({ rows: s.kh, cols: s.kw, values: v.wRot, offset: (o * v.Cg + cl) * ks, testid: 'rot-cell', scale: new Scale(r.w.data),
        caption: h('span', null, h('b', null, t('rotated w[{c}, {ol}]', { c, ol: o % v.Kg })), ' 180°'), label: (i, j) => `(${i}, ${j})` }).el);
    }
    const y = valueGrid({ rows: v.OH, cols: v.OW, values: v.yZero, offset: o * v.OH * v.OW, testid: 'zi-out-cell', scale: new Scale(r.y.data),
      caption: h('span', null, h('b', null, `conv2d → y[${o}]`), ` ${v.OH}×${v.OW}`), label: (i, j) => `(${i}, ${j})` });
    const q = (qq, d, k, p) => `${d}·(${k}−1) − ${p} = ${qq}`;
    this.body.append(
      h('ol', { class: 'steps' },
        h('li', null, t('Insert stride − 1 = {a}, {b} zeros between neighbouring inputs (rows, columns).', { a: sh - 1, b: sw - 1 })),
        h('li', null, t('Pad every side by d·(k−1) − p: rows {qh}, columns {qw}', { qh: q(qh, dh, s.kh, ph), qw: q(qw, dw, s.kw, pw) }),
          (qh < 0 || qw < 0) ? t(' (negative: crop instead)') : '',
          (oph || opw) ? t('; output_padding adds {a} row(s) at the bottom and {b} column(s) at the right', { a: oph, b: opw }) : '', '.'),
        h('li', null, t('Rotate each kernel by 180° and swap its in/out roles: weight [{K}, {Cg}, {kh}, {kw}].', { K: s.K, Cg: v.Cg, kh: s.kh, kw: s.kw })),
        h('li', null, t('Run an ordinary conv2d with stride 1{d} on the grid (computed by the core).', { d: dh > 1 || dw > 1 ? t(' and dilation {a}, {b}', { a: dh, b: dw }) : '' }))),
      h('div', { class: 'views-row' }, ...figs, h('span', { class: 'mat-op' }, '⊛'), ...kerns, h('span', { class: 'mat-op' }, '='), y.el),
      h('p', { class: 'legend-kinds' }, h('span', { class: 'kind-x' }, t('input value')), h('span', { class: 'kind-inserted' }, t('inserted zero')), h('span', { class: 'kind-pad' }, t('padding')), (oph || opw) ? h('span', { class: 'kind-op' }, t('output_padding')) : null));
  }

  drawMatrixView(v) {
    const app = this.ctx, s = app.model.state, r = app.model.result;
    const o = this.o, grp = Math.floor(o / v.Kg), c = grp * v.Cg;
    if (v.matrixSkipped) { this.body.append(h('p', { class: 'muted' }, t('The matrix is too large here ({n} multiply-adds).', { n: v.matrixSkipped }))); return; }
    const M = convTMatrix(app.cp, s, r, c, o);
    const [mr, mc] = M.shape;
    const xs = r.x.data.subarray(c * s.H * s.W, (c + 1) * s.H * s.W);
    const mView = drawConvTMatrix(app, M, c, o, 'tmat');
    const xView = drawMatrix(xs, s.H * s.W, 1, { testid: 'xvec', name: 'vec(x)', rowLabel: (i) => `x[${c}, ${Math.floor(i / s.W)}, ${i % s.W}]`,
      onRow: (i) => linkInput(app, c, Math.floor(i / s.W), i % s.W), onLeave: () => app.link.clear() });
    const yView = drawMatrix(v.yMat.subarray(o * mc, (o + 1) * mc), mc, 1, { testid: 'yvec', name: 'vec(y)', rowLabel: (i) => `y[${o}, ${Math.floor(i / v.OW)}, ${i % v.OW}]`,
      onRow: (i) => linkOutput(app, o, Math.floor(i / v.OW), i % v.OW), onLeave: () => app.link.clear() });
    this.body.append(
      h('p', null, t('M is the [{mr}, {mc}] kernel matrix of the forward conv2d (same kernel, stride, padding, dilation) from {oh}×{ow} down to {h}×{w}. The transposed convolution multiplies by its transpose: vec(y) = Mᵀ · vec(x).', { mr, mc, oh: v.OH, ow: v.OW, h: s.H, w: s.W }),
        v.Cg > 1 || s.useBias ? ' ' + t('Here y[{o}] sums Mᵀ·x over {n} input channel(s){b}; the matrix of input channel {c} is drawn.', { o, n: v.Cg, c, b: s.useBias ? t(' and adds the bias') : '' }) : ''),
      M.trimmed ? h('p', null, t('Here output_padding < dilation: the forward conv2d of {oh}×{ow} gives {a}×{b} positions, and the transposed convolution uses the first {h}×{w} of them (the other rows of M are dropped).', { oh: v.OH, ow: v.OW, a: M.trimmed[0], b: M.trimmed[1], h: s.H, w: s.W })) : '',
      h('p', { class: 'hint wide' }, t('Hover a row of Mᵀ: its output cell lights up with the inputs that reach it; a column lights its input cell.')),
      h('div', { class: 'mat-eq' },
        h('figure', { class: 'mat-fig' }, h('figcaption', null, `Mᵀ [${mc}, ${mr}]`), mView.el),
        h('span', { class: 'mat-op' }, '·'),
        h('figure', { class: 'mat-fig' }, h('figcaption', null, 'vec(x)'), xView.el),
        h('span', { class: 'mat-op' }, '='),
        h('figure', { class: 'mat-fig' }, h('figcaption', null, 'vec(y)'), yView.el)));
  }

  // ---- round trip and overlap map ------------------------------------------------------------
  renderExtra() {
    const app = this.ctx, s = app.model.state, r = app.model.result, cp = app.cp;
    if (!this.extra.open || !r) return;
    clear(this.extraBody);
    if (!r.ok) { this.extraBody.append(h('p', { class: 'muted' }, t('Needs a valid configuration.'))); return; }
    if (r.pending) { this.extraBody.append(h('p', { class: 'muted' }, t('The output is still being computed.'))); return; }
    // Round trip.
    const pad = s.paddingKind === 'num' ? s.padding : null;
    // Sizes only: one channel. In conv_transpose2d mode the round trip starts from its output size.
    const convT = s.op === 'conv_transpose2d';
    const [H0, W0] = convT ? [r.shape[1], r.shape[2]] : [s.H, s.W];
    const xs = [1, 1, H0, W0];
    const rt = h('div', { class: 'roundtrip', 'data-testid': 'roundtrip' });
    this.extraBody.append(h('h3', null, t('Round trip: conv2d, then conv_transpose2d with the same kernel, stride, padding')), rt);
    if (!pad) {
      rt.append(h('p', { class: 'muted' }, t("padding='{p}' has no conv_transpose2d counterpart: use integer padding.", { p: s.paddingKind })));
    } else {
      const fwd = cp.conv2dOutputShape(xs, [1, 1, s.kh, s.kw], { stride: s.stride, padding: pad, dilation: s.dilation });
      if (!fwd.ok) rt.append(h('p', { class: 'muted' }, fwd.error));
      else {
        const [, , FH, FW] = fwd.shape;
        const back = cp.convTranspose2dOutputShape([1, 1, FH, FW], [1, 1, s.kh, s.kw], { stride: s.stride, padding: pad, dilation: s.dilation });
        const need = [H0 - back.shape[2], W0 - back.shape[3]];
        const lim = [Math.max(s.stride[0], s.dilation[0]), Math.max(s.stride[1], s.dilation[1])];
        const fits = need.every((d, i) => d >= 0 && d < lim[i]);
        const same = need[0] === 0 && need[1] === 0;
        rt.append(
          h('p', { class: 'rt-line' }, h('code', null, `${H0}×${W0}`), ' —conv2d→ ', h('code', null, `${FH}×${FW}`), ' —conv_transpose2d→ ', h('code', null, `${back.shape[2]}×${back.shape[3]}`),
            ' ', h('strong', { 'data-testid': 'roundtrip-result', 'data-same': same ? '1' : '0', 'data-output-padding': fits ? need.join(',') : '' },
              same ? t('✓ the shape comes back') : fits ? t('✗ {a} short: output_padding={op} brings it back', { a: need.join(', '), op: need.join(',') }) : t('✗ no output_padding can bring it back'))),
          h('p', { class: 'muted' }, t('conv2d floors (H + 2p − d(k−1) − 1)/s, so with stride {s} up to {n} input sizes map to the same output; output_padding (< stride or dilation) picks which one to come back to. Only the shape returns, not the values.', { s: s.stride.join(','), n: Math.max(...s.stride) })));
        // "Try it" loads this output as the input: only when it fits the input grids.
        if (fits && !same && !convT && r.shape[0] <= LIMITS.channels && FH <= LIMITS.size && FW <= LIMITS.size) {
          rt.append(h('button', { type: 'button', class: 'btn', 'data-testid': 'roundtrip-try', onclick: () => app.dispatch('roundTrip', { outputPadding: need.slice(), K: r.shape[0], FH, FW, y: r.y.data }) }, t('Try it: conv_transpose2d of this output with output_padding={op}', { op: need.join(',') })));
        }
      }
    }
    // Overlap map (conv_transpose2d geometry of the current kernel size, stride, padding, dilation).
    this.extraBody.append(h('h3', null, t('Overlap map: kernel taps per output pixel of conv_transpose2d')));
    const geo = s.op === 'conv_transpose2d' ? s : { ...s, padding: pad || [0, 0], outputPadding: [0, 0] };
    const size = cp.convTranspose2dOutputShape([1, 1, s.H, s.W], [1, 1, s.kh, s.kw], { stride: geo.stride, padding: geo.padding, outputPadding: geo.outputPadding, dilation: geo.dilation });
    if (size.ok && size.shape[2] * size.shape[3] > VIEW_WORK) {
      this.extraBody.append(h('p', { class: 'muted', 'data-testid': 'overlap-note' }, t('{h}×{w}: too large to draw.', { h: size.shape[2], w: size.shape[3] })));
      return;
    }
    let counts;
    try {
      counts = overlapCounts(cp, geo);
    } catch (e) { this.extraBody.append(h('p', { class: 'muted' }, e.message)); return; }
    const [, OH, OW] = counts.shape;
    let lo = Infinity, hi = -Infinity; // one pass (spreading millions of values into Math.min overflowed the stack)
    for (const v of counts.data) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const even = (s.kh % s.stride[0] === 0) && (s.kw % s.stride[1] === 0);
    if (OH <= MAX_DRAW && OW <= MAX_DRAW) {
      const g = valueGrid({ rows: OH, cols: OW, values: counts.data, testid: 'overlap-cell', caption: h('span', null, h('b', null, t('taps per pixel')), ` ${OH}×${OW}`), label: (i, j) => `(${i}, ${j})` });
      this.extraBody.append(g.el);
    } else this.extraBody.append(h('p', { class: 'muted' }, t('{h}×{w}: too large to draw.', { h: OH, w: OW })));
    this.extraBody.append(h('p', { 'data-testid': 'overlap-note', 'data-uneven': lo !== hi ? '1' : '0' },
      t('Each output pixel receives between {lo} and {hi} kernel taps.', { lo, hi }), ' ',
      s.stride[0] === 1 && s.stride[1] === 1 ? t('With stride 1 only the borders get fewer taps: no checkerboard.')
        : even ? t('kernel {kh}×{kw} is divisible by stride {s}: the interior gets the same number of taps everywhere, no checkerboard.', { kh: s.kh, kw: s.kw, s: s.stride.join(',') })
          : t('kernel {kh}×{kw} is not divisible by stride {s}: neighbouring pixels get different numbers of taps, which shows up as the checkerboard artifact. Use a kernel size divisible by the stride (e.g. k=4, s=2), or resize and then convolve with stride 1.', { kh: s.kh, kw: s.kw, s: s.stride.join(',') })));
  }
}
