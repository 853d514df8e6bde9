// The tensors: input channels (with their padding cells), the weight table, the bias row and the
// output channels (with the cells conv_transpose2d's padding crops), each a Grid (grid.js).
// A 1-D tensor is one grid of one row per channel (data-h="0": the 2-D code serves it, and rows
// stacked channel under channel read like the 1-D signals they are); a 3-D tensor is one H×W
// grid per depth slice, slices side by side (data-d). Grids are indexed by plane c·D + d.
// Renders the model: builds the grids when the structure changes (over several tasks when the
// page is big), fills in values and colours, and lights the cells of the model's highlight.
// Edits, pastes and pointer moves go out as events handled by page.js.

import { h, clear } from '../dom.js';
import { convPads, opDims, isPool, base2d } from '../state.js';
import { setLegend, PendingGrid, cellName, slicesRow, inputMargins, poolGhost } from './tensor-parts.js';
import { ghostDepths, ghostSliceOpts, fillGhostSlice } from './depth-padding.js';
import { croppedDepths, framePlane, cropSliceOpts, fillCropSlice, fillCroppedRing } from './depth-cropping.js';
import { Grid, sizeClass } from '../grid.js';
import { Scale } from '../colour.js';
import { paddedValue } from '../model.js';
import { padSource } from '../receptive.js';
import { t } from '../i18n.js';
import { MAX_DRAW, MAX_DRAW_CELLS, drawable, margin, BUILD_COST, gridCost } from '../budget.js';
import { nextTask, nextFrameTask, setBuilding } from '../tasks.js';
import { groupDigits } from '../numfmt.js';

export class TensorsView {
  // stats: the page's counters (gridTasks, buildTasks), for tests.
  constructor(stats) {
    this.stats = stats;
    this.inputBody = h('div', { class: 'channels' });
    this.inputLegend = h('div', { class: 'legend' });
    this.weightBody = h('div', { class: 'kernels' });
    this.biasBody = h('div', { class: 'bias' });
    this.weightLegend = h('div', { class: 'legend' });
    this.outputBody = h('div', { class: 'channels' });
    this.outputLegend = h('div', { class: 'legend' });
    this.inputTitle = h('h2', null);
    this.weightTitle = h('h2', null);
    this.outputTitle = h('h2', null);
    this.weightPanel = h('div', { class: 'panel tensor-panel weight-panel' }, this.weightTitle, this.weightBody, this.biasBody, this.weightLegend);
    this.el = h('section', { class: 'workspace', 'aria-label': t('tensors'), id: 'grids' },
      h('div', { class: 'panel tensor-panel input-panel' }, this.inputTitle, h('p', { class: 'hint' }, t('Type, paste a matrix, or use arrow keys. Dashed cells are padding.')), this.inputBody, this.inputLegend),
      this.weightPanel,
      h('div', { class: 'panel tensor-panel output-panel' }, this.outputTitle, this.outputBody, this.outputLegend));
    this.structKey = '';
    this.hl = [];
    this.inputGrids = []; this.outputGrids = []; this.cropSlices = new Map(); this.kernelGrids = new Map(); this.biasGrid = null;
  }

  // m: { state, result, partial (the animation's partial output) }
  render(m) {
    this.m = m;
    const key = this.structureKey(m);
    if (key !== this.structKey) {
      this.buildGrids(m);
      this.structKey = key;
    }
    this.updateValues();
  }

  invalidate() { this.structKey = ''; }

  structureKey({ state: s, result: r }) {
    const pads = (base2d(s.op) !== 'conv_transpose2d') && r.ok ? inputMargins(s, r) : [0, 0, 0, 0];
    const crop = base2d(s.op) === 'conv_transpose2d' && r.ok ? [s.paddingD, ...s.padding] : [0, 0];
    return JSON.stringify([s.op, s.C, s.D, s.H, s.W, s.K, s.kd, s.kh, s.kw, r.ok && r.planes, r.ok && ghostDepths(s, r), r.layout.A, r.layout.B, r.layout.slots.map((q) => q.inC + ':' + q.outC).join(' '),
      pads, crop, r.ok && r.shape, s.useBias, s.bias.length, s.paddingMode, document.documentElement.dataset.theme]);
  }

  // The first grid to focus (the "skip to the grids" link).
  firstGrid() {
    return this.inputGrids.find((g) => !g.pending) || this.outputGrids.find((g) => !g.pending) || null;
  }

