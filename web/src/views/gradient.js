// The gradient view (issue 20): the backward pass of conv2d and conv_transpose2d for an editable
// grad_output g (default ones): dL/dx, dL/dW, dL/db, and the identities behind them with their
// numbers (grad-model.js computes everything, through the core). Hovering or focusing a dL/dx
// cell lights, through ctx.link, the grad_output cells and the weights that feed it and writes
// the sum of products out; hovering a grad_output cell lights the dL/dx cells it flows back to
// (grad-model.js gradOutputReach). With reflect / replicate / circular padding the padded input's
// gradient is drawn too, each padding cell labelled with the input cell it adds into.
// The panel is open when the state says grad=1 (opening or closing it is the setGrad action).

import { h, clear, activeIn } from '../dom.js';
import { displayLong, parseNum, groupDigits } from '../numfmt.js';
import { Grid, sizeClass } from '../grid.js';
import { Scale } from '../colour.js';
import { refOf } from '../ui.js';
import { sumOfProducts } from '../explain.js';
import { GRAD_MAX_SIDE, GRAD_MAX_VALUES } from '../grad-state.js';
import { deriveGrad, gradInputTerms, gradOutputReach, ghostFlows, GRAD_MAX_CELLS } from '../grad-model.js';
import { t, pl } from '../i18n.js';
import { BUILD_COST } from '../budget.js';
import { nextFrameTask } from '../tasks.js';

const MAX_REACH = 24; // shares written out when a grad_output cell is hovered
const pair = (p) => (p[0] === p[1] ? String(p[0]) : `${p[0]},${p[1]}`);
const fmt = (d) => (d === 0 ? '0' : displayLong(d));
// The checks pass within float32 summation noise: 1e-4 of the largest value (and absolute).
const within = (d, data) => { let m = 0; for (const v of data) m = Math.max(m, Math.abs(v)); return d <= 1e-4 * (1 + m); };

export class GradientView {
  // ctx: { cp, model, dispatch, link } (page.js)
  constructor(ctx) {
    this.ctx = ctx;
    this.body = h('div', { class: 'grad-body' });
    this.details = h('details', { class: 'panel grad-panel', 'data-testid': 'grad-panel' },
      h('summary', null, h('h2', null, t('Gradients: the backward pass'))), this.body);
    // Opening or closing the panel is a change of the state (grad=1 in the URL).
    this.details.addEventListener('toggle', () => {
      const s = ctx.model.state;
      if (s && this.details.open !== !!s.grad) ctx.dispatch('setGrad', { on: this.details.open }, 'grad-panel');
    });
    this.body.addEventListener('input', (e) => this.onInput(e.target));
    const lightFrom = (e) => {
      const el = e.target.closest && e.target.closest('[data-testid="grad-input-cell"], [data-testid="grad-output-cell"]');
      if (el) (el.dataset.testid === 'grad-input-cell' ? this.light(refOf(el)) : this.lightOut(refOf(el)));
    };
    this.body.addEventListener('mouseover', lightFrom);
    this.body.addEventListener('focusin', lightFrom);
    this.body.addEventListener('mouseleave', () => { if (this.lit && !this.body.contains(activeIn(this.body))) this.unlight(); });
    this.body.addEventListener('focusout', (e) => { if (this.lit && (!e.relatedTarget || !this.body.contains(e.relatedTarget))) this.unlight(); });
    this.key = '';
    this.grids = { g: [], dx: [], pad: [], dw: new Map(), db: null };
    this.hl = [];
    this.buildQueue = [];
    this.buildToken = null;
  }

  onInput(el) {
    if (!el.dataset || el.dataset.testid !== 'grad-output-cell' || !el.isContentEditable) return;
    const v = el.value.trim() === '' ? 0 : parseNum(el.value);
    if (v === undefined) { el.setAttribute('aria-invalid', 'true'); return; }
    el.removeAttribute('aria-invalid');
    const ref = refOf(el);
    this.ctx.dispatch('setCell', { ...ref, value: v }, `grad-output-cell:${ref.c}:${ref.h}:${ref.w}`);
  }

