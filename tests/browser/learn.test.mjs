// learn.html (issue 21): the course in headless Chromium. Every lesson is walked in English
// (over http) and 中文 (from file://): each question answered wrong (feedback data-correct="0"),
// then right ("1"), then revealed (the worked solution), no step showing an error or an
// invalid state, nothing kept back once answered. The right answers come from the validator
// under Node (tests/node/lesson-format.test.mjs checks them against PyTorch). Also: a teacher's
// file by the file picker, by drag and drop and by #src= (same origin only), a broken file,
// presenter mode with the keyboard, progress, step links and embeds, axe-core (desktop, phone,
// presenter) and screenshots in build/screenshots/.
// Run: node --test tests/browser/learn.test.mjs (after node web/build.mjs).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';
import { watchPage } from './page-issues.mjs';
import { validateLesson } from '../../web/src/lesson-format.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const shots = join(root, 'build', 'screenshots');
const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const { load } = await import(join(dist, 'convplay.mjs'));
const cp = await load();

const lessonFiles = (await readdir(join(root, 'web', 'lessons'))).filter((f) => f.endsWith('.json')).sort();
const COURSE = [];
for (const f of lessonFiles) COURSE.push(validateLesson(cp, JSON.parse(await readFile(join(root, 'web', 'lessons', f), 'utf8'))).lesson);

const TEACHER = { format: 'convplay-lesson/1', id: 'teacher-demo', title: { en: 'A teacher’s lesson', zh: '老师的一课' },
  steps: [
    { title: { en: 'Sum' }, text: { en: 'Add the window.' }, state: 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1', highlight: ['output-cell:0,0,0'],
      question: { kind: 'value', prompt: { en: 'What is y[0, 0, 1]?' }, cell: 'output-cell:0,0,1' } },
    { title: { en: 'Shape' }, text: { en: 'Stride 2.' }, state: 'op=conv_transpose2d&x=1,2;3,4&w=1,1;1,1&stride=2',
      question: { kind: 'output-size', prompt: { en: 'Shape?' }, answer: '1x1x4x4' } },
  ] };
const BROKEN = { ...TEACHER, id: 'broken', steps: [{ ...TEACHER.steps[0], question: { ...TEACHER.steps[0].question, kind: 'colour' } }] };

let server, httpRoot, browser;
before(async () => {
  await stat(join(dist, 'learn.html')).catch(() => { throw new Error('dist/learn.html is missing: run node web/build.mjs first'); });
  await mkdir(shots, { recursive: true });
  server = await serveStatic(dist);
  httpRoot = server.base;
  browser = await launchChromium();
});
after(async () => { await browser?.close(); server?.close(); });

async function open(hash = '', { base = 'http', width = 1280, height = 900, file = 'learn.html' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, locale: 'en-US' });
  const page = await context.newPage();
  const prefix = base === 'http' ? httpRoot : pathToFileURL(dist).href + '/';
  const issues = watchPage(page, prefix);
  await page.goto(prefix + file + (hash ? `#${hash}` : ''));
  await page.waitForSelector('html[data-ready="1"]', { timeout: 15000 });
  return { page, context, issues, async close() { await context.close(); assert.deepEqual(issues, [], 'no console errors and no requests outside dist/'); } };
}

const stepIs = (page, n) => page.waitForSelector(`[data-testid="lesson-step"][data-step="${n}"]`);
const feedback = (page) => page.locator('[data-testid="feedback"]').getAttribute('data-correct');
const cellSel = (name) => { const [, tid, c, h, w] = /^([\w-]+-cell):(\d+),(\d+),(\d+)$/.exec(name); return `.lesson-live [data-testid="${tid}"][data-c="${c}"][data-h="${h}"][data-w="${w}"]`; };

// No error box, no broken link message, no invalid configuration on a step.
async function assertHealthy(page, where) {
  const bad = await page.evaluate(() => {
    const vis = (el) => el && !el.hidden && el.getClientRects().length > 0 && el.textContent.trim() !== '';
    return [...document.querySelectorAll('[data-testid="error"], [data-testid="url-error"], [data-testid="lesson-error"], .no-output')].filter(vis).map((e) => e.textContent.trim().slice(0, 120));
  });
  assert.deepEqual(bad, [], `${where}: no error or invalid state`);
  assert.ok(await page.locator('.lesson-live [data-testid="output-cell"]').count() > 0, `${where}: the output grid is drawn`);
}

