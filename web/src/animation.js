// Step-through animation. conv2d: one output position per step (outputs not yet reached are
// dimmed). conv_transpose2d: one input position per step, scattering into the output; the
// partial sums shown are the API's conv_transpose2d of the input with later positions zeroed.

import { h, clear } from './dom.js';
import { options } from './state.js';
import { drawable } from './budget.js';
import { t, pl } from './i18n.js';

const SPEEDS = [0.5, 1, 2, 4, 8, 16];
// A reader who asked for reduced motion gets the first step, paused: the step buttons and the
// slider move it (WCAG 2.3.3); everyone else gets it playing, with a Pause button.
const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export class Animator {
  constructor(app, bar) {
    this.app = app;
    this.bar = bar;
    this.active = false;
    this.playing = false;
    this.step = 1;
    this.speed = 2;
    this.timer = null;
    this.startBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'anim-start', onclick: () => this.start() }, t('▶ Animate the computation'));
    this.playBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'anim-play', onclick: () => (this.playing ? this.pause() : this.play()) }, t('Pause'));
    this.backBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'anim-back', 'aria-label': t('step back'), onclick: () => { this.pause(); this.go(this.step - 1); } }, t('◀ step'));
    this.fwdBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'anim-forward', 'aria-label': t('step forward'), onclick: () => { this.pause(); this.go(this.step + 1); } }, t('step ▶'));
    this.range = h('input', { type: 'range', min: '1', max: '1', value: '1', 'data-testid': 'anim-scrub', 'aria-label': t('animation position') });
    this.range.addEventListener('input', () => { this.pause(); this.go(Number(this.range.value)); });
    this.label = h('span', { class: 'anim-label', 'aria-live': 'off' });
    this.speedSel = h('select', { 'aria-label': t('animation speed'), 'data-testid': 'anim-speed' }, SPEEDS.map((v) => h('option', { value: v }, `${v}/s`)));
    this.speedSel.value = String(this.speed);
    this.speedSel.addEventListener('change', () => { this.speed = Number(this.speedSel.value); if (this.playing) { this.pause(); this.play(); } });
    this.doneBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'anim-stop', onclick: () => this.stop() }, t('✕ Done'));
    this.renderBar();
  }

  // Steps of the animation; 0 when there is nothing to animate (invalid, still being computed,
  // or too large to draw: every step recomputes and redraws the output).
  total() {
    const s = this.app.state, r = this.app.result;
    if (!r.ok || r.pending || !drawable(r.shape)) return 0;
    return s.op === 'conv2d' ? r.shape[0] * r.shape[1] * r.shape[2] : s.C * s.H * s.W;
  }

  renderBar() {
    clear(this.bar);
    if (!this.active) {
      this.bar.append(this.startBtn, h('span', { class: 'muted small' }, this.app.state && this.app.state.op === 'conv_transpose2d'
        ? ' ' + t('step through the input positions as they scatter into the output')
        : ' ' + t('step through the output positions one by one')));
      return;
    }
    this.bar.append(this.backBtn, this.playBtn, this.fwdBtn, this.range, this.label, this.speedSel, this.doneBtn);
  }

  start() {
    if (this.total() === 0) {
      const r = this.app.result;
      this.app.setNotice(r.ok ? t('Nothing to animate: the output is too large to draw.') : t('Nothing to animate: the configuration is invalid.'));
      return;
    }
    this.active = true;
    this.step = 1;
    this.renderBar();
    this.go(1);
    if (reducedMotion()) this.pause(); else this.play();
  }

  play() {
    if (!this.active) return;
    if (this.step >= this.total()) this.go(1);
    this.playing = true;
    this.playBtn.textContent = t('Pause');
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.step >= this.total()) { this.pause(); return; }
      this.go(this.step + 1);
    }, 1000 / this.speed);
  }

  pause() {
    this.playing = false;
    clearInterval(this.timer);
    this.playBtn.textContent = t('Play');
  }

  stop(silent) {
    this.pause();
    if (!this.active) return;
    this.active = false;
    this.renderBar();
    if (silent) return;
    const app = this.app;
    for (const g of [...(app.outputGrids || []), ...(app.inputGrids || [])]) g.setPending(Infinity);
    app.updateValues();
    app.unhover();
  }

  go(k) {
    const total = this.total();
    if (total === 0) { this.stop(); return; }
    this.step = Math.max(1, Math.min(total, k));
    this.refresh();
  }

  // Show the current step (also after edits and when the pointer leaves the grids).
  refresh() {
    const app = this.app, s = app.state, r = app.result;
    const total = this.total();
    if (total === 0) { this.stop(true); app.unhover(); return; }
    if (this.step > total) this.step = total;
    this.range.max = String(total);
    this.range.value = String(this.step);
    const k = this.step;
    app.clearHighlights();
    const [K, OH, OW] = r.shape;
    if (s.op === 'conv2d') {
      const n = OH * OW;
      app.outputGrids.forEach((g, o) => g.setPending(Math.max(0, Math.min(n, k - o * n))));
      const idx = k - 1, o = Math.floor(idx / n), oh = Math.floor((idx % n) / OW), ow = idx % OW;
      const cell = app.outputGrids[o]?.cell(oh, ow);
      if (cell) app.markSelf(cell);
      clear(app.explainEl);
      app.showOutput(o, oh, ow);
      this.label.textContent = t('output {k} of {n}: {y}', { k, n: total, y: `y[${o}, ${oh}, ${ow}]` });
    } else {
      const HW = s.H * s.W;
      const x = r.x.data.slice();
      x.fill(0, k);
      const masked = { shape: r.x.shape, data: x };
      const opts = options(s);
      const partial = app.cp.convTranspose2d(masked, r.w, r.b, opts);
      app.updateValues(partial, r.yFrame ? app.cp.convTranspose2d(masked, r.w, r.b, r.frame.opts) : null);
      app.inputGrids.forEach((g, c) => g.setPending(Math.max(0, Math.min(HW, k - c * HW))));
      const idx = k - 1, c = Math.floor(idx / HW), ih = Math.floor((idx % HW) / s.W), iw = idx % s.W;
      const cell = app.inputGrids[c]?.cell(ih, iw);
      if (cell) app.markSelf(cell);
      clear(app.explainEl);
      app.showInput(c, ih, iw, ' ' + t('Output values so far: y = {b}the scatter of the first {k} {inputs}.', { b: s.useBias ? 'b + ' : '', k, inputs: pl(k, 'input', 'inputs') }));
      this.label.textContent = t('input {k} of {n}: {x}', { k, n: total, x: `x[${c}, ${ih}, ${iw}]` });
    }
    void K;
  }
}