  // Light what feeds dL/dx[c, i, j] and write its sum.
  light(ref) {
    if (!this.grad || this.grad.status !== 'ok') return;
    const { state: s, result: r } = this.ctx.model;
    const q = gradInputTerms(s, r, this.grad, ref.c, ref.h, ref.w);
    this.lightUp({ testid: 'grad-input-cell', c: ref.c, h: ref.h, w: ref.w }, q.refs, this.sumOf(s, q), this.sumOf(s, q));
    this.sum.querySelector('[data-testid="explain-result"]')?.removeAttribute('data-testid');
  }

  // Light where g[o, oh, ow] flows back to (gradOutputReach): the dL/dx and padding cells its
  // output cell read, and the weights at those taps; write each share out.
  lightOut(ref) {
    if (!this.grad || this.grad.status !== 'ok') return;
    const { state: s, result: r } = this.ctx.model;
    const q = gradOutputReach(s, r, this.grad, ref.c, ref.h, ref.w);
    const n = q.refs.filter((x) => x.testid === 'grad-input-cell').length;
    // The explanation panel gets one line (a list there would move the grids under the pointer).
    const note = h('div', { class: 'sum-note' }, t('g[{o}, {i}, {j}] = {v} flows back to {n} {cells} of dL/dx (the gradient panel writes each share out).',
      { o: q.o, i: q.oh, j: q.ow, v: fmt(q.g), n, cells: pl(n, 'cell', 'cells') }));
    this.lightUp({ testid: 'grad-output-cell', c: ref.c, h: ref.h, w: ref.w }, q.refs, note, this.reachOf(s, q));
  }

  // Lights the focused gradient cell and refs through ctx.link (one 'highlight' UI action) with
  // note for the explanation panel, and writes sum into this panel.
  lightUp(focus, refs, note, sum) {
    this.lit = true;
    this.ctx.link.focus(focus);
    for (const x of refs) this.ctx.link.mark(x);
    this.ctx.link.note(note);
    clear(this.sum).append(sum);
  }

  reachOf(s, q) {
    const conv = s.op === 'conv2d', G = Math.max(1, s.groups), n = q.targets.length;
    const wName = (u) => (conv ? `w[${q.o}, ${u.c % (s.C / G)}, ${u.a}, ${u.b}]` : `w[${u.c}, ${q.o % (s.K / G)}, ${u.a}, ${u.b}]`);
    const args = { o: q.o, i: q.oh, j: q.ow, v: fmt(q.g), n, terms: pl(n, 'term', 'terms') };
    return h('div', { 'data-testid': 'grad-reach' },
      h('p', null, conv ? t('y[{o}, {i}, {j}] read these cells of x: g[{o}, {i}, {j}] = {v} flows back to each, times the weight that read it ({n} {terms}).', args)
        : t('These cells of x stamped their kernel onto y[{o}, {i}, {j}]: g[{o}, {i}, {j}] = {v} flows back to each, times the weight of its stamp ({n} {terms}).', args)),
      q.targets.slice(0, MAX_REACH).map((u) => h('div', { class: 'sum-line' },
        u.pad ? t('padding ({i}, {j})', { i: u.pad[0], j: u.pad[1] }) + (u.i === null ? ': ' + t('dropped (zero padding)') : ` → dL/dx[${u.c}, ${u.i}, ${u.j}]`) : `dL/dx[${u.c}, ${u.i}, ${u.j}]`,
        u.i === null ? '' : ` += g · ${wName(u)} = ${fmt(q.g)} · ${fmt(u.w)} = ${fmt(Math.fround(q.g * u.w))}`)),
      n > MAX_REACH ? h('p', { class: 'muted' }, t('(the first {n} are written out)', { n: MAX_REACH })) : '');
  }

  unlight() { this.lit = false; this.ctx.link.clear(); if (this.sum) clear(this.sum).append(this.sumHint()); }