// One question: wrong, then right, then revealed.
async function answer(page, q, where) {
  const kind = await page.locator('[data-testid="question"]').getAttribute('data-kind');
  assert.equal(kind, q.kind, where);
  const check = () => page.click('[data-testid="check"]');
  // The gradient panel is the state's (grad=1), not a teaching view the question closes.
  const views = () => page.locator('.lesson-live details:not(.grad-panel)').evaluateAll((ds) => ds.map((d) => d.open));
  assert.ok((await views()).every((o) => !o), `${where}: the teaching views start closed while the question is open`);
  if (q.kind === 'output-size' || q.kind === 'value') {
    if (q.kind === 'output-size') assert.equal(await page.locator('[data-testid="output-shape"]').evaluate((e) => getComputedStyle(e).visibility), 'hidden', `${where}: the shape is kept back`);
    else { const el = page.locator(cellSel(`${q.cell.testid}:${q.cell.c},${q.cell.h},${q.cell.w}`)); assert.equal(await el.textContent(), "?", `${where}: the asked value is kept back`); assert.match(await el.getAttribute("aria-label"), /= \?$/); }
    await page.fill('[data-testid="answer"]', q.kind === 'value' ? String(q.answer + 1) : '1x1x99x99');
    await check();
    assert.equal(await feedback(page), '0', `${where}: wrong answer`);
    await page.fill('[data-testid="answer"]', q.kind === 'value' ? String(q.answer) : q.answer.replace(/x/g, '×'));
    await check();
  } else if (q.kind === 'cells') {
    const wrong = q.answer.length > 1 ? [q.answer[0]] : ['input-cell:0,0,0', 'input-cell:0,0,1'].filter((n) => !q.answer.includes(n)).slice(0, 1);
    for (const n of wrong) await page.click(cellSel(n));
    await check();
    assert.equal(await feedback(page), '0', `${where}: wrong cells`);
    for (const n of wrong) await page.click(cellSel(n)); // unselect
    for (const n of q.answer) await page.click(cellSel(n));
    assert.equal(await page.locator('.lesson-live [data-picked="1"]').count(), q.answer.length, `${where}: picked cells are marked`);
    await check();
  } else {
    const choices = page.locator('[data-testid="choice"]');
    await choices.nth((q.answer + 1) % (await choices.count())).click();
    assert.equal(await feedback(page), '0', `${where}: wrong choice`);
    await choices.nth(q.answer).click();
  }
  assert.equal(await feedback(page), '1', `${where}: right answer`);
  assert.equal(await page.locator('.lesson-live.predicting').count(), 0, `${where}: nothing kept back once answered`);
  assert.ok((await views()).every((o) => o), `${where}: answered, the teaching views open`);
  await page.click('[data-testid="reveal"]');
  const sol = page.locator('[data-testid="solution"]');
  assert.ok(await sol.isVisible(), `${where}: reveal shows the solution`);
  const text = await sol.textContent();
  if (q.kind === 'value') assert.ok(text.includes(`= ${String(Math.fround(q.answer)).replace('-', '−')}`) || text.includes(`= ${q.answer}`), `${where}: the worked sum ends in the answer: ${text}`);
  if (q.kind === 'output-size') assert.ok(text.includes(q.answer.replace(/x/g, '×')), `${where}: ${text}`);
}

async function walk(page, lesson, lang) {
  await page.click(`[data-testid="lesson"][data-id="${lesson.id}"]`);
  for (let i = 0; i < lesson.steps.length; i++) {
    const where = `${lang} ${lesson.id} step ${i + 1}`;
    await stepIs(page, i + 1);
    await assertHealthy(page, where);
    const q = lesson.steps[i].question;
    if (q) await answer(page, q, where);
    await assertHealthy(page, `${where} (answered)`);
    await page.click('[data-testid="next-step"]');
  }
  await page.waitForSelector('.learn-intro');
}

describe('every lesson, every question: wrong, right, revealed', { concurrency: 2 }, () => {
  test('English, over http', async () => {
    const p = await open('');
    assert.equal(await p.page.locator('[data-testid="lesson"]').count(), COURSE.length);
    for (const lesson of COURSE) await walk(p.page, lesson, 'en');
    const done = await p.page.locator('[data-testid="lesson-progress"]').allTextContents();
    assert.deepEqual(done, COURSE.map((l) => `${l.steps.length} of ${l.steps.length} steps done`), 'progress: every step done');
    await p.close();
  });

  test('中文, from file://', async () => {
    const p = await open('lang=zh', { base: 'file' });
    assert.equal(await p.page.evaluate(() => document.documentElement.lang), 'zh-CN');
    for (const lesson of COURSE) await walk(p.page, lesson, 'zh');
    assert.deepEqual(await p.page.evaluate(() => [...window.convplayLearn.i18nMissing]), [], 'every label has a 中文 entry');
    const title = await p.page.locator('[data-testid="lesson"]').first().textContent();
    assert.match(title, /[\u4e00-\u9fff]/, 'lesson titles in 中文');
    await p.close();
  });
});

