// Browser tests of the playground page (dist/index.html), headless Chromium via playwright-core.
// Build first: node web/build.mjs (after scripts/build.sh made dist/convplay.js).
// Run: node --test tests/browser/page.test.mjs
// Serves dist/ from a local http server on 127.0.0.1 (random port); also opens file://.
// Every page records its requests and console messages: nothing may leave dist/, nothing may
// log an error. Screenshots go to build/screenshots/.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const shots = join(root, 'build', 'screenshots');
const fileBase = pathToFileURL(join(dist, 'index.html')).href;

let server, httpBase, browser;
const served = [];

before(async () => {
  await stat(join(dist, 'index.html')).catch(() => { throw new Error('dist/index.html is missing: run node web/build.mjs first'); });
  await stat(join(dist, 'convplay.js')).catch(() => { throw new Error('dist/convplay.js is missing: run bash scripts/build.sh first'); });
  await mkdir(shots, { recursive: true });
  server = await serveStatic(dist, { onRequest: (path) => served.push(path) });
  httpBase = `${server.base}index.html`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

// Opens the page; returns {page, problems()} where problems lists console errors, page errors
// and requests outside dist/.
async function open(hash = '', { base = 'http', width = 1280, height = 800, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const issues = [];
  const prefix = base === 'http' ? httpBase.replace(/index\.html$/, '') : pathToFileURL(dist).href + '/';
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') issues.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => issues.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(prefix) && !url.startsWith('data:')) issues.push(`request outside dist/: ${url}`);
  });
  await page.goto((base === 'http' ? httpBase : fileBase) + (hash ? `#${hash.replace(/^#/, '')}` : ''));
  await page.waitForSelector('html[data-ready="1"]', { timeout: 10000 });
  return {
    page,
    context,
    async close() {
      await context.close();
      assert.deepEqual(issues, [], 'no console errors and no requests outside dist/');
    },
  };
}

const outputValues = (page) => page.locator('[data-testid="output-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
const shape = (page) => page.locator('[data-testid="output-shape"]').textContent();
const errorText = async (page) => (await page.locator('[data-testid="error"]').textContent()).trim();
const cell = (page, testid, c, hh, w, extra = '') => page.locator(`[data-testid="${testid}"][data-c="${c}"][data-h="${hh}"][data-w="${w}"]${extra}`);
const highlighted = (page, testid) => page.locator(`[data-testid="${testid}"][data-highlight="1"]`).evaluateAll((els) => els.map((e) => `${e.dataset.c}:${e.dataset.h},${e.dataset.w}`).sort());
async function setParam(page, name, value) {
  await page.locator(`[data-testid="param-${name}"]`).fill(String(value));
}
async function typeCell(page, testid, c, hh, w, value, extra = '') {
  const el = cell(page, testid, c, hh, w, extra);
  await el.click();
  await page.keyboard.type(String(value));
}

const ar = (n, start = 0) => Array.from({ length: n }, (_, i) => start + i);
const rows = (flat, W) => ar(flat.length / W).map((r) => flat.slice(r * W, r * W + W).join(',')).join(';');

// ---- the worked examples of /work/shared/seeds/README.md, through the URL ------------------
const SEEDS = [
  { name: '004 conv2d 3×3 arange ⊛ 2×2 ones', hash: 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1', shape: '1×1×2×2', values: [12, 16, 24, 28] },
  { name: '004 conv_transpose2d with 3×3 ones', hash: 'op=conv_transpose2d&x=12,16;24,28&w=1,1,1;1,1,1;1,1,1', shape: '1×1×4×4',
    values: [12, 28, 28, 16, 36, 80, 80, 44, 36, 80, 80, 44, 24, 52, 52, 28] },
  { name: '001 d2l trans_conv X=K=[[0,1],[2,3]]', hash: 'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3', shape: '1×1×3×3', values: [0, 0, 1, 0, 4, 6, 4, 12, 9] },
  { name: '001 padding=1 removes the outer ring', hash: 'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&padding=1', shape: '1×1×1×1', values: [4] },
  { name: '001 stride 2 -> 4×4', hash: 'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&stride=2', shape: '1×1×4×4', values: [0, 0, 0, 1, 0, 0, 2, 3, 0, 2, 0, 3, 4, 6, 6, 9] },
  { name: '002 dilation 1', hash: `op=conv2d&x=${rows(ar(25), 5)}&w=1,1,1;1,1,1;1,1,1`, shape: '1×1×3×3', values: [54, 63, 72, 99, 108, 117, 144, 153, 162] },
  { name: '002 dilation 2', hash: `op=conv2d&x=${rows(ar(25), 5)}&w=1,1,1;1,1,1;1,1,1&dilation=2`, shape: '1×1×1×1', values: [108] },
  { name: '002 padding_mode zeros', hash: `op=conv2d&x=${rows(ar(16), 4)}&w=1&padding=1`, shape: '1×1×6×6', firstRow: [0, 0, 0, 0, 0, 0] },
  { name: '002 padding_mode reflect', hash: `op=conv2d&x=${rows(ar(16), 4)}&w=1&padding=1&padding_mode=reflect`, shape: '1×1×6×6', firstRow: [5, 4, 5, 6, 7, 6] },
  { name: '002 padding_mode replicate', hash: `op=conv2d&x=${rows(ar(16), 4)}&w=1&padding=2&padding_mode=replicate`, shape: '1×1×8×8', firstRow: [0, 0, 0, 1, 2, 3, 3, 3] },
  { name: '002 padding_mode circular', hash: `op=conv2d&x=${rows(ar(16), 4)}&w=1&padding=2&padding_mode=circular`, shape: '1×1×8×8', firstRow: [10, 11, 8, 9, 10, 11, 8, 9] },
  { name: "003 i'=5 k=3 s=2 -> 11", hash: `op=conv_transpose2d&x=${rows(new Array(25).fill(1), 5)}&w=1,1,1;1,1,1;1,1,1&stride=2`, shape: '1×1×11×11' },
  { name: "003 i'=4 k=3 s=2 output_padding=1 -> 10", hash: `op=conv_transpose2d&x=${rows(new Array(16).fill(1), 4)}&w=1,1,1;1,1,1;1,1,1&stride=2&output_padding=1`, shape: '1×1×10×10' },
  { name: '000 3×3 kernel on 4×4 input', hash: `op=conv2d&x=${rows(ar(16), 4)}&w=${rows(ar(9, 1), 3)}`, shape: '1×1×2×2', values: [303, 348, 483, 528] },
];

describe('seed examples through the URL hash', () => {
  for (const seed of SEEDS) {
    test(seed.name, async () => {
      const p = await open(seed.hash);
      assert.equal(await shape(p.page), seed.shape);
      assert.equal(await errorText(p.page), '');
      const vals = await outputValues(p.page);
      if (seed.values) assert.deepEqual(vals, seed.values);
      if (seed.firstRow) assert.deepEqual(vals.slice(0, seed.firstRow.length), seed.firstRow);
      await p.close();
    });
  }

  test('one click loads each worked example', async () => {
    const p = await open();
    const expectations = {
      'seed004-conv': [12, 16, 24, 28], 'seed001-tconv': [0, 0, 1, 0, 4, 6, 4, 12, 9], 'seed001-pad': [4],
      'seed002-dil2': [108], 'seed001-k2m': [27, 37, 57, 67],
    };
    for (const [id, values] of Object.entries(expectations)) {
      await p.page.click(`[data-testid="example-${id}"]`);
      assert.deepEqual(await outputValues(p.page), values, id);
    }
    await p.page.click('[data-testid="example-seed003-b"]');
    assert.equal(await shape(p.page), '1×1×10×10');
    await p.page.click('[data-testid="example-seed001-bilinear"]');
    assert.equal(await shape(p.page), '1×1×24×24');
    await p.page.click('[data-testid="example-seed000-kmatrix"]');
    await p.page.click('.matrix-panel summary');
    await p.page.waitForFunction(() => /\[4, 16\]/.test(document.querySelector('.matrix-body').textContent));
    await p.page.click('[data-testid="example-seed000-unfold"]');
    assert.match(await p.page.locator('.matrix-body').textContent(), /\[30, 4\]/);
    await p.close();
  });
});

// ---- the same examples through the UI: typing into cells and fields -------------------------
describe('seed examples through the UI', () => {
  test('004: type a 3×3 input and a 2×2 kernel -> 12 16 24 28, then transpose it', async () => {
    const p = await open();
    const { page } = p;
    await setParam(page, 'height', 3);
    await setParam(page, 'width', 3);
    await setParam(page, 'kernel-h', 2);
    await setParam(page, 'kernel-w', 2);
    for (let i = 0; i < 9; i++) await typeCell(page, 'input-cell', 0, Math.floor(i / 3), i % 3, i + 1);
    for (let i = 0; i < 4; i++) await typeCell(page, 'weight-cell', 0, Math.floor(i / 2), i % 2, 1, '[data-o="0"][data-i="0"]');
    assert.deepEqual(await outputValues(page), [12, 16, 24, 28]);
    assert.equal(await shape(page), '1×1×2×2');
    assert.equal(await errorText(page), '');
    assert.equal(await cell(page, 'input-cell', 0, 2, 2).getAttribute('data-value'), '9');
    // The URL carries the state.
    assert.match(page.url(), /#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1$/);
    // Transposed: 2×2 input [[12,16],[24,28]] with 3×3 ones.
    await page.click('[data-testid="op-conv_transpose2d"] + label');
    await setParam(page, 'height', 2);
    await setParam(page, 'width', 2);
    const vals = [12, 16, 24, 28];
    for (let i = 0; i < 4; i++) await typeCell(page, 'input-cell', 0, Math.floor(i / 2), i % 2, vals[i]);
    await setParam(page, 'kernel-h', 3);
    await setParam(page, 'kernel-w', 3);
    await page.click('[data-testid="preset-kernel-ones"]');
    assert.equal(await shape(page), '1×1×4×4');
    assert.deepEqual(await outputValues(page), [12, 28, 28, 16, 36, 80, 80, 44, 36, 80, 80, 44, 24, 52, 52, 28]);
    await p.close();
  });

  test('001: d2l transposed conv typed in, then padding 1 and stride 2', async () => {
    const p = await open();
    const { page } = p;
    await page.click('label[for="op-conv_transpose2d"]');
    for (const [n, v] of [['height', 2], ['width', 2], ['kernel-h', 2], ['kernel-w', 2]]) await setParam(page, n, v);
    const X = [0, 1, 2, 3];
    for (let i = 0; i < 4; i++) await typeCell(page, 'input-cell', 0, Math.floor(i / 2), i % 2, X[i]);
    for (let i = 0; i < 4; i++) await typeCell(page, 'weight-cell', 0, Math.floor(i / 2), i % 2, X[i]);
    assert.deepEqual(await outputValues(page), [0, 0, 1, 0, 4, 6, 4, 12, 9]);
    await setParam(page, 'padding-h', 1);
    await setParam(page, 'padding-w', 1);
    assert.deepEqual(await outputValues(page), [4]);
    // The cropped ring is drawn as ghost cells holding the full result.
    assert.equal(await page.locator('[data-testid="cropped-cell"]').count(), 8);
    await setParam(page, 'padding-h', 0);
    await setParam(page, 'padding-w', 0);
    await setParam(page, 'stride-h', 2);
    await setParam(page, 'stride-w', 2);
    assert.equal(await shape(page), '1×1×4×4');
    assert.deepEqual(await outputValues(page), [0, 0, 0, 1, 0, 0, 2, 3, 0, 2, 0, 3, 4, 6, 6, 9]);
    await p.close();
  });

  test('002: default 5×5 arange with 3×3 ones; dilation 2 gives 108; padding modes', async () => {
    const p = await open();
    const { page } = p;
    assert.deepEqual(await outputValues(page), [54, 63, 72, 99, 108, 117, 144, 153, 162]);
    await setParam(page, 'dilation-h', 2);
    await setParam(page, 'dilation-w', 2);
    assert.deepEqual(await outputValues(page), [108]);
    // 4×4 arange, 1×1 kernel of 1, padding 1 reflect.
    for (const [n, v] of [['dilation-h', 1], ['dilation-w', 1], ['height', 4], ['width', 4], ['kernel-h', 1], ['kernel-w', 1], ['padding-h', 1], ['padding-w', 1]]) await setParam(page, n, v);
    await page.click('[data-testid="preset-input-arange"]');
    await page.click('[data-testid="preset-kernel-ones"]');
    await page.selectOption('[data-testid="param-padding_mode"]', 'reflect');
    assert.deepEqual((await outputValues(page)).slice(0, 6), [5, 4, 5, 6, 7, 6]);
    // Ghost cells hold the real padded values.
    assert.equal(await cell(page, 'ghost-cell', 0, -1, -1).getAttribute('data-value'), '5');
    await page.selectOption('[data-testid="param-padding_mode"]', 'circular');
    await setParam(page, 'padding-h', 2);
    await setParam(page, 'padding-w', 2);
    assert.deepEqual((await outputValues(page)).slice(0, 8), [10, 11, 8, 9, 10, 11, 8, 9]);
    await page.selectOption('[data-testid="param-padding_mode"]', 'replicate');
    assert.deepEqual((await outputValues(page)).slice(0, 8), [0, 0, 0, 1, 2, 3, 3, 3]);
    await p.close();
  });

  test('003: transposed-conv output sizes 11 and 10 (output_padding)', async () => {
    const p = await open();
    const { page } = p;
    await page.click('label[for="op-conv_transpose2d"]');
    await page.click('[data-testid="preset-input-ones"]');
    await page.click('[data-testid="preset-kernel-ones"]');
    await setParam(page, 'stride-h', 2);
    await setParam(page, 'stride-w', 2);
    assert.equal(await shape(page), '1×1×11×11');
    await setParam(page, 'height', 4);
    await setParam(page, 'width', 4);
    assert.equal(await shape(page), '1×1×9×9');
    await setParam(page, 'output_padding-h', 1);
    await setParam(page, 'output_padding-w', 1);
    assert.equal(await shape(page), '1×1×10×10');
    assert.match(await page.locator('[data-testid="formula"]').textContent(), /10/);
    await p.close();
  });
});

// ---- parameters, bias, channels, groups --------------------------------------------------
test('parameter edits: stride, padding same, bias, channels and groups', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  const { page } = p;
  await page.check('[data-testid="param-bias"]');
  await typeCell(page, 'bias-cell', 0, 0, 0, '0.5');
  assert.deepEqual(await outputValues(page), [12.5, 16.5, 24.5, 28.5]);
  assert.match(page.url(), /b=0\.5/);
  await page.selectOption('[data-testid="param-padding-kind"]', 'same');
  assert.equal(await shape(page), '1×1×3×3');
  await page.selectOption('[data-testid="param-padding-kind"]', 'num');
  await setParam(page, 'stride-h', 2);
  assert.equal(await shape(page), '1×1×1×2');
  await setParam(page, 'stride-h', 1);
  // Two input channels, four output channels, groups 2: weight [4, 1, 2, 2].
  await setParam(page, 'in_channels', 2);
  await setParam(page, 'out_channels', 4);
  await setParam(page, 'groups', 2);
  assert.equal(await errorText(page), '');
  assert.equal(await shape(page), '1×4×2×2');
  assert.equal(await page.locator('[data-testid="weight-cell"]').count(), 16);
  assert.equal(await page.locator('[data-testid="input-cell"]').count(), 18);
  await p.close();
});

// ---- hover and focus highlighting in both directions --------------------------------------
test('hover: output -> receptive field and taps; input -> outputs reached (conv2d)', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&b=1');
  const { page } = p;
  await cell(page, 'output-cell', 0, 0, 1).hover();
  assert.deepEqual(await highlighted(page, 'input-cell'), ['0:0,1', '0:0,2', '0:1,1', '0:1,2']);
  assert.equal((await highlighted(page, 'weight-cell')).length, 4);
  assert.equal((await highlighted(page, 'bias-cell')).length, 1);
  const explain = await page.locator('[data-testid="explain"]').textContent();
  assert.match(explain, /y\[0, 0, 1\] = 2·1 \+ 3·1 \+ 5·1 \+ 6·1 \+ 1 = 17/);
  await cell(page, 'input-cell', 0, 0, 0).hover();
  assert.deepEqual(await highlighted(page, 'output-cell'), ['0:0,0']);
  await cell(page, 'input-cell', 0, 1, 1).hover();
  assert.deepEqual(await highlighted(page, 'output-cell'), ['0:0,0', '0:0,1', '0:1,0', '0:1,1']);
  // Keyboard focus does the same.
  await cell(page, 'output-cell', 0, 1, 1).focus();
  assert.deepEqual(await highlighted(page, 'input-cell'), ['0:1,1', '0:1,2', '0:2,1', '0:2,2']);
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await highlighted(page, 'input-cell'), ['0:1,0', '0:1,1', '0:2,0', '0:2,1']);
  await p.close();
});

test('hover: padding ghosts and their sources (reflect)', async () => {
  const p = await open(`op=conv2d&x=${rows(ar(16), 4)}&w=1,1,1;1,1,1;1,1,1&padding=1&padding_mode=reflect`);
  const { page } = p;
  await cell(page, 'output-cell', 0, 0, 0).hover();
  // Receptive field of y[0,0,0]: padded rows -1..1, cols -1..1: 4 inside, 5 ghosts reading x.
  assert.equal((await highlighted(page, 'ghost-cell')).length, 5);
  assert.ok((await highlighted(page, 'input-cell')).includes('0:0,0'));
  // An input cell reaches outputs also through its reflected copies.
  await cell(page, 'input-cell', 0, 1, 1).hover();
  const outs = await highlighted(page, 'output-cell');
  assert.ok(outs.includes('0:0,0') && outs.includes('0:2,2'));
  assert.ok((await highlighted(page, 'ghost-cell')).length > 0);
  await p.close();
});

test('hover: conv_transpose2d scatter footprint and output taps', async () => {
  const p = await open('op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&stride=2');
  const { page } = p;
  await cell(page, 'input-cell', 0, 0, 1).hover();
  assert.deepEqual(await highlighted(page, 'output-cell'), ['0:0,2', '0:0,3', '0:1,2', '0:1,3']);
  assert.match(await page.locator('[data-testid="explain"]').textContent(), /scatters/);
  await cell(page, 'output-cell', 0, 3, 3).hover();
  assert.deepEqual(await highlighted(page, 'input-cell'), ['0:1,1']);
  assert.deepEqual(await highlighted(page, 'weight-cell'), ['0:1,1']);
  assert.match(await page.locator('[data-testid="explain"]').textContent(), /= 9/);
  await p.close();
});

// ---- invalid configurations and malformed links -------------------------------------------
test('invalid configurations explain the broken rule with its numbers', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9|1,2,3;4,5,6;7,8,9|0,0,0;0,0,0;0,0,0|1,1,1;1,1,1;1,1,1&w=1|1|1|1');
  const { page } = p;
  assert.equal(await errorText(page), '');
  await setParam(page, 'groups', 3);
  let err = await errorText(page);
  assert.match(err, /groups=3 must divide out_channels=1/);
  await setParam(page, 'out_channels', 3);
  err = await errorText(page);
  assert.match(err, /groups=3 must divide in_channels=4/);
  assert.equal(await shape(page), '—');
  assert.equal(await page.locator('[data-testid="output-cell"]').count(), 0);
  assert.ok(await page.locator('.no-output').isVisible());
  await setParam(page, 'groups', 1);
  await setParam(page, 'out_channels', 1);
  assert.equal(await errorText(page), '');
  // A kernel larger than the input.
  await setParam(page, 'kernel-h', 5);
  assert.match(await errorText(page), /kernel/);
  await setParam(page, 'kernel-h', 1);
  // Stride 0.
  await setParam(page, 'stride-w', 0);
  assert.match(await errorText(page), /stride/);
  await setParam(page, 'stride-w', 1);
  // conv_transpose2d: output_padding must be smaller than stride or dilation.
  await page.click('label[for="op-conv_transpose2d"]');
  await setParam(page, 'output_padding-h', 1);
  err = await errorText(page);
  assert.match(err, /outputPadding|output_padding/);
  assert.match(err, /stride/);
  await setParam(page, 'stride-h', 2);
  assert.equal(await errorText(page), '');
  await p.close();
});