  sumHint() { return h('span', { class: 'muted' }, t('Hover or focus a dL/dx cell: the grad_output cells and weights that feed it light up, and its sum is written here.'), ' ', t('Hover a grad_output cell: the dL/dx cells it flows back to light up.')); }

  sumOf(s, q) {
    const conv = s.op === 'conv2d';
    const terms = q.terms.map((u) => ({ x: u.g, w: u.w, ghost: !!u.ghost, xTitle: `g[${u.o}, ${u.oh}, ${u.ow}]`,
      wTitle: conv ? `w[${u.o}, ${q.c % (s.C / Math.max(1, s.groups))}, ${u.a}, ${u.b}]` : `w[${q.c}, ${u.o % (s.K / Math.max(1, s.groups))}, ${u.a}, ${u.b}]` }));
    const nGhost = q.terms.filter((u) => u.ghost).length;
    const note = h('span', null, conv
      ? t('Every output cell y[o, oh, ow] that read x[{c}, {i}, {j}] through kernel tap (a, b) sends back g[o, oh, ow] · w[o, c, a, b] ({n} {terms}).', { c: q.c, i: q.i, j: q.j, n: q.total, terms: pl(q.total, 'term', 'terms') })
      : t('x[{c}, {i}, {j}] stamped w[{c}, o, a, b] onto y[o, {i}·{sh} + a·{dh} − {ph}, {j}·{sw} + b·{dw} − {pw}]: each of those output cells sends back g · w ({n} {terms}).', { c: q.c, i: q.i, j: q.j, sh: s.stride[0], sw: s.stride[1], dh: s.dilation[0], dw: s.dilation[1], ph: s.padding[0], pw: s.padding[1], n: q.total, terms: pl(q.total, 'term', 'terms') }),
      nGhost ? ' ' + t('{n} of them reach it through a {m} padding cell that copies it.', { n: nGhost, m: s.paddingMode }) : '',
      q.total > q.terms.length ? ' ' + t('(the first {n} are written out)', { n: q.terms.length }) : '',
      ' ', t('The total is the core’s dL/dx.'));
    return sumOfProducts(`dL/dx[${q.c}, ${q.i}, ${q.j}]`, terms, null, q.value, note);
  }

  render() {
    const { state: s, result: r } = this.ctx.model;
    if (!r) return;
    if (this.details.open !== !!s.grad) this.details.open = !!s.grad;
    if (!s.grad) { this.grad = null; this.key = ''; this.stopBuilding(); clear(this.body); return; }
    const grad = deriveGrad(this.ctx.cp, s, r);
    this.grad = grad;
    if (grad.status !== 'ok') {
      this.key = '';
      this.stopBuilding();
      const msg = grad.status === 'op' ? t('The gradient view is for conv2d and conv_transpose2d.')
        : grad.status === 'large' ? (grad.cells ? t('The gradient view draws up to {n} cells (grad_output, dL/dx, dL/dW and dL/db together); this configuration needs {m}.', { n: groupDigits(GRAD_MAX_CELLS), m: groupDigits(grad.cells) })
          : t('The output is too large for the gradient view (up to {n} values, {m}×{m} per channel).', { n: groupDigits(GRAD_MAX_VALUES), m: GRAD_MAX_SIDE }))
          : t('Needs a valid configuration.');
      clear(this.body).append(h('p', { class: 'muted', 'data-testid': 'grad-status' }, msg));
      return;
    }
    const key = JSON.stringify([s.op, s.C, s.H, s.W, s.kh, s.kw, r.shape, r.layout.slots.map((q) => q.inC + ':' + q.outC).join(' '), s.useBias, s.paddingMode,
      grad.padded && grad.identity.kind === 'fold' ? grad.padded.pads : null, document.documentElement.dataset.theme]);
    if (key !== this.key) { this.key = key; this.build(s, r, grad); }
    this.fill(s, r, grad);
  }

