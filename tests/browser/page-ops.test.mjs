// Browser tests of the page for the new operations (issue 20, part A): conv1d (and causal),
// conv_transpose1d, conv3d, conv_transpose3d, max_pool2d and avg_pool2d. For every op: the page
// loaded from a URL over http and file:// shows the core's values (computed here in Node with
// dist/convplay.mjs, straight from the URL's numbers), every test hook (data-c/d/h/w/value,
// data-index), hover linking with the sum, a typed cell updating the output, the output-size
// formula; causal conv1d, the WaveNet stack, ceil_mode's extra and dropped windows, the export
// buttons, the animation, embed.html and <conv-playground> with the new keys, phone width.
// Screenshots (desktop and phone per op) go to build/screenshots/ops-*.png.
// Run: node --test tests/browser/page-ops.test.mjs (after node web/build.mjs)

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';
import { watchPage } from './page-issues.mjs';
import { load } from '../../dist/convplay.mjs';
import { parseHash } from '../../web/src/url-state.js';
import { deriveResult } from '../../web/src/model.js';
import { pytorchCode, numpyCode } from '../../web/src/export.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const shots = join(root, 'build', 'screenshots');
const cp = await load();

const T = (nested) => cp.tensor(nested);
// Each op: its URL, the core's output computed from the same numbers, the cell to hover.
const CASES = [
  { name: 'conv1d', hash: 'op=conv1d&x=1,2,3,4,5,6,7|0.5,-1,2,0,1,-2,3&w=1,0,-1|2,1,0|0.5,0.5,0.5|-1,1,-1&b=0.5,-2&stride=2&padding=1',
    x: [[1, 2, 3, 4, 5, 6, 7], [0.5, -1, 2, 0, 1, -2, 3]], core: (x) => cp.conv1d(T(x), T([[[1, 0, -1], [2, 1, 0]], [[0.5, 0.5, 0.5], [-1, 1, -1]]]), T([0.5, -2]), { stride: 2, padding: 1 }),
    hover: { c: 1, h: 0, w: 2 }, weights: 12 },
  { name: 'conv1d-causal', hash: 'op=conv1d&x=1,2,3,4,5,6,7,8&w=1,10,100&dilation=2&causal=1',
    x: [[1, 2, 3, 4, 5, 6, 7, 8]], core: (x) => cp.conv1d(cp.pad(T(x), { pad: [4, 0], mode: 'constant', value: 0 }), T([[[1, 10, 100]]]), null, { dilation: 2 }),
    hover: { c: 0, h: 0, w: 1 }, weights: 3 },
  { name: 'conv_transpose1d', hash: 'op=conv_transpose1d&x=1,2,3,4|-1,0,1,2&w=1,2,3|0,1,0&stride=2',
    x: [[1, 2, 3, 4], [-1, 0, 1, 2]], core: (x) => cp.convTranspose1d(T(x), T([[[1, 2, 3]], [[0, 1, 0]]]), null, { stride: 2 }),
    hover: { c: 0, h: 0, w: 4 }, weights: 6 },
  { name: 'conv3d', hash: 'op=conv3d&x=0,1,2,3;4,5,6,7;8,9,10,11;12,13,14,15/1,1,1,1;2,2,2,2;3,3,3,3;4,4,4,4/0,-1,0,1;1,0,-1,0;2,2,0,0;0,0,2,2&w=1,1;1,1/1,0;0,1|0,1;-1,0/2,0;0,-2&padding=1&b=1,-1',
    x: [[[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]], [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4]], [[0, -1, 0, 1], [1, 0, -1, 0], [2, 2, 0, 0], [0, 0, 2, 2]]]],
    core: (x) => cp.conv3d(T(x), T([[[[[1, 1], [1, 1]], [[1, 0], [0, 1]]]], [[[[0, 1], [-1, 0]], [[2, 0], [0, -2]]]]]), T([1, -1]), { padding: 1 }),
    hover: { c: 1, d: 2, h: 2, w: 2 }, weights: 16 },
  { name: 'conv_transpose3d', hash: 'op=conv_transpose3d&x=1,2;3,4/5,6;7,8&w=1,1;1,1/1,-1;-1,1&stride=2',
    x: [[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]], core: (x) => cp.convTranspose3d(T(x), T([[[[[1, 1], [1, 1]], [[1, -1], [-1, 1]]]]]), null, { stride: 2 }),
    hover: { c: 0, d: 3, h: 1, w: 2 }, weights: 8 },
  { name: 'max_pool2d', hash: 'op=max_pool2d&x=1,5,2,0,3;4,0,9,1,2;7,3,3,8,6;0,1,2,5,4;9,2,7,1,0|0,0,1,0,0;2,0,0,3,0;0,4,0,0,5;6,0,0,7,0;0,0,8,0,9&kernel_size=2&ceil_mode=1',
    x: [[[1, 5, 2, 0, 3], [4, 0, 9, 1, 2], [7, 3, 3, 8, 6], [0, 1, 2, 5, 4], [9, 2, 7, 1, 0]], [[0, 0, 1, 0, 0], [2, 0, 0, 3, 0], [0, 4, 0, 0, 5], [6, 0, 0, 7, 0], [0, 0, 8, 0, 9]]],
    core: (x) => cp.maxPool2d(T(x), { kernelSize: 2, ceilMode: true, returnIndices: true }), hover: { c: 0, h: 1, w: 1 }, weights: 0 },
  { name: 'avg_pool2d', hash: 'op=avg_pool2d&x=1,5,2,0,3;4,0,9,1,2;7,3,3,8,6;0,1,2,5,4;9,2,7,1,0&kernel_size=3&stride=2&padding=1&count_include_pad=0',
    x: [[[1, 5, 2, 0, 3], [4, 0, 9, 1, 2], [7, 3, 3, 8, 6], [0, 1, 2, 5, 4], [9, 2, 7, 1, 0]]],
    core: (x) => cp.avgPool2d(T(x), { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }), hover: { c: 0, h: 0, w: 0 }, weights: 0 },
];

