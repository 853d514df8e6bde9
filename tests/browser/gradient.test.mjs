// The gradient view (issue 20) in headless Chromium: grad=1 opens it for conv2d (zeros, stride 2,
// dilation, groups, reflect padding) and conv_transpose2d; every gradient cell's data-value
// against the core run here in Node (dist/convplay.mjs) and one configuration against PyTorch
// autograd; editing a grad_output cell updates dL/dx and the URL's g=; hovering a dL/dx cell
// lights the grad_output cells and weights that feed it and writes its sum; hovering a
// grad_output cell lights the dL/dx cells it reaches (checked with the core); the badges' numbers;
// file:// and http; 中文; phone width; the panel as an embed's `panels=grad`. Screenshots go to
// build/screenshots/gradient-*.png. Run: node --test tests/browser/gradient.test.mjs (after
// node web/build.mjs). axe-core runs on the panel in a11y.test.mjs.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';
import { watchPage } from './page-issues.mjs';
import { parseHash } from '../../web/src/url-state.js';
import { buildTensors, options } from '../../web/src/state.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const shots = join(root, 'build', 'screenshots');
const PYTHON = process.env.PYTHON || '/usr/bin/python3';
const { load } = await import(pathToFileURL(join(dist, 'convplay.mjs')).href);
const cp = await load();

