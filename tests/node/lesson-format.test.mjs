// The lesson format convplay-lesson/1 (web/src/lesson-format.js, lesson-answers.js) under Node
// with the real core: every bundled lesson is valid and complete in both languages; the answers
// the page computes for its questions are PyTorch's (shapes, values and the cells that feed an
// output, one Python run for all of them); a broken file gets a message naming the field and
// the rule; learners' answers are read leniently but judged exactly.
// Run: node --test tests/node/lesson-format.test.mjs (after the core is built into dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distModule, close } from './helpers.mjs';
import { validateLesson, readLesson, KINDS } from '../../web/src/lesson-format.js';
import { checkResponse, parseCellName } from '../../web/src/lesson-answers.js';
import { parseHash } from '../../web/src/url-state.js';
import { buildTensors, convPads } from '../../web/src/state.js';
import { fitGradOutput, gradOutputShape } from '../../web/src/grad-state.js';
import { Progress } from '../../web/src/learn-progress.js';

const here = dirname(fileURLToPath(import.meta.url));
const lessonsDir = join(here, '..', '..', 'web', 'lessons');
const PYTHON = process.env.PYTHON || '/usr/bin/python3';
const { load } = await import(distModule);
const cp = await load();

const files = readdirSync(lessonsDir).filter((f) => f.endsWith('.json')).sort();
const course = files.map((f) => ({ file: f, json: JSON.parse(readFileSync(join(lessonsDir, f), 'utf8')) }));

test('the course: lessons 1–10, each valid, 4 to 10 steps, every text in English and 中文', () => {
  assert.equal(files.length, 10);
  const kinds = new Set();
  for (const { file, json } of course) {
    const res = validateLesson(cp, json);
    assert.deepEqual(res.errors, [], file);
    assert.ok(json.steps.length >= 4 && json.steps.length <= 10, `${file}: ${json.steps.length} steps`);
    const texts = [json.title];
    for (const st of json.steps) {
      texts.push(st.title, st.text);
      if (st.question) { kinds.add(st.question.kind); texts.push(st.question.prompt, st.question.hint, ...(st.question.choices || [])); }
    }
    for (const tx of texts) {
      assert.ok(tx && tx.en && tx.zh, `${file}: a text without both languages: ${JSON.stringify(tx)}`);
      assert.match(tx.zh, /[\u4e00-\u9fff]|^[\d×\s[\],.]+$|^(zeros|reflect|replicate|circular)$/, `${file}: ${tx.zh}`);
    }
    const asked = json.steps.filter((s) => s.question).length;
    assert.ok(asked >= json.steps.length - 1, `${file}: most steps ask the learner to predict`);
  }
  assert.deepEqual([...kinds].sort(), [...KINDS].sort(), 'every question kind is used');
});

test("the page's answers for every course question are PyTorch's", () => {
  const cases = [], asks = [];
  for (const { file, json } of course) {
    const { lesson } = validateLesson(cp, json);
    lesson.steps.forEach((st, i) => {
      const q = st.question;
      if (!q || q.kind === 'choice') return;
      const s = parseHash(st.hash).state;
      const { x, w, b } = buildTensors(s);
      cases.push({ op: s.op, x: [...x.data], xShape: x.shape, w: [...w.data], wShape: w.shape, b: b ? [...b.data] : null,
        stride: s.stride, padding: s.padding, dilation: s.dilation, groups: s.groups, outputPadding: s.outputPadding,
        mode: s.paddingMode, pads: s.op === 'conv2d' || s.op === 'conv1d' ? convPads(s) : null,
        cell: q.cell && !q.cell.testid.startsWith('grad-') ? [q.cell.c, q.cell.h, q.cell.w] : null,
        gradCell: q.cell && q.cell.testid === 'grad-input-cell' ? [q.cell.c, q.cell.h, q.cell.w] : null, g: s.gradOut ? [...fitGradOutput(s, gradOutputShape(s))] : null });
      asks.push({ where: `${file} step ${i + 1}`, q });
    });
  }
  const torch = JSON.parse(execFileSync(PYTHON, [join(here, 'lesson-torch.py')], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 24 }));
  assert.equal(torch.length, asks.length);
  let n = 0;
  asks.forEach(({ where, q }, k) => {
    const want = torch[k];
    if (q.kind === 'output-size') assert.equal(q.answer, want.shape.join('x'), where);
    if (q.kind === 'value') assert.ok(close(q.answer, want.value), `${where}: ${q.answer} vs PyTorch ${want.value}`);
    if (q.kind === 'cells') assert.deepEqual([...q.answer].sort(), [...want.cells].sort(), where);
    n++;
  });
  assert.equal(n, 46, 'the README counts 46 computed questions');
});

