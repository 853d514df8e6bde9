// The status bar (output shape, timing), the error box (the broken rule, a link that could not
// be read) and the notice line. Renders the model; holds nothing else.

import { h, clear } from '../dom.js';
import { t } from '../i18n.js';

export class StatusView {
  constructor() {
    this.shapeEl = h('strong', { 'data-testid': 'output-shape' });
    this.timingEl = h('span', { 'data-testid': 'timing', class: 'muted' });
    this.errorEl = h('div', { class: 'error', 'data-testid': 'error', role: 'alert', 'aria-live': 'assertive' });
    this.noticeEl = h('div', { class: 'notice', 'data-testid': 'notice', role: 'status', 'aria-live': 'polite' });
    this.bar = h('div', { class: 'statusbar' }, h('span', null, t('output shape'), ' ', this.shapeEl), this.timingEl);
  }

  // m: { result, urlMessages, notice }
  render({ result: r, urlMessages, notice }) {
    this.shapeEl.textContent = r.ok ? `1×${(r.coreShape || r.shape).join('×')}` : '—';
    clear(this.errorEl);
    const msgs = [];
    if (!r.ok) msgs.push(h('p', { class: 'err-main' }, h('b', null, t('Invalid configuration. ')), r.error));
    if (urlMessages.length) {
      msgs.push(h('div', { class: 'err-url', 'data-testid': 'url-error' }, h('b', null, t('This link could not be read completely; defaults were used for the broken parts.')),
        h('ul', null, urlMessages.map((m) => h('li', null, m)))));
    }
    this.errorEl.append(...msgs);
    this.errorEl.hidden = msgs.length === 0;
    this.showNotice(notice);
  }

  showNotice(msg) {
    this.noticeEl.textContent = msg;
    this.noticeEl.hidden = !msg;
  }

  // timings: { compute, draw } in ms; backend: the core's name.
  renderTiming(r, timings, backend) {
    this.timingEl.textContent = r.pending ? t('computing the output in {n} parts: {k} done', { n: r.bands.length, k: 0 })
      : t('computed in {c} ms · drawn in {d} ms · {b}', { c: timings.compute.toFixed(2), d: timings.draw.toFixed(1), b: backend })
        + (r.bands ? ' · ' + t('{n} parts', { n: r.bands.length }) : '');
  }

  renderProgress(n, k) {
    this.timingEl.textContent = t('computing the output in {n} parts: {k} done', { n, k });
  }
}