let server, browser;
before(async () => {
  await stat(join(dist, 'index.html'));
  await mkdir(shots, { recursive: true });
  server = await serveStatic(dist);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function open(hash, { base = 'http', file = 'index.html', width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, locale: 'en-US' });
  const page = await context.newPage();
  const prefix = base === 'http' ? server.base : pathToFileURL(dist).href + '/';
  const issues = watchPage(page, prefix);
  await page.goto(`${prefix}${file}#${hash}`);
  await page.waitForSelector('html[data-ready="1"]', { timeout: 15000 });
  return { page, async close() { await context.close(); assert.deepEqual(issues, [], 'no console errors and no requests outside dist/'); } };
}

// The cells of a hook in page order: { c, h, w, o?, i?, in?, out?, value }, once the panel's
// grids are all built (a big panel builds a few rows per frame, data-building meanwhile).
const cells = async (page, testid) => (await page.waitForSelector('[data-testid="grad-panel"]:not([data-building])', { state: 'attached' }), page).locator(`[data-testid="${testid}"]`).evaluateAll((els) => els.map((e) => {
  const d = e.dataset;
  const q = { c: Number(d.c), h: Number(d.h), w: Number(d.w), value: Number(d.value) };
  if (d.in !== undefined) { q.in = Number(d.in); q.out = Number(d.out); q.o = Number(d.o); q.i = Number(d.i); }
  return q;
}));

// What the core gives for the page's state (parsed here from the URL the page shows).
function coreGradients(hash) {
  const { state: s, messages } = parseHash(hash);
  assert.deepEqual(messages, []);
  const { x, w } = buildTensors(s);
  const shape = s.op === 'conv2d' ? cp.conv2dOutputShape(x.shape, w.shape, options(s)).shape : cp.convTranspose2dOutputShape(x.shape, w.shape, options(s)).shape;
  const g = { shape, data: new Float32Array(shape[0] * shape[1] * shape[2]).fill(1) };
  if (s.gradOut) g.data.set(s.gradOut.data);
  const b = s.op === 'conv2d' ? cp.conv2dBackward(x, w, g, options(s)) : cp.convTranspose2dBackward(x, w, g, options(s));
  return { s, x, w, g, ...b };
}

const close = (a, b) => Math.abs(a - b) <= 1e-4 + 1e-4 * Math.abs(b);
function assertCells(got, want, shape, label) {
  const [A, H, W] = [shape[0], shape[shape.length - 2], shape[shape.length - 1]];
  assert.equal(got.length, want.length, `${label}: ${got.length} cells, the core has ${want.length} values`);
  got.forEach((q, n) => {
    // Cells come in channel, row, column order (the weight's in its slot order).
    assert.equal(q.h, Math.floor(n / W) % H, `${label} cell ${n} row`);
    assert.equal(q.w, n % W, `${label} cell ${n} column`);
    assert.ok(close(q.value, want[n]), `${label}[${n}] = ${q.value}, core ${want[n]}`);
  });
  return A;
}

const rows = (flat, W) => Array.from({ length: flat.length / W }, (_, i) => flat.slice(i * W, i * W + W).join(',')).join(';');
const CASES = [
  ['conv2d zeros padding, bias, typed g', 'op=conv2d&x=1,2,3,4;5,6,7,8;9,10,11,12;13,14,15,16&w=1,2,0;-1,0.5,1;0,1,2&b=0.5&padding=1&grad=1&g=1,2,0.5,1;0,1,-1,2;3,1,1,1;1,1,0.25,1'],
  ['conv2d stride 2', `op=conv2d&x=${rows([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3], 5)}&w=1,-1;2,0.5&stride=2&grad=1&g=1,-2;0.5,3`],
  ['conv2d dilation 2', `op=conv2d&x=${rows(Array.from({ length: 36 }, (_, i) => (i * 7) % 11 - 5), 6)}&w=1,0,2;0,1,0;-1,0,1&dilation=2&padding=1&grad=1`],
  ['conv2d groups 2, 2 -> 4, bias', 'op=conv2d&x=1,2,3;4,5,6;7,8,9|0,1,0;1,-1,1;0,1,0&w=1,1;1,1|1,0;0,-1|0.5,0.5;2,2|-1,2;0,1&groups=2&b=1,2,3,4&grad=1'],
  ['conv2d reflect padding 2, stride 2', 'op=conv2d&x=1,2,3,4;5,6,7,8;9,10,11,12;13,14,15,16|0,1,0,1;1,0,1,0;0,1,0,1;1,0,1,0&w=1,0;0,-1|0.5,0.5;0.5,0.5|1,1;1,1|-1,2;0,1&b=0.25,-1&padding=2&padding_mode=reflect&stride=2&grad=1'],
  ['conv_transpose2d stride 2, padding 1, output_padding 1, groups 2', 'op=conv_transpose2d&x=1,2;3,4|5,6;7,8&w=1,2;3,4|1,1;1,1&stride=2&padding=1&output_padding=1&groups=2&b=1,2&grad=1&g=1,2,3;4,5,6;7,8,9|1,1,1;1,1,1;1,1,1'],
];

describe('every gradient cell against the core', () => {
  for (const [name, hash] of CASES) {
    test(name, async () => {
      const p = await open(hash);
      const { page } = p;
      await page.waitForSelector('[data-testid="grad-input-cell"]');
      const want = coreGradients(hash);
      assertCells(await cells(page, 'grad-output-cell'), want.g.data, want.g.shape, 'grad_output');
      assertCells(await cells(page, 'grad-input-cell'), want.gradInput.data, want.gradInput.shape, 'dL/dx');
      assertCells(await cells(page, 'grad-weight-cell'), want.gradWeight.data, want.gradWeight.shape, 'dL/dW');
      const bias = await cells(page, 'grad-bias-cell');
      if (want.s.useBias) assertCells(bias, want.gradBias.data, [1, want.gradBias.data.length], 'dL/db');
      else assert.equal(bias.length, 0, 'no bias: no dL/db grid');
      // The badges: agreement, with the number shown.
      for (const id of ['grad-identity', 'grad-weight-check']) {
        const badge = page.locator(`[data-testid="${id}"]`);
        assert.equal(await badge.getAttribute('data-agree'), '1', `${name}: ${id}`);
        const diff = Number(await badge.getAttribute('data-diff'));
        assert.ok(diff <= 1e-3, `${name}: ${id} difference ${diff}`);
        assert.match(await badge.textContent(), /largest difference from the core’s gradient \d/);
      }
      const identity = await page.locator('[data-testid="grad-identity"]').textContent();
      if (want.s.op === 'conv_transpose2d') assert.match(identity, /dL\/dx = conv2d\(g, W, stride=2, dilation=1, groups=2, padding=1\)/);
      else if (want.s.paddingMode === 'reflect') {
        assert.match(identity, /padding=0, output_padding=0\) computed by the core is the padded input’s gradient; adding each padding cell’s gradient/);
        // Every padding cell of the padded gradient names the input cell it adds into.
        const ghosts = await page.locator('.grad-panel .cell.ghost[data-testid="grad-pad-cell"]').evaluateAll((els) => els.map((e) => e.dataset.badge));
        assert.equal(ghosts.length, 2 * (8 * 8 - 4 * 4));
        assert.ok(ghosts.every((b) => /^→\d,\d$/.test(b)), ghosts.join(' '));
        assert.match(await page.locator('[data-testid="grad-flow"]').textContent(), /Each of the 48 reflect padding cells/);
      } else assert.match(identity, /dL\/dx = conv_transpose2d\(g, W, stride=\d, dilation=\d, groups=\d, padding=\d, output_padding=\d\)/);
      await p.close();
    });
  }
});

