// The lesson file format, convplay-lesson/1 (README, "Lessons"): a pure validator, no DOM.
//
//   validateLesson(cp, json) -> { ok, errors: [message], lesson }
//
// Every field is checked; each message names the field's path and the rule it breaks
// ("steps[2].question.kind: must be one of output-size, value, cells, choice"). A step's `state`
// is read with the page's own parseHash (its messages are errors here: a lesson must not start
// from a half-read link) and computed with the core (an invalid configuration is an error too:
// no step may open on an error). Cell names are checked against the state's shapes. When a
// question's `answer` is omitted it is computed with the core (lesson-answers.js); when it is
// given it must agree with the core, so a teacher cannot publish a wrong answer.

import { parseHash } from './url-state.js';
import { deriveResult } from './model.js';
import { deriveGrad } from './grad-model.js';
import { computeAnswer, sameAnswer, parseCellName, answerText } from './lesson-answers.js';

export const FORMAT = 'convplay-lesson/1';
export const KINDS = ['output-size', 'value', 'cells', 'choice'];
export const LESSON_OPS = ['conv2d', 'conv_transpose2d', 'conv1d'];
const HIGHLIGHT_KINDS = ['input-cell', 'output-cell', 'grad-input-cell', 'grad-output-cell'];
const MAX_STEPS = 50, MAX_TEXT = 4000, MAX_CHOICES = 8;
const ID_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;
// N×C×H×W, or N×C×L for conv1d.
const SIZE_RE = /^\s*\d+(\s*[x×]\s*\d+){2,3}\s*$/;

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

function unknownKeys(obj, allowed, path, err) {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) err(`${path}${path ? '.' : ''}${k}`, `is not a field of ${path || 'a lesson'} (allowed: ${allowed.join(', ')})`);
}

// A text in two languages: { en: required, zh: optional }.
function checkText(v, path, err) {
  if (!isObj(v)) { err(path, `must be an object { "en": "...", "zh": "..." }, not ${typeName(v)}`); return; }
  unknownKeys(v, ['en', 'zh'], path, err);
  if (typeof v.en !== 'string' || v.en.trim() === '') err(`${path}.en`, 'is required: a non-empty string');
  else if (v.en.length > MAX_TEXT) err(`${path}.en`, `is ${v.en.length} characters: at most ${MAX_TEXT}`);
  if ('zh' in v) {
    if (typeof v.zh !== 'string' || v.zh.trim() === '') err(`${path}.zh`, 'must be a non-empty string when present');
    else if (v.zh.length > MAX_TEXT) err(`${path}.zh`, `is ${v.zh.length} characters: at most ${MAX_TEXT}`);
  }
}

// A cell name "output-cell:c,h,w" or "input-cell:c,h,w" inside the step's tensors (conv1d: h is
// 0); the gradient panel's "grad-input-cell:c,h,w" (dL/dx, x's shape) and "grad-output-cell:c,h,w"
// (grad_output, y's shape) in states with grad=1.
export function checkCell(name, path, err, shapes, kinds = ['input-cell', 'output-cell']) {
  const ref = typeof name === 'string' ? parseCellName(name) : null;
  if (!ref || !kinds.includes(ref.testid)) {
    err(path, `${JSON.stringify(name)} must name a cell as ${kinds.map((k) => `"${k}:c,h,w"`).join(' or ')}`);
    return null;
  }
  if (ref.testid.startsWith('grad-') && !shapes.grad) {
    err(path, `"${name}" names a gradient cell: the state must open the gradient panel (grad=1, conv2d or conv_transpose2d)`);
    return null;
  }
  const onX = ref.testid === 'input-cell' || ref.testid === 'grad-input-cell';
  const shape = onX ? shapes.x : shapes.y;
  const what = { 'input-cell': 'input', 'output-cell': 'output', 'grad-input-cell': 'input (dL/dx)', 'grad-output-cell': 'output (grad_output)' }[ref.testid];
  if (ref.c >= shape[0] || ref.h >= shape[1] || ref.w >= shape[2]) {
    err(path, `"${name}" is outside the ${what}, which is ${shape.join('×')} (c, h, w count from 0)`);
    return null;
  }
  return ref;
}