  grid(testid, rows, cols, label, caption, opts = {}) {
    const m = opts.margins || { t: 0, b: 0, l: 0, r: 0 };
    return new Grid({ deferRows: true, rows, cols, editable: !!opts.editable, kind: opts.kind, margins: m, size: sizeClass(cols + m.l + m.r, rows + m.t + m.b, opts.kind),
      attrs: opts.attrs || (() => ({ 'data-testid': testid, 'data-c': opts.c })), ghostAttrs: opts.ghostAttrs,
      label, ariaLabel: typeof caption === 'string' ? caption : opts.ariaLabel, caption });
  }

  // Builds the grids' rows within BUILD_COST (budget.js) of work, the rest in later tasks, one
  // chunk per frame (data-building on the panel meanwhile): a big panel opens without a long task.
  buildRowsSome(token) {
    if (token !== this.buildToken) return false;
    let spent = 0;
    while (this.buildQueue.length && spent < BUILD_COST) {
      const g = this.buildQueue[0];
      spent += g.buildRows(BUILD_COST - spent);
      if (g.complete) this.buildQueue.shift();
    }
    if (this.buildQueue.length) this.details.dataset.building = String(this.buildQueue.length);
    else delete this.details.dataset.building;
    return true;
  }

  stopBuilding() { this.buildToken = null; this.buildQueue = []; delete this.details.dataset.building; }

  buildLater(token) {
    nextFrameTask(() => {
      if (!this.buildRowsSome(token)) return;
      const m = this.ctx.model;
      if (this.grad && this.grad.status === 'ok') this.fill(m.state, m.result, this.grad); // the new rows' values
      if (this.lastHl) this.applyHighlight(this.lastHl);
      if (this.buildQueue.length) this.buildLater(token);
    });
  }

