// A lesson question's answer: computed from a playground state with the core's result (never
// typed by hand), compared with what the learner answered, and written out as the worked
// solution. Pure functions, no DOM (tests/node/lesson-format.test.mjs).
//
// Cell names: "output-cell:c,h,w" / "input-cell:c,h,w" (the cells' data-testid and data-c/h/w;
// conv1d's cells have h = 0), and the gradient panel's "grad-input-cell:c,h,w" (dL/dx) and
// "grad-output-cell:c,h,w" (grad_output), answered from grad-model.js's core gradients.

import { convPads } from './state.js';
import { convOutputTaps, convTOutputTaps } from './receptive.js';
import { outputTerms } from './model.js';
import { gradInputTerms } from './grad-model.js';
import { parseNum, displayLong } from './numfmt.js';
import { t } from './i18n.js';

const CELL_RE = /^(input-cell|output-cell|grad-input-cell|grad-output-cell):(\d{1,3}),(\d{1,3}),(\d{1,3})$/;

export function parseCellName(name) {
  const m = CELL_RE.exec(String(name).trim());
  return m ? { testid: m[1], c: Number(m[2]), h: Number(m[3]), w: Number(m[4]) } : null;
}
export const cellName = (r) => `${r.testid}:${r.c},${r.h},${r.w}`;
const COORD = { 'input-cell': 'x', 'output-cell': 'y', 'grad-input-cell': 'dL/dx', 'grad-output-cell': 'g' };
export const coord = (r) => `${COORD[r.testid]}[${r.c}, ${r.h}, ${r.w}]`;

// The input cells whose values feed output cell `cell` (through padding copies too), sorted.
export function feedingCells(s, r, cell) {
  const names = new Set();
  if (s.op === 'conv2d' || s.op === 'conv1d') {
    // conv1d is conv2d's height-1 case (model-ops.js); causal padding cells are zeros: no source.
    for (const tap of convOutputTaps(r.geo, cell.c, cell.h, cell.w)) {
      if (tap.inside) names.add(`input-cell:${tap.c},${tap.ph},${tap.pw}`);
      else if (tap.srcH >= 0) names.add(`input-cell:${tap.c},${tap.srcH},${tap.srcW}`);
    }
  } else {
    for (const tap of convTOutputTaps(r.geo, cell.c, cell.h, cell.w)) names.add(`input-cell:${tap.c},${tap.ih},${tap.iw}`);
  }
  return [...names].sort(byCell);
}
function byCell(a, b) {
  const x = parseCellName(a), y = parseCellName(b);
  return x.c - y.c || x.h - y.h || x.w - y.w;
}

// q: { kind, cell }; s, r: the state and the model's result (r.ok, not pending); grad: the
// state's backward pass (grad-model.js deriveGrad, status 'ok') for a gradient cell.
export function computeAnswer(s, r, q, grad = null) {
  switch (q.kind) {
    // 1-D: N×C×L, the core's own shape (r.shape is lifted to [K, 1, L] for the grids).
    case 'output-size': return `1x${(r.coreShape || r.shape).join('x')}`;
    case 'value': {
      if (q.cell.testid === 'grad-input-cell') return grad.gradInput.data[(q.cell.c * s.H + q.cell.h) * s.W + q.cell.w];
      if (q.cell.testid === 'grad-output-cell') return grad.g.data[(q.cell.c * r.shape[1] + q.cell.h) * r.shape[2] + q.cell.w];
      const [, OH, OW] = r.shape; return r.y.data[q.cell.c * OH * OW + q.cell.h * OW + q.cell.w];
    }
    case 'cells': return feedingCells(s, r, q.cell);
    default: return null;
  }
}

const closeTo = (a, b) => Math.abs(a - b) <= 1e-4 + 1e-4 * Math.abs(b);
const sizeNums = (v) => (String(v).match(/\d+/g) || []).map(Number);

export function sameAnswer(kind, given, computed) {
  if (kind === 'output-size') return sizeNums(given).join('x') === sizeNums(computed).join('x');
  if (kind === 'value') return closeTo(given, computed);
  if (kind === 'cells') return [...new Set(given.map((n) => String(n).trim()))].sort(byCell).join(' ') === computed.join(' ');
  return given === computed;
}

export function answerText(kind, a) {
  if (kind === 'output-size') return sizeNums(a).join('×');
  if (kind === 'value') return displayLong(a);
  if (kind === 'cells') return a.map((n) => coord(parseCellName(n))).join(', ');
  return String(a);
}