function checkQuestion(cp, q, path, err, step) {
  if (!isObj(q)) { err(path, `must be an object, not ${typeName(q)}`); return null; }
  unknownKeys(q, ['kind', 'prompt', 'cell', 'answer', 'choices', 'hint'], path, err);
  if (!KINDS.includes(q.kind)) { err(`${path}.kind`, `must be one of ${KINDS.join(', ')}`); return null; }
  checkText(q.prompt, `${path}.prompt`, err);
  if ('hint' in q) checkText(q.hint, `${path}.hint`, err);
  const needsCell = q.kind === 'value' || q.kind === 'cells';
  let cell = null;
  if (needsCell) {
    const kinds = q.kind === 'value' ? ['output-cell', 'grad-input-cell'] : ['output-cell'];
    if (!('cell' in q)) err(`${path}.cell`, `is required for a ${q.kind} question: the output cell it asks about ("output-cell:c,h,w")`);
    else if (step.shapes) cell = checkCell(q.cell, `${path}.cell`, err, step.shapes, kinds);
  } else if ('cell' in q) err(`${path}.cell`, `belongs to value and cells questions only, not ${q.kind}`);
  if (q.kind === 'choice') {
    if (!Array.isArray(q.choices) || q.choices.length < 2 || q.choices.length > MAX_CHOICES) {
      err(`${path}.choices`, `is required for a choice question: an array of 2 to ${MAX_CHOICES} texts`);
    } else q.choices.forEach((c, i) => checkText(c, `${path}.choices[${i}]`, err));
    const n = Array.isArray(q.choices) ? q.choices.length : 0;
    if (!Number.isInteger(q.answer) || q.answer < 0 || (n && q.answer >= n)) err(`${path}.answer`, `is required for a choice question: the index of the right choice, an integer from 0 to ${Math.max(0, n - 1)}`);
    return { kind: q.kind, answer: q.answer };
  }
  if ('choices' in q) err(`${path}.choices`, `belongs to choice questions only, not ${q.kind}`);
  // The answer, as given and as the core computes it from the state.
  if ('answer' in q) {
    const a = q.answer;
    if (q.kind === 'output-size' && !(typeof a === 'string' && SIZE_RE.test(a))) err(`${path}.answer`, 'must be a shape "N×C×H×W" such as "1x1x2x2" (conv1d: "N×C×L" such as "1x1x5")');
    else if (q.kind === 'value' && !(typeof a === 'number' && Number.isFinite(a))) err(`${path}.answer`, 'must be a finite number');
    else if (q.kind === 'cells' && !(Array.isArray(a) && a.length > 0)) err(`${path}.answer`, 'must be a non-empty array of input cell names ["input-cell:c,h,w", ...]');
    else if (q.kind === 'cells' && step.shapes) a.forEach((name, i) => checkCell(name, `${path}.answer[${i}]`, err, step.shapes, ['input-cell']));
  }
  if (!step.result || (needsCell && !cell)) return null;
  const computed = computeAnswer(step.state, step.result, { kind: q.kind, cell }, step.grad);
  if ('answer' in q && !sameAnswer(q.kind, q.answer, computed)) {
    err(`${path}.answer`, `${JSON.stringify(q.answer)} is not what the core computes for this state (${answerText(q.kind, computed)}); leave "answer" out to have it computed`);
  }
  return { kind: q.kind, cell, answer: computed };
}

