// One step of a lesson (learn.html): its text, the live playground views with the step's state
// (the real views, editable), the highlights that say where to look, the question and the
// step's link and embed snippet. While a question is open the page keeps back what would give
// the answer away (the output's shape or the asked cell's value, the sum, the highlights of a
// cells question); a right answer or Reveal shows everything. Answers are judged against the
// live state, so a learner who edits the grids is judged on the grids as they are.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { hashParam } from '../url-state.js';
import { pick, paragraphs } from '../lesson-text.js';
import { display } from '../numfmt.js';
import { computeAnswer, checkResponse, answerText, solutionLines, parseCellName, cellName, coord } from '../lesson-answers.js';
import { deriveGrad } from '../grad-model.js';
import { QuestionView } from './lesson-question.js';
import { figureTools } from '../figure-export.js';

const DEFAULT_PANELS = ['grids', 'formula', 'explain'];
const selectorOf = (r) => `[data-testid="${r.testid}"][data-c="${r.c}"][data-h="${r.h}"][data-w="${r.w}"]`;

// The state's hash without the page keys (panels, lang): what the playground loads and links.
export const stateOnly = (hash) => hash.split('&').filter((kv) => !/^(panels|lang)=/.test(kv)).join('&');

export class StepView {
  // live: { app (the Playground), root (its element) }; lesson: validated (lesson-format.js);
  // nav: { prev(), next(), done(index), reset() }; links: { step: URL, embed: snippet text }
  constructor(live, lesson, index, nav, links) {
    this.live = live;
    this.lesson = lesson;
    this.index = index;
    this.step = lesson.steps[index];
    this.q = this.step.question;
    this.nav = nav;
    this.open = !!this.q;
    this.picks = new Set();
    this.focusCell = null;
    const n = lesson.steps.length;
    this.question = this.q ? new QuestionView(this.q, {
      check: (resp) => this.check(resp), reveal: () => this.reveal(), hint: () => this.hint(), picked: () => [...this.picks],
    }) : null;
    this.exportSlot = h('div', { class: 'export-slot', 'data-export-for': 'lesson-step' });
    const embedId = `embed-${index}`;
    this.el = h('article', { class: 'lesson-step', 'data-testid': 'lesson-step', 'data-step': index + 1, 'aria-labelledby': `step-title-${index}` },
      h('p', { class: 'crumb' }, pick(lesson.title), ' · ', t('step {k} of {n}', { k: index + 1, n })),
      h('h2', { id: `step-title-${index}` }, pick(this.step.title)),
      h('div', { class: 'step-text' }, paragraphs(this.step.text)),
      live.root,
      this.question ? this.question.el : null,
      h('nav', { class: 'step-nav', 'aria-label': t('steps'), 'data-figure-skip': '' },
        h('button', { type: 'button', class: 'btn', 'data-testid': 'prev-step', disabled: index === 0, onclick: () => nav.prev() }, t('← Previous step')),
        h('span', { class: 'step-count' }, `${index + 1} / ${n}`),
        h('button', { type: 'button', class: 'btn primary', 'data-testid': 'next-step', onclick: () => nav.next() }, index + 1 < n ? t('Next step →') : t('Back to the lessons'))),
      h('div', { class: 'step-tools', 'data-figure-skip': '' },
        h('button', { type: 'button', class: 'btn', 'data-testid': 'reset-step', onclick: () => this.show() }, t('Reset the grids')),
        links.step ? h('a', { class: 'step-link', href: links.step, 'data-testid': 'step-link' }, t('Link to this step')) : null,
        h('details', { class: 'embed-step' }, h('summary', null, t('Embed this step')),
          h('label', { for: embedId }, t('Paste this into a web page next to learn.html:')),
          h('textarea', { id: embedId, readonly: true, rows: 3, 'data-testid': 'step-embed' }, links.embed)),
        this.exportSlot));
    // The whole step as a figure for slides: its text, the live views as they are, the question
    // (the navigation and these tools are left out).
    this.exportSlot.append(figureTools(this.el, { name: `${lesson.id}-step-${index + 1}`, what: t('this step'), notify: nav.notify || (() => {}) }));
  }

  // Loads the step's state into the playground and marks what to look at.
  show() {
    const { app } = this.live;
    const hash = this.step.hash;
    const panels = hashParam(hash, 'panels');
    app.opts.panels = panels ? panels.split(',').map((x) => x.trim()).filter(Boolean) : DEFAULT_PANELS;
    app.opts.link = `index.html#${stateOnly(hash)}`;
    app.build();
    app.loadHash(stateOnly(hash), false);
    // The teaching views (matrices, the three views, the round trip) often show the answer: while
    // a question is open they start closed (a click opens them); answered, they open.
    this.openViews(!this.open);
    this.picks.clear();
    this.live.root.classList.remove('hint-shown');
    if (this.question) this.question.updatePicked([]);
    this.setPredict();
    this.rest();
  }

  setPredict() {
    const root = this.live.root, cl = root.classList;
    for (const k of ['output-size', 'value', 'cells']) cl.toggle(`predict-${k}`, this.open && this.q?.kind === k);
    cl.toggle('predicting', this.open && !!this.q);
    this.placeNote();
  }

  // While the output (or the sum) is kept back, a note in its place says why.
  placeNote() {
    const root = this.live.root;
    const kind = this.open ? this.q?.kind : null;
    const notes = [
      // (A dL/dx cell is asked in the gradient panel: the output is not kept back.)
      ['.output-panel', kind === 'output-size' ? t('The output is hidden until you answer.') : kind === 'value' && this.q.cell.testid === 'output-cell' ? t('The asked cell is hidden until you answer.') : ''],
      ['.explain-panel', kind && kind !== 'choice' ? t('The sum is written out here once you answer.') : ''],
      ['.formula-panel', kind === 'output-size' && !root.classList.contains('hint-shown') ? t('The formula appears with the hint, or once you answer.') : ''],
    ];
    for (const [sel, text] of notes) {
      const panel = root.querySelector(sel);
      let note = panel?.querySelector('.predict-note');
      if (!panel || !text) { note?.remove(); continue; }
      if (!note) panel.append(note = h('p', { class: 'predict-note muted' }));
      note.textContent = text;
    }
  }

