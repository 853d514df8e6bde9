// A playground: the store (state and named actions), the model derived from it, and the views
// composed into a page (index.html), an embed (embed.html) or a <conv-playground> element.
// See web/README.md for the data flow. This file wires events to actions and renders the
// views from the model; it computes nothing itself.

import { clear, activeIn } from './dom.js';
import { parseNum, groupDigits } from './numfmt.js';
import { Store } from './store.js';
import { refOf } from './ui.js';
import { deriveResult, deriveHighlight, finishBands } from './model.js';
import { deriveAnimFrame } from './anim-model.js';
import { Linker } from './link.js';
import { parseMatrixText } from './paste.js';
import { bandGeometry, runBand } from './banded-conv.js';
import { options } from './state.js';
import { nextTask, nextFrameTask, setBuilding } from './tasks.js';
import { t, pl, getLang, setLang, rememberLang } from './i18n.js';
import { hashParam, parseHash } from './url-state.js';
import { phoneQuery } from './grid.js';
import { buildShell } from './views/shell.js';

const LONG_HASH = 20000; // characters of a link loaded over several tasks (loadHashSoon)

// Largest paste parsed into a grid (the biggest grid is 16 channels of 64x64 numbers).
const MAX_PASTE_CHARS = 1_000_000;

export class Playground {
  // opts: {mode: 'full' | 'embed', panels: ['grids', 'formula', ...] (embed), history: bool,
  //        link: URL of the full page (embed footer), onRender(model): called after each full
  //        render (a lesson step marks the cells it asks about, learn.html)}
  constructor(cp, root, opts = {}) {
    this.cp = cp;
    this.root = root;
    this.opts = { mode: 'full', panels: null, history: true, link: null, ...opts };
    this.store = new Store({ history: this.opts.history, onFlush: (kind) => (kind === 'doc' ? this.renderDoc() : this.renderUi()) });
    this.link = new Linker((name, p) => this.store.setUi(name, p));
    this.result = null;
    this.timings = { compute: 0, draw: 0 };
    // Counters for tests and the console (window.convplayApp.stats): states computed, bands
    // computed, banded computations abandoned for a newer edit, the work of each grid-building
    // task after the first (buildTasks: {grids, cost}, the last 1,000), and the characters
    // handed to the paste parser. Tests assert the work each task is given, never its duration.
    this.stats = { computes: 0, bands: 0, cancelled: 0, gridTasks: 0, buildTasks: [], pasteCharsParsed: 0 };
    this.lang = getLang();
    if (this.opts.mode === 'full') document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
    this.build();
    // The phone breakpoint changes cell sizes: rebuild so the colour canvases match.
    if (phoneQuery.addEventListener) phoneQuery.addEventListener('change', () => { this.v.tensors.invalidate(); this.render(); });
    if (this.opts.history) {
      window.addEventListener('popstate', () => this.loadHashSoon());
      window.addEventListener('hashchange', () => this.loadHashSoon());
    }
  }

  get state() { return this.store.doc; }
  get image() { return this.v.image; }
  get views() { return this.v.convt; }
  flush() { this.store.flush(); }

  // What the views read: the state, the core's result, the UI state.
  get model() { return { state: this.store.doc, result: this.result, ui: this.store.ui }; }

  // Builds (or, after a language switch, rebuilds) every view.
  build() {
    if (this.v) this.v.anim.stop(true);
    const self = this;
    const ctx = {
      cp: this.cp,
      get model() { return self.model; },
      dispatch: (name, payload, source) => this.dispatch(name, payload, source),
      link: this.link,
      notify: (msg) => this.setNotice(msg),
      loadHash: (hash) => this.loadHash(hash, true),
      setUi: (name, payload) => this.store.setUi(name, payload),
      focusGrids: () => this.focusGrids(),
      toggleTheme: () => this.toggleTheme(),
      copyLink: () => this.copyLink(),
      switchLang: (l) => this.switchLang(l),
    };
    clear(this.root);
    this.v = buildShell(this.root, ctx, this.opts, this.stats);
    this.wireTensors(this.v.tensors.el);
    if (this.store.doc) this.render();
  }