let server, browser;

before(async () => {
  await stat(join(dist, 'index.html'));
  await mkdir(shots, { recursive: true });
  const component = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ops components</title><link rel="icon" href="favicon.svg" type="image/svg+xml"><script src="conv-playground.js"></script></head><body><main>
<conv-playground id="pool" op="max_pool2d" x="1,5,2;4,0,9;7,3,3" kernel_size="2" ceil_mode="1" panels="grids,formula"></conv-playground>
<conv-playground id="c3" op="conv3d" x="1,2;3,4/5,6;7,8" w="1/1" panels="grids"></conv-playground>
<conv-playground id="causal" op="conv1d" x="1,2,3,4" w="1,1" causal="1" dilation="2" panels="grids"></conv-playground>
</main></body></html>`;
  server = await serveStatic(dist, { index: component });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(hash, { base = 'http', file = 'index.html', width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, hasTouch: width < 600 });
  const page = await context.newPage();
  const prefix = base === 'http' ? server.base : pathToFileURL(dist).href + '/';
  const issues = watchPage(page, prefix);
  await page.goto(prefix + file + (hash ? `#${hash}` : ''));
  await page.waitForSelector(file === '' ? 'conv-playground[ready]' : 'html[data-ready="1"]', { timeout: 15000 });
  return { page, issues, async close() { await context.close(); assert.deepEqual(issues, [], 'no console errors and no requests outside dist/'); } };
}

// Every cell of a kind: its data-* hooks as numbers.
const cells = (page, testid) => page.locator(`[data-testid="${testid}"]`).evaluateAll((els) => els.map((e) => {
  const d = e.dataset;
  return { c: Number(d.c), d: d.d === undefined ? null : Number(d.d), h: d.h === undefined ? null : Number(d.h), w: Number(d.w), value: Number(d.value), index: d.index === undefined ? null : Number(d.index) };
}));
const sel = (testid, q) => `[data-testid="${testid}"][data-c="${q.c}"]${q.d !== undefined ? `[data-d="${q.d}"]` : ''}[data-h="${q.h}"][data-w="${q.w}"]`;

// The flat index of a cell in a [C, (D,) (H,) W] tensor of the core's shape.
function flatIndex(shape, q) {
  if (shape.length === 2) return q.c * shape[1] + q.w;
  if (shape.length === 3) return (q.c * shape[1] + q.h) * shape[2] + q.w;
  return ((q.c * shape[1] + q.d) * shape[2] + q.h) * shape[3] + q.w;
}

async function checkOutputs(page, y, indices = null, label = '') {
  await page.waitForFunction((s) => document.querySelector('[data-testid="output-shape"]').textContent === s, `1×${y.shape.join('×')}`);
  // Big grids are built a few rows per frame (budget.js): wait until every grid is built.
  await page.waitForFunction(() => !document.body.dataset.building && !document.querySelector('[data-testid="grid-pending"]'));
  const out = await cells(page, 'output-cell');
  assert.equal(out.length, y.data.length, `${label}: every output value is drawn`);
  for (const q of out) {
    const k = flatIndex(y.shape, q);
    assert.ok(Math.abs(q.value - y.data[k]) <= 1e-6 * Math.max(1, Math.abs(y.data[k])), `${label}: output ${JSON.stringify(q)} = core ${y.data[k]}`);
    if (indices) assert.equal(q.index, indices.data[k], `${label}: data-index of ${JSON.stringify(q)}`);
  }
  return out;
}

describe('every op: the core’s values, the hooks, hover linking, editing (http)', () => {
  for (const cs of CASES) {
    test(cs.name, async () => {
      const p = await open(cs.hash);
      const { page } = p;
      const res = cs.core(cs.x);
      const y = res.output || res;
      await checkOutputs(page, y, res.indices, cs.name);
      // Hooks: 1-D cells are one row (data-h="0"); 3-D cells name their slice; pooling has no weights.
      const xs = await cells(page, 'input-cell');
      const xShape = T(cs.x).shape;
      assert.equal(xs.length, xShape.reduce((a, v) => a * v, 1));
      for (const q of xs) {
        if (xShape.length === 2) assert.equal(q.h, 0);
        assert.equal(q.d !== null, xShape.length === 4, 'data-d on 3-D cells only');
        assert.equal(q.value, cs.x.flat(3)[flatIndex(xShape, q)]);
      }
      assert.equal(await page.locator('[data-testid="weight-cell"]').count(), cs.weights);
      if (xShape.length === 4) assert.ok((await cells(page, 'weight-cell')).every((q) => q.d !== null));
      // Hover an output cell: its sum (or window) and its receptive field light up.
      const target = sel('output-cell', cs.hover);
      await page.hover(target);
      const value = Number(await page.getAttribute(target, 'data-value'));
      await page.waitForSelector(`${target}[data-hover="1"]`);
      const shown = (await page.locator('[data-testid="explain-result"]').textContent()).replace('−', '-');
      assert.ok(Math.abs(Number(shown) - value) <= 1e-5 * Math.max(1, Math.abs(value)), `explanation ${shown} = ${value}`);
      const lit = await page.locator('[data-testid="input-cell"][data-highlight="1"]').evaluateAll((els) => els.map((e) => e.dataset.d));
      assert.ok(lit.length > 0, 'the receptive field lights up');
      if (cs.name === 'conv3d') assert.deepEqual([...new Set(lit)].sort(), ['1', '2'], 'across depth slices');
      if (cs.name === 'conv3d') {
        // padding 1: a padding slice before and after each channel's slices, zeros, dashed.
        const ghostDepths = await page.locator('[data-testid="ghost-cell"]').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.d))].sort());
        assert.deepEqual(ghostDepths, ['-1', '0', '1', '2', '3']);
        await page.hover(sel('output-cell', { c: 1, d: 3, h: 2, w: 2 }));
        await page.waitForSelector(`${sel('output-cell', { c: 1, d: 3, h: 2, w: 2 })}[data-hover="1"]`);
        assert.equal(await page.locator('[data-testid="ghost-cell"][data-d="3"][data-highlight="1"]').count(), 4, 'y[1, 3, 2, 2] reads 4 cells of the back padding slice');
        await page.hover(target);
      }
      if (cs.name === 'max_pool2d') {
        const won = await page.locator('[data-testid="input-cell"][data-via="win"]').evaluateAll((els) => els.map((e) => Number(e.dataset.h) * 5 + Number(e.dataset.w)));
        assert.deepEqual(won, [Number(await page.getAttribute(target, 'data-index'))], 'the winner is lit');
        assert.match(await page.locator('[data-testid="explain"]').textContent(), /its index is 13 = 2·5 \+ 3/);
      }
      if (cs.name === 'avg_pool2d') assert.equal(await page.locator('[data-testid="explain-divisor"]').textContent(), '4');
      if (cs.name === 'conv1d-causal') assert.match(await page.locator('[data-testid="explain"]').textContent(), /F\.pad\(x, \(4, 0\)\)/);
      // Editing the first input cell: the output follows (the core on the edited input).
      const first = page.locator('[data-testid="input-cell"]').first();
      await first.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('10');
      await page.keyboard.press('Tab');
      const x2 = structuredClone(cs.x);
      let node = x2; while (Array.isArray(node[0])) node = node[0];
      node[0] = 10;
      const r2 = cs.core(x2);
      await page.waitForFunction(([s, v]) => document.querySelector(s)?.dataset.value === v, [sel('input-cell', xShape.length === 4 ? { c: 0, d: 0, h: 0, w: 0 } : { c: 0, h: 0, w: 0 }), '10']);
      await page.waitForFunction((want) => [...document.querySelectorAll('[data-testid="output-cell"]')].map((e) => e.dataset.value).join(',') === want,
        Array.from((r2.output || r2).data, (v) => String(Number(v.toPrecision(8)))).join(','), { timeout: 5000 }).catch(() => {});
      await checkOutputs(page, r2.output || r2, r2.indices, `${cs.name} after an edit`);
      assert.match(await page.evaluate(() => location.hash), /x=10[,;]/, 'the URL follows the edit');
      await page.screenshot({ path: join(shots, `ops-${cs.name}-desktop.png`), fullPage: true });
      await p.close();
    });
  }
});