  build(s, r, grad) {
    const conv = s.op === 'conv2d';
    const [K, OH, OW] = r.shape;
    clear(this.body);
    this.hl = [];
    this.buildToken = {};
    delete this.details.dataset.building;
    this.body.append(h('p', { class: 'grad-intro' }, conv
      ? t('Backpropagation starts from grad_output g = dL/dy, one number per output cell (type your own; ones by default, the gradient of y.sum()). Each output cell sends g back along the products that made it: to the inputs it read (dL/dx) and to the weights (dL/dW). dL/dx is a transposed convolution of g with the same kernel: the backward pass of conv2d is conv_transpose2d.')
      : t('Backpropagation starts from grad_output g = dL/dy, one number per output cell (type your own; ones by default, the gradient of y.sum()). Each input cell stamped its scaled kernel onto the output; the backward pass reads back what landed on those cells: dL/dx is an ordinary conv2d of g with the same kernel. The backward pass of conv_transpose2d is conv2d.')));
    // grad_output.
    const gRow = h('div', { class: 'views-row' });
    this.grids.g = [];
    for (let o = 0; o < K; o++) {
      const g = this.grid('grad-output-cell', OH, OW, (i, j) => `g[${o}, ${i}, ${j}]`, h('span', null, h('b', null, `g[${o}]`), ` = dL/dy[${o}]`),
        { editable: true, c: o, ariaLabel: t('grad_output channel {c}', { c: o }) });
      this.grids.g.push(g);
      gRow.append(g.el);
    }
    const reset = h('button', { type: 'button', class: 'btn', 'data-testid': 'grad-reset', onclick: () => this.ctx.dispatch('resetGradOutput', {}) }, t('All ones'));
    this.body.append(h('h3', null, t('grad_output g'), h('span', { class: 'dims' }, ` ${K}×${OH}×${OW}`)), gRow, h('p', { class: 'hint' }, reset, ' ', t('Type a number into a cell of g; the gradients below follow.')));
    // dL/dx and the identity.
    const dxRow = h('div', { class: 'views-row' });
    this.grids.dx = [];
    for (let c = 0; c < s.C; c++) {
      const g = this.grid('grad-input-cell', s.H, s.W, (i, j) => `dL/dx[${c}, ${i}, ${j}]`, h('span', null, h('b', null, `dL/dx[${c}]`)), { c, ariaLabel: t('gradient of input channel {c}', { c }) });
      this.grids.dx.push(g);
      dxRow.append(g.el);
    }
    this.identity = h('p', { class: 'agree', 'data-testid': 'grad-identity' });
    this.sum = h('div', { class: 'grad-sum', 'data-testid': 'grad-sum' }, this.sumHint());
    this.body.append(h('h3', null, t('Input gradient dL/dx'), h('span', { class: 'dims' }, ` ${s.C}×${s.H}×${s.W}`)), dxRow, this.identity, this.sum);
    // The padded input's gradient: where the padding cells' gradients go.
    this.grids.pad = [];
    this.flowNote = null;
    if (conv && grad.identity.kind === 'fold') {
      const [pt, pb, pl, pr] = grad.padded.pads;
      const padRow = h('div', { class: 'views-row' });
      for (let c = 0; c < s.C; c++) {
        const g = this.grid('grad-pad-cell', s.H, s.W, (i, j) => `dL/dx_pad[${c}, ${i}, ${j}]`, h('span', null, h('b', null, `dL/dx_pad[${c}]`)),
          { c, margins: { t: pt, b: pb, l: pl, r: pr }, ghostAttrs: () => ({ 'data-testid': 'grad-pad-cell', 'data-c': c, 'data-mode': s.paddingMode }), ariaLabel: t('gradient of padded input channel {c}', { c }) });
        this.grids.pad.push(g);
        padRow.append(g.el);
      }
      this.flowNote = h('p', { class: 'hint', 'data-testid': 'grad-flow' });
      this.body.append(h('h3', null, t('Padded input gradient dL/dx_pad')), padRow, this.flowNote);
    }
    // dL/dW, in the weight's layout.
    const L = r.layout;
    const table = h('div', { class: 'kernel-table' });
    table.style.gridTemplateColumns = `auto repeat(${L.B}, auto)`;
    table.append(h('span', { class: 'kt-corner' }, conv ? t('out ╲ in') : t('in ╲ out')));
    for (let b = 0; b < L.B; b++) table.append(h('span', { class: 'kt-head' }, conv ? t('in {n}', { n: b }) : t('out {n}', { n: b })));
    this.grids.dw = new Map();
    for (let a = 0; a < L.A; a++) {
      table.append(h('span', { class: 'kt-row' }, conv ? t('out {n}', { n: a }) : t('in {n}', { n: a })));
      for (let b = 0; b < L.B; b++) {
        const slot = L.slots[a * L.B + b];
        const [o, i] = conv ? [a, b] : [b, a];
        const g = this.grid('grad-weight-cell', s.kh, s.kw, (p, q) => `dL/dW[${a}, ${b}, ${p}, ${q}]`, h('span', null, h('b', null, `dL/dW[${a},${b}]`)),
          { kind: 'kernel', ariaLabel: t('gradient of kernel {k}', { k: `w[${a}, ${b}]` }),
            attrs: () => ({ 'data-testid': 'grad-weight-cell', 'data-o': o, 'data-i': i, 'data-c': i, 'data-in': slot.inC, 'data-out': slot.outC }) });
        this.grids.dw.set(`${a},${b}`, g);
        table.append(g.el);
      }
    }
    this.weightCheck = h('p', { class: 'agree', 'data-testid': 'grad-weight-check' });
    this.body.append(h('h3', null, t('Weight gradient dL/dW'), h('span', { class: 'dims' }, ` ${L.shape.join('×')}`)), table, this.weightCheck);
    // dL/db.
    this.grids.db = null;
    if (s.useBias) {
      this.grids.db = this.grid('grad-bias-cell', 1, K, (_, j) => `dL/db[${j}]`, h('span', null, h('b', null, 'dL/db')), { kind: 'kernel', attrs: (_, j) => ({ 'data-testid': 'grad-bias-cell', 'data-c': j }), ariaLabel: t('bias gradient') });
      this.body.append(h('h3', null, t('Bias gradient dL/db')), this.grids.db.el, h('p', { class: 'hint' }, t('dL/db[o] is the sum of g[o]: the bias is added to every cell of its output channel.')));
    }
    // Rows are built now within the budget (a small panel: all of them), the rest later.
    const G = this.grids;
    this.buildQueue = [...G.g, ...G.dx, ...G.pad, ...G.dw.values(), ...(G.db ? [G.db] : [])];
    this.buildRowsSome(this.buildToken);
    if (this.buildQueue.length) this.buildLater(this.buildToken);
  }