describe('malformed hashes give a message and defaults, never a blank page', () => {
  for (const hash of ['op=conv4d', 'x=1,2;3', 'x=1,abc;3,4', 'stride=x', 'w=1,1|1', 'padding=%E0%A4%A', 'groups=two&padding_mode=mirror', '&&&==&x', 'x=' + '1,'.repeat(5000)]) {
    test(JSON.stringify(hash.slice(0, 40)), async () => {
      const p = await open(hash);
      const { page } = p;
      const err = await errorText(page);
      assert.ok(err.length > 0, 'a message is shown');
      assert.ok(await page.locator('[data-testid="output-cell"]').count() > 0, 'defaults still compute an output');
      assert.notEqual(await shape(page), '');
      await p.close();
    });
  }

  test('a valid hash after a malformed one clears the message (hashchange)', async () => {
    const p = await open('op=nope');
    assert.ok((await errorText(p.page)).length > 0);
    await p.page.evaluate(() => { location.hash = 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1'; });
    await p.page.waitForFunction(() => document.querySelector('[data-testid="output-shape"]').textContent === '1×1×2×2');
    assert.equal(await errorText(p.page), '');
    await p.close();
  });
});

// ---- history, paste, animation, file:// -----------------------------------------------------
test('back and forward restore earlier states', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  const { page } = p;
  await setParam(page, 'stride-h', 2);
  await page.locator('[data-testid="param-stride-h"]').blur();
  assert.equal(await shape(page), '1×1×1×2');
  await page.click('[data-testid="example-seed002-dil2"]');
  assert.deepEqual(await outputValues(page), [108]);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('[data-testid="output-shape"]').textContent === '1×1×1×2');
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('[data-testid="output-shape"]').textContent === '1×1×2×2');
  await page.goForward();
  await page.waitForFunction(() => document.querySelector('[data-testid="output-shape"]').textContent === '1×1×1×2');
  await p.close();
});

