// The step-through animation's bar: start, play / pause, step back and forward, a slider and the
// speed. The step lives in the UI state (ui.anim); the frame it shows is derived by
// anim-model.js and drawn by the tensors and explanation views. Only the timer is this view's.

import { h, clear } from '../dom.js';
import { animTotal } from '../anim-model.js';
import { t } from '../i18n.js';

const SPEEDS = [0.5, 1, 2, 4, 8, 16];
// A reader who asked for reduced motion gets the first step, paused: the step buttons and the
// slider move it (WCAG 2.3.3); everyone else gets it playing, with a Pause button.
const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export class Animator {
  // ctx: { model, setUi, notify }
  constructor(ctx) {
    this.ctx = ctx;
    this.bar = h('div', { class: 'anim', role: 'toolbar', 'aria-label': t('animation') });
    this.shown = false; // the bar shows the running controls
    this.playing = false;
    this.speed = 2;
    this.timer = null;
    this.startBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'anim-start', onclick: () => this.start() }, t('▶ Animate the computation'));
    this.playBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'anim-play', onclick: () => (this.playing ? this.pause() : this.play()) }, t('Pause'));
    this.backBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'anim-back', 'aria-label': t('step back'), onclick: () => { this.pause(); this.go(this.step() - 1); } }, t('◀ step'));
    this.fwdBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'anim-forward', 'aria-label': t('step forward'), onclick: () => { this.pause(); this.go(this.step() + 1); } }, t('step ▶'));
    this.range = h('input', { type: 'range', min: '1', max: '1', value: '1', 'data-testid': 'anim-scrub', 'aria-label': t('animation position') });
    this.range.addEventListener('input', () => { this.pause(); this.go(Number(this.range.value)); });
    this.label = h('span', { class: 'anim-label', 'aria-live': 'off' });
    this.speedSel = h('select', { 'aria-label': t('animation speed'), 'data-testid': 'anim-speed' }, SPEEDS.map((v) => h('option', { value: v }, `${v}/s`)));
    this.speedSel.value = String(this.speed);
    this.speedSel.addEventListener('change', () => { this.speed = Number(this.speedSel.value); if (this.playing) { this.pause(); this.play(); } });
    this.doneBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'anim-stop', onclick: () => this.stop() }, t('✕ Done'));
    this.renderBar(false);
  }

  get active() { return this.ctx.model.ui.anim.active; }
  step() { return this.ctx.model.ui.anim.step; }
  total() { const m = this.ctx.model; return animTotal(m.state, m.result); }

  renderBar(active) {
    this.shown = active;
    clear(this.bar);
    if (!active) {
      const s = this.ctx.model.state;
      this.bar.append(this.startBtn, h('span', { class: 'muted small' }, s && s.op.startsWith('conv_transpose')
        ? ' ' + t('step through the input positions as they scatter into the output')
        : ' ' + t('step through the output positions one by one')));
      return;
    }
    this.bar.append(this.backBtn, this.playBtn, this.fwdBtn, this.range, this.label, this.speedSel, this.doneBtn);
  }

  start() {
    if (this.total() === 0) {
      const r = this.ctx.model.result;
      this.ctx.notify(r.ok ? t('Nothing to animate: the output is too large to draw.') : t('Nothing to animate: the configuration is invalid.'));
      return;
    }
    this.ctx.setUi('anim', { active: true, step: 1 });
    if (reducedMotion()) this.pause(); else this.play();
  }

  play() {
    if (!this.active) return;
    if (this.step() >= this.total()) this.go(1);
    this.playing = true;
    this.playBtn.textContent = t('Pause');
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (!this.active || this.step() >= this.total()) { this.pause(); return; }
      this.go(this.step() + 1);
    }, 1000 / this.speed);
  }

  pause() {
    this.playing = false;
    clearInterval(this.timer);
    this.playBtn.textContent = t('Play');
  }

  // silent: the state is being replaced (a link): the store resets the step itself.
  stop(silent) {
    this.pause();
    if (!silent && this.active) this.ctx.setUi('anim', { active: false });
    if (silent && this.shown) this.renderBar(false);
  }

  go(k) {
    const total = this.total();
    if (total === 0) { this.stop(); return; }
    this.ctx.setUi('anim', { step: Math.max(1, Math.min(total, k)) });
  }

  // f: the frame (anim-model.js) while animating, null otherwise.
  render(f) {
    if (!f) {
      if (this.shown) { this.pause(); this.renderBar(false); }
      return;
    }
    if (!this.shown) this.renderBar(true);
    this.range.max = String(f.total);
    this.range.value = String(f.step);
    const q = f.self;
    this.label.textContent = f.kind === 'output'
      ? t('output {k} of {n}: {y}', { k: f.step, n: f.total, y: `y[${q.c}, ${q.h}, ${q.w}]` })
      : t('input {k} of {n}: {x}', { k: f.step, n: f.total, x: `x[${q.c}, ${q.h}, ${q.w}]` });
  }
}