test('one configuration against PyTorch autograd, from the numbers on the page', async () => {
  const p = await open(CASES[4][1]);
  const { page } = p;
  await page.waitForSelector('[data-testid="grad-input-cell"]');
  const read = async (id) => (await cells(page, id)).map((q) => q.value);
  const [x, w, b, g, dx, dw, db] = await Promise.all(['input-cell', 'weight-cell', 'bias-cell', 'grad-output-cell', 'grad-input-cell', 'grad-weight-cell', 'grad-bias-cell'].map(read));
  const script = `
import json, sys, torch
import torch.nn.functional as F
d = json.load(sys.stdin)
f32 = torch.float32
x = torch.tensor(d['x'], dtype=f32).reshape(1, 2, 4, 4).requires_grad_()
w = torch.tensor(d['w'], dtype=f32).reshape(2, 2, 2, 2).requires_grad_()
b = torch.tensor(d['b'], dtype=f32).requires_grad_()
# nn.Conv2d(padding=2, padding_mode='reflect') is F.pad, then conv2d without padding.
y = F.conv2d(F.pad(x, (2, 2, 2, 2), mode='reflect'), w, b, stride=2)
y.backward(torch.tensor(d['g'], dtype=f32).reshape(y.shape))
print(json.dumps({'dx': x.grad.flatten().tolist(), 'dw': w.grad.flatten().tolist(), 'db': b.grad.tolist()}))
`;
  const want = JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify({ x, w, b, g }) }).toString());
  for (const [name, got, ref] of [['dL/dx', dx, want.dx], ['dL/dW', dw, want.dw], ['dL/db', db, want.db]]) {
    assert.equal(got.length, ref.length, name);
    got.forEach((v, n) => assert.ok(close(v, ref[n]), `${name}[${n}]: page ${v}, PyTorch ${ref[n]}`));
  }
  await p.close();
});

test('editing grad_output updates dL/dx and the URL; All ones resets it', async () => {
  const hash = 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,2;3,4&grad=1';
  const p = await open(hash);
  const { page } = p;
  const dx = () => cells(page, 'grad-input-cell').then((l) => l.map((q) => q.value));
  assert.deepEqual(await dx(), Array.from(coreGradients(hash).gradInput.data));
  const cell = page.locator('[data-testid="grad-output-cell"][data-h="1"][data-w="0"]');
  await cell.click();
  await page.keyboard.type('5');
  await page.waitForFunction(() => /g=1,1;5,1/.test(location.hash));
  const edited = coreGradients(new URL(page.url()).hash.slice(1));
  assert.deepEqual(edited.g.data, Float32Array.from([1, 1, 5, 1]));
  await page.waitForFunction((want) => [...document.querySelectorAll('[data-testid="grad-input-cell"]')].map((e) => Number(e.dataset.value)).join() === want, Array.from(edited.gradInput.data).join());
  assert.deepEqual(await dx(), Array.from(edited.gradInput.data));
  // A new output shape (kernel height 1: output 3×2) keeps the typed value where it still fits.
  await page.fill('[data-testid="param-kernel-h"]', '1');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="grad-output-cell"]').length === 6);
  assert.deepEqual((await cells(page, 'grad-output-cell')).map((q) => q.value), [1, 1, 5, 1, 1, 1]);
  await page.click('[data-testid="grad-reset"]');
  await page.waitForFunction(() => !/g=/.test(location.hash));
  assert.deepEqual((await cells(page, 'grad-output-cell')).map((q) => q.value), [1, 1, 1, 1, 1, 1]);
  await p.close();
});

