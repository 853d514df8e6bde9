// A lesson step's question (learn.html): the prompt, the learner's answer (a typed shape or
// value, cells picked in the step's grids, or a choice), Check with feedback at once, a hint that
// points at the view that explains it, and Reveal with the worked solution. Presentational: the
// step view (lesson-step.js) judges the answer against the live state.
//
// handlers: { check(response) -> { correct, message, answer }, reveal() -> [lines],
//             hint() -> name of the view the hint points at (and lights it), picked() -> [names] }

import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { pick, paragraphs } from '../lesson-text.js';

const INPUT_LABEL = { 'output-size': 'Your answer (N×C×H×W)', value: 'Your answer (a number)' };

export class QuestionView {
  constructor(q, handlers) {
    this.q = q;
    this.handlers = handlers;
    this.choice = null;
    this.feedback = h('p', { class: 'feedback', 'data-testid': 'feedback', role: 'status', 'aria-live': 'polite', hidden: true });
    this.hintEl = h('div', { class: 'hint-box', 'data-testid': 'hint', hidden: true });
    this.solution = h('div', { class: 'solution', 'data-testid': 'solution', hidden: true });
    const id = `answer-${Math.random().toString(36).slice(2, 8)}`;
    let field;
    if (q.kind === 'output-size' || q.kind === 'value') {
      this.input = h('input', { id, type: 'text', class: 'answer-input', 'data-testid': 'answer', autocomplete: 'off', spellcheck: 'false',
        inputmode: q.kind === 'value' ? 'decimal' : 'text' });
      this.input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); this.check(); } });
      field = h('div', { class: 'answer-row' }, h('label', { for: id }, t(INPUT_LABEL[q.kind])), this.input);
    } else if (q.kind === 'cells') {
      this.pickedEl = h('output', { class: 'picked', 'data-testid': 'picked', 'aria-live': 'polite' });
      field = h('div', { class: 'answer-row' }, h('p', { class: 'muted' }, t('Click the input cells in the grid above (or focus one and press Space); click again to unselect.')), h('p', null, t('Selected:'), ' ', this.pickedEl));
      this.updatePicked([]);
    } else {
      this.choiceBtns = q.choices.map((c, i) => h('button', { type: 'button', class: 'btn choice', 'data-testid': 'choice', 'data-index': i, 'aria-pressed': 'false', onclick: () => this.choose(i) }, pick(c)));
      field = h('div', { class: 'choices', role: 'group', 'aria-label': t('Choices') }, this.choiceBtns);
    }
    this.el = h('section', { class: 'question', 'data-testid': 'question', 'data-kind': q.kind, 'aria-label': t('Question') },
      h('h3', null, t('Predict first')), h('div', { class: 'prompt' }, paragraphs(q.prompt)), field,
      h('div', { class: 'q-actions' },
        h('button', { type: 'button', class: 'btn primary', 'data-testid': 'check', onclick: () => this.check() }, t('Check')),
        h('button', { type: 'button', class: 'btn', 'data-testid': 'hint-button', onclick: () => this.hint() }, t('Hint')),
        h('button', { type: 'button', class: 'btn', 'data-testid': 'reveal', onclick: () => this.reveal() }, t('Reveal the answer'))),
      this.feedback, this.hintEl, this.solution);
  }

  choose(i) {
    this.choice = i;
    this.choiceBtns.forEach((b, k) => b.setAttribute('aria-pressed', String(k === i)));
    this.check();
  }

  updatePicked(names) {
    if (!this.pickedEl) return;
    this.pickedEl.textContent = names.length ? names.map((n) => n.replace(/^input-cell:(\d+),(\d+),(\d+)$/, 'x[$1, $2, $3]')).join(', ') : t('none yet');
  }

  response() {
    if (this.input) return this.input.value;
    if (this.q.kind === 'cells') return this.handlers.picked();
    return this.choice;
  }

  check() {
    const res = this.handlers.check(this.response());
    this.feedback.hidden = false;
    clear(this.feedback);
    if (res.message) {
      this.feedback.dataset.correct = '0';
      this.feedback.append(res.message);
    } else if (res.correct) {
      this.feedback.dataset.correct = '1';
      this.feedback.append(h('b', null, t('Right.')), ' ', t('The answer is {a}: the page now shows it.', { a: res.answer }));
    } else {
      this.feedback.dataset.correct = '0';
      this.feedback.append(h('b', null, t('Not quite.')), ' ', t('Try again, ask for a hint, or reveal the answer.'));
    }
    if (this.input) this.input.setAttribute('aria-invalid', String(!res.correct));
    return res;
  }

  hint() {
    const view = this.handlers.hint();
    clear(this.hintEl);
    this.hintEl.hidden = false;
    if (this.q.hint) this.hintEl.append(...paragraphs(this.q.hint));
    if (view) this.hintEl.append(h('p', { class: 'muted' }, t('Look at {v}: it is outlined above.', { v: view })));
  }

  reveal() {
    const lines = this.handlers.reveal();
    clear(this.solution);
    this.solution.hidden = false;
    this.solution.append(h('h4', null, t('Worked answer')), ...lines.map((l) => h('p', null, l)));
    if (this.q.hint) this.solution.append(...paragraphs(this.q.hint));
  }
}
