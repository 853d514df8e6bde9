// How a grid draws (grid.js): cell colours are painted on one canvas behind the cells, at the
// positions styles.css gives the cells, at every cell size, on desktop and phone widths; a cell
// clips its text only when the text may not fit (data-long), and never loses a character that
// fits. Every check is on what the page lays out; none on time.
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

async function open(hash, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.base}index.html#${hash}`);
  await page.waitForSelector('html[data-ready="1"]');
  await page.waitForFunction(() => !document.body.dataset.building);
  return { page, async close() { await context.close(); assert.deepEqual(errors, []); } };
}

const square = (n, f) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => f(i, j)).join(',')).join(';');
// Inputs whose grids get each cell size (sz-lg, sz-md, sz-sm, sz-xs) and a kernel grid.
const SIZES = [3, 10, 14, 24].map((n) => `x=${square(n, (i, j) => (i * 3 + j) % 7 - 3)}&w=${square(3, (i, j) => i - j)}&padding=1`);

// Each grid's canvas spans exactly its lattice of cells (padding cells included): the colours
// sit under the cells they belong to.
async function canvasMismatches(page) {
  return page.$$eval('.tensor-panel .grid', (grids) => grids.map((g) => {
    const cells = [...g.querySelectorAll('.grow > .cell')];
    if (!cells.length) return null;
    const box = (el) => el.getBoundingClientRect();
    const left = Math.min(...cells.map((c) => box(c).left)), right = Math.max(...cells.map((c) => box(c).right));
    const top = Math.min(...cells.map((c) => box(c).top)), bottom = Math.max(...cells.map((c) => box(c).bottom));
    const cv = box(g.querySelector('canvas.grid-bg'));
    const off = Math.max(Math.abs(cv.left - left), Math.abs(cv.right - right), Math.abs(cv.top - top), Math.abs(cv.bottom - bottom));
    return off > 0.5 ? `${g.className}: canvas ${cv.width}×${cv.height} at ${cv.left},${cv.top}, cells ${right - left}×${bottom - top} at ${left},${top}` : null;
  }).filter(Boolean));
}

for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 800 }]]) {
  test(`the colour canvas lines up with the cells at every cell size (${name})`, async () => {
    const seen = new Set();
    for (const hash of SIZES) {
      const p = await open(hash, viewport);
      for (const c of await p.page.$$eval('.tensor-panel .grid', (gs) => gs.map((g) => g.className.split(' ')[1]))) seen.add(c);
      assert.deepEqual(await canvasMismatches(p.page), [], hash);
      await p.close();
    }
    assert.deepEqual([...seen].sort(), ['sz-lg', 'sz-md', 'sz-sm', 'sz-xs']);
  });
}

test('a cell clips its text only when the text may not fit, and a text that fits shows whole', async () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 800 }]) {
    // sz-sm input (14 columns): the narrowest cells that show their text.
    const p = await open(`x=${square(14, (i, j) => (i === 0 && j === 0 ? '-123.5' : i === 0 && j === 1 ? '0.3333' : (i + j) % 5 - 2))}&w=1`, viewport);
    const { page } = p;
    const info = await page.$$eval('[data-testid="input-cell"], [data-testid="output-cell"]', (els) => els.map((el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      const text = r.getBoundingClientRect(), box = el.getBoundingClientRect();
      return { text: el.textContent, long: el.hasAttribute('data-long'), overflow: getComputedStyle(el).overflow,
        fits: text.left >= box.left - 0.5 && text.right <= box.right + 0.5 };
    }));
    const long = info.filter((c) => c.long), short = info.filter((c) => !c.long);
    assert.ok(long.length >= 4 && short.length > 100, `${long.length} long, ${short.length} short`);
    for (const c of long) assert.equal(c.overflow, 'hidden', `"${c.text}" is clipped`);
    for (const c of short) {
      assert.ok(c.text.length <= 4, `"${c.text}" is short`);
      assert.equal(c.overflow, 'visible');
      assert.ok(c.fits, `"${c.text}" fits its cell (${viewport.width} px wide page)`);
    }
    // An edit that makes a short number long clips it; back to short, it shows whole again.
    const cell = page.locator('[data-testid="input-cell"][data-c="0"][data-h="3"][data-w="3"]');
    await cell.fill('0.123456');
    await page.keyboard.press('Tab');
    assert.equal(await cell.evaluate((el) => el.hasAttribute('data-long')), true);
    await cell.fill('7');
    await page.keyboard.press('Tab');
    assert.equal(await cell.evaluate((el) => [el.hasAttribute('data-long'), getComputedStyle(el).overflow].join()), 'false,visible');
    await p.close();
  }
});

test('a big grid is painted once while it is built a few rows per task (no repaint per chunk)', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    // Cells painted on a grid's canvas (each a copy of its colour's tile, grid-canvas.js).
    window.__rects = 0;
    const P = CanvasRenderingContext2D.prototype, f = P.drawImage;
    P.drawImage = function (...a) { if (this.canvas.classList.contains('grid-bg')) window.__rects++; return f.apply(this, a); };
  });
  const x = Array.from({ length: 4 }, (_, c) => square(48, (i, j) => (i * 7 + j * 3 + c) % 9 - 4)).join('|');
  await page.goto(`${server.base}index.html#x=${x}&w=${square(3, (i, j) => i + j - 2)}&padding=1&padding_mode=reflect`);
  await page.waitForSelector('html[data-ready="1"]');
  await page.waitForFunction(() => !document.body.dataset.building && !document.querySelector('[data-testid="grid-pending"]'));
  const { rects, cells, tasks } = await page.evaluate(() => ({
    rects: window.__rects,
    cells: document.querySelectorAll('.tensor-panel .grid .grow > .cell').length,
    tasks: window.convplayApp.stats.buildTasks.length,
  }));
  assert.ok(tasks > 4, `built over ${tasks} tasks`);
  assert.ok(cells > 4 * 50 * 50, `${cells} cells`);
  // Every cell (padding cells included) is painted once; the default page's grids, drawn before
  // the link loaded, add a few.
  assert.ok(rects >= cells && rects <= cells + 200, `${rects} cells painted for ${cells} cells`);
  await context.close();
});

test('an edit keeps the elements of panels whose content it does not change', async () => {
  const p = await open('x=1,2,3;4,5,6;7,8,9&w=1,0;0,1', { width: 1280, height: 900 });
  const { page } = p;
  await page.evaluate(() => {
    window.__kept = { formula: document.querySelector('[data-testid="formula"]').firstChild, explain: document.querySelector('[data-testid="explain"]').firstChild };
  });
  // An edit as a script makes it (no focus: the explanation describes the focused cell).
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="input-cell"][data-h="1"][data-w="1"]');
    el.value = '2';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="output-cell"][data-h="0"][data-w="0"]').dataset.value === '3');
  assert.deepEqual(await page.evaluate(() => [document.querySelector('[data-testid="formula"]').firstChild === window.__kept.formula,
    document.querySelector('[data-testid="explain"]').firstChild === window.__kept.explain]), [true, true]);
  // A change of what the formula says replaces it.
  await page.fill('[data-testid="param-stride-h"]', '2');
  await page.waitForFunction(() => document.querySelector('[data-testid="output-shape"]').textContent.includes('1×1×1×2'));
  assert.equal(await page.evaluate(() => document.querySelector('[data-testid="formula"]').firstChild === window.__kept.formula), false);
  await p.close();
});