  // Every grid starts as a placeholder (PendingGrid) and is built by buildSome(), outputs first,
  // then inputs, kernels and bias, within BUILD_COST per task: a big page is built over several
  // tasks (document.body.dataset.building is set meanwhile) and no task runs long.
  buildGrids(m) {
    this.hl = [];
    this.buildQueue = [];
    this.buildToken = {};
    this.buildGridsNow(m);
    this.buildQueue.sort((p, q) => p.priority - q.priority);
    // A page within one task's budget is built at once (what an edit shows is there when the
    // edit's task ends); a bigger one starts in the next task, so that this one stays short.
    const total = this.buildQueue.reduce((sum, job) => sum + job.cost, 0);
    if (total <= BUILD_COST) this.buildSome(this.buildToken, true);
    else {
      const token = this.buildToken;
      setBuilding(this, this.buildQueue.length);
      nextTask(() => this.buildSome(token));
    }
  }

  // A placeholder for a grid with these Grid options; install(grid) puts the built grid where the
  // placeholder was referenced. priority: 0 outputs, 1 inputs, 2 kernels, 3 bias.
  gridLater(priority, install, opts) {
    const pending = new PendingGrid(opts.rows, opts.cols);
    const mg = opts.margins || { t: 0, b: 0, l: 0, r: 0 };
    const rowCost = (opts.kind === 'kernel' ? 2 : 1) * (opts.cols + mg.l + mg.r);
    const cells = (opts.rows + mg.t + mg.b) * (opts.cols + mg.l + mg.r);
    const startCost = gridCost(cells);
    const cost = rowCost * (opts.rows + mg.t + mg.b) + startCost;
    this.buildQueue.push({ priority, install, opts, pending, cost, rowCost, startCost });
    return pending;
  }

  // Builds queued grids up to BUILD_COST (at least one row), then continues in the next task. A
  // grid bigger than the budget is built a few rows per task (it shows as soon as its first rows
  // are built). A newer buildGrids() (another structure) makes this queue stale: it stops.
  buildSome(token, first = false) {
    if (token !== this.buildToken) return;
    let spent = 0;
    const built = new Set();
    while (this.buildQueue.length && spent < BUILD_COST) {
      const job = this.buildQueue[0];
      if (!job.grid) {
        if (spent > 0 && spent + job.startCost + job.rowCost > BUILD_COST) break;
        job.grid = new Grid({ ...job.opts, deferRows: true });
        if (job.pending.el.isConnected) job.pending.el.replaceWith(job.grid.el);
        job.install(job.grid);
        spent += job.startCost;
      } else if (spent > 0 && spent + job.grid.rowCost() > BUILD_COST) break;
      spent += job.grid.buildRows(BUILD_COST - spent);
      built.add(job.grid);
      if (job.grid.complete) this.buildQueue.shift();
    }
    if (this.buildQueue.length) {
      setBuilding(this, this.buildQueue.length);
      nextFrameTask(() => this.buildSome(token));
    } else setBuilding(this, 0);
    if (!first && built.size) {
      this.updateValues(built); // the others keep their values
      if (this.highlight) this.applyHighlight(this.highlight);
      this.stats.gridTasks++;
      this.stats.buildTasks.push({ grids: built.size, cost: spent });
      if (this.stats.buildTasks.length > 1000) this.stats.buildTasks.shift();
    }
  }