  fill(s, r, grad) {
    const conv = s.op === 'conv2d';
    const [K, OH, OW] = r.shape;
    const gs = new Scale(grad.g.data);
    // A grid with no row built yet is filled (and its canvas painted) in the task that builds its
    // first rows: the panel's canvases are painted a few per task, not all in the first one.
    const started = (g) => g && g.nextRow > -g.m.t;
    this.grids.g.forEach((g, o) => started(g) && g.setValues(grad.g.data, gs, o * OH * OW));
    // One colour scale for dL/dx and the padded gradient, so that the two compare by colour.
    const xs = new Scale(grad.padded ? Float32Array.from([...grad.gradInput.data, ...grad.padded.data]) : grad.gradInput.data);
    this.grids.dx.forEach((g, c) => started(g) && g.setValues(grad.gradInput.data, xs, c * s.H * s.W));
    if (this.grids.pad.length) {
      const [pt, , pl] = grad.padded.pads;
      const [, Hp, Wp] = grad.padded.shape;
      const shown = Hp * Wp - s.H * s.W; // padding cells per channel
      this.grids.pad.forEach((g, c) => {
        if (!started(g)) return;
        const inner = new Float32Array(s.H * s.W);
        for (let i = 0; i < s.H; i++) inner.set(grad.padded.data.subarray((c * Hp + i + pt) * Wp + pl, (c * Hp + i + pt) * Wp + pl + s.W), i * s.W);
        g.setValues(inner, xs);
        const flows = new Map(ghostFlows(s, grad, c).map((q) => [`${q.i},${q.j}`, q]));
        g.setGhosts((i, j) => {
          const q = flows.get(`${i},${j}`);
          if (!q) return null;
          return q.src ? { value: q.value, badge: `→${q.src[0]},${q.src[1]}`, title: t('{m} padding at ({i}, {j}): its gradient adds into dL/dx{x}', { m: s.paddingMode, i, j, x: `[${c}, ${q.src[0]}, ${q.src[1]}]` }) }
            : { value: q.value, title: t('zero padding at ({i}, {j}): its gradient goes nowhere', { i, j }) };
        }, xs);
      });
      this.flowNote.textContent = s.paddingMode === 'zeros'
        ? t('The {n} zero padding cells of each channel read no input: their gradients are dropped, and dL/dx is the inner part.', { n: shown })
        : t('Each of the {n} {m} padding cells of a channel copied an input cell in the forward pass (the small label says which); in the backward pass its gradient is added into that cell: dL/dx = the inner part + every padding cell’s gradient on the cell it copies.', { n: shown, m: s.paddingMode });
    }
    const ws = new Scale(grad.gradWeight.data);
    const L = r.layout, ks = s.kh * s.kw;
    L.slots.forEach((slot, n) => { const g = this.grids.dw.get(`${slot.a},${slot.b}`); if (started(g)) g.setValues(grad.gradWeight.data, ws, n * ks); });
    if (started(this.grids.db)) this.grids.db.setValues(grad.gradBias.data, new Scale(grad.gradBias.data));
    // The badges, with their numbers.
    const id = grad.identity, okId = within(id.diff, grad.gradInput.data);
    const common = `stride=${pair(s.stride)}, dilation=${pair(s.dilation)}, groups=${s.groups}`;
    let text;
    if (!conv) text = t('dL/dx = conv2d(g, W, {o}, padding={p}) computed by the core', { o: common, p: pair(s.padding) });
    else if (id.kind === 'direct') text = t('dL/dx = conv_transpose2d(g, W, {o}, padding={p}, output_padding={op}) computed by the core (output_padding {op} restores x’s {h}×{w})', { o: common, p: pair(id.padding), op: pair(id.outputPadding), h: s.H, w: s.W });
    else text = t('dL/dx = conv_transpose2d(g, W, {o}, padding=0, output_padding={op}) computed by the core is the padded input’s gradient; {fold} gives dL/dx', { o: common, op: pair(id.outputPadding), fold: s.paddingMode === 'zeros' ? t('its inner part') : t('adding each padding cell’s gradient into the cell it copies') });
    this.setBadge(this.identity, okId, id.diff, text);
    const wc = grad.weightCheck, okW = within(wc.diff, grad.gradWeight.data);
    this.setBadge(this.weightCheck, okW, wc.diff, conv
      ? t('dL/dW[o, c, a, b] = Σ g[o, oh, ow] · x_pad[c, oh·{sh} + a·{dh}, ow·{sw} + b·{dw}]: the correlation of x with g, computed by the core’s conv2d with x’s channels as a batch, g’s channels as the kernels, stride {d} and dilation {s} (swapped), one group at a time', { sh: s.stride[0], sw: s.stride[1], dh: s.dilation[0], dw: s.dilation[1], d: pair(s.dilation), s: pair(s.stride) })
      : t('dL/dW[c, o, a, b] = Σ x[c, i, j] · g_full[o, i·{sh} + a·{dh}, j·{sw} + b·{dw}] (g with the border that padding cropped back as zeros): the correlation of g with x, computed by the core’s conv2d with g’s channels as a batch, x’s channels as the kernels, stride {d} and dilation {s} (swapped), one group at a time', { sh: s.stride[0], sw: s.stride[1], dh: s.dilation[0], dw: s.dilation[1], d: pair(s.dilation), s: pair(s.stride) }));
    if (grad.checkError) this.identity.textContent = grad.checkError;
  }