function checkStep(cp, st, path, err) {
  if (!isObj(st)) { err(path, `must be an object, not ${typeName(st)}`); return null; }
  unknownKeys(st, ['title', 'text', 'state', 'highlight', 'question'], path, err);
  checkText(st.title, `${path}.title`, err);
  checkText(st.text, `${path}.text`, err);
  const step = { state: null, result: null, shapes: null, grad: null, hash: '' };
  if (typeof st.state !== 'string' || st.state.trim() === '') err(`${path}.state`, 'is required: a playground state in the URL-hash syntax ("op=conv2d&x=1,2;3,4&w=1")');
  else {
    const { state, messages } = parseHash(st.state);
    messages.forEach((m) => err(`${path}.state`, m.replace(/ — using the default$/, "")));
    // The questions' answers (cells named c,h,w, the receptive field, output sizes) are worked
    // out for the 2-D convolutions and conv1d (their height-1 case, causal too); not yet for the
    // page's other ops.
    if (!messages.length && !LESSON_OPS.includes(state.op)) err(`${path}.state`, `op: "${state.op}" is not one a lesson can use yet (${LESSON_OPS.join(', ')})`);
    else if (!messages.length) {
      const r = deriveResult(cp, state);
      if (!r.ok) err(`${path}.state`, `is an invalid configuration: ${r.error}`);
      else if (r.pending) err(`${path}.state`, `is too large for a lesson step (output ${r.shape.join('×')})`);
      else {
        // conv1d's input [C, L] is drawn (and named) as [C, 1, L], as its output is.
        const xs = r.x.shape.length === 2 ? [r.x.shape[0], 1, r.x.shape[1]] : r.x.shape;
        const grad = state.grad ? deriveGrad(cp, state, r) : null;
        if (grad && grad.status !== 'ok') err(`${path}.state`, `grad=1: the gradient panel cannot show this state (${grad.status === 'op' ? 'conv2d and conv_transpose2d only' : grad.error || 'too large'})`);
        Object.assign(step, { state, result: r, grad: grad && grad.status === 'ok' ? grad : null, shapes: { x: xs, y: r.shape, grad: !!(grad && grad.status === 'ok') }, hash: st.state.trim().replace(/^#/, '') });
      }
    }
  }
  const highlight = [];
  if ('highlight' in st) {
    if (!Array.isArray(st.highlight)) err(`${path}.highlight`, `must be an array of cell names, not ${typeName(st.highlight)}`);
    else if (step.shapes) st.highlight.forEach((n, i) => { const ref = checkCell(n, `${path}.highlight[${i}]`, err, step.shapes, HIGHLIGHT_KINDS); if (ref) highlight.push(ref); });
  }
  const question = 'question' in st ? checkQuestion(cp, st.question, `${path}.question`, err, step) : null;
  return { title: st.title, text: st.text, hash: step.hash, highlight, question: question && { ...st.question, ...question } };
}

export function validateLesson(cp, json) {
  const errors = [];
  const err = (path, rule) => errors.push(`${path}: ${rule}`);
  if (!isObj(json)) return { ok: false, errors: [`lesson: must be a JSON object, not ${typeName(json)}`], lesson: null };
  unknownKeys(json, ['format', 'id', 'title', 'steps'], '', err);
  if (json.format !== FORMAT) err('format', `must be "${FORMAT}"`);
  if (typeof json.id !== 'string' || !ID_RE.test(json.id)) err('id', 'must be 1 to 64 lower-case letters, digits or "-", starting with a letter or digit');
  checkText(json.title, 'title', err);
  let steps = [];
  if (!Array.isArray(json.steps) || json.steps.length === 0 || json.steps.length > MAX_STEPS) err('steps', `must be an array of 1 to ${MAX_STEPS} steps`);
  else steps = json.steps.map((st, i) => checkStep(cp, st, `steps[${i}]`, err));
  const ok = errors.length === 0;
  return { ok, errors, lesson: ok ? { id: json.id, title: json.title, steps } : null };
}

// A lesson file's text -> validateLesson's result (a JSON syntax error is a message too).
export function readLesson(cp, text) {
  let json;
  try { json = JSON.parse(text); } catch (e) { return { ok: false, errors: [`file: is not JSON (${e.message})`], lesson: null }; }
  return validateLesson(cp, json);
}
