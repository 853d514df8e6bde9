// App wiring: state -> compute (WASM API) -> DOM, plus hover, editing, paste, history.

import { h, clear, activeIn } from './dom.js';
import { f32, parseNum, displayLong } from './numfmt.js';
import { cloneState, buildTensors, options, convPads, weightLayout, getKernel, pairKey, setInputSize,
  setKernelSize, setOutChannels, LIMITS } from './state.js';
import { parseHash, serialiseState, embedSnippets, hashParam } from './url-state.js';
import { Grid, PendingGrid, phoneQuery, sizeClass } from './grid.js';
import { Scale } from './colour.js';
import { renderFormula } from './formula.js';
import { geometry, convOutputTaps, convInputReach, convTOutputTaps, convTInputReach, padSource } from './receptive.js';
import { sumOfProducts, plain } from './explain.js';
import { Controls } from './controls.js';
import { INPUT_PRESETS, KERNEL_PRESETS, EXAMPLES, applyInputPreset, applyKernelPreset } from './presets.js';
import { parseMatrixText, squeezeTo } from './paste.js';
import { Animator } from './animation.js';
import { MatrixView } from './matrix.js';
import { pytorchCode, numpyCode } from './export.js';
import { ConvTViews } from './convt-views.js';
import { ImageMode } from './image-mode.js';
import { t, pl, LANGS, getLang, setLang, rememberLang } from './i18n.js';
import { MAX_DRAW, MAX_DRAW_CELLS, drawable, margin, convWork, fitsOneTask, TASK_VALUES, BUILD_COST, GRID_COST } from './budget.js';
import { bandGeometry, planBands, runBand } from './banded-conv.js';
import { nextTask } from './tasks.js';

// Largest paste parsed into a grid (the biggest grid is 16 channels of 64x64 numbers).
const MAX_PASTE_CHARS = 1_000_000;

const coord = (...i) => `[${i.join(', ')}]`;
const tr = t; // for functions whose loops name a variable t

export class App {
  // opts: {mode: 'full' | 'embed', panels: ['grids', 'formula', ...] (embed), history: bool,
  //        link: URL of the full page (embed footer)}
  constructor(cp, root, opts = {}) {
    this.cp = cp;
    this.root = root;
    this.opts = { mode: 'full', panels: null, history: true, link: null, ...opts };
    this.state = null;
    this.result = null;
    this.urlMessages = [];
    this.notice = '';
    this.lastSource = null;
    this.structKey = '';
    this.hl = [];
    this.hoverEl = null;
    this.timings = { compute: 0, draw: 0 };
    // Edits are coalesced: each one bumps the generation and queues one flush (a microtask, so
    // a burst of edits in one task is computed once, before anything reads the page); work
    // spread over several tasks (banded convolutions) stops when the generation moves on.
    this.gen = 0;
    this.flushedGen = -1;
    this.flushQueued = false;
    this.pendingHistory = null;
    // Counters for tests and the console (window.convplayApp.stats): states computed, bands
    // computed, banded computations abandoned for a newer edit, the work of each grid-building
    // task after the first (buildTasks: {grids, cost}, the last 1,000), and the characters
    // handed to the paste parser. Tests assert the work each task is given, never its duration.
    this.stats = { computes: 0, bands: 0, cancelled: 0, gridTasks: 0, buildTasks: [], pasteCharsParsed: 0 };
    this.lang = getLang();
    if (this.opts.mode === 'full') document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
    this.build();
    // The phone breakpoint changes cell sizes: rebuild so the colour canvases match.
    if (phoneQuery.addEventListener) phoneQuery.addEventListener('change', () => { this.structKey = ''; this.render(); });
    if (this.opts.history) {
      window.addEventListener('popstate', () => this.loadHashSoon());
      window.addEventListener('hashchange', () => this.loadHashSoon());
    }
  }

  // Builds (or, after a language switch, rebuilds) the whole DOM.
  build() {
    if (this.anim) this.anim.stop(true);
    this.buildShell();
    this.anim = new Animator(this, this.animBar);
    this.matrix = new MatrixView(this, this.matrixBody, this.matrixDetails);
    this.structKey = '';
    this.hoverEl = null;
    this.hl = [];
    if (this.state) this.render();
  }