describe('file://, phone width, 中文', () => {
  test('every op from file:// (values) and at phone width (screenshot, no page-wide overflow)', async () => {
    for (const cs of CASES) {
      const f = await open(cs.hash, { base: 'file' });
      const res = cs.core(cs.x);
      await checkOutputs(f.page, res.output || res, res.indices, `${cs.name} file://`);
      await f.close();
      const p = await open(cs.hash, { width: 390, height: 844 });
      await checkOutputs(p.page, res.output || res, res.indices, `${cs.name} phone`);
      const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `${cs.name}: the page is no wider than the phone (${overflow}px over)`);
      await p.page.tap(sel('output-cell', cs.hover));
      await p.page.waitForSelector('[data-testid="explain-result"]');
      await p.page.screenshot({ path: join(shots, `ops-${cs.name}-phone.png`), fullPage: true });
      await p.close();
    }
  });

  test('中文: the new ops’ formulas and explanations', async () => {
    const p = await open(`${CASES[5].hash}&lang=zh`);
    await p.page.hover(sel('output-cell', { c: 0, h: 2, w: 2 }));
    assert.match(await p.page.locator('[data-testid="explain"]').textContent(), /ceil_mode 把输出尺寸向上取整/);
    assert.match(await p.page.locator('[data-testid="formula"]').textContent(), /ceil_mode 向上取整/);
    await p.page.evaluate((h) => { location.hash = h; }, `${CASES[1].hash}&lang=zh`);
    await p.page.waitForSelector('[data-testid="causal-note"]');
    assert.match(await p.page.locator('[data-testid="causal-note"]').textContent(), /因果卷积：F\.pad 只在左侧补/);
    await p.page.screenshot({ path: join(shots, 'ops-causal-zh.png'), fullPage: true });
    await p.close();
  });
});