  buildGridsNow({ state: s, result: r }) {
    const dims = opDims(s.op), pool = isPool(s.op), D = s.D;
    clear(this.inputBody);
    this.inputGrids = [];
    const pads = base2d(s.op) !== 'conv_transpose2d' && r.ok ? inputMargins(s, r) : [0, 0, 0, 0];
    const [pt, pb, pl, pr] = pads.map(margin); // padding cells drawn
    const mode = s.paddingMode;
    const inSize = sizeClass((s.W + pl + pr) * (s.C > 1 || D > 1 ? 1.4 : 1), s.H + pt + pb);
    this.inputBody.classList.toggle('big', s.C * D * s.H * s.W > 4096);
    this.inputBody.classList.toggle('stack', dims === 1); // 1-D: channels as rows, one under another
    this.depthGhosts = new Map(); // "c,d" -> the padding slice at depth d (conv3d)
    const gd = ghostDepths(s, r), ghostSlice = (row, c, d) => row.appendChild(this.gridLater(1, (built) => this.depthGhosts.set(`${c},${d}`, built), ghostSliceOpts(s, c, d, { t: pt, b: pb, l: pl, r: pr }, inSize)).el);
    for (let c = 0; c < s.C; c++) {
      const row = dims === 3 ? slicesRow(t('input channel {c}', { c })) : null;
      for (const d of gd.before) ghostSlice(row, c, d);
      for (let d = 0; d < D; d++) {
        const p = c * D + d, dd = dims === 3 ? { 'data-d': d } : {};
        const g = this.gridLater(1, (built) => { this.inputGrids[p] = built; }, {
          rows: s.H, cols: s.W, editable: true, margins: { t: pt, b: pb, l: pl, r: pr }, size: inSize,
          attrs: () => ({ 'data-testid': 'input-cell', 'data-c': c, ...dd }),
          ghostAttrs: () => ({ 'data-testid': 'ghost-cell', 'data-c': c, ...dd, 'data-mode': pool ? (s.op === 'max_pool2d' ? '-inf' : 'zeros') : mode }),
          label: (i, j) => cellName(s, 'x', c, d, i, j),
          ariaLabel: dims === 3 ? t('input channel {c}, depth slice {d}', { c, d }) : t('input channel {c}', { c }),
          caption: dims === 3 ? h('span', null, h('b', null, `x[${c}, ${d}]`), s.C > 1 ? ' ' + t('channel {c}', { c }) : '', ' ' + t('depth {d}', { d }))
            : h('span', null, h('b', null, `x[${c}]`), s.C > 1 ? ' ' + t('channel {c}', { c }) : ''),
        });
        this.inputGrids.push(g);
        (row || this.inputBody).appendChild(g.el);
      }
      for (const d of gd.after) ghostSlice(row, c, d);
      if (row) this.inputBody.appendChild(row);
    }
    if (s.C === 0 || s.H === 0 || s.W === 0 || D === 0) this.inputBody.appendChild(h('p', { class: 'empty' }, t('The input is {a}: nothing to draw.', { a: r.x.shape.join('×') })));
    const realPads = base2d(s.op) !== 'conv_transpose2d' && r.ok ? convPads(s) : [0, 0, 0, 0];
    if (Math.max(...realPads) > margin(Math.max(...realPads))) this.inputBody.appendChild(h('p', { class: 'hint', 'data-testid': 'margin-note' }, t('Padding {p}: {m} padding cells are drawn on each side.', { p: realPads.join(','), m: margin(Math.max(...realPads)) })));
    if (s.causal && s.op === 'conv1d') this.inputBody.appendChild(h('p', { class: 'hint', 'data-testid': 'causal-note' }, t('causal: F.pad adds (k − 1)·d = {n} zeros on the left only (dashed), so each output sees only the past.', { n: realPads[2] })));
    clear(this.inputTitle).append(t('Input'), ' ', h('i', null, 'x'), h('span', { class: 'dims' }, ` ${r.x.shape.join('×')}`));
    this.weightPanel.hidden = pool;

    // Weights.
    clear(this.weightBody);
    this.kernelGrids = new Map(); // "a,b" -> Grid
    const L = r.layout;
    const conv = base2d(s.op) === 'conv2d';
    const table = h('div', { class: 'kernel-table' });
    table.style.gridTemplateColumns = `auto repeat(${L.B}, auto)`;
    table.appendChild(h('span', { class: 'kt-corner' }, conv ? t('out ╲ in') : t('in ╲ out')));
    for (let b = 0; b < L.B; b++) table.appendChild(h('span', { class: 'kt-head' }, conv ? t('in {n}', { n: b }) : t('out {n}', { n: b })));
    for (let a = 0; a < L.A; a++) {
      table.appendChild(h('span', { class: 'kt-row' }, conv ? t('out {n}', { n: a }) : t('in {n}', { n: a })));
      for (let b = 0; b < L.B; b++) {
        const slot = L.slots[a * L.B + b];
        const o = conv ? a : b, i = conv ? b : a;
        const row = dims === 3 ? slicesRow(t('kernel {k}', { k: `w[${a}, ${b}]` })) : null;
        for (let e = 0; e < s.kd; e++) {
          const key = e ? `${a},${b},${e}` : `${a},${b}`, dd = dims === 3 ? { 'data-d': e } : {};
          const g = this.gridLater(2, (built) => { this.kernelGrids.set(key, built); }, {
            rows: s.kh, cols: s.kw, editable: true, kind: 'kernel',
            attrs: () => ({ 'data-testid': 'weight-cell', 'data-o': o, 'data-i': i, 'data-c': i, 'data-in': slot.inC, 'data-out': slot.outC, ...dd }),
            label: (p, q) => cellName(s, 'w', `${a}, ${b}`, e, p, q) + ' ' + t('(input channel {i} to output channel {o})', { i: slot.inC, o: slot.outC }),
            ariaLabel: dims === 3 ? t('kernel {k}', { k: `w[${a}, ${b}, ${e}]` }) : t('kernel {k}', { k: `w[${a}, ${b}]` }),
            caption: h('span', { title: t('input channel {i} → output channel {o}', { i: slot.inC, o: slot.outC }) }, h('b', null, dims === 3 ? `w[${a},${b},${e}]` : `w[${a},${b}]`), h('span', { class: 'muted' }, ` x${slot.inC}→y${slot.outC}`)),
          });
          this.kernelGrids.set(key, g);
          (row || table).appendChild(g.el);
        }
        if (row) table.appendChild(row);
      }
    }
    this.weightBody.appendChild(table);
    const kLetters = dims === 1 ? 'kL' : dims === 3 ? 'kD, kH, kW' : 'kH, kW';
    clear(this.weightTitle).append(t('Weights'), ' ', h('i', null, 'w'), h('span', { class: 'dims' }, ` ${L.shape.join('×')}`),
      h('span', { class: 'muted small' }, conv ? ` [out, in/groups, ${kLetters}]` : ` [in, out/groups, ${kLetters}]`));
    clear(this.biasBody);
    this.biasGrid = null;
    if (s.useBias) {
      this.biasGrid = this.gridLater(3, (built) => { this.biasGrid = built; }, {
        rows: 1, cols: s.bias.length, editable: true, kind: 'kernel',
        attrs: (_, j) => ({ 'data-testid': 'bias-cell', 'data-c': j }),
        label: (_, j) => `b[${j}]`, ariaLabel: t('bias'),
        caption: h('span', null, h('b', null, t('bias b')), h('span', { class: 'muted' }, ` [${s.bias.length}]`)),
      });
      this.biasBody.appendChild(this.biasGrid.el);
    }
    this.buildOutputs(s, r);
  }