test('a lesson step saves as a figure: SVG with the step\'s text and numbers as text, PNG at 2x', async () => {
  const p = await open('lesson=conv2d-by-hand&step=1');
  const { page } = p;
  await stepIs(page, 1);
  const save = async (kind) => {
    const done = page.waitForEvent('download');
    await page.click(`[data-testid="lesson-step"] .export-slot [data-testid="export-${kind}"]`);
    const dl = await done;
    return { name: dl.suggestedFilename(), bytes: await readFile(await dl.path()) };
  };
  const svg = await save('svg');
  assert.equal(svg.name, 'convplay-conv2d-by-hand-step-1.svg');
  const text = svg.bytes.toString('utf8');
  const parsed = await page.evaluate((src) => {
    const doc = new DOMParser().parseFromString(src, 'image/svg+xml');
    if (doc.querySelector('parsererror')) return null;
    return [...doc.querySelectorAll('text')].map((e) => e.textContent);
  }, text);
  assert.ok(parsed, 'the SVG parses');
  const title = await page.locator('[data-testid="lesson-step"] > h2').textContent();
  assert.ok(parsed.join(' ').includes(title.trim().split(' ')[0]), 'the step title is text in the figure');
  const shown = await page.locator('.lesson-live [data-testid="input-cell"]').allTextContents();
  for (const v of shown) assert.ok(parsed.includes(v.trim()), `input value ${v} is text in the figure`);
  assert.ok(!parsed.some((s) => /Next step|Previous step/.test(s)), 'the navigation is left out');
  const png = await save('png');
  assert.equal(png.name, 'convplay-conv2d-by-hand-step-1.png');
  assert.equal(png.bytes.subarray(1, 4).toString('latin1'), 'PNG');
  const box = await page.locator('[data-testid="lesson-step"]').boundingBox();
  assert.ok(Math.abs(png.bytes.readUInt32BE(16) - 2 * box.width) <= 4, `PNG width ${png.bytes.readUInt32BE(16)} is twice ${box.width}`);
  await p.close();
});

test('progress is kept in localStorage; step links, embed snippet and the playground link', async () => {
  const p = await open('lesson=conv2d-by-hand&step=2');
  const { page } = p;
  await stepIs(page, 2);
  const progress = page.locator('[data-testid="lesson"][data-id="conv2d-by-hand"] [data-testid="lesson-progress"]');
  assert.equal(await progress.textContent(), '0 of 8 steps done');
  await page.fill('[data-testid="answer"]', '67');
  await page.click('[data-testid="check"]');
  assert.equal(await feedback(page), '1');
  assert.equal(await progress.textContent(), '1 of 8 steps done', 'the index follows at once');
  await page.reload();
  await page.waitForSelector('html[data-ready="1"]');
  assert.equal(await page.locator('[data-testid="lesson"][data-id="conv2d-by-hand"] [data-testid="lesson-progress"]').textContent(), '1 of 8 steps done');
  assert.equal(await page.locator('[data-testid="step-link"]').getAttribute('href'), '#lesson=conv2d-by-hand&step=2');
  assert.match(await page.locator('[data-testid="step-embed"]').inputValue(), /<iframe src="learn\.html#lesson=conv2d-by-hand&step=2&embed=1"/);
  await page.goto(`${httpRoot}learn.html#lesson=padding-modes&step=3&embed=1`);
  await stepIs(page, 3);
  assert.equal(await page.locator('.learn-top').isVisible(), false, 'the embed shows the step alone');
  assert.equal(await page.locator('.lesson-index').isVisible(), false);
  await page.goto(`${httpRoot}learn.html#lesson=no-such&step=1`);
  await page.waitForSelector('.learn-intro');
  assert.match(await page.locator('.learn-main > .notice').textContent(), /no lesson “no-such”/);
  await page.goto(`${httpRoot}index.html`);
  await page.waitForSelector('html[data-ready="1"]');
  assert.equal(await page.locator('[data-testid="lessons-link"]').getAttribute('href'), 'learn.html');
  await p.close();
});