test('paste a printed tensor, a numpy array and plain rows into grids', async () => {
  const p = await open();
  const { page } = p;
  const paste = (sel, text) => page.locator(sel).evaluate((el, t) => {
    el.focus();
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
  await paste('[data-testid="input-cell"][data-c="0"][data-h="0"][data-w="0"]', 'tensor([[[[1., 2., 3.],\n [4., 5., 6.],\n [7., 8., 9.]]]], requires_grad=True)');
  assert.equal(await page.locator('[data-testid="input-cell"]').count(), 9);
  await paste('[data-testid="weight-cell"][data-h="0"][data-w="0"]', 'array([[1, 1],\n       [1, 1]], dtype=float32)');
  assert.deepEqual(await outputValues(page), [12, 16, 24, 28]);
  await paste('[data-testid="input-cell"][data-c="0"][data-h="1"][data-w="1"]', '0 0\n0 0');
  assert.deepEqual(await outputValues(page), [7, 5, 11, 0]);
  await paste('[data-testid="input-cell"][data-c="0"][data-h="0"][data-w="0"]', '[[1, 2], [3]]');
  assert.match(await page.locator('[data-testid="notice"]').textContent(), /ragged/);
  await p.close();
});

test('animation steps through output positions (conv2d) and input scatters (convT)', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  const { page } = p;
  await page.click('[data-testid="anim-start"]');
  await page.click('[data-testid="anim-play"]'); // pause
  await page.locator('[data-testid="anim-scrub"]').fill('2');
  assert.equal(await page.locator('[data-testid="output-cell"].pending').count(), 2);
  assert.deepEqual(await highlighted(page, 'input-cell'), ['0:0,1', '0:0,2', '0:1,1', '0:1,2']);
  await page.click('[data-testid="anim-forward"]');
  assert.equal(await page.locator('[data-testid="output-cell"].pending').count(), 1);
  await page.click('[data-testid="anim-stop"]');
  assert.equal(await page.locator('[data-testid="output-cell"].pending').count(), 0);
  // convT: after the first input position only its scaled kernel is in the output.
  await page.click('[data-testid="example-seed001-tconv"]');
  await page.click('[data-testid="anim-start"]');
  await page.click('[data-testid="anim-play"]');
  await page.locator('[data-testid="anim-scrub"]').fill('2');
  assert.deepEqual(await outputValues(page), [0, 0, 1, 0, 2, 3, 0, 0, 0]);
  await page.click('[data-testid="anim-stop"]');
  assert.deepEqual(await outputValues(page), [0, 0, 1, 0, 4, 6, 4, 12, 9]);
  await p.close();
});

test('file:// works like http', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1', { base: 'file' });
  assert.deepEqual(await outputValues(p.page), [12, 16, 24, 28]);
  await typeCell(p.page, 'input-cell', 0, 0, 0, 2);
  assert.deepEqual(await outputValues(p.page), [13, 16, 24, 28]);
  assert.match(p.page.url(), /^file:.*#op=conv2d&x=2,2,3/);
  await p.close();
});

test('only dist/ files were requested from the server', () => {
  // convplay.js adds convplay-relaxed.js (beside it in dist/) where Chromium runs relaxed SIMD.
  const allowed = new Set(['/index.html', '/convplay.js', '/convplay-relaxed.js', '/app.js', '/app.css', '/favicon.svg']);
  const outside = served.filter((x) => !allowed.has(x));
  assert.deepEqual(outside, []);
});

// ---- edits on a big configuration ------------------------------------------------------------
// How long an edit takes is measured by the page benchmark (`bash bench/run.sh --page`), not here:
// this checks the work each edit is given: one computation per edit, and the drawn output equal to
// the core's result for the edited state.
test('edits of a 32×32×8 input with 8×8 3×3 kernels: one computation each, output equal to the core', async () => {
  const x = ar(8).map((c) => rows(ar(1024).map((i) => ((i * 7 + c * 3) % 11) - 5), 32)).join('|');
  const w = ar(64).map((k) => rows(ar(9).map((i) => ((i + k) % 5) - 2), 3)).join('|');
  const p = await open(`op=conv2d&x=${x}&w=${w}&padding=1`);
  const { page } = p;
  assert.equal(await shape(page), '1×8×32×32');
  // 17,000 cells: the grids are built over a few tasks (budget.js, BUILD_COST).
  await page.waitForFunction(() => !document.body.dataset.building, null, { timeout: 20000 });
  const r = await page.evaluate(() => {
    const app = window.convplayApp, computes0 = app.stats.computes;
    const edit = (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      app.flush(); // edits are computed at the end of the task: compute this one now
    };
    for (let k = 0; k < 30; k++) edit(document.querySelector(`[data-testid="input-cell"][data-c="${k % 8}"][data-h="${k}"][data-w="${(k * 5) % 32}"]`), k - 15);
    for (let k = 0; k < 10; k++) edit(document.querySelector('[data-testid="weight-cell"][data-o="0"][data-i="0"][data-h="1"][data-w="1"]'), k);
    const res = app.result;
    const want = app.cp.conv2d(res.x, res.w, res.b, { padding: 1 });
    const drawn = [...document.querySelectorAll('[data-testid="output-cell"]')];
    const mismatches = drawn.filter((c) => {
      const i = (Number(c.dataset.c) * 32 + Number(c.dataset.h)) * 32 + Number(c.dataset.w);
      return Number(c.dataset.value) !== want.data[i];
    }).length;
    return { computes: app.stats.computes - computes0, drawn: drawn.length, mismatches, x: Array.from(res.x.data.slice(0, 3)) };
  });
  assert.equal(r.computes, 40, 'one computation per edit');
  assert.equal(r.drawn, 8 * 32 * 32);
  assert.equal(r.mismatches, 0, 'every drawn output cell equals the core for the edited state');
  assert.equal(r.x[0], -15, 'the first edit is in the state');
  await p.close();
});

// ---- screenshots at desktop and phone widths, light and dark --------------------------------
describe('screenshots', () => {
  const cases = [
    ['default', ''],
    ['reflect-hover', `op=conv2d&x=${rows(ar(25), 5)}&w=1,0,-1;2,0,-2;1,0,-1&padding=1&padding_mode=reflect&b=0.5`, '[data-testid="output-cell"][data-c="0"][data-h="0"][data-w="1"]'],
    ['convt-crop', 'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&stride=2&padding=1', '[data-testid="input-cell"][data-c="0"][data-h="1"][data-w="0"]'],
    ['invalid', 'op=conv2d&x=1,2;3,4|1,2;3,4|1,2;3,4|1,2;3,4&w=1&groups=3'],
    ['multichannel', `op=conv2d&x=${ar(3).map((c) => rows(ar(36, c * 36), 6)).join('|')}&w=${ar(6).map((k) => rows(ar(9).map((i) => ((i + k) % 3) - 1), 3)).join('|')}&b=1,-1&padding=1&stride=2`],
  ];
  for (const [name, hash, hoverSel] of cases) {
    for (const [device, width, height] of [['desktop', 1280, 800], ['phone', 390, 844]]) {
      test(`${name} @ ${device}`, async () => {
        const p = await open(hash, { width, height });
        if (hoverSel) await p.page.locator(hoverSel).hover();
        const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
        await p.page.screenshot({ path: join(shots, `${name}-${device}.png`), fullPage: device === 'desktop' });
        if (device === 'phone') await p.page.screenshot({ path: join(shots, `${name}-${device}-full.png`), fullPage: true });
        await p.close();
      });
    }
  }
  test('dark theme @ desktop', async () => {
    const p = await open(`op=conv2d&x=${rows(ar(25), 5)}&w=1,0,-1;2,0,-2;1,0,-1&padding=1&padding_mode=circular`, { colorScheme: 'dark' });
    assert.equal(await p.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await p.page.locator('[data-testid="output-cell"][data-h="2"][data-w="2"]').hover();
    await p.page.screenshot({ path: join(shots, 'dark-desktop.png'), fullPage: true });
    await p.close();
  });
});