  buildOutputs(s, r) {
    clear(this.outputBody);
    this.outputGrids = [];
    this.cropSlices = new Map(); // conv_transpose3d's cropped depth slices: "o,d" -> Grid
    clear(this.outputTitle).append(t('Output'), ' ', h('i', null, 'y'));
    if (!r.ok) {
      this.outputBody.appendChild(h('div', { class: 'no-output' }, h('b', null, t('No output: ')), t('this configuration is invalid (see the message above). Change the highlighted rule and the output comes back.')));
      return;
    }
    const [, OH, OW] = r.planes;
    const K = r.shape[0], OD = r.outD, dims = opDims(s.op);
    this.outputTitle.append(h('span', { class: 'dims' }, ` ${r.coreShape.join('×')}`));
    if (!drawable(r.planes)) {
      this.outputBody.appendChild(h('div', { class: 'no-output', 'data-testid': 'too-large' }, t('The output is {a}: too large to draw (up to {n}×{n} per channel and {m} cells in all).',
        { a: r.coreShape.join('×'), n: MAX_DRAW, m: groupDigits(MAX_DRAW_CELLS) })));
      return;
    }
    const [cph, cpw] = r.frame ? r.frame.margins : [0, 0]; // cropped cells drawn
    const outSize = sizeClass((OW + 2 * cpw) * (K > 1 ? 1.4 : 1), OH + 2 * cph);
    this.outputBody.classList.toggle('big', K * OD * OH * OW > 4096);
    this.outputBody.classList.toggle('stack', dims === 1);
    // conv_transpose3d: the depth slices padding crops, drawn dashed before and after.
    const md = croppedDepths(r);
    const cropSlice = (row, o, d) => row.appendChild(this.gridLater(0, (built) => this.cropSlices.set(`${o},${d}`, built),
      cropSliceOpts(s, o, d, { t: cph, b: cph, l: cpw, r: cpw }, outSize, [OH, OW])).el);
    for (let o = 0; o < K; o++) {
      const row = dims === 3 ? slicesRow(t('output channel {o}', { o })) : null;
      for (let d = -md; d < 0; d++) cropSlice(row, o, d);
      for (let d = 0; d < OD; d++) {
        const p = o * OD + d, dd = dims === 3 ? { 'data-d': d } : {};
        const g = this.gridLater(0, (built) => { this.outputGrids[p] = built; }, {
          rows: OH, cols: OW, editable: false, margins: { t: cph, b: cph, l: cpw, r: cpw }, size: outSize,
          attrs: () => ({ 'data-testid': 'output-cell', 'data-c': o, ...dd }),
          ghostAttrs: () => ({ 'data-testid': 'cropped-cell', 'data-c': o, ...dd }),
          label: (i, j) => cellName(s, 'y', o, d, i, j),
          ariaLabel: dims === 3 ? t('output channel {o}, depth slice {d}', { o, d }) : t('output channel {o}', { o }),
          caption: dims === 3 ? h('span', null, h('b', null, `y[${o}, ${d}]`), ' ' + t('depth {d}', { d }))
            : h('span', null, h('b', null, `y[${o}]`), K > 1 ? ' ' + t('channel {c}', { c: o }) : ''),
        });
        this.outputGrids.push(g);
        (row || this.outputBody).appendChild(g.el);
      }
      for (let d = OD; d < OD + md; d++) cropSlice(row, o, d);
      if (row) this.outputBody.appendChild(row);
    }
    if (base2d(s.op) === 'conv_transpose2d' && (cph || cpw || md)) {
      const [ph, pw] = s.padding;
      this.outputBody.appendChild(h('p', { class: 'hint' }, t('Dashed cells: the full scatter result that padding={p} crops away.', { p: dims === 3 ? `${s.paddingD},${ph},${pw}` : dims === 1 || ph === pw ? pw : ph + ',' + pw }),
        ph > cph || pw > cpw ? ' ' + t('({a}, {b} of the cropped rows, columns are drawn on each side.)', { a: cph, b: cpw }) : ''));
    }
  }