test('hovering or focusing a dL/dx cell lights what feeds it and writes the sum', async () => {
  // conv2d stride 2: dL/dx[0, 2, 2] is fed by all four output cells, each through one tap.
  const hash = `${CASES[1][1]}`;
  const p = await open(hash);
  const { page } = p;
  const want = coreGradients(hash);
  await page.hover('[data-testid="grad-input-cell"][data-h="2"][data-w="2"]');
  await page.waitForSelector('[data-testid="grad-output-cell"][data-highlight="1"]');
  const lit = (id) => page.locator(`[data-testid="${id}"][data-highlight="1"]`).evaluateAll((els) => els.map((e) => `${e.dataset.h},${e.dataset.w}`).sort());
  // Kernel 2×2, stride 2: x[2, 2] is read only by y[1, 1], through tap (0, 0).
  assert.deepEqual(await lit('grad-output-cell'), ['1,1']);
  assert.deepEqual(await lit('weight-cell'), ['0,0']);
  const sum = await page.locator('[data-testid="grad-sum"]').textContent();
  assert.match(sum, /^dL\/dx\[0, 2, 2\] = 3·1 = 3/);
  assert.equal(want.gradInput.data[2 * 5 + 2], 3);
  assert.match(await page.locator('[data-testid="explain"]').textContent(), /dL\/dx\[0, 2, 2\] = 3·1 = 3/, 'the explanation panel says it too');
  // Keyboard: focus moves to dL/dx[0, 1, 1]: y[0, 0] through tap (1, 1).
  await page.focus('[data-testid="grad-input-cell"][data-h="1"][data-w="1"]');
  await page.waitForFunction(() => /dL\/dx\[0, 1, 1\]/.test(document.querySelector('[data-testid="grad-sum"]').textContent));
  assert.deepEqual(await lit('grad-output-cell'), ['0,0']);
  assert.deepEqual(await lit('weight-cell'), ['1,1']);
  assert.match(await page.locator('[data-testid="grad-sum"]').textContent(), /= 1·0\.5 = 0\.5/);
  // Another cell of the page takes the highlight: the gradient cells go dark, the sum goes.
  await page.hover('[data-testid="output-cell"][data-h="0"][data-w="0"]');
  await page.waitForFunction(() => /^Hover or focus a dL\/dx cell/.test(document.querySelector('[data-testid="grad-sum"]').textContent));
  assert.equal(await page.locator('.grad-panel [data-highlight="1"]').count(), 0);
  // Reflect padding: the padding cells that copy the hovered cell light up too.
  const q = await open(CASES[4][1]);
  await q.page.hover('[data-testid="grad-input-cell"][data-c="0"][data-h="1"][data-w="1"]');
  await q.page.waitForSelector('.cell.ghost[data-testid="grad-pad-cell"][data-highlight="1"]');
  const ghosts = await q.page.locator('.cell.ghost[data-testid="grad-pad-cell"][data-highlight="1"]').evaluateAll((els) => els.map((e) => e.dataset.badge));
  assert.ok(ghosts.length > 0 && ghosts.every((b) => b === '→1,1'), ghosts.join(' '));
  assert.match(await q.page.locator('[data-testid="grad-sum"]').textContent(), /reach it through a reflect padding cell that copies it/);
  await q.page.locator('[data-testid="grad-panel"]').screenshot({ path: join(shots, 'gradient-reflect-hover.png') });
  await q.close();
  await p.close();
});