describe('causal, WaveNet, ceil_mode, formula', () => {
  test('the causal switch pads (k − 1)·d on the left only; the output keeps the input’s length', async () => {
    const p = await open('op=conv1d&x=1,2,3,4,5,6&w=1,1,1&dilation=2');
    const { page } = p;
    assert.equal(await page.locator('[data-testid="output-shape"]').textContent(), '1×1×2');
    await page.check('[data-testid="param-causal"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="output-shape"]').textContent === '1×1×6');
    assert.match(await page.evaluate(() => location.hash), /&causal=1/);
    const ghosts = await page.locator('[data-testid="ghost-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.w)));
    assert.deepEqual(ghosts.sort((a, b) => a - b), [-4, -3, -2, -1], '(3 − 1)·2 zeros on the left, none on the right');
    const y = cp.conv1d(cp.pad(T([[1, 2, 3, 4, 5, 6]]), { pad: [4, 0], mode: 'constant', value: 0 }), T([[[1, 1, 1]]]), null, { dilation: 2 });
    await checkOutputs(page, y, null, 'causal');
    assert.match(await page.locator('[data-testid="formula"]').textContent(), /causal: F\.pad adds \(k − 1\)·d = 4 on the left/);
    await p.close();
  });

  test('WaveNet: one chip per layer; the output’s non-zero cells are the receptive field 2, 4, 8, 16', async () => {
    const p = await open('');
    for (let n = 1; n <= 4; n++) {
      await p.page.click(`[data-testid="preset-wavenet-${n}"]`);
      await p.page.waitForFunction((d) => new RegExp(`dilation=${d}(&|$)`).test(location.hash) || (d === 1 && /op=conv1d/.test(location.hash) && !/dilation=/.test(location.hash)), 2 ** (n - 1));
      await p.page.waitForFunction((want) => [...document.querySelectorAll('[data-testid="output-cell"]')].filter((e) => Number(e.dataset.value) !== 0).length === want, 2 ** n);
      assert.match(await p.page.locator('[data-testid="notice"]').textContent(), new RegExp(`sees ${2 ** n} positions`));
      assert.match(await p.page.evaluate(() => location.hash), /causal=1/);
    }
    await p.page.hover(sel('output-cell', { c: 0, h: 0, w: 15 }));
    assert.match(await p.page.locator('[data-testid="explain"]').textContent(), /x\[…, 7…15\]/, 'layer 4 (dilation 8) reads 15 − 8 and 15');
    await p.page.screenshot({ path: join(shots, 'ops-wavenet-layer4.png'), fullPage: true });
    await p.close();
  });

  test('ceil_mode: the extra window and the rule that drops one, in the formula and the grids', async () => {
    const p = await open('op=max_pool2d&x=1,2,3,4,5;6,7,8,9,10;1,2,3,4,5;6,7,8,9,10;1,2,3,4,5&kernel_size=2&padding=1&ceil_mode=1');
    const { page } = p;
    assert.equal(await page.locator('[data-testid="output-shape"]').textContent(), '1×1×3×3');
    const dropped = await page.locator('[data-testid="ceil-dropped"]').allTextContents();
    assert.equal(dropped.length, 2, 'height and width');
    assert.match(dropped[0], /start at 5 = \(4 − 1\)·2 − 1, at or past the input’s end \(5\)/);
    await page.goto(`${server.base}index.html#op=max_pool2d&x=1,2,3;4,5,6;7,8,9&kernel_size=2&ceil_mode=1`);
    await page.waitForSelector('html[data-ready="1"]');
    assert.match(await page.locator('[data-testid="ceil-extra"]').first().textContent(), /one more window than the floor gives \(2 instead of 1\)/);
    // The row and column past the input that the extra window covers are drawn (dashed).
    assert.equal(await page.locator('[data-testid="ghost-cell"]').count(), 7);
    await page.hover(sel('output-cell', { c: 0, h: 1, w: 1 }));
    assert.match(await page.locator('[data-testid="explain"]').textContent(), /this window exists only because ceil_mode/);
    assert.equal(await page.locator('[data-testid="ghost-cell"][data-highlight="1"]').count(), 3);
    await p.close();
  });

  test('conv_transpose3d: the depth slices and the rows and columns padding crops are drawn with the full result', async () => {
    const hash = 'op=conv_transpose3d&x=1,2;3,4/5,6;7,8|0,1;-1,2/1,1;2,-2&w=1,1;1,1/1,-1;2,1|0,1;1,0/2,0;0,1&stride=2&padding=1,1,0&b=0.5';
    const p = await open(hash);
    const { page } = p;
    assert.equal(await page.locator('[data-testid="output-shape"]').textContent(), '1×1×2×2×4');
    // The full result: the same op without padding ([1, 4, 4, 4]); the output is its depths and
    // rows 1–2, columns 0–3.
    const x = T([[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[0, 1], [-1, 2]], [[1, 1], [2, -2]]]]);
    const w = T([[[[[1, 1], [1, 1]], [[1, -1], [2, 1]]]], [[[[0, 1], [1, 0]], [[2, 0], [0, 1]]]]]);
    const full = cp.convTranspose3d(x, w, T([0.5]), { stride: 2 });
    assert.deepEqual(full.shape, [1, 4, 4, 4]);
    await page.waitForFunction(() => !document.body.dataset.building && !document.querySelector('[data-testid="grid-pending"]'));
    const cropped = await cells(page, 'cropped-cell');
    // Depths −1 and 2 whole (4×4 each, their rows' ring included), and the cropped rows around
    // depths 0 and 1 (2 rows × 4 columns each).
    assert.equal(cropped.length, 2 * 16 + 2 * 8);
    assert.deepEqual([...new Set(cropped.map((q) => q.d))].sort(), [-1, 0, 1, 2]);
    for (const q of cropped) {
      const v = full.data[((q.d + 1) * 4 + q.h + 1) * 4 + q.w];
      assert.equal(q.value, v, `cropped ${JSON.stringify(q)} = full result ${v}`);
    }
    const out = await cells(page, 'output-cell');
    for (const q of out) assert.equal(q.value, full.data[((q.d + 1) * 4 + q.h + 1) * 4 + q.w], `output ${JSON.stringify(q)}`);
    // Hovering a cropped cell of a cropped slice explains it in full-result coordinates.
    await page.hover(sel('cropped-cell', { c: 0, d: 2, h: 0, w: 1 }));
    assert.match(await page.locator('[data-testid="explain"]').textContent(), /depth 3, row 1, column 1\), but padding=1,1,0 removes it/);
    await page.locator('.output-panel').screenshot({ path: join(shots, 'ops-convt3d-cropped.png') });
    await p.close();
  });

  test('the formula per dimension: 3-D has depth, height and width; 1-D has one length', async () => {
    const p = await open(CASES[3].hash);
    assert.deepEqual(await p.page.locator('[data-testid="formula"] .fblock').evaluateAll((els) => els.map((e) => e.dataset.dim)), ['D', 'H', 'W']);
    assert.match(await p.page.locator('[data-testid="formula"]').textContent(), /= 4\s*$|=\s*4/);
    await p.page.evaluate((h) => { location.hash = h; }, CASES[0].hash);
    await p.page.waitForFunction(() => document.querySelectorAll('[data-testid="formula"] .fblock').length === 1);
    await p.page.evaluate(() => { location.hash = 'op=conv1d&x=1,2&w=1,1,1'; });
    await p.page.waitForFunction(() => document.querySelector('[data-testid="output-shape"]').textContent === '—');
    assert.match(await p.page.locator('[data-testid="error"]').textContent(), /conv1d/);
    assert.ok(await p.page.locator('[data-testid="formula"] .result.bad').count() > 0, 'the formula shows the non-positive size');
    await p.close();
  });
});