  // only: a Set of grids to fill (the ones buildSome just built), or all of them.
  updateValues(only = null) {
    const { state: s, result: r, partial, partialFrame } = this.m;
    const skip = (g) => only !== null && !only.has(g);
    const conv = base2d(s.op) === 'conv2d' || isPool(s.op);
    // Padding copies input values (or adds zeros): the input's scale is the padded input's.
    // One scale per result (a big page fills its grids over many tasks).
    const theme = document.documentElement.dataset.theme;
    if (this.scaleOf !== r || this.scaleTheme !== theme) { this.scaleOf = r; this.scaleTheme = theme; this.scales = { x: new Scale(r.x.data), w: new Scale(r.w.data) }; }
    const xs = this.scales.x;
    const HW = s.H * s.W;
    this.inputGrids.forEach((g, c) => { // c: the plane (channel · D + depth)
      if (skip(g)) return;
      const changed = g.setValues(r.x.data, xs, c * HW);
      // Padding cells copy their channel: redrawn only when it changed (or they are new).
      if (conv && r.ok && g.ghosts.size && (changed || !g.ghostsDrawn)) {
        g.ghostsDrawn = true;
        g.setGhosts((i, j) => {
          if (isPool(s.op)) return poolGhost(s, i, j);
          const value = paddedValue(s, r, c, i, j);
          if (s.paddingMode === 'zeros') return { value, title: t('zero padding at ({i}, {j})', { i, j }) };
          const si = padSource(i, s.H, s.paddingMode), sj = padSource(j, s.W, s.paddingMode);
          return { value, badge: `${si},${sj}`, title: t('{m} padding at ({i}, {j}): copy of {x}', { m: s.paddingMode, i, j, x: cellName(s, 'x', Math.floor(c / s.D), c % s.D, si, sj) }) }; // c: the plane
        }, isPool(s.op) ? { bg: () => xs.bg(0) } : xs); // pooling's −∞ / 0 padding: neutral
      }
    });
    for (const [key, g] of this.depthGhosts) if (!skip(g)) fillGhostSlice(g, s, r, ...key.split(',').map(Number), xs);
    setLegend(this.inputLegend, xs, 'x');
    const ws = this.scales.w;
    const ks = s.kh * s.kw;
    const L = r.layout;
    for (let n = 0; n < L.slots.length; n++) {
      for (let e = 0; e < s.kd; e++) {
        const g = this.kernelGrids.get(`${L.slots[n].a},${L.slots[n].b}` + (e ? `,${e}` : ''));
        if (g && !skip(g)) g.setValues(r.w.data, ws, (n * s.kd + e) * ks);
      }
    }
    if (this.biasGrid && !skip(this.biasGrid)) this.biasGrid.setValues(s.bias, new Scale(s.bias));
    setLegend(this.weightLegend, ws, 'w');
    if (r.ok && r.y && this.outputGrids.length) {
      const y = partial || r.y;
      const ys = new Scale(r.yFrame ? r.yFrame.data : r.y.data);
      const [, OH, OW] = r.planes;
      this.outputGrids.forEach((g, o) => { // o: the plane (channel · OD + depth)
        if (skip(g)) return;
        g.setValues(y.data, ys, o * OH * OW);
        // max_pool2d: each output cell carries the winning input's flat index (h·W + w).
        if (r.indices) { // written only when it changed: an attribute write restyles the cell
          g.cells.forEach((el, i) => { const k = String(r.indices[o * OH * OW + i]); if (el && el.dataset.index !== k) el.dataset.index = k; });
        }
        const frame = partialFrame || r.yFrame;
        if (frame && g.ghosts.size) fillCroppedRing(g, s, r, frame, framePlane(r, Math.floor(o / (r.outD || 1)), o % (r.outD || 1)), ys);
      });
      const frame = partialFrame || r.yFrame;
      for (const [key, g] of this.cropSlices) if (frame && !skip(g)) fillCropSlice(g, s, r, frame, framePlane(r, ...key.split(',').map(Number)), ys);
      setLegend(this.outputLegend, ys, 'y');
    } else clear(this.outputLegend);
  }

