// The header's boxes: "Copy as PyTorch / NumPy" (a self-contained script that prints this
// output) and "Embed" (an iframe or <conv-playground> snippet with the panels chosen). Renders
// from the model; the snippets follow every edit while the box is open.

import { h, clear } from '../dom.js';
import { embedSnippets } from '../url-state.js';
import { pytorchCode, numpyCode } from '../export.js';
import { t } from '../i18n.js';

const PANELS = () => [['grids', t('tensors')], ['formula', t('output size')], ['explain', t('explanation')], ['params', t('parameters')], ['anim', t('animation')], ['views', t('three convT views')], ['matrix', t('matrices')], ['extra', t('round trip')]];

export class ExportBox {
  // notify(msg): shows a notice.
  constructor(notify) {
    this.notify = notify;
    this.el = h('div', { class: 'pybox', hidden: true });
    this.kind = null;
    this.codeTa = null;
    this.embedFill = null;
  }

  close() { this.el.hidden = true; }

  closeBtn() { return h('button', { type: 'button', class: 'btn', onclick: () => this.close() }, t('Close')); }

  // m: { state, result, hash() }: re-fill an open box after an edit.
  render(m) {
    this.m = m;
    if (this.el.hidden) return;
    if (this.kind === 'embed' && this.embedFill) this.embedFill();
    else if (this.codeTa && m.result.ok) this.codeTa.value = this.kind === 'numpy' ? numpyCode(m.state, m.result) : pytorchCode(m.state, m.result);
  }

  toggleEmbed() {
    const box = this.el;
    if (!box.hidden && this.kind === 'embed') { box.hidden = true; return; }
    this.kind = 'embed';
    this.codeTa = null;
    clear(box);
    const chosen = new Set(['grids', 'formula']);
    const iframeTa = h('textarea', { class: 'pycode', readonly: true, rows: 6, 'data-testid': 'embed-iframe', 'aria-label': t('iframe snippet') });
    const compTa = h('textarea', { class: 'pycode', readonly: true, rows: 3, 'data-testid': 'embed-component', 'aria-label': t('web component snippet') });
    this.embedFill = () => {
      const sn = embedSnippets(this.m.hash(), [...chosen], location.href);
      iframeTa.value = sn.iframe;
      compTa.value = sn.component;
    };
    const checks = h('div', { class: 'embed-panels', role: 'group', 'aria-label': t('panels to show') }, PANELS().map(([id, label]) => {
      const cb = h('input', { type: 'checkbox', 'data-testid': `embed-panel-${id}`, checked: chosen.has(id) });
      cb.addEventListener('change', () => { if (cb.checked) chosen.add(id); else chosen.delete(id); this.embedFill(); });
      return h('label', { class: 'check' }, cb, h('span', null, label));
    }));
    const copyBtn = (ta) => h('button', { type: 'button', class: 'btn', onclick: () => { ta.select(); navigator.clipboard?.writeText(ta.value).then(() => this.notify(t('Snippet copied.')), () => {}); } }, t('Copy'));
    box.append(
      h('div', { class: 'pyhead' }, h('b', null, t('Embed this configuration in a page or blog post (works offline: copy dist/ next to the page)')), this.closeBtn()),
      checks,
      h('div', { class: 'pyhead' }, h('b', null, t('An iframe that sizes its height to its content')), copyBtn(iframeTa)), iframeTa,
      h('div', { class: 'pyhead' }, h('b', null, t('A web component: one script, any number of <conv-playground> elements')), copyBtn(compTa)), compTa);
    this.embedFill();
    box.hidden = false;
  }

  toggleCode(kind) {
    const box = this.el;
    if (!box.hidden && this.kind === kind) { box.hidden = true; return; }
    this.kind = kind;
    this.embedFill = null;
    clear(box);
    const { state: s, result: r } = this.m;
    if (!r.ok) {
      this.codeTa = null;
      box.append(h('div', { class: 'pyhead' }, h('b', null, t('No code for an invalid configuration: fix the rule shown above first.')), this.closeBtn()),
        h('textarea', { class: 'pycode', readonly: true, rows: 2, 'data-testid': 'export-code', 'aria-label': t('exported code') }));
      box.hidden = false;
      return;
    }
    const code = kind === 'numpy' ? numpyCode(s, r) : pytorchCode(s, r);
    const lib = kind === 'numpy' ? 'NumPy' : 'PyTorch';
    const ta = h('textarea', { class: 'pycode', readonly: true, rows: Math.min(18, code.split('\n').length + 1), 'aria-label': t('{lib} code for this configuration', { lib }), 'data-testid': 'export-code', 'data-kind': kind });
    ta.value = code;
    this.codeTa = ta;
    const copy = () => {
      ta.select();
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(ta.value).then(() => this.notify(t('Code copied: paste it into Python; it prints the numbers on this page.')), () => this.notify(t('Select the code and copy it (the clipboard is not available here).')));
    };
    box.append(h('div', { class: 'pyhead' }, h('b', null, t('The same computation in {lib}: a self-contained script that prints this output', { lib })),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'export-copy', onclick: copy }, t('Copy')), this.closeBtn()), ta);
    box.hidden = false;
    ta.focus();
    copy();
  }
}