test('hovering a grad_output cell lights the dL/dx cells it flows back to (the core says which)', async () => {
  // Which dL/dx cells g[o, oh, ow] reaches, from the core: the backward pass of a one-hot g with
  // every weight 1 (no weight of 0 hides a tap, no sum cancels) is non-zero exactly there.
  for (const [label, hash] of [CASES[1], CASES[3], CASES[4], CASES[5]]) {
    const want = coreGradients(hash);
    const { s, x, w, g } = want;
    const ones = { shape: w.shape, data: new Float32Array(w.data.length).fill(1) };
    const p = await open(hash);
    const { page } = p;
    const [K, OH, OW] = g.shape;
    for (let n = 0; n < K * OH * OW; n += Math.max(1, Math.floor(K * OH * OW / 7))) {
      const o = Math.floor(n / (OH * OW)), oh = Math.floor(n / OW) % OH, ow = n % OW;
      const hot = { shape: g.shape, data: new Float32Array(g.data.length) };
      hot.data[n] = 1;
      const back = s.op === 'conv2d' ? cp.conv2dBackward(x, ones, hot, options(s)) : cp.convTranspose2dBackward(x, ones, hot, options(s));
      const [C, H, W] = x.shape;
      const expected = [];
      back.gradInput.data.forEach((v, k) => { if (v !== 0) expected.push(`${Math.floor(k / (H * W))}:${Math.floor(k / W) % H},${k % W}`); });
      await page.hover(`[data-testid="grad-output-cell"][data-c="${o}"][data-h="${oh}"][data-w="${ow}"]`);
      // (the page writes − for minus)
      await page.waitForFunction((id) => document.querySelector('[data-testid="grad-reach"]')?.textContent.replace(/\u2212/g, '-').includes(id), `g[${o}, ${oh}, ${ow}] = ${g.data[n]} `);
      const lit = await page.locator('[data-testid="grad-input-cell"][data-highlight="1"]').evaluateAll((els) => els.map((e) => `${e.dataset.c}:${e.dataset.h},${e.dataset.w}`).sort());
      assert.deepEqual(lit, expected.sort(), `${label}: g[${o}, ${oh}, ${ow}] reaches ${expected.join(' ')}`);
      // One share per kernel tap of its group, each g · w with the weight the tap used.
      const lines = await page.locator('[data-testid="grad-reach"] .sum-line').allTextContents();
      const taps = (s.op === 'conv2d' ? C / s.groups : 0) * s.kh * s.kw;
      if (s.op === 'conv2d') assert.equal(lines.length, taps, `${label}: ${lines.join(' | ')}`);
      else assert.ok(lines.length >= expected.length, `${label}: ${lines.join(' | ')}`);
      const litW = await page.locator('[data-testid="weight-cell"][data-highlight="1"]').count();
      assert.ok(litW >= 1 && litW <= w.data.length, `${label}: ${litW} weights lit`);
      void C;
    }
    if (label === CASES[4][0]) await page.locator('[data-testid="grad-panel"]').screenshot({ path: join(shots, 'gradient-g-hover.png') });
    await p.close();
  }
});

