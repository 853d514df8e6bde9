// Only the newest state is computed and drawn. Edits are coalesced (a burst of edits in one
// task is one computation), a banded computation of a huge output stops when a newer edit
// arrives, and in image mode a newer job wins over an older one still in the worker.
// Counters: window.convplayApp.stats {computes, bands, cancelled} and
// window.convplayApp.image.stats {posted, dropped, stale}.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const { load } = await import(join(dist, 'convplay.mjs'));
const cp = await load();

let browser, server;
before(async () => {
  browser = await launchChromium();
  server = await serveStatic(dist);
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function open(hash) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.base}index.html#${hash}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout: 20000 });
  return { page, errors };
}

const outputValues = (page) => page.$$eval('[data-testid="output-cell"]', (els) => els.map((e) => Number(e.dataset.value)));
const ones = (h, w) => Array(h).fill(Array(w).fill(1).join(',')).join(';');

test('a burst of 98 edits through the controls in one task is computed and drawn once, as the last edit', async () => {
  const { page, errors } = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  const r = await page.evaluate(() => {
    const app = window.convplayApp;
    const shapeEl = document.querySelector('[data-testid="output-shape"]');
    let shapeChanges = 0;
    new MutationObserver((list) => { shapeChanges += list.length; }).observe(shapeEl, { childList: true, characterData: true, subtree: true });
    window.__shapeChanges = () => shapeChanges;
    const computes0 = app.stats.computes;
    window.__history0 = history.length;
    const set = (testid, v) => {
      const el = document.querySelector(`[data-testid="${testid}"]${testid === 'input-cell' ? '[data-h="0"][data-w="0"]' : ''}`);
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    let edits = 0;
    for (let k = 1; k <= 60; k++) {
      set('input-cell', k); edits++;
      if (k % 3 === 0) { set('param-stride-h', 1 + (k % 4)); edits++; }
      if (k % 4 === 0) { set('param-padding-w', k % 3); edits++; }
    }
    // The last edit: x[0, 0, 0] = -7, stride (2, 1), padding (0, 1).
    set('param-stride-h', 2); set('param-padding-w', 1); set('input-cell', -7);
    edits += 3;
    return { edits, computesInTask: app.stats.computes - computes0, computes0 };
  });
  // The flush ran at the end of that task (a microtask): read what the page shows now.
  const after = await page.evaluate(() => ({
    computes: window.convplayApp.stats.computes, shape: document.querySelector('[data-testid="output-shape"]').textContent,
    shapeChanges: window.__shapeChanges(), hash: location.hash, historyGrowth: history.length - window.__history0,
  }));
  const want = cp.conv2d({ shape: [1, 3, 3], data: Float32Array.from([-7, 2, 3, 4, 5, 6, 7, 8, 9]) }, { shape: [1, 1, 2, 2], data: new Float32Array(4).fill(1) }, null, { stride: [2, 1], padding: [0, 1] });
  console.log(`# ${r.edits} edits in one task: ${after.computes - r.computes0} computation, output shape drawn ${after.shapeChanges} time(s)`);
  assert.equal(r.edits, 98);
  assert.equal(r.computesInTask, 0, 'nothing is computed while the edits arrive');
  assert.equal(after.computes - r.computes0, 1, 'one computation for the burst');
  assert.equal(after.shapeChanges, 1, 'the output shape is drawn once');
  assert.equal(after.shape, `1×${want.shape.join('×')}`);
  assert.deepEqual(await outputValues(page), Array.from(want.data));
  assert.match(after.hash, /x=-7,2,3;4,5,6;7,8,9&w=1,1;1,1&stride=2,1&padding=0,1$/);
  assert.ok(after.historyGrowth <= 1, `${after.historyGrowth} history entries for one burst`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('20 hash changes in one task are computed once, as the last one', async () => {
  const { page, errors } = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  const computes0 = await page.evaluate(() => {
    const c = window.convplayApp.stats.computes;
    for (let s = 1; s <= 20; s++) location.hash = `op=conv_transpose2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&stride=${s}`;
    return c;
  });
  // 20 hashchange events follow, each its own task; the first one reads the final hash.
  await page.waitForFunction(() => document.querySelector('[data-testid="output-shape"]').textContent === '1×1×42×42', null, { timeout: 20000 });
  await page.waitForTimeout(300);
  const computes = await page.evaluate(() => window.convplayApp.stats.computes);
  console.log(`# 20 hash changes in one task: ${computes - computes0} computation(s)`);
  assert.equal(computes - computes0, 1);
  const want = cp.convTranspose2d({ shape: [1, 3, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) }, { shape: [1, 1, 2, 2], data: new Float32Array(4).fill(1) }, null, { stride: 20 });
  assert.equal(want.shape.join('×'), '1×42×42');
  assert.deepEqual(await outputValues(page), Array.from(want.data));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a banded computation of a huge output is abandoned when a newer edit arrives', async () => {
  // 2 input channels, 16×16 kernels, padding 1000: a 1×1989×1989 output, 2 G multiply-adds, in bands.
  const huge = `op=conv2d&x=${ones(4, 4)}|${ones(4, 4)}&w=${ones(16, 16)}|${ones(16, 16)}&padding=1000`;
  const { page, errors } = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  const stats = () => page.evaluate(() => ({ ...window.convplayApp.stats }));
  // Stride 1000 typed into both stride fields.
  const setStride = () => page.evaluate(() => window.__setStride());
  await page.evaluate(() => {
    window.__setStride = () => {
      for (const id of ['param-stride-h', 'param-stride-w']) {
        const el = document.querySelector(`[data-testid="${id}"]`);
        el.value = '1000';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }
    };
  });
  // The stride-1000 state: 2×2, computed at once.
  const want = cp.conv2d({ shape: [2, 4, 4], data: new Float32Array(32).fill(1) }, { shape: [1, 2, 16, 16], data: new Float32Array(512).fill(1) }, null, { padding: 1000, stride: 1000 });
  const settled = () => page.waitForFunction(() => !window.convplayApp.result.pending, null, { timeout: 60000 });

  // 1. The edit arrives in the same task as the huge state: no band of it ever runs.
  let s0 = await stats();
  const parts = await page.evaluate((h) => {
    window.convplayApp.loadHash(h, false);
    const n = window.convplayApp.result.bands.length;
    window.__setStride();
    return n;
  }, huge);
  await settled();
  await page.waitForTimeout(300);
  let s1 = await stats();
  console.log(`# huge state (${parts} bands) replaced at once: ${s1.bands - s0.bands} bands computed, ${s1.cancelled - s0.cancelled} abandoned`);
  assert.ok(parts >= 16, `${parts} bands`);
  assert.equal(s1.bands - s0.bands, 0);
  assert.equal(s1.cancelled - s0.cancelled, 1);
  assert.equal(await page.textContent('[data-testid="output-shape"]'), '1×1×2×2');
  assert.deepEqual(await outputValues(page), Array.from(want.data));

  // 2. The edit arrives while the bands are running: the rest are dropped.
  s0 = await stats();
  await page.evaluate((h) => window.convplayApp.loadHash(h, false), huge);
  await page.waitForFunction((b0) => window.convplayApp.stats.bands - b0 >= 3, s0.bands, { timeout: 60000, polling: 5 });
  await setStride();
  await settled();
  await page.waitForTimeout(300);
  s1 = await stats();
  console.log(`# huge state replaced after ${s1.bands - s0.bands} of its ${parts} bands: ${s1.cancelled - s0.cancelled} abandoned`);
  assert.ok(s1.bands - s0.bands >= 3 && s1.bands - s0.bands < parts, `${s1.bands - s0.bands} bands ran`);
  assert.equal(s1.cancelled - s0.cancelled, 1);
  assert.equal(await page.textContent('[data-testid="output-shape"]'), '1×1×2×2');
  assert.deepEqual(await outputValues(page), Array.from(want.data));
  assert.match(await page.textContent('[data-testid="timing"]'), /^computed in [\d.]+ ms · drawn in/);
  assert.equal(await page.locator('[data-testid="too-large"]').count(), 0);

  // 3. Left alone, the huge state finishes and is drawn as too large.
  await page.evaluate((h) => window.convplayApp.loadHash(h, false), huge);
  await settled();
  assert.equal(await page.textContent('[data-testid="output-shape"]'), '1×1×1989×1989');
  assert.match(await page.textContent('[data-testid="timing"]'), new RegExp(`^computed in [\\d.]+ ms .* ${parts} parts$`));
  assert.deepEqual(errors, []);
  await page.close();
});

test('image mode: a newer job wins over an older one still in the worker', async () => {
  // A 16×16 kernel (a centred delta), padding 8: every image job is heavy enough for the worker.
  const k = Array.from({ length: 16 }, (_, i) => Array.from({ length: 16 }, (_, j) => (i === 7 && j === 7 ? 1 : 0)).join(',')).join(';');
  const { page, errors } = await open(`op=conv2d&x=1,2,3;4,5,6;7,8,9&w=${k}&padding=8`);
  await page.click('[data-testid="image-mode"] summary');
  await page.waitForFunction(() => /worker/.test(document.querySelector('[data-testid="image-status"]').textContent), null, { timeout: 30000 });
  // All in one task, so that A's answer cannot be handled before B and C exist (the worker's
  // message is a task of its own): A, mixing channels, goes to the worker; B (a black kernel)
  // waits; C (the delta again) replaces B, which never runs. flush() computes each edit at once.
  const r = await page.evaluate(() => {
    const app = window.convplayApp, im = app.image;
    const s0 = { ...im.stats };
    const edit = (v) => {
      const el = document.querySelector('[data-testid="weight-cell"][data-h="7"][data-w="7"]');
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      app.flush();
    };
    const sel = document.querySelector('[data-testid="image-channels"]');
    sel.value = 'mix';
    sel.dispatchEvent(new Event('change'));
    const a = im.job;
    edit(0);
    const b = im.job;
    edit(1);
    return { s0, a, b, c: im.job, inFlight: im.inFlight && im.inFlight.job.id, queued: im.queued && im.queued.job.id };
  });
  await page.waitForFunction((c) => document.querySelector('[data-testid="image-output"]').dataset.job === String(c), r.c, { timeout: 30000 });
  await page.waitForTimeout(200);
  const s1 = await page.evaluate(() => ({ ...window.convplayApp.image.stats }));
  console.log(`# image jobs A ${r.a} (in the worker), B ${r.b}, C ${r.c}: posted ${s1.posted - r.s0.posted}, dropped unseen ${s1.dropped - r.s0.dropped}, stale results ${s1.stale - r.s0.stale}`);
  assert.equal(r.inFlight, r.a, 'A was in the worker when B and C arrived');
  assert.equal(r.queued, r.c, 'C waits, B is gone');
  assert.ok(r.a < r.b && r.b < r.c);
  assert.equal(s1.posted - r.s0.posted, 2, 'A and C went to the worker, B never did');
  assert.equal(s1.dropped - r.s0.dropped, 1, 'B was dropped unseen');
  assert.equal(s1.stale - r.s0.stale, 1, "A's result was not drawn");
  // The drawn picture is C's (the delta: a grey photo), not B's (black) nor A's.
  const status = await page.textContent('[data-testid="image-status"]');
  assert.match(status, /k\/3.*worker/);
  const mean = await page.evaluate(() => {
    const cv = document.querySelector('[data-testid="image-output"]');
    const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    let sum = 0;
    for (let i = 0; i < px.length; i += 4) sum += px[i];
    return sum / (px.length / 4);
  });
  assert.ok(mean > 40, `the picture is the photo in grey, not black (mean ${mean.toFixed(1)})`);
  assert.deepEqual(errors, []);
  await page.close();
});