// A valid one-step lesson to break field by field.
const base = () => ({ format: 'convplay-lesson/1', id: 'my-lesson', title: { en: 'Mine', zh: '我的' },
  steps: [{ title: { en: 'One' }, text: { en: 'Text' }, state: 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1', highlight: ['output-cell:0,0,1'],
    question: { kind: 'value', prompt: { en: 'y?' }, cell: 'output-cell:0,0,1', answer: 16, hint: { en: 'add' } } }] });
const broken = (edit) => { const j = base(); edit(j); return validateLesson(cp, j).errors; };

test("README's complete example is a valid lesson", () => {
  const readme = readFileSync(join(here, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Lessons (`learn.html`)'));
  const json = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)[1]);
  const res = validateLesson(cp, json);
  assert.deepEqual(res.errors, []);
  assert.deepEqual(res.lesson.steps.map((s) => s.question.kind), ['value', 'cells', 'output-size', 'choice']);
  assert.equal(res.lesson.steps[0].question.answer, 16);
});

test('a valid file: answers given or computed; zh optional', () => {
  const res = validateLesson(cp, base());
  assert.deepEqual(res.errors, []);
  assert.equal(res.lesson.steps[0].question.answer, 16);
  const j = base(); delete j.steps[0].question.answer; delete j.title.zh;
  assert.equal(validateLesson(cp, j).lesson.steps[0].question.answer, 16, 'computed when omitted');
  j.steps[0].question = { kind: 'cells', prompt: { en: 'which?' }, cell: 'output-cell:0,1,1' };
  assert.deepEqual(validateLesson(cp, j).lesson.steps[0].question.answer, ['input-cell:0,1,1', 'input-cell:0,1,2', 'input-cell:0,2,1', 'input-cell:0,2,2']);
  j.steps[0].question = { kind: 'output-size', prompt: { en: 'shape?' } };
  assert.equal(validateLesson(cp, j).lesson.steps[0].question.answer, '1x1x2x2');
});