// What the learner gave -> { correct, message } (message: why it cannot be read, else null).
// output-size accepts N×C×H×W or C×H×W ("1x1x3x3", "1, 1, 3, 3", "[1, 3, 3]"; 1-D: N×C×L or
// C×L); value accepts
// a number within 0.005 (two decimals are enough); cells and choice compare exactly.
export function checkResponse(kind, response, answer) {
  if (kind === 'output-size') {
    const got = sizeNums(response), want = sizeNums(answer);
    if (want.length === 3 && (got.length < 2 || got.length > 3)) return { correct: false, message: t('Type the shape as N×C×L, for example 1×1×5.') };
    if (want.length === 4 && (got.length < 3 || got.length > 4)) return { correct: false, message: t('Type the shape as N×C×H×W, for example 1×1×3×3.') };
    return { correct: got.join('x') === want.join('x') || (want[0] === 1 && got.join('x') === want.slice(1).join('x')), message: null };
  }
  if (kind === 'value') {
    const v = parseNum(String(response).trim());
    if (v === undefined || !Number.isFinite(v)) return { correct: false, message: t('Type a number, for example 16 or -2.5.') };
    return { correct: Math.abs(v - answer) <= 0.005 + 1e-4 * Math.abs(answer), message: null };
  }
  if (kind === 'cells') {
    if (!response.length) return { correct: false, message: t('Click the input cells first (click again to unselect).') };
    return { correct: sameAnswer('cells', response, answer), message: null };
  }
  if (response === null || response === undefined) return { correct: false, message: t('Choose one answer first.') };
  return { correct: response === answer, message: null };
}

// The worked solution, as lines of text: the formula with the step's numbers, the sum of
// products, or the cells with the reason.
export function solutionLines(s, r, q, choiceText = '', grad = null) {
  if (q.kind === 'output-size' && s.op === 'conv1d') {
    const [K, , L] = r.shape, pads = convPads(s), p2 = pads[2] + pads[3];
    const lines = [t('Output shape: {s}.', { s: `1×${K}×${L}` })];
    lines.push(`Lout = ⌊(${s.W} + ${p2} − ${s.dilation[1]}·(${s.kw} − 1) − 1) / ${s.stride[1]}⌋ + 1 = ${L}`);
    if (s.causal) lines.push(t('causal: F.pad adds (k − 1)·d = {n} on the left and 0 on the right, so the output keeps the input’s length', { n: pads[2] }));
    lines.push(t('C = {k}: one output channel per kernel; N = 1 is the batch.', { k: K }));
    return lines;
  }
  if (q.kind === 'output-size') {
    const [K, OH, OW] = r.shape;
    const lines = [t('Output shape: {s}.', { s: `1×${K}×${OH}×${OW}` })];
    const pads = s.op === 'conv2d' ? convPads(s) : null;
    [['H', 0, s.H, s.kh, OH], ['W', 1, s.W, s.kw, OW]].forEach(([axis, i, n, k, out]) => {
      const st = s.stride[i], d = s.dilation[i];
      if (s.op === 'conv2d') {
        const p2 = pads[i * 2] + pads[i * 2 + 1];
        lines.push(`${axis}out = ⌊(${n} + ${p2} − ${d}·(${k} − 1) − 1) / ${st}⌋ + 1 = ${out}`);
      } else {
        lines.push(`${axis}out = (${n} − 1)·${st} − 2·${s.padding[i]} + ${d}·(${k} − 1) + ${s.outputPadding[i]} + 1 = ${out}`);
      }
    });
    lines.push(t('C = {k}: one output channel per kernel; N = 1 is the batch.', { k: K }));
    return lines;
  }
  if (q.kind === 'value' && q.cell.testid === 'grad-input-cell') {
    const e = gradInputTerms(s, r, grad, q.cell.c, q.cell.h, q.cell.w);
    const terms = e.terms.map((x) => `${displayLong(x.g)}·${displayLong(x.w)}`);
    return [`${coord(q.cell)} = ${terms.length ? terms.join(' + ') : '0'} = ${displayLong(e.value)}`,
      t('{n} products of a grad_output value and a kernel weight, added up: conv_transpose2d of g with W.', { n: e.total })];
  }
  if (q.kind === 'value' && q.cell.testid === 'grad-output-cell') return [`${coord(q.cell)} = ${displayLong(computeAnswer(s, r, q, grad))}`];
  if (q.kind === 'value') {
    const e = outputTerms(s, r, q.cell.c, q.cell.h, q.cell.w, () => {});
    const terms = e.terms.map((x) => `${displayLong(x.x)}·${displayLong(x.w)}`);
    if (e.bias !== null) terms.push(displayLong(e.bias));
    return [`${coord(q.cell)} = ${terms.length ? terms.join(' + ') : '0'} = ${displayLong(e.y)}`,
      t('{n} products of an input value and a kernel weight, added up.', { n: e.terms.length })];
  }
  if (q.kind === 'cells') {
    const cells = feedingCells(s, r, q.cell);
    return [t('{n} input cells feed {y}: {list}.', { n: cells.length, y: coord(q.cell), list: answerText('cells', cells) }),
      t('They are lit in the grids now.')];
  }
  return [t('The answer: {a}.', { a: choiceText })];
}