  setBadge(el, ok, diff, text) {
    el.className = `agree ${ok ? 'ok' : 'bad'}`;
    el.dataset.agree = ok ? '1' : '0';
    el.dataset.diff = String(diff);
    el.textContent = `${ok ? '✓' : '✗'} ${t('{what}: largest difference from the core’s gradient {d}.', { what: text, d: fmt(diff) })}`;
  }

  resolve(ref) {
    const G = this.grids;
    switch (ref.testid) {
      case 'grad-output-cell': return G.g[ref.c]?.cell(ref.h, ref.w) || null;
      case 'grad-input-cell': return G.dx[ref.c]?.cell(ref.h, ref.w) || null;
      case 'grad-pad-cell': return G.pad[ref.c]?.at(ref.h, ref.w) || null;
      default: return null;
    }
  }

  // hl: { refs, self } (model.js deriveHighlight): lights the gradient cells it names.
  applyHighlight(hl) {
    this.lastHl = hl;
    for (const el of this.hl) { el.removeAttribute('data-highlight'); el.removeAttribute('data-hover'); }
    this.hl = [];
    if (!this.grad || this.grad.status !== 'ok') return;
    for (const ref of hl.refs || []) {
      const el = ref.testid && this.resolve(ref);
      if (el) { el.dataset.highlight = '1'; this.hl.push(el); }
    }
    const self = hl.self && this.resolve(hl.self);
    if (self) { self.dataset.hover = '1'; this.hl.push(self); }
    // Another cell of the page took the highlight: the sum written here is no longer lit.
    if (this.lit && !(hl.self && /^grad-(input|output)-cell$/.test(hl.self.testid))) { this.lit = false; clear(this.sum).append(this.sumHint()); }
  }
}