describe('export, animation, embed and <conv-playground>', () => {
  test('Copy as PyTorch / NumPy give the run-tested scripts (tests/node/export-ops.test.mjs) for every op', async () => {
    const p = await open(CASES[0].hash);
    for (const cs of CASES) {
      await p.page.evaluate((h) => { location.hash = h; }, cs.hash);
      const res = cs.core(cs.x);
      await checkOutputs(p.page, res.output || res, res.indices, cs.name);
      const s = parseHash(cs.hash).state;
      const r = deriveResult(cp, s);
      for (const [kind, code] of [['pytorch', pytorchCode(s, r)], ['numpy', numpyCode(s, r)]]) {
        await p.page.click(`[data-testid="export-${kind}"]`);
        await p.page.waitForFunction((k) => document.querySelector('[data-testid="export-code"]')?.dataset.kind === k, kind);
        assert.equal(await p.page.locator('[data-testid="export-code"]').inputValue(), code, `${cs.name} ${kind}`);
        await p.page.click(`[data-testid="export-${kind}"]`); // closes the box
      }
    }
    await p.close();
  });

  test('the animation steps through pooling outputs and conv_transpose1d inputs', async () => {
    const p = await open(CASES[5].hash);
    const { page } = p;
    await page.click('[data-testid="anim-start"]');
    await page.waitForSelector('[data-testid="anim-scrub"]');
    assert.equal(await page.getAttribute('[data-testid="anim-scrub"]', 'max'), '18');
    await page.click('[data-testid="anim-forward"]');
    await page.waitForSelector(`${sel('output-cell', { c: 0, h: 0, w: 1 })}[data-hover="1"]`);
    await page.click('[data-testid="anim-stop"]');
    await page.evaluate((h) => { location.hash = h; }, CASES[2].hash);
    await page.waitForFunction(() => document.querySelector('[data-testid="output-shape"]').textContent === '1×1×9');
    await page.click('[data-testid="anim-start"]');
    await page.waitForSelector(`${sel('input-cell', { c: 0, h: 0, w: 0 })}[data-hover="1"]`);
    // Step 1: only x[0, 0] has scattered: y = x[0,0] · w[0, 0, :] at 0…2.
    const vals = await page.locator('[data-testid="output-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
    assert.deepEqual(vals, [1, 2, 3, 0, 0, 0, 0, 0, 0]);
    await p.close();
  });

  test('embed.html and <conv-playground> take the new keys', async () => {
    const e = await open(`${CASES[3].hash}&panels=grids,formula`, { file: 'embed.html', width: 800 });
    const res = CASES[3].core(CASES[3].x);
    await checkOutputs(e.page, res, null, 'embed conv3d');
    await e.close();
    const c = await open('', { file: '' });
    await c.page.waitForFunction(() => [...document.querySelectorAll('conv-playground')].every((el) => el.hasAttribute('ready')));
    const values = (id) => c.page.evaluate((i) => [...document.getElementById(i).shadowRoot.querySelectorAll('[data-testid="output-cell"]')]
      .map((el) => [Number(el.dataset.value), el.dataset.index ?? null]), id);
    const mp = cp.maxPool2d(T([[[1, 5, 2], [4, 0, 9], [7, 3, 3]]]), { kernelSize: 2, ceilMode: true, returnIndices: true });
    assert.deepEqual(await values('pool'), Array.from(mp.output.data, (v, i) => [v, String(mp.indices.data[i])]));
    assert.deepEqual(await values('c3'), [[6, null], [8, null], [10, null], [12, null]]);
    const causal = cp.conv1d(cp.pad(T([[1, 2, 3, 4]]), { pad: [2, 0], mode: 'constant', value: 0 }), T([[[1, 1]]]), null, { dilation: 2 });
    assert.deepEqual((await values('causal')).map((q) => q[0]), Array.from(causal.data));
    await c.close();
  });
});