test('a broken file: each message names the field path and the rule', () => {
  const cases = [
    [(j) => { j.steps[0].question.kind = 'colour'; }, 'steps[0].question.kind: must be one of output-size, value, cells, choice'],
    [(j) => { j.format = 'convplay-lesson/2'; }, 'format: must be "convplay-lesson/1"'],
    [(j) => { j.id = 'My Lesson'; }, 'id: must be 1 to 64 lower-case letters, digits or "-", starting with a letter or digit'],
    [(j) => { delete j.title.en; }, 'title.en: is required: a non-empty string'],
    [(j) => { j.steps[0].text = 'plain'; }, 'steps[0].text: must be an object { "en": "...", "zh": "..." }, not a string'],
    [(j) => { j.steps[0].title.zh = ''; }, 'steps[0].title.zh: must be a non-empty string when present'],
    [(j) => { j.steps[0].colour = 'red'; }, 'steps[0].colour: is not a field of steps[0] (allowed: title, text, state, highlight, question)'],
    [(j) => { j.steps = []; }, 'steps: must be an array of 1 to 50 steps'],
    [(j) => { j.steps[0].state = 'op=conv4d&x=1,2;3,4&w=1'; }, 'steps[0].state: op: "conv4d" is not one of conv1d, conv_transpose1d, conv2d, conv_transpose2d, conv3d, conv_transpose3d, max_pool2d, avg_pool2d'],
    [(j) => { j.steps[0].state = 'op=conv3d&x=1,2;3,4&w=1'; }, 'steps[0].state: op: "conv3d" is not one a lesson can use yet (conv2d, conv_transpose2d, conv1d)'],
    // conv1d (cells c,0,w; N×C×L) and the gradient cells (grad=1 only).
    [(j) => { j.steps[0].state = 'op=conv1d&x=1,2,3&w=1,1'; j.steps[0].highlight = ['output-cell:0,0,2']; }, 'steps[0].highlight[0]: "output-cell:0,0,2" is outside the output, which is 1×1×2 (c, h, w count from 0)'],
    [(j) => { j.steps[0].state = 'op=conv1d&x=1,2,3&w=1,1&causal=1'; j.steps[0].highlight = []; j.steps[0].question = { kind: 'output-size', prompt: { en: 'shape?' }, answer: '1x1x2' }; }, 'steps[0].question.answer: "1x1x2" is not what the core computes for this state (1×1×3); leave "answer" out to have it computed'],
    [(j) => { j.steps[0].highlight = ['grad-input-cell:0,0,0']; }, 'steps[0].highlight[0]: "grad-input-cell:0,0,0" names a gradient cell: the state must open the gradient panel (grad=1, conv2d or conv_transpose2d)'],
    [(j) => { j.steps[0].state += '&grad=1'; j.steps[0].question.cell = 'grad-input-cell:0,3,0'; }, 'steps[0].question.cell: "grad-input-cell:0,3,0" is outside the input (dL/dx), which is 1×3×3 (c, h, w count from 0)'],
    [(j) => { j.steps[0].state += '&grad=1'; j.steps[0].question.cell = 'grad-input-cell:0,1,1'; j.steps[0].question.answer = 3; }, 'steps[0].question.answer: 3 is not what the core computes for this state (4); leave "answer" out to have it computed'],
    [(j) => { j.steps[0].state = 'op=conv1d&x=1,2,3&w=1,1&grad=1'; j.steps[0].highlight = []; }, 'steps[0].state: grad=1: the gradient panel cannot show this state (conv2d and conv_transpose2d only)'],
    [(j) => { j.steps[0].state = 'op=conv2d&x=1,2;3,4&w=1,1,1;1,1,1;1,1,1'; delete j.steps[0].highlight; delete j.steps[0].question; }, /^steps\[0\]\.state: is an invalid configuration: .*kernel/],
    [(j) => { j.steps[0].highlight = ['output-cell:0,5,0']; }, 'steps[0].highlight[0]: "output-cell:0,5,0" is outside the output, which is 1×2×2 (c, h, w count from 0)'],
    [(j) => { j.steps[0].highlight = ['weight:0,0']; }, 'steps[0].highlight[0]: "weight:0,0" must name a cell as "input-cell:c,h,w" or "output-cell:c,h,w" or "grad-input-cell:c,h,w" or "grad-output-cell:c,h,w"'],
    [(j) => { j.steps[0].question.answer = 15; }, 'steps[0].question.answer: 15 is not what the core computes for this state (16); leave "answer" out to have it computed'],
    [(j) => { j.steps[0].question.answer = 'sixteen'; }, 'steps[0].question.answer: must be a finite number'],
    [(j) => { delete j.steps[0].question.cell; }, 'steps[0].question.cell: is required for a value question: the output cell it asks about ("output-cell:c,h,w")'],
    [(j) => { j.steps[0].question.cell = 'input-cell:0,0,0'; }, 'steps[0].question.cell: "input-cell:0,0,0" must name a cell as "output-cell:c,h,w" or "grad-input-cell:c,h,w"'],
    [(j) => { j.steps[0].question = { kind: 'choice', prompt: { en: 'which?' }, choices: [{ en: 'a' }, { en: 'b' }], answer: 2 }; }, 'steps[0].question.answer: is required for a choice question: the index of the right choice, an integer from 0 to 1'],
    [(j) => { j.steps[0].question = { kind: 'choice', prompt: { en: 'which?' }, answer: 0 }; }, 'steps[0].question.choices: is required for a choice question: an array of 2 to 8 texts'],
    [(j) => { j.steps[0].question = { kind: 'output-size', prompt: { en: 'shape?' }, answer: '1x1x3x3' }; }, 'steps[0].question.answer: "1x1x3x3" is not what the core computes for this state (1×1×2×2); leave "answer" out to have it computed'],
    [(j) => { j.steps[0].question = { kind: 'cells', prompt: { en: 'which?' }, cell: 'output-cell:0,0,0', answer: ['input-cell:0,0,0'] }; }, /^steps\[0\]\.question\.answer: \["input-cell:0,0,0"\] is not what the core computes for this state \(x\[0, 0, 0\], x\[0, 0, 1\], x\[0, 1, 0\], x\[0, 1, 1\]\)/],
  ];
  for (const [edit, want] of cases) {
    const errors = broken(edit);
    assert.ok(errors.some((e) => (typeof want === 'string' ? e === want : want.test(e))), `expected ${want}, got ${JSON.stringify(errors)}`);
  }
  assert.deepEqual(readLesson(cp, '{"format": ').errors.map((e) => e.replace(/\(.*\)/, '()')), ['file: is not JSON ()']);
  assert.deepEqual(readLesson(cp, '[1, 2]').errors, ['lesson: must be a JSON object, not an array']);
});

