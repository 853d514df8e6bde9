// The grids as a keyboard, screen-reader and touch user meets them (issue 18): the WAI-ARIA grid
// pattern (one tab stop per grid, arrows, Home/End, PageUp/PageDown, Ctrl+Home/End, Enter or F2
// edits, Escape cancels, typing a number starts an edit), accessible names that say what a cell
// is, the skip link, a tap that pins (a phone has no hover), reduced motion, and cells that are
// not <input>s. Every check is on what the page shows; none on time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
let server, browser;
before(async () => { server = await serveStatic(dist); browser = await launchChromium(); });
after(async () => { await browser?.close(); server?.close(); });

async function open(hash = '', ctxOpts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...ctxOpts });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.base}index.html${hash ? `#${hash}` : ''}`);
  await page.waitForSelector('html[data-ready="1"]');
  return { page, async close() { await context.close(); assert.deepEqual(errors, []); } };
}
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el && el.dataset.testid ? `${el.dataset.testid} ${el.dataset.c}:${el.dataset.h},${el.dataset.w}` : (el ? el.tagName : null);
});
const outputs = (page) => page.$$eval('[data-testid="output-cell"]', (els) => els.map((e) => Number(e.dataset.value)));
const sel = (testid, c, h, w) => `[data-testid="${testid}"][data-c="${c}"][data-h="${h}"][data-w="${w}"]`;

test('a keyboard user reaches the input grid in two key presses from page load (skip link)', async () => {
  const p = await open();
  const hash = await p.page.evaluate(() => location.hash);
  await p.page.keyboard.press('Tab');
  assert.equal(await p.page.evaluate(() => document.activeElement.dataset.testid), 'skip-to-grids');
  assert.ok(await p.page.evaluate(() => document.activeElement.getBoundingClientRect().top >= 0), 'the skip link is visible when focused');
  await p.page.keyboard.press('Enter');
  assert.equal(await focused(p.page), 'input-cell 0:0,0');
  assert.equal(await p.page.evaluate(() => location.hash), hash, 'the link does not touch the URL state');
  await p.close();
});

test('one tab stop per grid; arrows, Home/End, PageUp/PageDown, Ctrl+Home/End move; names say what a cell is', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&padding=1&padding_mode=reflect');
  const { page } = p;
  // Every grid has exactly one cell in the tab order.
  const stops = await page.$$eval('[role="grid"]', (grids) => grids.map((g) => g.querySelectorAll('[tabindex="0"]').length));
  assert.ok(stops.length >= 3 && stops.every((n) => n === 1), `tab stops per grid: ${stops}`);
  assert.equal(await page.$$eval('[role="grid"] [role="row"] [role="gridcell"]', (els) => els.length) > 0, true);
  await page.focus(sel('input-cell', 0, 0, 0));
  await page.keyboard.press('ArrowRight');
  assert.equal(await focused(page), 'input-cell 0:0,1');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(page), 'input-cell 0:1,1');
  await page.keyboard.press('End');
  assert.equal(await focused(page), 'ghost-cell 0:1,3', 'End goes to the last drawn cell of the row (padding included)');
  await page.keyboard.press('Home');
  assert.equal(await focused(page), 'ghost-cell 0:1,-1');
  await page.keyboard.press('Control+End');
  assert.equal(await focused(page), 'ghost-cell 0:3,3');
  await page.keyboard.press('Control+Home');
  assert.equal(await focused(page), 'ghost-cell 0:-1,-1');
  await page.keyboard.press('PageDown');
  assert.equal(await focused(page), 'ghost-cell 0:3,-1', 'PageDown moves down (clamped to the last row)');
  await page.keyboard.press('PageUp');
  assert.equal(await focused(page), 'ghost-cell 0:-1,-1');
  // The focused cell is the grid's tab stop; Tab leaves the grid.
  assert.equal(await page.$eval(sel('ghost-cell', 0, -1, -1), (el) => el.tabIndex), 0);
  assert.equal(await page.$eval(sel('input-cell', 0, 0, 0), (el) => el.tabIndex), -1);
  // Accessible names.
  assert.equal(await page.getAttribute(sel('input-cell', 0, 0, 2), 'aria-label'), 'x[0, 0, 2] = 3');
  assert.equal(await page.getAttribute(sel('ghost-cell', 0, -1, 0), 'aria-label'), 'reflect padding at (-1, 0): copy of x[0, 1, 0] = 4');
  assert.equal(await page.getAttribute(sel('output-cell', 0, 0, 0), 'aria-label'), 'y[0, 0, 0] = 12');
  const tree = await page.locator(sel('input-cell', 0, 1, 1)).ariaSnapshot();
  assert.match(tree, /gridcell "x\[0, 1, 1\] = 5"/);
  await p.close();
});

test('typing a number starts an edit; Enter commits and moves down; Escape cancels; F2 edits in place', async () => {
  const p = await open('op=conv2d&x=1,2;3,4&w=1');
  const { page } = p;
  await page.focus(sel('input-cell', 0, 0, 0));
  await page.keyboard.type('9');
  assert.deepEqual(await outputs(page), [9, 2, 3, 4]);
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'input-cell 0:1,0');
  // Escape puts back the number from before the edit, and the output with it.
  await page.keyboard.type('-5');
  assert.deepEqual(await outputs(page), [9, 2, -5, 4]);
  await page.keyboard.press('Escape');
  assert.deepEqual(await outputs(page), [9, 2, 3, 4]);
  assert.equal(await page.textContent(sel('input-cell', 0, 1, 0)), '3');
  // F2: the caret goes to the end of the number, typing appends.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('F2');
  await page.keyboard.type('0');
  assert.deepEqual(await outputs(page), [9, 2, 3, 40]);
  // While editing, arrows move the caret; at the number's end ArrowRight leaves the edit... and
  // ArrowUp commits and moves.
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(page), 'input-cell 0:0,1');
  // A bad number is marked, not computed.
  await page.keyboard.type('abc');
  assert.equal(await page.getAttribute(sel('input-cell', 0, 0, 1), 'aria-invalid'), 'true');
  assert.deepEqual(await outputs(page), [9, 2, 3, 40]);
  // Automation that fills or sets value on a cell still works (cells are text fields).
  await page.fill(sel('input-cell', 0, 0, 1), '6');
  assert.deepEqual(await outputs(page), [9, 6, 3, 40]);
  await page.$eval(sel('input-cell', 0, 0, 0), (el) => { el.value = '1'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  assert.deepEqual(await outputs(page), [1, 6, 3, 40]);
  assert.match(await page.evaluate(() => location.hash), /x=1,6;3,40/);
  await p.close();
});

test('a keyboard focus on an output cell lights its receptive field and reads out its sum', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  const { page } = p;
  await page.focus(sel('output-cell', 0, 0, 0));
  await page.keyboard.press('ArrowRight');
  const lit = await page.$$eval('[data-testid="input-cell"][data-highlight="1"]', (els) => els.map((e) => `${e.dataset.h},${e.dataset.w}`).sort());
  assert.deepEqual(lit, ['0,1', '0,2', '1,1', '1,2']);
  assert.equal(await page.getAttribute('[data-testid="explain"]', 'aria-live'), 'polite');
  assert.match(await page.textContent('[data-testid="explain"]'), /y\[0, 0, 1\] = 2·1 \+ 3·1 \+ 5·1 \+ 6·1 = 16/);
  await p.close();
});

test('on a phone, a tap pins the receptive field and its sum; a second tap or Escape unpins', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1', { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const { page } = p;
  const lit = () => page.$$eval('[data-highlight="1"][data-testid="input-cell"]', (els) => els.length);
  // Cells are at least 24 CSS px on phones (WCAG 2.5.8).
  const sizes = await page.$$eval('.cell', (els) => els.map((e) => Math.min(e.getBoundingClientRect().width, e.getBoundingClientRect().height)));
  assert.ok(Math.min(...sizes) >= 24, `smallest cell ${Math.min(...sizes)} px`);
  await page.tap(sel('output-cell', 0, 1, 1));
  assert.equal(await lit(), 4);
  // The pin holds while the finger is elsewhere (a tap outside the grids).
  await page.tap('h1');
  assert.equal(await lit(), 4);
  await page.tap(sel('output-cell', 0, 1, 1));
  assert.equal(await lit(), 0, 'a second tap unpins');
  await page.tap(sel('output-cell', 0, 0, 0));
  assert.equal(await lit(), 4);
  await page.keyboard.press('Escape');
  assert.equal(await lit(), 0, 'Escape unpins');
  await p.close();
});

test('reduced motion: the animation starts paused on its first step; Pause stops a playing one', async () => {
  const p = await open('', { reducedMotion: 'reduce' });
  const { page } = p;
  await page.click('[data-testid="anim-start"]');
  assert.equal(await page.textContent('[data-testid="anim-play"]'), 'Play');
  assert.equal(await page.inputValue('[data-testid="anim-scrub"]'), '1');
  await page.click('[data-testid="anim-forward"]');
  assert.equal(await page.inputValue('[data-testid="anim-scrub"]'), '2');
  await p.close();
  const q = await open('', { reducedMotion: 'no-preference' });
  await q.page.click('[data-testid="anim-start"]');
  assert.equal(await q.page.textContent('[data-testid="anim-play"]'), 'Pause');
  await q.page.click('[data-testid="anim-play"]');
  const step = await q.page.inputValue('[data-testid="anim-scrub"]');
  assert.equal(await q.page.textContent('[data-testid="anim-play"]'), 'Play');
  await q.page.evaluate(() => new Promise((r) => setTimeout(r, 1200)));
  assert.equal(await q.page.inputValue('[data-testid="anim-scrub"]'), step, 'paused: the step stays');
  await q.close();
});

test('no grid cell is an <input>: 8 channels of 32×32 into 8 outputs make no more than 3,000 <input>s', async () => {
  const ar = (n) => Array.from({ length: n }, (_, i) => i);
  const rows = (v, w) => ar(v.length / w).map((r) => v.slice(r * w, (r + 1) * w).join(',')).join(';');
  const hash = `op=conv2d&x=${ar(8).map((c) => rows(ar(1024).map((i) => (i + c) % 5), 32)).join('|')}&w=${ar(64).map(() => '0,1,0;1,1,1;0,1,0').join('|')}&padding=1`;
  const p = await open(hash);
  const { page } = p;
  await page.waitForFunction(() => !document.body.dataset.building && !document.querySelector('[data-testid="grid-pending"]'), null, { timeout: 60000 });
  const counts = await page.evaluate(() => ({
    inputs: document.querySelectorAll('input').length,
    inputCells: document.querySelectorAll('[data-testid="input-cell"]').length,
    outputCells: document.querySelectorAll('[data-testid="output-cell"]').length,
    weightCells: document.querySelectorAll('[data-testid="weight-cell"]').length,
  }));
  assert.deepEqual({ ...counts, inputs: undefined }, { inputs: undefined, inputCells: 8192, outputCells: 8192, weightCells: 576 });
  assert.ok(counts.inputs <= 3000, `${counts.inputs} <input> elements`);
  assert.equal(await page.$$eval('[data-testid="input-cell"] input, input[data-testid]', (els) => els.filter((e) => /cell/.test(e.dataset.testid)).length), 0);
  await p.close();
});

test('the matrices are grids too: one tab stop, arrows over headers and entries, the linked cells light up', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  const { page } = p;
  await page.click('.matrix-panel summary');
  await page.waitForSelector('[data-testid="kmat-row"]');
  const kmat = page.locator('[data-testid="kmat"]');
  assert.equal(await kmat.getAttribute('role'), 'grid');
  assert.equal(await kmat.locator('[tabindex="0"]').count(), 1);
  assert.equal(await kmat.locator('[role="row"]').count(), 5, 'a header row and 4 rows (2×2 outputs)');
  await page.focus('[data-testid="kmat-row"][data-row="0"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await page.evaluate(() => [document.activeElement.dataset.testid, document.activeElement.dataset.row, document.activeElement.dataset.col]), ['kmat-cell', '1', '0']);
  // Row 1 of M is output (0, 1): it lights up.
  assert.equal(await page.getAttribute(sel('output-cell', 0, 0, 1), 'data-highlight'), '1');
  await page.keyboard.press('Control+End');
  assert.deepEqual(await page.evaluate(() => [document.activeElement.dataset.row, document.activeElement.dataset.col]), ['3', '8']);
  await page.keyboard.press('Home');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'kmat-row');
  await p.close();
});