  // ---- shell ---------------------------------------------------------------------------
  buildShell() {
    const root = this.root;
    clear(root);
    this.controls = new Controls((mut, src) => this.update(mut, src));

    const chip = (label, title, onclick, testid) => h('button', { type: 'button', class: 'chip', title, onclick, 'data-testid': testid }, label);
    const inputChips = h('div', { class: 'chips' }, INPUT_PRESETS.map((p) => chip(t(p.label), t(p.title), () => this.update((s) => applyInputPreset(s, p.id), `preset-${p.id}`), `preset-input-${p.id}`)));
    const kernelChips = h('div', { class: 'chips' }, KERNEL_PRESETS.map((p) => chip(t(p.label), t(p.title), () => this.update((s) => applyKernelPreset(s, p.id, this.cp), `kpreset-${p.id}`), `preset-kernel-${p.id}`)));
    const examples = h('ol', { class: 'examples' }, EXAMPLES.map((e) => h('li', null,
      h('button', { type: 'button', class: 'example', 'data-testid': `example-${e.id}`, onclick: () => this.loadHash(e.hash, true) },
        h('span', { class: 'ex-src', title: t('source note {n}', { n: e.source }) }, e.source),
        h('span', { class: 'ex-title' }, t(e.title)),
        h('span', { class: 'ex-expect' }, '→ ', t(e.expect))))));

    this.shapeEl = h('strong', { 'data-testid': 'output-shape' });
    this.timingEl = h('span', { 'data-testid': 'timing', class: 'muted' });
    this.errorEl = h('div', { class: 'error', 'data-testid': 'error', role: 'alert', 'aria-live': 'assertive' });
    this.noticeEl = h('div', { class: 'notice', 'data-testid': 'notice', role: 'status', 'aria-live': 'polite' });
    this.formulaEl = h('div', { class: 'formula', 'data-testid': 'formula' });
    this.inputBody = h('div', { class: 'channels' });
    this.inputLegend = h('div', { class: 'legend' });
    this.weightBody = h('div', { class: 'kernels' });
    this.biasBody = h('div', { class: 'bias' });
    this.weightLegend = h('div', { class: 'legend' });
    this.outputBody = h('div', { class: 'channels' });
    this.outputLegend = h('div', { class: 'legend' });
    this.explainEl = h('div', { class: 'explain', 'data-testid': 'explain', 'aria-live': 'polite' });
    this.animBar = h('div', { class: 'anim', role: 'toolbar', 'aria-label': t('animation') });
    this.matrixBody = h('div', { class: 'matrix-body' });
    this.matrixDetails = h('details', { class: 'panel matrix-panel' }, h('summary', null, h('h2', null, t('As a matrix: im2col (unfold) and the kernel matrix'))), this.matrixBody);
    this.inputTitle = h('h2', null);
    this.weightTitle = h('h2', null);
    this.outputTitle = h('h2', null);
    this.themeBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'theme', onclick: () => this.toggleTheme() }, document.documentElement.dataset.theme === 'dark' ? t('Light') : t('Dark'));
    this.copyBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'copy-link', onclick: () => this.copyLink() }, t('Copy link'));
    this.langSel = h('select', { class: 'btn lang-select', 'data-testid': 'lang', 'aria-label': t('Language') }, LANGS.map(([id, name]) => h('option', { value: id, lang: id }, name)));
    this.langSel.value = getLang();
    this.langSel.addEventListener('change', () => this.switchLang(this.langSel.value));
    this.pyBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'export-pytorch', onclick: () => this.showExport('pytorch') }, t('Copy as PyTorch'));
    this.embedBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'embed', onclick: () => this.showEmbed() }, t('Embed'));
    this.npBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'export-numpy', onclick: () => this.showExport('numpy') }, t('Copy as NumPy'));
    this.pyBox = h('div', { class: 'pybox', hidden: true });
    this.views = new ConvTViews(this);
    this.image = new ImageMode(this);

    this.workspace = h('section', { class: 'workspace', 'aria-label': t('tensors') },
      h('div', { class: 'panel tensor-panel input-panel' }, this.inputTitle, h('p', { class: 'hint' }, t('Type, paste a matrix, or use arrow keys. Dashed cells are padding.')), this.inputBody, this.inputLegend),
      h('div', { class: 'panel tensor-panel weight-panel' }, this.weightTitle, this.weightBody, this.biasBody, this.weightLegend),
      h('div', { class: 'panel tensor-panel output-panel' }, this.outputTitle, this.outputBody, this.outputLegend));

    const sections = {
      anim: this.animBar,
      grids: this.workspace,
      explain: h('section', { class: 'panel explain-panel', 'aria-label': t('explanation') }, this.explainEl),
      formula: h('section', { class: 'panel formula-panel' }, h('h2', null, t('Output size')), this.formulaEl),
      views: this.views.details,
      matrix: this.matrixDetails,
      extra: this.views.extra,
      params: h('section', { class: 'panel' }, h('h2', null, t('Parameters')), this.controls.el),
      image: this.image.details,
    };
    const status = h('div', { class: 'statusbar' }, h('span', null, t('output shape'), ' ', this.shapeEl), this.timingEl);
    if (this.opts.mode === 'embed') {
      root.classList.add('embed');
      const names = (this.opts.panels && this.opts.panels.length ? this.opts.panels : ['grids', 'formula']).filter((n) => sections[n]);
      const link = this.opts.link;
      root.append(status, this.errorEl, this.noticeEl, ...names.map((n) => sections[n]),
        h('div', { class: 'embed-foot' }, link ? h('a', { href: link, target: '_blank', rel: 'noopener', 'data-testid': 'open-full' }, t('Open in convplay ↗')) : 'convplay',
          h('span', { class: 'muted' }, ` · ${this.cp.backend}`)));
      this.exportTa = null;
    } else {
      root.append(
        // First in the tab order: Tab, Enter and a keyboard user is on the input grid's first cell.
        h('a', { class: 'skip-link', href: '#', 'data-testid': 'skip-to-grids', onclick: (e) => { e.preventDefault(); this.focusGrids(); } }, t('Skip to the grids')),
        h('header', { class: 'top' },
          h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), h('h1', null, 'convplay'),
            h('span', { class: 'tagline' }, t('conv2d and conv_transpose2d with PyTorch’s semantics, live'))),
          h('div', { class: 'top-actions' }, this.pyBtn, this.npBtn, this.embedBtn, this.copyBtn, this.themeBtn, this.langSel)),
        this.pyBox,
        h('div', { class: 'layout' },
          h('aside', { class: 'side', 'aria-label': t('settings') },
            sections.params,
            h('section', { class: 'panel' }, h('h2', null, t('Input presets')), inputChips,
              h('h2', null, t('Kernel presets')), kernelChips),
            h('section', { class: 'panel' }, h('h2', null, t('Worked examples')), examples)),
          h('main', { class: 'main' },
            status,
            this.errorEl, this.noticeEl,
            sections.anim, sections.grids, sections.explain, sections.formula, sections.views, sections.matrix, sections.extra, sections.image)),
        h('footer', { class: 'foot' }, t('Numbers are computed by the convplay WebAssembly core ('), h('span', { 'data-testid': 'backend' }, this.cp.backend),
          t('), with PyTorch 1.13’s semantics: every value within 1e-4 absolute + 1e-4 relative of PyTorch’s (tested on PyTorch’s own results). The page requests nothing but its own files. Sample photo: “Chelsea the cat”, Stefan van der Walt, CC0.')));
    }

    // Delegated events on the tensors.
    const ws = this.workspace;
    ws.addEventListener('mouseover', (e) => { const el = e.target.closest('.cell'); if (el && el !== this.hoverEl && !this.pinned) this.hover(el); });
    ws.addEventListener('mouseleave', () => { if (!this.pinned && !ws.contains(activeIn(ws))) this.unhover(); });
    ws.addEventListener('focusin', (e) => { const el = e.target.closest('.cell'); if (el && (!this.pinned || this.pointerType !== 'touch')) { this.pinned = null; this.hover(el); } });
    ws.addEventListener('focusout', (e) => { if (!this.pinned && (!e.relatedTarget || !ws.contains(e.relatedTarget))) this.unhover(); });
    ws.addEventListener('input', (e) => { if (!e.isComposing) this.onCellInput(e.target); });
    ws.addEventListener('compositionend', (e) => this.onCellInput(e.target));
    ws.addEventListener('paste', (e) => this.onPaste(e));
    // A phone has no hover: a tap on a cell pins its highlights and sum (a second tap or Escape
    // unpins). A mouse keeps hovering.
    ws.addEventListener('pointerdown', (e) => { this.pointerType = e.pointerType; });
    ws.addEventListener('click', (e) => {
      const el = e.target.closest('.cell');
      if (!el || this.pointerType === 'mouse') return;
      if (this.pinned === el) { this.pinned = null; this.unhover(); } else { this.pinned = null; this.hover(el); this.pinned = el; }
    });
    ws.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !e.target.classList || !e.target.classList.contains('cell')) return;
      if (this.pinned) { this.pinned = null; this.unhover(); } else e.target.blur();
    });
  }

  // Focus the first input grid's active cell (the skip link).
  focusGrids() {
    const g = (this.inputGrids || []).find((x) => !x.pending) || (this.outputGrids || [])[0];
    if (g) { g.el.scrollIntoView({ block: 'nearest' }); g.focus(); }
  }

  // ---- state changes ---------------------------------------------------------------------
  loadHash(hash, push) {
    const { state, messages } = parseHash(hash);
    this.urlMessages = messages.map((m) => `URL: ${m}`);
    const lang = hashParam(hash, 'lang');
    this.langInUrl = lang === 'en' || lang === 'zh';
    if (lang !== null && this.opts.mode === 'full' && setLang(lang) !== this.lang) {
      this.lang = getLang();
      document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
      this.build();
    }
    this.notice = '';
    this.lastSource = null;
    if (this.anim) this.anim.stop(true);
    // A link or a history step is one edit: computed at once (it supersedes queued edits).
    this.pendingHistory = null;
    this.setState(state, push ? 'push' : 'replace-if-needed');
    this.flush();
  }

  // The URL's hash, once at the end of the task, if it is not the state on screen: every
  // `location.hash = ...` fires popstate at once (and hashchange later), so a script setting
  // it 20 times in a row makes one state, the last.
  loadHashSoon() {
    if (this.hashQueued) return;
    this.hashQueued = true;
    queueMicrotask(() => {
      this.hashQueued = false;
      if (location.hash.slice(1) !== this.currentHash) this.loadHash(location.hash, false);
    });
  }

  // mut(state) mutates a copy; source identifies the control so that a run of keystrokes in
  // one field becomes one history entry.
  update(mut, source) {
    const s = cloneState(this.state);
    mut(s);
    this.urlMessages = [];
    const mode = source && source === this.lastSource ? 'replace' : 'push';
    this.lastSource = source;
    this.setState(s, mode);
  }

  setState(s, historyMode) {
    this.state = s;
    this.gen++;
    // One history entry for the coalesced edits: a new entry if any of them asked for one.
    const rank = { 'replace-if-needed': 0, replace: 1, push: 2 };
    if (this.pendingHistory === null || rank[historyMode] > rank[this.pendingHistory]) this.pendingHistory = historyMode;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => { this.flushQueued = false; this.flush(); });
    }
  }

  // Computes and draws the newest state, if it is not drawn yet. Outputs over the one-task
  // budget are computed in bands afterwards, one per task (computeBands).
  flush() {
    if (this.flushedGen === this.gen) return;
    this.flushedGen = this.gen;
    this.stats.computes++;
    this.recompute();
    this.render();
    const mode = this.pendingHistory;
    this.pendingHistory = null;
    this.writeHash(mode);
    if (this.result.pending) this.computeBands(this.gen, this.result);
  }

  writeHash(mode) {
    // Large states (thousands of values) are written to the URL after a short pause so that
    // typing stays within a frame; small ones at once.
    clearTimeout(this.hashTimer);
    const s = this.state;
    const big = s.C * s.H * s.W + s.K * s.C * s.kh * s.kw > 4000;
    if (big && mode !== 'replace-if-needed') {
      this.pendingMode = this.pendingMode === 'push' ? 'push' : mode;
      this.hashTimer = setTimeout(() => { const m = this.pendingMode; this.pendingMode = null; this.writeHashNow(m); }, 250);
      return;
    }
    this.writeHashNow(mode);
  }

  writeHashNow(mode) {
    if (!this.opts.history) return;
    const str = serialiseState(this.state) + this.langSuffix();
    if (mode === 'replace-if-needed' && this.urlMessages.length) {
      // Keep a malformed link visible in the address bar until the user edits something.
      this.currentHash = location.hash.slice(1);
      return;
    }
    if (str === location.hash.slice(1)) { this.currentHash = str; return; }
    this.currentHash = str;
    const url = `#${str}`;
    try {
      if (mode === 'push' && location.hash) history.pushState(null, '', url);
      else history.replaceState(null, '', url);
    } catch {
      location.replace(url);
    }
  }

  // ---- compute ----------------------------------------------------------------------------
  recompute() {
    const s = this.state, cp = this.cp;
    const t0 = performance.now();
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
        // conv2d's padded input for the padding cells (when small: paddedValue reads the input
        // otherwise).
        const [pt, pb, pl, pr] = pads;
        if (conv && (pt || pb || pl || pr) && s.C * (s.H + pt + pb) * (s.W + pl + pr) <= TASK_VALUES / 4) {
          r.xPad = cp.pad(x, { pad: [pl, pr, pt, pb], mode: s.paddingMode === 'zeros' ? 'constant' : s.paddingMode, value: 0 });
        }
      }
    } catch (e) {
      r.ok = false;
      r.error = e && e.message ? e.message : String(e);
    }
    r.geo = r.ok ? geometry(s, r.shape) : null;
    this.result = r;
    this.timings.compute = performance.now() - t0;
  }

  // conv2d's padded input at (i, j) of channel c, (0, 0) being the input's first cell.
  paddedValue(c, i, j) {
    const s = this.state, r = this.result;
    if (r.xPad) {
      const [pt, pb, pl, pr] = convPads(s);
      const PH = s.H + pt + pb, PW = s.W + pl + pr;
      return r.xPad.data[c * PH * PW + (i + pt) * PW + (j + pl)];
    }
    const si = padSource(i, s.H, s.paddingMode), sj = padSource(j, s.W, s.paddingMode);
    return si < 0 || sj < 0 ? 0 : r.x.data[c * s.H * s.W + si * s.W + sj];
  }

  // The bands of a result over the one-task budget, one per task; abandoned (and counted) as
  // soon as a newer edit has moved the generation on. The output is drawn when all are done.
  computeBands(gen, r) {
    const s = this.state;
    const [opts, shape] = r.frame ? [r.frame.opts, r.frame.shape] : [options(s), r.shape];
    const geo = bandGeometry(s.op, r.x.shape, r.w.shape, opts, shape);
    const data = new Float32Array(shape[0] * shape[1] * shape[2]);
    let next = 0, ms = 0;
    const step = () => {
      if (gen !== this.gen) { this.stats.cancelled++; return; }
      const t0 = performance.now();
      try {
        runBand(this.cp, geo, r.x.data, r.w.data, r.b ? r.b.data : null, r.bands[next], data);
      } catch (e) {
        r.ok = false; r.pending = false; r.error = e && e.message ? e.message : String(e);
        this.structKey = '';
        this.render({ image: false });
        return;
      }
      ms += performance.now() - t0;
      next++;
      this.stats.bands++;
      if (next < r.bands.length) {
        this.timingEl.textContent = t('computing the output in {n} parts: {k} done', { n: r.bands.length, k: next });
        nextTask(step);
        return;
      }
      if (r.frame) {
        r.yFrame = { shape, data };
        r.y = { shape: r.shape, data: cropFrame(data, shape, r.frame.margins) };
      } else r.y = { shape, data };
      r.pending = false;
      this.timings.compute += ms;
      this.render({ image: false });
    };
    nextTask(step);
  }

  // ---- render -------------------------------------------------------------------------------
  // Draws the current result. { image: false } leaves image mode alone (it depends on the
  // state, not on the output: the end of a banded computation does not redo it).
  render({ image = true } = {}) {
    const t0 = performance.now();
    const s = this.state, r = this.result;
    this.controls.sync(s);
    const key = this.structureKey();
    if (key !== this.structKey) {
      this.buildGrids();
      this.structKey = key;
      this.hoverEl = null;
    }
    this.updateValues();
    this.renderStatus();
    renderFormula(this.formulaEl, s);
    if (this.anim.active) this.anim.refresh();
    else if (this.hoverEl && this.hoverEl.isConnected) this.hover(this.hoverEl, true);
    else this.unhover();
    this.matrix.render();
    this.views.render();
    if (image) this.image.render();
    if (!this.pyBox.hidden && this.exportKind === 'embed' && this.embedRefresh) this.embedRefresh();
    if (!this.pyBox.hidden && this.exportTa && r.ok) this.exportTa.value = this.exportKind === 'numpy' ? numpyCode(s, r) : pytorchCode(s, r);
    this.timings.draw = performance.now() - t0;
    this.timingEl.textContent = r.pending ? t('computing the output in {n} parts: {k} done', { n: r.bands.length, k: 0 })
      : t('computed in {c} ms · drawn in {d} ms · {b}', { c: this.timings.compute.toFixed(2), d: this.timings.draw.toFixed(1), b: this.cp.backend })
        + (r.bands ? ' · ' + t('{n} parts', { n: r.bands.length }) : '');
    r.renderMs = this.timings.draw;
  }

  structureKey() {
    const s = this.state, r = this.result;
    const pads = s.op === 'conv2d' && r.ok ? convPads(s) : [0, 0, 0, 0];
    const crop = s.op !== 'conv2d' && r.ok ? s.padding : [0, 0];
    return JSON.stringify([s.op, s.C, s.H, s.W, s.K, s.kh, s.kw, r.layout.A, r.layout.B, r.layout.slots.map((q) => q.inC + ':' + q.outC).join(' '),
      pads, crop, r.ok && r.shape, s.useBias, s.bias.length, s.paddingMode, document.documentElement.dataset.theme]);
  }

  // Every grid starts as a placeholder (PendingGrid) and is built by buildSome(), outputs first,
  // then inputs, kernels and bias, within BUILD_COST per task: a big page is built over several
  // tasks (document.body.dataset.building is set meanwhile) and no task runs long.
  buildGrids() {
    this.buildQueue = [];
    this.buildToken = {};
    this.buildGridsNow();
    this.buildQueue.sort((p, q) => p.priority - q.priority);
    // A page within one task's budget is built at once (the usual case: what an edit shows is
    // there when the edit's task ends); a bigger one starts in the next task, so that this
    // one (parsing, computing, the rest of the page) stays short.
    const total = this.buildQueue.reduce((sum, job) => sum + job.cost, 0);
    if (total <= BUILD_COST) this.buildSome(this.buildToken, true);
    else {
      const token = this.buildToken;
      document.body.dataset.building = String(this.buildQueue.length);
      nextTask(() => this.buildSome(token));
    }
  }

  // A placeholder for a grid with these Grid options; install(grid) puts the built grid where the
  // placeholder was referenced. priority: 0 outputs, 1 inputs, 2 kernels, 3 bias.
  gridLater(priority, install, opts) {
    const pending = new PendingGrid(opts.rows, opts.cols, opts.caption);
    const m = opts.margins || { t: 0, b: 0, l: 0, r: 0 };
    // Kernel grids cost about twice as much a cell (measured: 16×16 kernels of 16×16, 3.3 s).
    const cost = (opts.kind === 'kernel' ? 2 : 1) * (opts.rows + m.t + m.b) * (opts.cols + m.l + m.r) + GRID_COST;
    this.buildQueue.push({ priority, install, opts, pending, cost });
    return pending;
  }

  // Builds queued grids up to BUILD_COST (at least one), then continues in the next task.
  // A newer buildGrids() (another structure) makes the queue of this one stale: it stops.
  buildSome(token, first = false) {
    if (token !== this.buildToken) return;
    let spent = 0;
    const built = [];
    while (this.buildQueue.length && (spent === 0 || spent + this.buildQueue[0].cost <= BUILD_COST)) {
      const job = this.buildQueue.shift();
      const g = new Grid(job.opts);
      if (job.pending.el.isConnected) job.pending.el.replaceWith(g.el);
      job.install(g);
      built.push(g);
      spent += job.cost;
    }
    if (this.buildQueue.length) {
      document.body.dataset.building = String(this.buildQueue.length);
      nextTask(() => this.buildSome(token));
    } else delete document.body.dataset.building;
    if (!first && built.length) {
      this.updateValues(undefined, undefined, new Set(built));  // the others keep their values
      this.stats.gridTasks++;
      this.stats.buildTasks.push({ grids: built.length, cost: spent });
      if (this.stats.buildTasks.length > 1000) this.stats.buildTasks.shift();
    }
  }

  buildGridsNow() {
    const s = this.state, r = this.result;
    const conv = s.op === 'conv2d';
    // Input.
    clear(this.inputBody);
    this.inputGrids = [];
    const pads = conv && r.ok ? convPads(s) : [0, 0, 0, 0];
    const [pt, pb, pl, pr] = pads.map(margin); // padding cells drawn
    const mode = s.paddingMode;
    const inSize = sizeClass((s.W + pl + pr) * (s.C > 1 ? 1.4 : 1), s.H + pt + pb);
    this.inputBody.classList.toggle('big', s.C * s.H * s.W > 4096);
    for (let c = 0; c < s.C; c++) {
      const g = this.gridLater(1, (built) => { this.inputGrids[c] = built; }, {
        rows: s.H, cols: s.W, editable: true, margins: { t: pt, b: pb, l: pl, r: pr }, size: inSize,
        attrs: () => ({ 'data-testid': 'input-cell', 'data-c': c }),
        ghostAttrs: () => ({ 'data-testid': 'ghost-cell', 'data-c': c, 'data-mode': mode }),
        label: (i, j) => `x[${c}, ${i}, ${j}]`, ariaLabel: t('input channel {c}', { c }),
        caption: h('span', null, h('b', null, `x[${c}]`), s.C > 1 ? ' ' + t('channel {c}', { c }) : ''),
      });
      this.inputGrids.push(g);
      this.inputBody.appendChild(g.el);
    }
    if (s.C === 0 || s.H === 0 || s.W === 0) this.inputBody.appendChild(h('p', { class: 'empty' }, t('The input is {a}: nothing to draw.', { a: `${s.C}×${s.H}×${s.W}` })));
    if (Math.max(...pads) > margin(Math.max(...pads))) this.inputBody.appendChild(h('p', { class: 'hint', 'data-testid': 'margin-note' }, t('Padding {p}: {m} padding cells are drawn on each side.', { p: pads.join(','), m: margin(Math.max(...pads)) })));
    this.inputTitle.textContent = '';
    this.inputTitle.append(t('Input'), ' ', h('i', null, 'x'), h('span', { class: 'dims' }, ` ${s.C}×${s.H}×${s.W}`));

    // Weights.
    clear(this.weightBody);
    this.kernelGrids = new Map(); // "a,b" -> Grid
    const L = r.layout;
    const table = h('div', { class: 'kernel-table' });
    table.style.gridTemplateColumns = `auto repeat(${L.B}, auto)`;
    table.appendChild(h('span', { class: 'kt-corner' }, conv ? t('out ╲ in') : t('in ╲ out')));
    for (let b = 0; b < L.B; b++) table.appendChild(h('span', { class: 'kt-head' }, conv ? t('in {n}', { n: b }) : t('out {n}', { n: b })));
    for (let a = 0; a < L.A; a++) {
      table.appendChild(h('span', { class: 'kt-row' }, conv ? t('out {n}', { n: a }) : t('in {n}', { n: a })));
      for (let b = 0; b < L.B; b++) {
        const slot = L.slots[a * L.B + b];
        const o = conv ? a : b, i = conv ? b : a;
        const g = this.gridLater(2, (built) => { this.kernelGrids.set(`${a},${b}`, built); }, {
          rows: s.kh, cols: s.kw, editable: true, kind: 'kernel',
          attrs: () => ({ 'data-testid': 'weight-cell', 'data-o': o, 'data-i': i, 'data-c': i, 'data-in': slot.inC, 'data-out': slot.outC }),
          label: (p, q) => `w[${a}, ${b}, ${p}, ${q}] ` + t('(input channel {i} to output channel {o})', { i: slot.inC, o: slot.outC }),
          ariaLabel: t('kernel {k}', { k: `w[${a}, ${b}]` }),
          caption: h('span', { title: t('input channel {i} → output channel {o}', { i: slot.inC, o: slot.outC }) }, h('b', null, `w[${a},${b}]`), h('span', { class: 'muted' }, ` x${slot.inC}→y${slot.outC}`)),
        });
        this.kernelGrids.set(`${a},${b}`, g);
        table.appendChild(g.el);
      }
    }
    this.weightBody.appendChild(table);
    this.weightTitle.textContent = '';
    this.weightTitle.append(t('Weights'), ' ', h('i', null, 'w'), h('span', { class: 'dims' }, ` ${L.shape.join('×')}`),
      h('span', { class: 'muted small' }, conv ? ' [out, in/groups, kH, kW]' : ' [in, out/groups, kH, kW]'));
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

    // Output.
    clear(this.outputBody);
    this.outputGrids = [];
    this.outputTitle.textContent = '';
    this.outputTitle.append(t('Output'), ' ', h('i', null, 'y'));
    if (!r.ok) {
      this.outputBody.appendChild(h('div', { class: 'no-output' }, h('b', null, t('No output: ')), t('this configuration is invalid (see the message above). Change the highlighted rule and the output comes back.')));
      return;
    }
    const [K, OH, OW] = r.shape;
    this.outputTitle.append(h('span', { class: 'dims' }, ` ${K}×${OH}×${OW}`));
    if (!drawable(r.shape)) {
      this.outputBody.appendChild(h('div', { class: 'no-output', 'data-testid': 'too-large' }, t('The output is {a}: too large to draw (up to {n}×{n} per channel and {m} cells in all).',
        { a: `${K}×${OH}×${OW}`, n: MAX_DRAW, m: MAX_DRAW_CELLS.toLocaleString('en') })));
      return;
    }
    const [cph, cpw] = r.frame ? r.frame.margins : [0, 0]; // cropped cells drawn
    const outSize = sizeClass((OW + 2 * cpw) * (K > 1 ? 1.4 : 1), OH + 2 * cph);
    this.outputBody.classList.toggle('big', K * OH * OW > 4096);
    for (let o = 0; o < K; o++) {
      const g = this.gridLater(0, (built) => { this.outputGrids[o] = built; }, {
        rows: OH, cols: OW, editable: false, margins: { t: cph, b: cph, l: cpw, r: cpw }, size: outSize,
        attrs: () => ({ 'data-testid': 'output-cell', 'data-c': o }),
        ghostAttrs: () => ({ 'data-testid': 'cropped-cell', 'data-c': o }),
        label: (i, j) => `y[${o}, ${i}, ${j}]`, ariaLabel: t('output channel {o}', { o }),
        caption: h('span', null, h('b', null, `y[${o}]`), K > 1 ? ' ' + t('channel {c}', { c: o }) : ''),
      });
      this.outputGrids.push(g);
      this.outputBody.appendChild(g.el);
    }
    if (!conv && (cph || cpw)) {
      const [ph, pw] = s.padding;
      this.outputBody.appendChild(h('p', { class: 'hint' }, t('Dashed cells: the full scatter result that padding={p} crops away.', { p: ph === pw ? ph : ph + ',' + pw }),
        ph > cph || pw > cpw ? ' ' + t('({a}, {b} of the cropped rows, columns are drawn on each side.)', { a: cph, b: cpw }) : ''));
    }
  }

  // only: a Set of grids to fill (the ones buildSome just built), or all of them.
  updateValues(partialY, partialFrame, only = null) {
    const s = this.state, r = this.result;
    const skip = (g) => only !== null && !only.has(g);
    const conv = s.op === 'conv2d';
    // Input and its padding.
    // Padding copies input values (or adds zeros): the input's scale is the padded input's.
    const xs = new Scale(r.x.data);
    this.scales = { x: xs };
    const HW = s.H * s.W;
    this.inputGrids.forEach((g, c) => {
      if (skip(g)) return;
      g.setValues(r.x.data, xs, c * HW);
      if (conv && r.ok && g.ghosts.size) {
        g.setGhosts((i, j) => {
          const value = this.paddedValue(c, i, j);
          if (s.paddingMode === 'zeros') return { value, title: t('zero padding at ({i}, {j})', { i, j }) };
          const si = padSource(i, s.H, s.paddingMode), sj = padSource(j, s.W, s.paddingMode);
          return { value, badge: `${si},${sj}`, title: t('{m} padding at ({i}, {j}): copy of {x}', { m: s.paddingMode, i, j, x: `x[${c}, ${si}, ${sj}]` }) };
        }, xs);
      }
    });
    setLegend(this.inputLegend, xs, 'x');
    // Weights.
    const ws = new Scale(r.w.data);
    this.scales.w = ws;
    const ks = s.kh * s.kw;
    const L = r.layout;
    for (let n = 0; n < L.slots.length; n++) {
      const g = this.kernelGrids.get(`${L.slots[n].a},${L.slots[n].b}`);
      if (g && !skip(g)) g.setValues(r.w.data, ws, n * ks);
    }
    if (this.biasGrid && !skip(this.biasGrid)) this.biasGrid.setValues(s.bias, new Scale(s.bias));
    setLegend(this.weightLegend, ws, 'w');
    // Output.
    if (r.ok && r.y && this.outputGrids.length) {
      const y = partialY || r.y;
      const ys = new Scale(r.yFrame ? r.yFrame.data : r.y.data);
      this.scales.y = ys;
      const [, OH, OW] = r.shape;
      this.outputGrids.forEach((g, o) => {
        if (skip(g)) return;
        g.setValues(y.data, ys, o * OH * OW);
        const frame = partialFrame || r.yFrame;
        if (frame && g.ghosts.size) {
          const [ph, pw] = s.padding, [mh, mw] = r.frame.margins;
          const FW = OW + 2 * mw, FH = OH + 2 * mh;
          g.setGhosts((i, j) => ({ value: frame.data[o * FH * FW + (i + mh) * FW + (j + mw)],
            title: t('cropped by padding: full result at ({i}, {j})', { i: i + ph, j: j + pw }) }), ys);
        }
      });
      setLegend(this.outputLegend, ys, 'y');
    } else clear(this.outputLegend);
  }

  renderStatus() {
    const r = this.result;
    this.shapeEl.textContent = r.ok ? `1×${r.shape.join('×')}` : '—';
    clear(this.errorEl);
    const msgs = [];
    if (!r.ok) msgs.push(h('p', { class: 'err-main' }, h('b', null, t('Invalid configuration. ')), r.error));
    if (this.urlMessages.length) {
      msgs.push(h('div', { class: 'err-url', 'data-testid': 'url-error' }, h('b', null, t('This link could not be read completely; defaults were used for the broken parts.')),
        h('ul', null, this.urlMessages.map((m) => h('li', null, m)))));
    }
    this.errorEl.append(...msgs);
    this.errorEl.hidden = msgs.length === 0;
    this.noticeEl.textContent = this.notice;
    this.noticeEl.hidden = !this.notice;
  }

  // ---- hover / focus ----------------------------------------------------------------------
  clearHighlights() {
    for (const el of this.hl) { el.removeAttribute('data-highlight'); el.removeAttribute('data-via'); el.removeAttribute('data-hover'); }
    this.hl = [];
  }

  mark(el, via) {
    if (!el) return;
    el.dataset.highlight = '1';
    if (via) el.dataset.via = via;
    this.hl.push(el);
  }

  markSelf(el) {
    el.dataset.hover = '1';
    this.hl.push(el);
  }

  unhover() {
    this.hoverEl = null;
    if (this.anim.active) { this.anim.refresh(); return; }
    this.clearHighlights();
    clear(this.explainEl);
    this.explainEl.append(plain(this.result.ok
      ? t('Hover or focus an output cell to see which inputs and kernel taps produce it, with the sum written out. Hover an input cell to see every output it reaches.')
      : t('No output to explain until the configuration is valid.')));
  }

  hover(el, keep = false) {
    if (!keep && this.anim.active && this.anim.playing) return;
    this.hoverEl = el;
    this.clearHighlights();
    clear(this.explainEl);
    const d = el.dataset;
    const c = Number(d.c), i = Number(d.h), j = Number(d.w);
    this.markSelf(el);
    if (!this.result.ok) {
      this.explainEl.append(plain(t('No output to explain until the configuration is valid.')));
      return;
    }
    if (this.result.pending) {
      this.explainEl.append(plain(t('The output is still being computed.')));
      return;
    }
    switch (d.testid) {
      case 'output-cell': this.showOutput(c, i, j); break;
      case 'input-cell': this.showInput(c, i, j); break;
      case 'ghost-cell': this.showGhost(c, i, j); break;
      case 'cropped-cell': this.showCropped(c, i, j); break;
      case 'weight-cell': this.showWeight(el); break;
      case 'bias-cell': this.explainEl.append(plain(t('{b} is added to every cell of output channel {c}.', { b: `b[${c}] = ${displayLong(this.state.bias[c])}`, c }))); this.outputGrids[c]?.cells.forEach((x) => this.mark(x)); break;
      default: break;
    }
  }

  kernelGridFor(inC, outC) {
    const L = this.result.layout;
    const n = L.slots.findIndex((q) => q.inC === inC && q.outC === outC);
    return n < 0 ? null : this.kernelGrids.get(`${L.slots[n].a},${L.slots[n].b}`);
  }

  showOutput(o, oh, ow, partial) {
    const s = this.state, r = this.result, geo = r.geo;
    const [, OH, OW] = r.shape;
    const y = (partial || r.y).data[o * OH * OW + oh * OW + ow];
    const bias = s.useBias ? r.b.data[o] : null;
    if (this.biasGrid) this.mark(this.biasGrid.cell(0, o));
    const terms = [];
    if (s.op === 'conv2d') {
      const taps = convOutputTaps(geo, o, oh, ow);
      const ks = s.kh * s.kw;
      for (const t of taps) {
        const g = this.inputGrids[t.c];
        let xv;
        if (t.inside) { this.mark(g.cell(t.ph, t.pw)); xv = r.x.data[t.c * s.H * s.W + t.ph * s.W + t.pw]; }
        else {
          this.mark(g.ghost(t.ph, t.pw), 'pad');
          if (t.srcH >= 0) this.mark(g.cell(t.srcH, t.srcW), 'copy');
          xv = this.paddedValue(t.c, t.ph, t.pw);
        }
        const kg = this.kernelGridFor(t.c, o);
        if (kg) this.mark(kg.cell(t.a, t.b));
        const slot = o * geo.Cg + t.i;
        const wv = r.w.data[slot * ks + t.a * s.kw + t.b];
        terms.push({ x: xv, w: wv, ghost: !t.inside, xTitle: t.inside ? `x[${t.c}, ${t.ph}, ${t.pw}]` : tr('padding ({m}) at ({i}, {j})', { m: s.paddingMode, i: t.ph, j: t.pw }), wTitle: `w[${o}, ${t.i}, ${t.a}, ${t.b}]` });
      }
      const nPad = terms.filter((t) => t.ghost).length;
      this.explainEl.append(sumOfProducts(`y${coord(o, oh, ow)}`, terms, bias, y,
        h('span', null, tr('Σ over {ch}{k} taps of {expr}', { ch: geo.Cg > 1 ? tr('{n} input channels × ', { n: geo.Cg }) : '', k: `${s.kh}×${s.kw}`, expr: `x_pad[c, ${oh}·${geo.sh} + a·${geo.dh}, ${ow}·${geo.sw} + b·${geo.dw}] · w[${o}, c, a, b]${bias !== null ? ` + b[${o}]` : ''}` }),
          nPad ? tr(' — {n} {terms} padding ({m})', { n: nPad, terms: pl(nPad, 'term reads', 'terms read'), m: s.paddingMode }) : '', tr('. The total is the API’s output value.'))));
    } else {
      const taps = convTOutputTaps(geo, o, oh, ow);
      const ks = s.kh * s.kw;
      for (const t of taps) {
        this.mark(this.inputGrids[t.c].cell(t.ih, t.iw));
        const kg = this.kernelGridFor(t.c, o);
        if (kg) this.mark(kg.cell(t.a, t.b));
        const slot = t.c * geo.Kg + t.ol;
        terms.push({ x: r.x.data[t.c * s.H * s.W + t.ih * s.W + t.iw], w: r.w.data[slot * ks + t.a * s.kw + t.b], xTitle: `x[${t.c}, ${t.ih}, ${t.iw}]`, wTitle: `w[${t.c}, ${t.ol}, ${t.a}, ${t.b}]` });
      }
      this.explainEl.append(sumOfProducts(`y${coord(o, oh, ow)}`, terms, bias, y,
        h('span', null, tr('Every {xw} with {c1} and {c2} lands here ({n} {terms}).', { xw: `x[c, i, j]·w[c, ${o - Math.floor(o / geo.Kg) * geo.Kg}, a, b]`, c1: `i·${geo.sh} + a·${geo.dh} − ${geo.ph} = ${oh}`, c2: `j·${geo.sw} + b·${geo.dw} − ${geo.pw} = ${ow}`, n: taps.length, terms: pl(taps.length, 'term', 'terms') }))));
    }
  }

  showInput(c, ih, iw, partialNote) {
    const s = this.state, r = this.result, geo = r.geo;
    const xv = r.x.data[c * s.H * s.W + ih * s.W + iw];
    if (s.op === 'conv2d') {
      const { outs, ghosts } = convInputReach(geo, c, ih, iw);
      for (const q of outs) this.mark(this.outputGrids[q.o]?.cell(q.oh, q.ow));
      for (const q of ghosts) this.mark(this.inputGrids[c].ghost(q.ph, q.pw), 'copy');
      this.explainEl.append(plain(h('b', null, `x${coord(c, ih, iw)} = ${displayLong(xv)}`),
        t(' feeds {n} {cells}', { n: outs.length, cells: pl(outs.length, 'output cell', 'output cells') }),
        geo.Kg > 1 ? t(' (in each of output channels {a}…{b})', { a: Math.floor(c / geo.Cg) * geo.Kg, b: (Math.floor(c / geo.Cg) + 1) * geo.Kg - 1 }) : '',
        ghosts.length ? t(', also through {n} {m} padding {copies}', { n: ghosts.length, m: s.paddingMode, copies: pl(ghosts.length, 'copy', 'copies') }) : '', t('.')));
    } else {
      const { outs, ghosts, rows, cols } = convTInputReach(geo, c, ih, iw);
      for (const q of outs) this.mark(this.outputGrids[q.o]?.cell(q.oh, q.ow));
      for (const q of ghosts) this.mark(this.outputGrids[q.o]?.ghost(q.fh - geo.ph, q.fw - geo.pw), 'pad');
      const grp = Math.floor(c / geo.Cg);
      for (let o = grp * geo.Kg; o < (grp + 1) * geo.Kg; o++) {
        const kg = this.kernelGridFor(c, o);
        if (kg) kg.cells.forEach((x) => this.mark(x));
      }
      const rr = rows.length ? `${rows[0] - geo.ph}…${rows[rows.length - 1] - geo.ph}` : '';
      const cc = cols.length ? `${cols[0] - geo.pw}…${cols[cols.length - 1] - geo.pw}` : '';
      this.explainEl.append(plain(h('b', null, `x${coord(c, ih, iw)} = ${displayLong(xv)}`),
        t(' scatters {v} × its {kernels} into rows {rr}, columns {cc} of the output', { v: displayLong(xv), kernels: pl(geo.Kg, 'kernel', 'kernels'), rr, cc }),
        (geo.sh > 1 || geo.sw > 1) ? t(' (starting at {a}, {b}{pad})', { a: `${ih}·${geo.sh}`, b: `${iw}·${geo.sw}`, pad: geo.ph || geo.pw ? t(', minus padding {a}, {b}', { a: geo.ph, b: geo.pw }) : '' }) : (geo.ph || geo.pw ? t(' (minus padding {a}, {b})', { a: geo.ph, b: geo.pw }) : ''),
        geo.dh > 1 || geo.dw > 1 ? t(', taps {a}, {b} apart', { a: geo.dh, b: geo.dw }) : '',
        t(': {n} {cells}', { n: outs.length, cells: pl(outs.length, 'output cell', 'output cells') }), ghosts.length ? t(' and {n} cropped by padding', { n: ghosts.length }) : '', t('.'), partialNote || ''));
    }
  }

  showGhost(c, i, j) {
    const s = this.state;
    const el = this.inputGrids[c].ghost(i, j);
    if (s.paddingMode === 'zeros') {
      this.explainEl.append(plain(t('Zero padding at ({i}, {j}) of channel {c}: conv2d reads 0 here.', { i, j, c })));
      return;
    }
    const si = padSource(i, s.H, s.paddingMode), sj = padSource(j, s.W, s.paddingMode);
    this.mark(this.inputGrids[c].cell(si, sj), 'copy');
    this.explainEl.append(plain(t('{m} padding at ({i}, {j}) of channel {c} holds {v}: a copy of {x}.', { m: s.paddingMode, i, j, c, v: el.dataset.value, x: `x${coord(c, si, sj)}` })));
  }

  showCropped(o, i, j) {
    const s = this.state;
    this.explainEl.append(plain(t('Cropped: the full transposed-convolution result has a value here (row {r}, column {c}), but padding={p} removes it from the output.', { r: i + s.padding[0], c: j + s.padding[1], p: s.padding.join(',') })));
  }

  showWeight(el) {
    const d = el.dataset;
    const inC = Number(d.in), outC = Number(d.out);
    this.explainEl.append(plain(t('{w}: it multiplies input channel {i} for output channel {o}.', { w: `${el.getAttribute('aria-label')} = ${displayLong(Number(d.value))}`, i: inC, o: outC })));
  }

  // ---- editing ---------------------------------------------------------------------------------
  onCellInput(el) {
    const d = el.dataset;
    if (!d.testid || !el.isContentEditable) return;
    const raw = el.value;
    let v = raw.trim() === '' ? 0 : parseNum(raw);
    if (v === undefined) { el.setAttribute('aria-invalid', 'true'); return; }
    el.removeAttribute('aria-invalid');
    v = f32(v);
    const i = Number(d.h), j = Number(d.w), c = Number(d.c);
    const key = `${d.testid}:${c}:${d.o || ''}:${i}:${j}`;
    if (d.testid === 'input-cell') this.update((s) => { s.x[c][i * s.W + j] = v; }, key);
    else if (d.testid === 'weight-cell') this.update((s) => { getKernel(s, Number(d.in), Number(d.out))[i * s.kw + j] = v; }, key);
    else if (d.testid === 'bias-cell') this.update((s) => { s.bias[j] = v; }, key);
  }

  onPaste(e) {
    const el = e.target;
    if (!el.isContentEditable || !el.dataset.testid) return;
    const text = (e.clipboardData || window.clipboardData)?.getData('text') ?? '';
    // Refuse huge pastes before parsing: a 50 MB paste froze the page for 12 s (measured).
    if (text.length > MAX_PASTE_CHARS) {
      e.preventDefault();
      this.setNotice(t('Paste: {n} characters is more than a grid can take (at most {max}).',
        { n: text.length.toLocaleString('en'), max: MAX_PASTE_CHARS.toLocaleString('en') }));
      return;
    }
    let m;
    this.stats.pasteCharsParsed += text.length;
    try { m = parseMatrixText(text); } catch (err) {
      if (parseNum(text) !== undefined) return; // a single number: let the input take it
      e.preventDefault();
      this.setNotice(t('Paste: {m}.', { m: err.message }));
      return;
    }
    if (m.data.length === 1) return; // one number: the normal paste works
    e.preventDefault();
    const d = el.dataset, c = Number(d.c), i0 = Number(d.h), j0 = Number(d.w);
    try {
      if (d.testid === 'input-cell') this.pasteInput(m, c, i0, j0);
      else if (d.testid === 'weight-cell') this.pasteWeight(m, Number(d.in), Number(d.out), i0, j0);
      else if (d.testid === 'bias-cell') this.update((s) => { m.data.forEach((v, k) => { if (k + j0 < s.bias.length) s.bias[k + j0] = v; }); }, null);
    } catch (err) { this.setNotice(t('Paste: {m}.', { m: err.message })); }
  }

  pasteInput(tm, c, i0, j0) {
    let q = squeezeTo(tm, 3);
    if (q.shape.length === 1) q = { shape: [1, q.shape[0]], data: q.data };
    if (q.shape.length === 3) {
      const [C, H, W] = q.shape;
      if (C > LIMITS.channels || H > LIMITS.size || W > LIMITS.size) throw new Error(t('{a} is larger than {b}', { a: `${C}×${H}×${W}`, b: `${LIMITS.channels}×${LIMITS.size}×${LIMITS.size}` }));
      this.update((s) => { setInputSize(s, C, H, W); for (let k = 0; k < C; k++) s.x[k] = q.data.slice(k * H * W, (k + 1) * H * W); }, null);
      this.setNotice(t('Pasted a {a} input.', { a: `${C}×${H}×${W}` }));
      return;
    }
    if (q.shape.length !== 2) throw new Error(t('a tensor of shape {s} does not fit an input grid', { s: `[${tm.shape.join(', ')}]` }));
    const [H, W] = q.shape;
    if (H > LIMITS.size || W > LIMITS.size) throw new Error(t('{a} is larger than {b}', { a: `${H}×${W}`, b: `${LIMITS.size}×${LIMITS.size}` }));
    const resize = i0 === 0 && j0 === 0;
    this.update((s) => {
      if (resize) setInputSize(s, s.C, H, W);
      for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) {
        if (i + i0 < s.H && j + j0 < s.W) s.x[c][(i + i0) * s.W + j + j0] = q.data[i * W + j];
      }
    }, null);
    this.setNotice(resize ? t('Pasted a {a} matrix into channel {c} (the input is now {a}).', { a: `${H}×${W}`, c }) : t('Pasted a {a} matrix at ({i}, {j}) of channel {c}.', { a: `${H}×${W}`, i: i0, j: j0, c }));
  }

  pasteWeight(tm, inC, outC, i0, j0) {
    let q = squeezeTo(tm, 2);
    if (q.shape.length === 4) {
      // A whole weight tensor in the current op's layout.
      const [A, B, kh, kw] = q.shape;
      const s0 = this.state;
      const conv = s0.op === 'conv2d';
      this.update((s) => {
        setKernelSize(s, kh, kw);
        const g = Math.max(1, s.groups);
        if (conv) { setOutChannels(s, A); if (B * g !== s.C) setInputSize(s, B * g, s.H, s.W); }
        else { if (A !== s.C) setInputSize(s, A, s.H, s.W); setOutChannels(s, B * g); }
        weightLayout(s).slots.forEach((slot, n) => s.kernels.set(pairKey(slot.inC, slot.outC), q.data.slice(n * kh * kw, (n + 1) * kh * kw)));
      }, null);
      this.setNotice(t('Pasted a weight of shape {s}.', { s: `[${q.shape.join(', ')}]` }));
      return;
    }
    if (q.shape.length === 1) q = { shape: [1, q.shape[0]], data: q.data };
    if (q.shape.length !== 2) throw new Error(t('a tensor of shape {s} does not fit a kernel (paste a 2-D kernel or the whole 4-D weight)', { s: `[${tm.shape.join(', ')}]` }));
    const [kh, kw] = q.shape;
    if (kh > LIMITS.kernel || kw > LIMITS.kernel) throw new Error(t('{a} is larger than {b}', { a: `${kh}×${kw}`, b: `${LIMITS.kernel}×${LIMITS.kernel}` }));
    const resize = i0 === 0 && j0 === 0;
    this.update((s) => {
      if (resize) setKernelSize(s, kh, kw);
      const k = getKernel(s, inC, outC);
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
        if (i + i0 < s.kh && j + j0 < s.kw) k[(i + i0) * s.kw + j + j0] = q.data[i * kw + j];
      }
    }, null);
    this.setNotice(t('Pasted a {a} kernel.', { a: `${kh}×${kw}` }));
  }

  setNotice(msg) {
    this.notice = msg;
    this.noticeEl.textContent = msg;
    this.noticeEl.hidden = !msg;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => { this.notice = ''; this.noticeEl.hidden = true; }, 6000);
  }

  // ---- header actions ----------------------------------------------------------------------
  // lang= goes into the hash for a language other than English, or when the link named one
  // (English links without lang= stay as they were).
  langSuffix() { return getLang() === 'en' && !this.langInUrl ? '' : `&lang=${getLang()}`; }

  // Switch the language: rebuild every label from the same state, keeping open panels and the
  // image; remember the choice and put it in the URL.
  switchLang(l) {
    setLang(l);
    rememberLang(getLang());
    this.lang = getLang();
    document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
    const open = ['matrixDetails', 'image'].map((k) => (k === 'image' ? this.image.details.open : this[k].open));
    const viewsOpen = [this.views.details.open, this.views.extra.open];
    const tab = this.views.tab, img = this.image.src, imgName = this.image.srcName, chan = this.image.channels;
    this.build();
    this.matrixDetails.open = open[0];
    this.views.tab = tab;
    this.views.details.open = viewsOpen[0];
    this.views.extra.open = viewsOpen[1];
    if (img) { this.image.src = img; this.image.srcName = imgName; this.image.channels = chan; }
    this.image.details.open = open[1];
    this.render();
    this.writeHashNow('replace');
    this.langSel?.focus();
  }

  toggleTheme() {
    const html = document.documentElement;
    const dark = html.dataset.theme !== 'dark';
    html.dataset.theme = dark ? 'dark' : 'light';
    try { localStorage.setItem('convplay-theme', html.dataset.theme); } catch { /* file:// may refuse */ }
    this.themeBtn.textContent = dark ? t('Light') : t('Dark');
    this.structKey = '';
    this.render();
  }

  copyLink() {
    const url = location.href;
    const done = () => this.setNotice(t('Link copied: it reproduces this page exactly.'));
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, () => this.setNotice(t('Copy this link: {u}', { u: url })));
    else this.setNotice(t('Copy this link: {u}', { u: url }));
  }

  showEmbed() {
    const box = this.pyBox;
    if (!box.hidden && this.exportKind === 'embed') { box.hidden = true; return; }
    this.exportKind = 'embed';
    this.exportTa = null;
    clear(box);
    const PANELS = [['grids', t('tensors')], ['formula', t('output size')], ['explain', t('explanation')], ['params', t('parameters')], ['anim', t('animation')], ['views', t('three convT views')], ['matrix', t('matrices')], ['extra', t('round trip')]];
    const chosen = new Set(['grids', 'formula']);
    const iframeTa = h('textarea', { class: 'pycode', readonly: true, rows: 6, 'data-testid': 'embed-iframe', 'aria-label': t('iframe snippet') });
    const compTa = h('textarea', { class: 'pycode', readonly: true, rows: 3, 'data-testid': 'embed-component', 'aria-label': t('web component snippet') });
    const fill = () => {
      const sn = embedSnippets(serialiseState(this.state) + this.langSuffix(), [...chosen], location.href);
      iframeTa.value = sn.iframe;
      compTa.value = sn.component;
    };
    this.embedRefresh = fill;
    const checks = h('div', { class: 'embed-panels', role: 'group', 'aria-label': t('panels to show') }, PANELS.map(([id, label]) => {
      const cb = h('input', { type: 'checkbox', 'data-testid': `embed-panel-${id}`, checked: chosen.has(id) });
      cb.addEventListener('change', () => { if (cb.checked) chosen.add(id); else chosen.delete(id); fill(); });
      return h('label', { class: 'check' }, cb, h('span', null, label));
    }));
    const copyBtn = (ta) => h('button', { type: 'button', class: 'btn', onclick: () => { ta.select(); navigator.clipboard?.writeText(ta.value).then(() => this.setNotice(t('Snippet copied.')), () => {}); } }, t('Copy'));
    box.append(
      h('div', { class: 'pyhead' }, h('b', null, t('Embed this configuration in a page or blog post (works offline: copy dist/ next to the page)')),
        h('button', { type: 'button', class: 'btn', onclick: () => { box.hidden = true; } }, t('Close'))),
      checks,
      h('div', { class: 'pyhead' }, h('b', null, t('An iframe that sizes its height to its content')), copyBtn(iframeTa)), iframeTa,
      h('div', { class: 'pyhead' }, h('b', null, t('A web component: one script, any number of <conv-playground> elements')), copyBtn(compTa)), compTa);
    fill();
    box.hidden = false;
  }

  showExport(kind) {
    const box = this.pyBox;
    if (!box.hidden && this.exportKind === kind) { box.hidden = true; return; }
    this.exportKind = kind;
    clear(box);
    const r = this.result;
    if (!r.ok) {
      box.append(h('div', { class: 'pyhead' }, h('b', null, t('No code for an invalid configuration: fix the rule shown above first.')),
        h('button', { type: 'button', class: 'btn', onclick: () => { box.hidden = true; } }, t('Close'))), h('textarea', { class: 'pycode', readonly: true, rows: 2, 'data-testid': 'export-code', 'aria-label': t('exported code') }));
      box.hidden = false;
      return;
    }
    const code = kind === 'numpy' ? numpyCode(this.state, r) : pytorchCode(this.state, r);
    const lib = kind === 'numpy' ? 'NumPy' : 'PyTorch';
    const ta = h('textarea', { class: 'pycode', readonly: true, rows: Math.min(18, code.split('\n').length + 1), 'aria-label': t('{lib} code for this configuration', { lib }), 'data-testid': 'export-code', 'data-kind': kind });
    ta.value = code;
    this.exportTa = ta;
    const copy = () => {
      ta.select();
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(code).then(() => this.setNotice(t('Code copied: paste it into Python; it prints the numbers on this page.')), () => this.setNotice(t('Select the code and copy it (the clipboard is not available here).')));
    };
    box.append(h('div', { class: 'pyhead' }, h('b', null, t('The same computation in {lib}: a self-contained script that prints this output', { lib })),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'export-copy', onclick: copy }, t('Copy')),
      h('button', { type: 'button', class: 'btn', onclick: () => { box.hidden = true; } }, t('Close'))), ta);
    box.hidden = false;
    ta.focus();
    copy();
  }
}