  kernelGridFor(inC, outC, d = 0) {
    const L = this.m.result.layout;
    const n = L.slots.findIndex((q) => q.inC === inC && q.outC === outC);
    return n < 0 ? null : this.kernelGrids.get(`${L.slots[n].a},${L.slots[n].b}` + (d ? `,${d}` : ''));
  }

  // The element of a cell reference (null when it is not drawn). 3-D refs name a depth d.
  resolve(ref) {
    const D = this.m.state.D, OD = this.m.result.outD || 1, d = ref.d || 0;
    switch (ref.testid) {
      case 'input-cell': return this.inputGrids[ref.c * D + d]?.cell(ref.h, ref.w) || null;
      case 'ghost-cell': return d < 0 || d >= D ? this.depthGhosts.get(`${ref.c},${d}`)?.at(ref.h, ref.w) || null : this.inputGrids[ref.c * D + d]?.ghost(ref.h, ref.w) || null;
      case 'output-cell': return this.outputGrids[ref.c * OD + d]?.cell(ref.h, ref.w) || null;
      case 'cropped-cell': return d < 0 || d >= OD ? this.cropSlices.get(`${ref.c},${d}`)?.at(ref.h, ref.w) || null : this.outputGrids[ref.c * OD + d]?.ghost(ref.h, ref.w) || null;
      case 'weight-cell': return this.kernelGridFor(ref.in, ref.out, d)?.cell(ref.h, ref.w) || null;
      case 'bias-cell': return this.biasGrid?.cell(ref.h, ref.w) || null;
      default: return null;
    }
  }

  // Every element of a reference: a cell, every cell of an output channel, or a selector.
  resolveAll(ref) {
    if (ref.selector) return [...this.el.querySelectorAll(ref.selector)];
    if (ref.testid === 'output-channel') {
      const OD = this.m.result.outD || 1;
      return this.outputGrids.slice(ref.c * OD, (ref.c + 1) * OD).flatMap((g) => g.cells || []).filter(Boolean);
    }
    const el = this.resolve(ref);
    return el ? [el] : [];
  }

  // hl: { refs, self } from the model: data-highlight (and data-via) on the cells it names,
  // data-hover on the focused one.
  applyHighlight(hl) {
    this.highlight = hl;
    for (const el of this.hl) { el.removeAttribute('data-highlight'); el.removeAttribute('data-via'); el.removeAttribute('data-hover'); }
    this.hl = [];
    for (const ref of hl.refs) {
      for (const el of this.resolveAll(ref)) {
        el.dataset.highlight = '1';
        if (ref.via) el.dataset.via = ref.via;
        this.hl.push(el);
      }
    }
    const self = hl.self && this.resolve(hl.self);
    if (self) { self.dataset.hover = '1'; this.hl.push(self); }
  }

  // The animation: cells from these flat indices on are not computed yet (Infinity: none).
  setPending(outputFrom, inputFrom) {
    const { state: s, result: r } = this.m;
    if (r.ok && r.planes) {
      const n = r.planes[1] * r.planes[2];
      this.outputGrids.forEach((g, o) => g.setPending(Math.max(0, Math.min(n, outputFrom - o * n))));
    }
    const HW = s.H * s.W;
    this.inputGrids.forEach((g, c) => g.setPending(Math.max(0, Math.min(HW, inputFrom - c * HW))));
  }
}