  // The highlights at rest: the step's own, or after an answer the asked cell with its sum.
  rest() {
    const link = this.live.app.link;
    link.clear();
    if (this.focusCell) link.focus(this.focusCell);
    for (const ref of this.step.highlight) link.mark(ref);
  }

  // After each render of the playground: the asked cell and the picked cells are marked.
  afterRender() {
    const root = this.live.root;
    this.placeNote();
    for (const el of root.querySelectorAll('[data-asked], [data-picked]')) { el.removeAttribute('data-asked'); el.removeAttribute('data-picked'); el.removeAttribute('aria-selected'); }
    const asked = this.q?.cell ? root.querySelector(selectorOf(this.q.cell)) : null;
    if (asked) {
      asked.setAttribute('data-asked', '1');
      // A value question keeps its cell back as "?" (text and label: a screen reader hears the
      // label); answered, the cell shows its value again.
      const hide = this.open && this.q.kind === 'value';
      const text = hide ? '?' : display(Number(asked.dataset.value));
      if (asked.firstChild && asked.firstChild.nodeType === 3) asked.firstChild.data = text; else asked.textContent = text;
      asked.setAttribute('aria-label', `${coord(this.q.cell)} = ${text}`);
    }
    for (const n of this.picks) {
      const el = root.querySelector(selectorOf(parseCellName(n)));
      if (el) { el.dataset.picked = '1'; el.setAttribute('aria-selected', 'true'); }
    }
  }

  // A click (or Space) on an input cell while a cells question is open: pick or unpick it.
  togglePick(el) {
    if (!this.open || this.q?.kind !== 'cells') return false;
    const name = cellName({ testid: 'input-cell', c: Number(el.dataset.c), h: Number(el.dataset.h), w: Number(el.dataset.w) });
    if (this.picks.has(name)) this.picks.delete(name); else this.picks.add(name);
    this.afterRender();
    this.question.updatePicked([...this.picks]);
    return true;
  }

  // The answer for the grids as they are now (the learner may have edited them).
  liveAnswer() {
    const { state: s, result: r } = this.live.app.model;
    if (this.q.kind === 'choice') return { answer: this.q.answer, text: pick(this.q.choices[this.q.answer]) };
    if (!r.ok || r.pending || !r.y) return { error: t('The grids hold a configuration with no output now: press “Reset the grids”.') };
    // A gradient cell (dL/dx) is answered from the backward pass of the grids as they are.
    const grad = this.q.cell?.testid === 'grad-input-cell' ? deriveGrad(this.live.app.cp, { ...s, grad: true }, r) : null;
    if (grad && grad.status !== 'ok') return { error: t('The grids hold a configuration with no output now: press “Reset the grids”.') };
    if (this.q.cell) {
      const [K, OH, OW] = grad ? [s.C, s.H, s.W] : r.shape;
      if (this.q.cell.c >= K || this.q.cell.h >= OH || this.q.cell.w >= OW) return { error: t('The output no longer has the cell this question asks about: press “Reset the grids”.') };
    }
    const answer = computeAnswer(s, r, this.q, grad);
    return { answer, text: answerText(this.q.kind, answer), grad };
  }

  check(response) {
    const a = this.liveAnswer();
    if (a.error) return { correct: false, message: a.error };
    const res = checkResponse(this.q.kind, response, a.answer);
    if (res.correct) this.resolve();
    return { ...res, answer: a.text };
  }

  reveal() {
    const a = this.liveAnswer();
    if (a.error) return [a.error];
    const { state: s, result: r } = this.live.app.model;
    this.resolve();
    return solutionLines(s, r, this.q, a.text, a.grad);
  }

  // The gradient panel is part of the state (grad=1): the step's state says whether it is open.
  openViews(open) { for (const d of this.live.root.querySelectorAll('details:not(.grad-panel)')) d.open = open; }

  // Answered or revealed: the page shows everything, the asked cell lights its sum.
  resolve() {
    if (this.open) this.openViews(true);
    this.open = false;
    this.setPredict();
    this.afterRender(); // the asked cell's value comes back
    if (this.q.cell) this.focusCell = this.q.cell;
    this.rest();
    this.nav.done(this.index);
  }

  // The hint points at a view: outlines it and scrolls it into sight; returns its name.
  hint() {
    const root = this.live.root;
    for (const el of root.querySelectorAll('.hint-target')) el.classList.remove('hint-target');
    let [sel, name] = {
      'output-size': ['.formula', t('the formula panel')],
      value: ['.weight-panel', t('the kernel (weights) grid')],
      cells: ['.weight-panel', t('the kernel (weights) grid')],
      choice: ['.input-panel', t('the input grid')],
    }[this.q.kind];
    // A dL/dx cell is explained by the gradient panel (its badge and its sums).
    if (this.q.cell?.testid === 'grad-input-cell' && root.querySelector('.grad-panel')) [sel, name] = ['.grad-panel', t('the gradient view')];
    const el = root.querySelector(sel) || root.querySelector('.input-panel');
    if (!el) return null;
    const target = el.closest('.panel') || el;
    target.classList.add('hint-target');
    root.classList.add('hint-shown');
    this.placeNote();
    target.scrollIntoView({ block: 'nearest' });
    return name;
  }
}