  dispatch(name, payload, source = null) {
    try {
      const notice = this.store.dispatch(name, payload, source);
      if (notice) this.setNotice(notice);
    } catch (e) { this.setNotice(t('Paste: {m}.', { m: e.message })); }
  }

  // Events of the tensors become actions: typed numbers, pastes, pointer and keyboard focus.
  wireTensors(ws) {
    const ui = (name, p) => this.store.setUi(name, p);
    const cellOf = (e) => (e.target.closest ? e.target.closest('.cell') : null);
    ws.addEventListener('mouseover', (e) => { const el = cellOf(e); if (el) ui('focus', refOf(el)); });
    ws.addEventListener('mouseleave', () => { if (!ws.contains(activeIn(ws))) ui('blur'); });
    ws.addEventListener('focusin', (e) => { const el = cellOf(e); if (el && this.pointerType !== 'touch') ui('keyboardFocus', refOf(el)); });
    ws.addEventListener('focusout', (e) => { if (!e.relatedTarget || !ws.contains(e.relatedTarget)) ui('blur'); });
    // A phone has no hover: a tap on a cell pins its highlights and sum (a second tap or Escape
    // unpins). A mouse keeps hovering.
    ws.addEventListener('pointerdown', (e) => { this.pointerType = e.pointerType; });
    ws.addEventListener('click', (e) => { const el = cellOf(e); if (el && this.pointerType && this.pointerType !== 'mouse') ui('tap', refOf(el)); });
    ws.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !cellOf(e)) return;
      if (this.store.ui.pinned) ui('unpin'); else e.target.blur();
    });
    ws.addEventListener('input', (e) => { if (!e.isComposing) this.onCellInput(e.target); });
    ws.addEventListener('compositionend', (e) => this.onCellInput(e.target));
    ws.addEventListener('paste', (e) => this.onPaste(e));
  }

  onCellInput(el) {
    const d = el.dataset;
    if (!d.testid || !el.isContentEditable) return;
    const raw = el.value;
    const v = raw.trim() === '' ? 0 : parseNum(raw);
    if (v === undefined) { el.setAttribute('aria-invalid', 'true'); return; }
    el.removeAttribute('aria-invalid');
    const ref = refOf(el);
    this.store.dispatch('setCell', { ...ref, value: v }, `${d.testid}:${d.c}:${d.o || ''}:${d.h}:${d.w}`);
  }

  onPaste(e) {
    const el = e.target;
    if (!el.isContentEditable || !el.dataset.testid) return;
    const text = (e.clipboardData || window.clipboardData)?.getData('text') ?? '';
    // Refuse huge pastes before parsing: a 50 MB paste froze the page for 12 s (measured).
    if (text.length > MAX_PASTE_CHARS) {
      e.preventDefault();
      this.setNotice(t('Paste: {n} characters is more than a grid can take (at most {max}).',
        { n: groupDigits(text.length), max: groupDigits(MAX_PASTE_CHARS) }));
      return;
    }
    let matrix;
    this.stats.pasteCharsParsed += text.length;
    try { matrix = parseMatrixText(text); } catch (err) {
      if (parseNum(text) !== undefined) return; // a single number: the cell takes it
      e.preventDefault();
      this.setNotice(t('Paste: {m}.', { m: err.message }));
      return;
    }
    if (matrix.data.length === 1) return; // one number: the normal paste works
    e.preventDefault();
    const ref = refOf(el);
    const name = { 'input-cell': 'pasteInput', 'weight-cell': 'pasteWeight', 'bias-cell': 'pasteBias' }[ref.testid];
    if (name) this.dispatch(name, { ...ref, matrix });
  }

  setNotice(msg) {
    this.store.setNotice(msg);
    this.v.status.showNotice(msg);
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => { this.store.setNotice(''); this.v.status.showNotice(''); }, 6000);
  }

  // ---- URL ----------------------------------------------------------------------------------
  // parsed: parseHash(hash), when it is already done.
  loadHash(hash, push, parsed = null) {
    if (this.v) this.v.anim.stop(true);
    const lang = hashParam(hash, 'lang');
    if (lang !== null && this.opts.mode === 'full' && setLang(lang) !== this.lang) {
      this.lang = getLang();
      document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
      this.build();
    }
    this.store.load(hash, push, parsed);
  }

  // ---- header actions ----------------------------------------------------------------------
  // Switch the language: rebuild every label from the same state, keeping open panels and the
  // image; remember the choice and put it in the URL.
  switchLang(l) {
    setLang(l);
    rememberLang(getLang());
    this.lang = getLang();
    document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
    const { matrix, convt, image } = this.v;
    const keep = { matrix: matrix.details.open, views: convt.details.open, extra: convt.extra.open, tab: convt.tab, image: image.details.open, src: image.src, srcName: image.srcName, channels: image.channels };
    this.build();
    const v = this.v;
    v.matrix.details.open = keep.matrix;
    v.convt.tab = keep.tab;
    v.convt.details.open = keep.views;
    v.convt.extra.open = keep.extra;
    if (keep.src) { v.image.src = keep.src; v.image.srcName = keep.srcName; v.image.channels = keep.channels; }
    v.image.details.open = keep.image;
    this.render();
    this.store.writeHashNow('replace');
    v.langSel?.focus();
  }

  toggleTheme() {
    const html = document.documentElement;
    const dark = html.dataset.theme !== 'dark';
    html.dataset.theme = dark ? 'dark' : 'light';
    try { localStorage.setItem('convplay-theme', html.dataset.theme); } catch { /* file:// may refuse */ }
    this.v.themeBtn.textContent = dark ? t('Light') : t('Dark');
    this.v.tensors.invalidate();
    this.render();
  }

  copyLink() {
    const url = location.href;
    const done = () => this.setNotice(t('Link copied: it reproduces this page exactly.'));
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, () => this.setNotice(t('Copy this link: {u}', { u: url })));
    else this.setNotice(t('Copy this link: {u}', { u: url }));
  }

  // The URL's hash, once at the end of the task, if it is not the state on screen: every
  // `location.hash = ...` fires popstate at once (and hashchange later), so a script setting
  // it 20 times in a row makes one state, the last.
  // A long link (over LONG_HASH characters: 65,536 numbers are 300 kB) is parsed in a task after
  // the next frame, and derived and drawn in the task after the frame after: the URL change, the
  // parse and the first drawing then land in three frames, not in one of 90-130 ms (page
  // benchmark, build-*). document.body.dataset.building is set meanwhile.
  loadHashSoon() {
    if (this.hashQueued) return;
    this.hashQueued = true;
    const current = () => location.hash.slice(1) === this.store.currentHash;
    if (location.hash.length <= LONG_HASH) {
      queueMicrotask(() => { this.hashQueued = false; if (!current()) this.loadHash(location.hash, false); });
      return;
    }
    setBuilding(this, 1);
    const done = () => { this.hashQueued = false; setBuilding(this, 0); };
    nextFrameTask(() => {
      const hash = location.hash;
      if (current()) { done(); return; }
      const parsed = parseHash(hash);
      nextFrameTask(() => {
        done();
        if (location.hash === hash) this.loadHash(hash, false, parsed);
        else if (!current()) this.loadHashSoon(); // it changed again meanwhile
      });
    });
  }

  // Focus the first input grid's active cell (the skip link).
  focusGrids() {
    const g = this.v.tensors.firstGrid();
    if (g) { g.el.scrollIntoView({ block: 'nearest' }); g.focus(); }
  }

  // ---- derive and render -----------------------------------------------------------------------
  // A new state: derive the result (outputs over the one-task budget are computed in bands
  // afterwards, one per task), then draw every view.
  renderDoc() {
    this.stats.computes++;
    const t0 = performance.now();
    this.result = deriveResult(this.cp, this.store.doc);
    this.timings.compute = performance.now() - t0;
    this.render();
    if (this.result.pending) this.computeBands(this.store.gen, this.result);
  }

  // Draws the current result. { image: false } leaves image mode alone (it depends on the
  // state, not on the output: the end of a banded computation does not redo it).
  render({ image = true } = {}) {
    const t0 = performance.now();
    const m = this.model, v = this.v, s = m.state, r = m.result;
    v.controls.sync(s);
    v.tensors.render({ state: s, result: r });
    v.status.render({ result: r, urlMessages: this.store.urlMessages, notice: this.store.notice });
    v.formula.render(s);
    v.grad.render();
    this.renderUi();
    // The teaching panels (matrices, the views of conv_transpose2d, image mode) are conv2d's and
    // conv_transpose2d's; the other ops hide them.
    const twoD = s.op === 'conv2d' || s.op === 'conv_transpose2d';
    const hide = (el, on) => { if (el && el.hidden !== on) el.hidden = on; }; // no attribute write per edit
    hide(v.kernelChips, s.op.endsWith('pool2d')); hide(v.kernelPresetsTitle, s.op.endsWith('pool2d')); // pooling has no weights
    for (const el of [v.matrix.details, v.convt.extra, v.image.details]) hide(el, !twoD);
    if (twoD) {
      v.matrix.render();
      v.convt.render();
      if (image) v.image.render();
    } else hide(v.convt.details, true);
    v.exportBox.render({ state: s, result: r, hash: () => this.store.hash() });
    this.timings.draw = performance.now() - t0;
    v.status.renderTiming(r, this.timings, this.cp.backend);
    r.renderMs = this.timings.draw;
    if (this.opts.onRender) this.opts.onRender(m);
  }

  // What the reader looks at changed: highlights, the explanation and the animation step.
  renderUi() {
    const { state: s, result: r, ui } = this.model;
    const v = this.v;
    const f = ui.anim.active ? deriveAnimFrame(this.cp, s, r, ui.anim.step) : null;
    if (ui.anim.active && !f) this.store.setUi('anim', { active: false }); // nothing left to animate
    if (f) {
      // The frame: outputs (conv2d) or inputs (conv_transpose2d) not reached yet are dimmed;
      // conv_transpose2d's output shows the partial sums so far.
      v.tensors.render({ state: s, result: r, partial: f.partial, partialFrame: f.partialFrame });
      v.tensors.setPending(f.outputFrom, f.inputFrom);
      this.animShown = true;
      const hl = deriveHighlight(s, r, { focus: f.self, highlight: null }, f.partial);
      v.tensors.applyHighlight(hl);
      v.explanation.render(s, r, hl.explain, f.kind === 'input'
        ? ' ' + t('Output values so far: y = {b}the scatter of the first {k} {inputs}.', { b: s.useBias ? 'b + ' : '', k: f.step, inputs: pl(f.step, 'input', 'inputs') }) : '');
      v.anim.render(f);
      return;
    }
    if (this.animShown) {
      this.animShown = false;
      v.tensors.render({ state: s, result: r });
      v.tensors.setPending(Infinity, Infinity);
    }
    const hl = deriveHighlight(s, r, ui);
    v.tensors.applyHighlight(hl);
    v.grad.applyHighlight(hl);
    v.explanation.render(s, r, hl.explain);
    v.anim.render(null);
  }

  // The bands of a result over the one-task budget, one per task; abandoned (and counted) as
  // soon as a newer edit has moved the generation on. The output is drawn when all are done.
  computeBands(gen, r) {
    const s = this.store.doc;
    const [opts, shape] = r.frame ? [r.frame.opts, r.frame.shape] : [options(s), r.shape];
    const geo = bandGeometry(s.op, r.x.shape, r.w.shape, opts, shape);
    const data = new Float32Array(shape[0] * shape[1] * shape[2]);
    let next = 0, ms = 0;
    const step = () => {
      if (gen !== this.store.gen) { this.stats.cancelled++; return; }
      const t0 = performance.now();
      try {
        runBand(this.cp, geo, r.x.data, r.w.data, r.b ? r.b.data : null, r.bands[next], data);
      } catch (e) {
        r.ok = false; r.pending = false; r.error = e && e.message ? e.message : String(e);
        this.v.tensors.invalidate();
        this.render({ image: false });
        return;
      }
      ms += performance.now() - t0;
      next++;
      this.stats.bands++;
      if (next < r.bands.length) {
        this.v.status.renderProgress(r.bands.length, next);
        nextTask(step);
        return;
      }
      finishBands(r, data);
      this.timings.compute += ms;
      this.render({ image: false });
    };
    nextTask(step);
  }
}