test('cells by keyboard (Space picks, arrows move); switching the language keeps the step', async () => {
  const p = await open('lesson=conv2d-by-hand&step=3');
  const { page } = p;
  await stepIs(page, 3);
  const first = cellSel('input-cell:0,1,2');
  await page.focus(first);
  await page.keyboard.press('Space');
  assert.equal(await page.locator(first).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.w), '3', 'arrows still move in the grid');
  await page.keyboard.press('Space');
  assert.match(await page.locator('[data-testid="picked"]').textContent(), /^x\[0, 1, 2\], x\[0, 1, 3\]$/);
  await page.keyboard.press('Space');
  assert.equal(await page.locator('.lesson-live [data-picked="1"]').count(), 1, 'Space again unpicks');
  await page.selectOption('[data-testid="lang"]', 'zh');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  await stepIs(page, 3);
  assert.match(await page.locator('.lesson-step > h2').textContent(), /[\u4e00-\u9fff]/);
  assert.match(await page.evaluate(() => location.hash), /lesson=conv2d-by-hand&step=3&lang=zh/);
  await p.close();
});

test('teacher files: the file picker, drag and drop, #src= (same origin only), a broken file', async () => {
  const p = await open('lesson=scatter-add&step=1');
  const { page } = p;
  await stepIs(page, 1);
  // A broken file: the validator's message, and nothing else changes.
  await page.setInputFiles('[data-testid="lesson-file"]', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(BROKEN)) });
  const err = page.locator('[data-testid="lesson-error"]');
  await err.waitFor();
  assert.match(await err.textContent(), /broken\.json.*steps\[0\]\.question\.kind: must be one of output-size, value, cells, choice/s);
  await stepIs(page, 1);
  assert.equal(await page.locator('[data-testid="lesson-step"]').count(), 1);
  await page.click('[data-testid="next-step"]');
  await stepIs(page, 2);
  await assertHealthy(page, 'after a broken file');
  await page.setInputFiles('[data-testid="lesson-file"]', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "convplay-lesson/1",') });
  await page.waitForFunction(() => /file: is not JSON/.test(document.querySelector('[data-testid="lesson-error"]').textContent));
  // A good file: it opens at step 1, with answers computed by the core.
  await page.setInputFiles('[data-testid="lesson-file"]', { name: 'teacher.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(TEACHER)) });
  await stepIs(page, 1);
  assert.equal(await page.locator('[data-testid="lesson-error"]').isVisible(), false);
  assert.equal(await page.locator('.lesson-step > h2').textContent(), 'Sum');
  await page.fill('[data-testid="answer"]', '15');
  await page.click('[data-testid="check"]');
  assert.equal(await feedback(page), '0');
  await page.fill('[data-testid="answer"]', '16');
  await page.click('[data-testid="check"]');
  assert.equal(await feedback(page), '1', 'the omitted answer was computed: 2 + 3 + 5 + 6');
  assert.equal(await page.locator('[data-testid="lesson"][data-id="teacher-demo"]').count(), 1, 'listed in the index');
  // Drag and drop.
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, JSON.stringify({ ...TEACHER, id: 'dropped-demo', title: { en: 'Dropped' } }));
  await page.waitForFunction(() => document.title.includes('Dropped'));
  await stepIs(page, 1);
  // #src= from this site (the lesson file is served at /my/teacher.json for the test).
  await page.route('**/my/teacher.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...TEACHER, id: 'from-src' }) }));
  await page.goto(`${httpRoot}learn.html#src=my/teacher.json&step=2`);
  await page.waitForSelector('html[data-ready="1"]');
  await stepIs(page, 2);
  assert.equal(await page.locator('.lesson-step > h2').textContent(), 'Shape');
  assert.equal(await page.locator('[data-testid="step-link"]').getAttribute('href'), '#src=my%2Fteacher.json&step=2');
  await page.fill('[data-testid="answer"]', '1x1x4x4');
  await page.click('[data-testid="check"]');
  assert.equal(await feedback(page), '1');
  // Another origin is refused, with the reason.
  await page.goto(`${httpRoot}learn.html#src=${encodeURIComponent('http://127.0.0.2:9/x.json')}`);
  await page.waitForSelector('html[data-ready="1"]');
  await page.waitForFunction(() => /only lesson files from this site/.test(document.querySelector('[data-testid="lesson-error"]')?.textContent || ''));
  await page.waitForSelector('.learn-intro');
  // A missing file.
  await page.goto(`${httpRoot}learn.html#src=my/missing.json`);
  await page.waitForSelector('html[data-ready="1"]');
  await page.waitForFunction(() => /could not be read \(HTTP 404\)/.test(document.querySelector('[data-testid="lesson-error"]')?.textContent || ''));
  p.issues.splice(0, p.issues.length, ...p.issues.filter((s) => !/404|127\.0\.0\.2/.test(s))); // the 404 and the refused URL are the point
  await p.close();
  // From file://, src= cannot work: said so.
  const f = await open('src=teacher.json', { base: 'file' });
  await f.page.waitForFunction(() => /opened from a file/.test(document.querySelector('[data-testid="lesson-error"]')?.textContent || ''));
  await f.close();
});

test('presenter mode: chrome hidden, large type, arrows and PageDown / PageUp step', async () => {
  const p = await open('lesson=kernel-matrix&step=1&present=1', { width: 1280, height: 800 });
  const { page } = p;
  await stepIs(page, 1);
  assert.equal(await page.locator('.learn-top').isVisible(), false, 'no header');
  assert.equal(await page.locator('.lesson-index').isVisible(), false, 'no index');
  const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.ok(size >= 20, `large type (${size}px)`);
  await page.keyboard.press('ArrowRight'); await stepIs(page, 2);
  await page.keyboard.press('PageDown'); await stepIs(page, 3);
  await page.keyboard.press('PageUp'); await stepIs(page, 2);
  await page.keyboard.press('ArrowLeft'); await stepIs(page, 1);
  await page.keyboard.press('ArrowLeft'); await stepIs(page, 1);
  assert.match(await page.evaluate(() => location.hash), /present=1/);
  // Keys in a grid move between cells, not steps.
  await page.goto(`${httpRoot}learn.html#lesson=kernel-matrix&step=3&present=1`);
  await stepIs(page, 3);
  await page.focus('.lesson-live [data-testid="input-cell"][data-c="0"][data-h="0"][data-w="0"]');
  await page.keyboard.press('ArrowRight');
  await stepIs(page, 3);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.w), '1');
  await page.screenshot({ path: join(shots, 'learn-presenter-step3.png') });
  await page.click('.lesson-step > h2');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.documentElement.classList.contains('present'));
  assert.equal(await page.locator('.learn-top').isVisible(), true, 'Escape leaves presenter mode');
  await stepIs(page, 3);
  await p.close();
});