test("the learner's answers: lenient forms, exact judgement", () => {
  for (const r of ['1x1x3x3', '1×1×3×3', '[1, 1, 3, 3]', '1,1,3,3', '1 x 3 x 3']) assert.equal(checkResponse('output-size', r, '1x1x3x3').correct, true, r);
  for (const r of ['1x1x3x4', '3x3x1x1']) assert.equal(checkResponse('output-size', r, '1x1x3x3').correct, false, r);
  assert.ok(checkResponse('output-size', '3', '1x1x3x3').message, 'too few numbers: told how to write a shape');
  assert.equal(checkResponse('value', '0.56', 0.5625).correct, true, 'two decimals are enough');
  assert.equal(checkResponse('value', '0.55', 0.5625).correct, false);
  assert.equal(checkResponse('value', '0.5625', 0.5625).correct, true);
  assert.equal(checkResponse('value', ' −4 ', -4).correct, true);
  assert.ok(checkResponse('value', 'sixteen', 16).message);
  const want = ['input-cell:0,0,1', 'input-cell:0,1,1'];
  assert.equal(checkResponse('cells', ['input-cell:0,1,1', 'input-cell:0,0,1'], want).correct, true, 'any order');
  assert.equal(checkResponse('cells', ['input-cell:0,1,1'], want).correct, false);
  assert.ok(checkResponse('cells', [], want).message);
  assert.equal(checkResponse('choice', 1, 1).correct, true);
  assert.equal(checkResponse('choice', 0, 1).correct, false);
  assert.deepEqual(parseCellName('output-cell:0,2,11'), { testid: 'output-cell', c: 0, h: 2, w: 11 });
  assert.equal(parseCellName('output-cell:0,2'), null);
});

test('progress: kept per lesson, a damaged entry starts afresh', () => {
  const mem = new Map();
  const storage = { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => mem.set(k, v) };
  const p = new Progress(storage);
  p.visit('a', 2); p.complete('a', 0); p.complete('a', 0); p.complete('a', 2);
  assert.deepEqual(new Progress(storage).of('a'), { last: 2, done: [0, 2] });
  mem.set('convplay-lesson-progress', '{not json');
  assert.deepEqual(new Progress(storage).of('a'), { last: 0, done: [] });
  assert.deepEqual(new Progress(null).of('b'), { last: 0, done: [] }, 'no storage (file:// may refuse it)');
});