test('the panel opens and closes as grad=1; file://, 中文, phone width, embed panels=grad', async () => {
  const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1', { base: 'file' });
  const { page } = p;
  assert.equal(await page.locator('[data-testid="grad-panel"]').evaluate((d) => d.open), false);
  await page.click('[data-testid="grad-panel"] summary');
  await page.waitForFunction(() => /&grad=1/.test(location.hash));
  await page.waitForSelector('[data-testid="grad-input-cell"]');
  assert.deepEqual((await cells(page, 'grad-input-cell')).map((q) => q.value), [1, 2, 1, 2, 4, 2, 1, 2, 1]);
  await page.click('[data-testid="grad-panel"] summary');
  await page.waitForFunction(() => !/grad=/.test(location.hash));
  await p.close();

  // A g of the wrong shape: the message names g and the rule; ones are used and the page works.
  const bad = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&grad=1&g=1,2,3');
  await bad.page.waitForSelector('[data-testid="grad-input-cell"]');
  assert.match(await bad.page.locator('[data-testid="url-error"]').textContent(), /g: grad_output must have the output's shape 1×2×2, got 1×1×3 — using the default/);
  assert.deepEqual((await cells(bad.page, 'grad-output-cell')).map((q) => q.value), [1, 1, 1, 1]);
  await bad.close();

  const zh = await open(`${CASES[5][1]}&lang=zh`, { width: 390, height: 844 });
  await zh.page.waitForSelector('[data-testid="grad-input-cell"]');
  assert.equal(await zh.page.locator('[data-testid="grad-panel"] summary').textContent(), '梯度：反向传播');
  assert.match(await zh.page.locator('[data-testid="grad-identity"]').textContent(), /^✓ 由计算核心算出的 dL\/dx = conv2d\(g, W, stride=2, dilation=1, groups=2, padding=1\)：与计算核心给出的梯度最大相差 0。$/);
  // Phone width: the panel fits the screen (grids wrap, nothing scrolls sideways).
  const over = await zh.page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(over <= 0, `the page is ${over}px wider than the phone`);
  const box = await zh.page.locator('[data-testid="grad-panel"]').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
  await zh.page.locator('[data-testid="grad-panel"]').screenshot({ path: join(shots, 'gradient-phone-zh.png') });
  await zh.close();

  // A phone has no hover: a tap on a dL/dx cell lights what feeds it.
  const touch = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const tp = await touch.newPage();
  await tp.goto(`${server.base}index.html#${CASES[1][1]}`);
  await tp.waitForSelector('[data-testid="grad-input-cell"]');
  await tp.tap('[data-testid="grad-input-cell"][data-h="2"][data-w="2"]');
  await tp.waitForSelector('[data-testid="grad-output-cell"][data-highlight="1"][data-h="1"][data-w="1"]');
  assert.match(await tp.locator('[data-testid="grad-sum"]').textContent(), /^dL\/dx\[0, 2, 2\] = 3·1 = 3/);
  await touch.close();

  const e = await open(`${CASES[0][1]}&panels=grids,grad`, { file: 'embed.html' });
  await e.page.waitForSelector('[data-testid="grad-input-cell"]');
  const want = coreGradients(CASES[0][1]);
  assertCells(await cells(e.page, 'grad-input-cell'), want.gradInput.data, want.gradInput.shape, 'embed dL/dx');
  await e.close();

  const d = await open(CASES[4][1], { width: 1280 });
  await d.page.waitForSelector('[data-testid="grad-input-cell"]');
  await d.page.locator('[data-testid="grad-panel"]').screenshot({ path: join(shots, 'gradient-desktop.png') });
  await d.close();
});

test('Copy as PyTorch with the gradient view open: the script’s autograd prints the page’s gradients', async () => {
  for (const hash of [CASES[4][1], CASES[5][1]]) {
    const p = await open(hash);
    const { page } = p;
    await page.waitForSelector('[data-testid="grad-input-cell"]');
    await page.click('[data-testid="export-pytorch"]');
    const code = await page.locator('[data-testid="export-code"]').inputValue();
    assert.match(code, /y\.backward\(g\)/);
    const out = execFileSync(PYTHON, ['-c', code], { timeout: 60000 }).toString().trim().split('\n');
    const after = (label) => JSON.parse(out[out.indexOf(label) + 1]).flat(Infinity);
    for (const [label, id] of [['dL/dx', 'grad-input-cell'], ['dL/dW', 'grad-weight-cell'], ['dL/db', 'grad-bias-cell']]) {
      const pageVals = (await cells(page, id)).map((q) => q.value);
      const printed = after(label);
      assert.equal(printed.length, pageVals.length, label);
      printed.forEach((v, n) => assert.ok(close(pageVals[n], v), `${label}[${n}]: page ${pageVals[n]}, PyTorch ${v}`));
    }
    await p.close();
  }
});

test('a big panel is built a few rows per frame and ends with every value; a bigger one says why not', async () => {
  const ar = (n) => Array.from({ length: n }, (_, i) => i);
  // 4×16×16 → 8, 3×3, reflect padding 1: 4,656 cells, several chunks of BUILD_COST.
  const hash = `op=conv2d&x=${ar(4).map((c) => rows(ar(256).map((i) => ((i * 5 + c) % 9) - 4), 16)).join('|')}`
    + `&w=${ar(32).map((k) => rows(ar(9).map((i) => ((i + k) % 5) - 2), 3)).join('|')}&padding=1&padding_mode=reflect`;
  const p = await open(hash);
  const { page } = p;
  // Open the panel and look at what the opening task built.
  const first = await page.evaluate(() => {
    const d = document.querySelector('[data-testid="grad-panel"]');
    d.open = true;
    return new Promise((res) => d.addEventListener('toggle', () => queueMicrotask(() => queueMicrotask(() => res({
      building: d.dataset.building || null, outputCells: d.querySelectorAll('[data-testid="grad-output-cell"]').length })))), { once: true });
  });
  assert.ok(first.building !== null && first.outputCells < 2048, `the first task built part of the panel: ${JSON.stringify(first)}`);
  const want = coreGradients(`${hash}&grad=1`);
  assertCells(await cells(page, 'grad-output-cell'), want.g.data, want.g.shape, 'grad_output');
  assertCells(await cells(page, 'grad-input-cell'), want.gradInput.data, want.gradInput.shape, 'dL/dx');
  assertCells(await cells(page, 'grad-weight-cell'), want.gradWeight.data, want.gradWeight.shape, 'dL/dW');
  assert.equal(await page.locator('.cell.ghost[data-testid="grad-pad-cell"]').count(), 4 * (18 * 18 - 16 * 16));
  await p.close();
  const big = await open(`op=conv2d&x=${ar(16).map(() => rows(ar(256).map(() => 1), 16)).join('|')}&kernel_size=16&out_channels=16&grad=1`);
  assert.match(await big.page.locator('[data-testid="grad-status"]').textContent(), /^The gradient view draws up to 6,000 cells \(grad_output, dL\/dx, dL\/dW and dL\/db together\); this configuration needs 69,648\.$/);
  await big.close();
});