async function axe(t, page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const r = await page.evaluate(async (tags) => {
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return { violations: res.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`), passes: res.passes.length };
  }, TAGS);
  t.diagnostic(`${label}: ${r.passes} rules passed, ${r.violations.length} violated`);
  assert.deepEqual(r.violations, [], `axe on ${label}`);
}

describe('axe-core and screenshots', { concurrency: 1 }, () => {
  for (const [label, opts, hash] of [
    ['desktop', { width: 1280, height: 900 }, 'lesson=conv2d-by-hand&step=1'],
    ['phone', { width: 390, height: 844 }, 'lesson=padding-modes&step=6&lang=zh'],
    ['presenter', { width: 1280, height: 800 }, 'lesson=scatter-add&step=2&present=1'],
    // Lesson 9 (a dL/dx question in the gradient panel) and lesson 10 (causal conv1d cells).
    ['gradient', { width: 1280, height: 900 }, 'lesson=gradient&step=6'],
    ['causal', { width: 390, height: 844 }, 'lesson=conv1d-causal&step=5&lang=zh'],
  ]) {
    test(label, async (t) => {
      const p = await open(hash, opts);
      const { page } = p;
      await stepIs(page, Number(/step=(\d+)/.exec(hash)[1]));
      await axe(t, page, `${label}, question open`);
      await page.click('[data-testid="hint-button"]');
      await page.click('[data-testid="check"]');
      assert.equal(await feedback(page), '0');
      await axe(t, page, `${label}, hint and wrong-answer feedback`);
      await page.click('[data-testid="reveal"]');
      await axe(t, page, `${label}, solution revealed`);
      await page.screenshot({ path: join(shots, `learn-${label}.png`), fullPage: label !== 'presenter' });
      if (label === 'desktop') {
        await page.setInputFiles('[data-testid="lesson-file"]', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(BROKEN)) });
        await page.locator('[data-testid="lesson-error"]').waitFor();
        await axe(t, page, 'desktop, a broken teacher file');
        await page.click('[data-testid="home"]');
        await page.waitForSelector('.learn-intro');
        await axe(t, page, 'desktop, the lesson index');
      }
      await p.close();
    });
  }
});