// The inner [K, FH − 2·mh, FW − 2·mw] of a [K, FH, FW] result (rows copied, no arithmetic).
function cropFrame(data, [K, FH, FW], [mh, mw]) {
  const OH = FH - 2 * mh, OW = FW - 2 * mw;
  const y = new Float32Array(K * OH * OW);
  for (let o = 0; o < K; o++) {
    for (let i = 0; i < OH; i++) y.set(data.subarray((o * FH + i + mh) * FW + mw, (o * FH + i + mh) * FW + mw + OW), (o * OH + i) * OW);
  }
  return y;
}

function setLegend(el, scale, name) {
  clear(el);
  const bar = h('span', { class: 'legend-bar', 'aria-hidden': 'true' });
  bar.style.backgroundImage = scale.gradient();
  const lo = scale.signed ? -scale.max : 0;
  el.append(h('span', { class: 'legend-label' }, displayLong(lo)), bar, h('span', { class: 'legend-label' }, displayLong(scale.max)),
    h('span', { class: 'sr-only' }, t('colour scale for {n}: {d}', { n: name, d: scale.signed ? t('blue negative, orange positive') : t('light zero to orange maximum') })));
  el.title = scale.signed ? t('blue: negative · neutral: 0 · orange: positive') : t('neutral: 0 · orange: largest value');
}
