// Browser tests of the teaching features of the playground (issue 5): code export run through
// Python, the three views of conv_transpose2d, the linked matrix views, embedding, image mode
// and languages. Headless Chromium via playwright-core; build first (node web/build.mjs).
// Run: node --test tests/browser/page-teaching.test.mjs

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFile, mkdir, mkdtemp, stat, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openTestImage } from './test-image.mjs';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';
import { watchPage } from './page-issues.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const shots = join(root, 'build', 'screenshots');
const PYTHON = process.env.PYTHON || '/usr/bin/python3';

let server, httpRoot, browser, tmp;

before(async () => {
  await stat(join(dist, 'index.html'));
  await mkdir(shots, { recursive: true });
  tmp = await mkdtemp(join(tmpdir(), 'convplay-teach-'));
  server = await serveStatic(dist);
  httpRoot = server.base;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function open(hash = '', { base = 'http', file = 'index.html', width = 1280, height = 900, ready = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const prefix = base === 'http' ? httpRoot : pathToFileURL(dist).href + '/';
  const issues = watchPage(page, prefix);
  await page.goto(prefix + file + (hash ? `#${hash.replace(/^#/, '')}` : ''));
  if (ready) await page.waitForSelector('html[data-ready="1"]', { timeout: 15000 });
  return {
    page, context, issues,
    async close() { await context.close(); assert.deepEqual(issues, [], 'no console errors and no requests outside dist/'); },
  };
}

const outputValues = (page) => page.locator('[data-testid="output-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
const shape = (page) => page.locator('[data-testid="output-shape"]').textContent();
const errorText = async (page) => (await page.locator('[data-testid="error"]').textContent()).trim();
const ar = (n, start = 0) => Array.from({ length: n }, (_, i) => start + i);
const rows = (flat, W) => ar(flat.length / W).map((r) => flat.slice(r * W, r * W + W).join(',')).join(';');
// Deterministic pseudo-random values with 2 decimals (non-integers: float32 rounding matters).
function prng(seed) {
  let a = seed >>> 0;
  return () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 4294967296; };
}
const randVals = (r, n, scale = 4) => ar(n).map(() => Math.round((r() * 2 - 1) * scale * 100) / 100);

// ---- 1. code round trip: the exported scripts, run by Python, print the page's numbers --------
const EXPORT_CASES = (() => {
  const r = prng(7);
  const x2 = ar(2).map(() => rows(randVals(r, 25), 5)).join('|');
  const x4 = ar(4).map(() => rows(randVals(r, 36), 6)).join('|');
  return [
    ['conv2d reflect padding, signed decimals, bias', `op=conv2d&x=${rows(randVals(r, 30), 6)}&w=${rows(randVals(r, 9), 3)}&padding=2,1&padding_mode=reflect&b=0.37`],
    ['conv2d groups=2, 2->4 channels, stride 2, circular', `op=conv2d&x=${x2}&w=${ar(4).map(() => rows(randVals(r, 9), 3)).join('|')}&groups=2&stride=2&padding=1&padding_mode=circular&b=1.5,-2.25,0.1,3`],
    ["conv2d padding='same' with dilation 2, replicate", `op=conv2d&x=${rows(randVals(r, 49), 7)}&w=${rows(randVals(r, 4), 2)}&padding=same&dilation=2&padding_mode=replicate`],
    ['conv2d 4 in channels, groups=4 (depthwise), zeros padding', `op=conv2d&x=${x4}&w=${ar(4).map(() => rows(randVals(r, 9), 3)).join('|')}&groups=4&padding=1`],
    ['convT stride 2, padding 1, output_padding 1', `op=conv_transpose2d&x=${rows(randVals(r, 16), 4)}&w=${rows(randVals(r, 9), 3)}&stride=2&padding=1&output_padding=1`],
    ['convT groups=2, 2->4 channels, stride 3,2, output_padding 2,1, bias', `op=conv_transpose2d&x=${ar(2).map(() => rows(randVals(r, 12), 4)).join('|')}&w=${ar(4).map(() => rows(randVals(r, 6), 3)).join('|')}&groups=2&stride=3,2&output_padding=2,1&b=0.5,-1,2,0.25`],
    ['convT dilation 2, output_padding 1 (< dilation)', `op=conv_transpose2d&x=${rows(randVals(r, 9), 3)}&w=${rows(randVals(r, 4), 2)}&dilation=2&output_padding=1`],
  ];
})();

function parsePrinted(stdout) {
  const lines = stdout.trim().split('\n');
  const nested = JSON.parse(lines[lines.length - 1].replace(/\bnan\b/g, 'null'));
  return { shape: lines[lines.length - 2], values: nested.flat(Infinity) };
}

describe('code export: PyTorch and NumPy scripts print the page numbers', () => {
  for (const [name, hash] of EXPORT_CASES) {
    test(name, async () => {
      const p = await open(hash);
      const { page } = p;
      assert.equal(await errorText(page), '');
      const pageVals = await outputValues(page);
      assert.ok(pageVals.length > 0);
      const shp = (await shape(page)).split('×').slice(1).map(Number);
      // Both scripts are taken from the page, then run by Python at the same time.
      const files = {};
      for (const kind of ['pytorch', 'numpy']) {
        await page.click(`[data-testid="export-${kind}"]`);
        const code = await page.locator('[data-testid="export-code"]').inputValue();
        assert.equal(await page.locator('[data-testid="export-code"]').getAttribute('data-kind'), kind);
        files[kind] = join(tmp, `${kind}-${name.replace(/\W+/g, '_')}.py`);
        await writeFile(files[kind], code);
      }
      const outputs = await Promise.all(Object.values(files).map((file) => run(PYTHON, [file], { timeout: 60000 })));
      for (const [kind, { stdout }] of Object.keys(files).map((k, i) => [k, outputs[i]])) {
        const out = parsePrinted(stdout);
        assert.deepEqual(out.shape.replace(/[^\d,]/g, '').split(',').filter(Boolean).map(Number), shp, `${kind} shape`);
        assert.equal(out.values.length, pageVals.length, `${kind} value count`);
        let exact = 0, worst = 0;
        out.values.forEach((v, i) => {
          const d = Math.abs(v - pageVals[i]);
          if (d === 0) exact++;
          worst = Math.max(worst, d / Math.max(1, Math.abs(pageVals[i])));
        });
        assert.ok(worst <= 2e-6, `${kind}: worst relative difference ${worst}`);
        console.log(`# ${kind} ${name}: ${pageVals.length} values, ${exact} bit-identical, worst rel. diff ${worst.toExponential(2)}`);
      }
      // Typing into a cell keeps the open script current.
      await page.locator('[data-testid="input-cell"][data-c="0"][data-h="0"][data-w="0"]').fill('7.5');
      const code = await page.locator('[data-testid="export-code"]').inputValue();
      assert.match(code, /\[\[\[7\.5, /);
      await p.close();
    });
  }
});

// ---- 2. three views of conv_transpose2d agree on random configurations --------------------------
function randomConvT(r) {
  const pick = (a) => a[Math.floor(r() * a.length)];
  for (;;) {
    const g = pick([1, 1, 1, 2, 3]);
    const C = g * pick([1, 1, 2]), K = g * pick([1, 1, 2]);
    const H = 1 + Math.floor(r() * 5), W = 1 + Math.floor(r() * 5);
    const kh = 1 + Math.floor(r() * 4), kw = 1 + Math.floor(r() * 4);
    const sh = 1 + Math.floor(r() * 3), sw = 1 + Math.floor(r() * 3);
    const dh = pick([1, 1, 2]), dw = pick([1, 1, 2]);
    const ph = Math.floor(r() * (dh * (kh - 1) + 1)), pw = Math.floor(r() * (dw * (kw - 1) + 1));
    const oph = Math.floor(r() * Math.max(sh, dh)), opw = Math.floor(r() * Math.max(sw, dw));
    const OH = (H - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1, OW = (W - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
    if (OH < 1 || OW < 1) continue;
    const x = ar(C).map(() => rows(randVals(r, H * W), W)).join('|');
    const w = ar(C * (K / g)).map(() => rows(randVals(r, kh * kw, 2), kw)).join('|');
    const bias = r() < 0.4 ? `&b=${randVals(r, K).join(',')}` : '';
    return { hash: `op=conv_transpose2d&x=${x}&w=${w}&stride=${sh},${sw}&padding=${ph},${pw}&dilation=${dh},${dw}&output_padding=${oph},${opw}&groups=${g}${bias}`, C, K, H, W, kh, kw, sh, sw, dh, dw, ph, pw, oph, opw, g, OH, OW };
  }
}

describe('three views of conv_transpose2d', () => {
  test('scatter-add, zero insertion + conv2d and Mᵀx agree with the core on 60 random configurations', async () => {
    const p = await open('op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3');
    const { page } = p;
    const r = prng(2024);
    let identical = 0, worst = 0;
    for (let n = 0; n < 60; n++) {
      const cfg = randomConvT(r);
      const res = await page.evaluate((hash) => {
        const app = window.convplayApp;
        app.loadHash(hash, false);
        const badge = document.querySelector('[data-testid="convt-agree"]');
        const v = app.views.last;
        return { ok: app.result.ok, error: app.result.error, shape: app.result.shape, agree: badge.dataset.agree, identical: badge.dataset.identical, text: badge.textContent,
          diff: v.diff, Hz: v.Hz, Wz: v.Wz, matrixSkipped: v.matrixSkipped || 0 };
      }, cfg.hash);
      assert.ok(res.ok, `${cfg.hash}: ${res.error}`);
      assert.deepEqual(res.shape, [cfg.K, cfg.OH, cfg.OW]);
      assert.equal(res.agree, '1', `${cfg.hash}: ${res.text}`);
      assert.equal(res.matrixSkipped, 0);
      for (const k of ['scatter', 'zeros', 'matrix']) assert.ok(res.diff[k] !== null && res.diff[k] <= 1e-5, `${k} ${res.diff[k]}`);
      // The zero-inserted grid has the size the notes give.
      assert.equal(res.Hz, (cfg.H - 1) * cfg.sh + 1 + 2 * (cfg.dh * (cfg.kh - 1) - cfg.ph) + cfg.oph);
      assert.equal(res.Wz, (cfg.W - 1) * cfg.sw + 1 + 2 * (cfg.dw * (cfg.kw - 1) - cfg.pw) + cfg.opw);
      if (res.identical === '1') identical++;
      worst = Math.max(worst, res.diff.scatter, res.diff.zeros, res.diff.matrix);
    }
    console.log(`# 60 random conv_transpose2d configurations: all three views agree; ${identical} bit-identical, worst relative difference ${worst.toExponential(2)}`);
    // The check is computed: a corrupted core output turns it red.
    const bad = await page.evaluate(() => {
      const app = window.convplayApp;
      app.result.y.data[0] += 1;
      app.views.render();
      return document.querySelector('[data-testid="convt-agree"]').dataset.agree;
    });
    assert.equal(bad, '0');
    await p.close();
  });

  test('each view draws the real numbers (d2l example, stride 2, padding 1, output_padding 1)', async () => {
    const p = await open('op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&stride=2&padding=1&output_padding=1');
    const { page } = p;
    const out = await outputValues(page);
    assert.equal(await page.locator('[data-testid="convt-agree"]').getAttribute('data-identical'), '1');
    // Scatter: after all stamps the running sum's inner cells are the output; stamp 1 is x[0,0,0]·w = 0s.
    const run = await page.locator('[data-testid="scatter-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
    assert.deepEqual(run, out);
    await page.click('[data-testid="scatter-first"]');
    assert.match(await page.locator('.views-body').textContent(), /stamp 1 of 4/);
    await page.click('[data-testid="scatter-next"]'); // stamp 2: x[0,0,1] = 1 times the kernel at full rows 0..1, cols 2..3; padding 1 crops row 0 and column 0
    const run2 = await page.locator('[data-testid="scatter-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
    assert.deepEqual(run2, [0, 2, 3, 0, 0, 0, 0, 0, 0]);
    await page.screenshot({ path: join(shots, 'teach-views-scatter.png'), fullPage: true });
    // Zero insertion: 4×4 grid (1 zero inserted, padding 1·(2−1)−1 = 0, output_padding 1).
    await page.click('[data-testid="view-zeros"]');
    const kinds = await page.locator('[data-testid="zi-cell"]').evaluateAll((els) => els.map((e) => `${e.dataset.kind}:${e.dataset.value}`));
    assert.deepEqual(kinds, ['x:0', 'inserted:0', 'x:1', 'op:0', 'inserted:0', 'inserted:0', 'inserted:0', 'op:0', 'x:2', 'inserted:0', 'x:3', 'op:0', 'op:0', 'op:0', 'op:0', 'op:0']);
    assert.deepEqual(await page.locator('[data-testid="rot-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))), [3, 2, 1, 0]);
    assert.deepEqual(await page.locator('[data-testid="zi-out-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))), out);
    await page.locator('[data-testid="convt-views"]').screenshot({ path: join(shots, 'teach-views-zeros.png') });
    // Matrix: Mᵀ is [9, 4]; vec(y) holds the output.
    await page.click('[data-testid="view-matrix"]');
    assert.equal(await page.locator('[data-testid="tmat-row"]').count(), 9);
    assert.equal(await page.locator('[data-testid="tmat-col"]').count(), 4);
    assert.deepEqual(await page.locator('[data-testid="yvec-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))), out);
    // Linked: a row of Mᵀ lights its output cell and the inputs reaching it; a column its input cell.
    await page.hover('[data-testid="tmat-row"][data-row="4"]');
    assert.equal(await page.locator('[data-testid="output-cell"][data-h="1"][data-w="1"]').getAttribute('data-highlight'), '1');
    assert.deepEqual(await page.locator('[data-testid="input-cell"][data-highlight="1"]').evaluateAll((els) => els.map((e) => `${e.dataset.h},${e.dataset.w}`)), ['1,1']);
    await page.hover('[data-testid="tmat-col"][data-col="2"]');
    assert.equal(await page.locator('[data-testid="input-cell"][data-h="1"][data-w="0"]').getAttribute('data-highlight'), '1');
    assert.ok(await page.locator('[data-testid="output-cell"][data-highlight="1"]').count() > 0);
    await page.locator('[data-testid="convt-views"]').screenshot({ path: join(shots, 'teach-views-matrix.png') });
    await p.close();
  });
});

// ---- 3. matrix views linked to the grids, round trip, overlap map --------------------------------
describe('matrix views, round trip and overlap map', () => {
  test('kernel matrix and im2col rows/columns light the output cell, its receptive field and the input cell', async () => {
    const p = await open(`op=conv2d&x=${rows(ar(16), 4)}&w=1,2,3;4,5,6;7,8,9&padding=1`);
    const { page } = p;
    await page.locator('.matrix-panel summary').click();
    if (!(await page.evaluate(() => document.querySelector('.matrix-panel').open))) await page.locator('.matrix-panel summary').click();
    await page.waitForSelector('[data-testid="kmat-row"]', { timeout: 5000 });
    const hl = (testid) => page.locator(`[data-testid="${testid}"][data-highlight="1"]`).evaluateAll((els) => els.map((e) => `${e.dataset.c}:${e.dataset.h},${e.dataset.w}`).sort());
    // M is [16, 36] (4×4 output, 6×6 padded input). Row 5 = output (1, 1).
    assert.equal(await page.locator('[data-testid="kmat-row"]').count(), 16);
    assert.equal(await page.locator('[data-testid="kmat-col"]').count(), 36);
    await page.hover('[data-testid="kmat-row"][data-row="5"]');
    assert.deepEqual(await hl('output-cell'), ['0:1,1']);
    assert.deepEqual(await hl('input-cell'), ['0:0,0', '0:0,1', '0:0,2', '0:1,0', '0:1,1', '0:1,2', '0:2,0', '0:2,1', '0:2,2']);
    // Column 14 = padded (2, 2) = input (1, 1); column 0 = the padding corner (ghost -1, -1).
    await page.hover('[data-testid="kmat-col"][data-col="14"]');
    assert.deepEqual(await hl('input-cell'), ['0:1,1']);
    assert.ok((await hl('output-cell')).length === 9, 'the outputs the input reaches');
    await page.hover('[data-testid="kmat-col"][data-col="0"]');
    assert.deepEqual(await hl('ghost-cell'), ['0:-1,-1']);
    // im2col: unfold column 6 = output (1, 2); entry (row 4 = tap (1,1), column 6) reads input (1, 2).
    await page.hover('[data-testid="unfold-col"][data-col="6"]');
    assert.deepEqual(await hl('output-cell'), ['0:1,2']);
    assert.equal((await hl('input-cell')).length + (await hl('ghost-cell')).length, 9);
    await page.hover('[data-testid="unfold-cell"][data-row="4"][data-col="6"]');
    assert.deepEqual(await hl('input-cell'), ['0:1,2']);
    assert.deepEqual(await hl('output-cell'), ['0:1,2']);
    await page.hover('[data-testid="wmat-cell"][data-row="0"][data-col="4"]');
    assert.equal(await page.locator('[data-testid="weight-cell"][data-h="1"][data-w="1"]').getAttribute('data-highlight'), '1');
    assert.equal(await page.locator('[data-testid="im2col-agree"]').getAttribute('data-agree'), '1');
    assert.deepEqual(await page.locator('[data-testid="ymat-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))), await outputValues(page));
    await page.hover('[data-testid="kmat-row"][data-row="5"]');
    await page.screenshot({ path: join(shots, 'teach-matrix-linked.png'), fullPage: true });
    await p.close();
  });

  test('round trip: which output_padding brings the shape back; overlap map and the checkerboard', async () => {
    const p = await open(`op=conv2d&x=${rows(ar(36), 6)}&w=1,1,1;1,1,1;1,1,1&stride=2&padding=1`);
    const { page } = p;
    await page.click('[data-testid="shape-panel"] summary');
    const rt = page.locator('[data-testid="roundtrip-result"]');
    assert.equal(await rt.getAttribute('data-same'), '0');
    assert.equal(await rt.getAttribute('data-output-padding'), '1,1');
    assert.match(await page.locator('[data-testid="roundtrip"]').textContent(), /6×6 —conv2d→ 3×3 —conv_transpose2d→ 5×5/);
    // Stride 2, kernel 3: uneven taps (1, 2, 4 per pixel) -> checkerboard.
    assert.equal(await page.locator('[data-testid="overlap-note"]').getAttribute('data-uneven'), '1');
    assert.match(await page.locator('[data-testid="overlap-note"]').textContent(), /not divisible/);
    await page.locator('[data-testid="shape-panel"]').screenshot({ path: join(shots, 'teach-roundtrip-overlap.png') });
    await page.click('[data-testid="roundtrip-try"]');
    assert.equal(await shape(page), '1×1×6×6');
    assert.equal(await errorText(page), '');
    assert.match(page.url(), /op=conv_transpose2d.*output_padding=1/);
    assert.equal(await page.locator('[data-testid="roundtrip-result"]').getAttribute('data-output-padding'), '1,1');
    // 5×5 comes back without output_padding.
    await page.evaluate(() => window.convplayApp.loadHash(`op=conv2d&x=${'1,1,1,1,1;'.repeat(4)}1,1,1,1,1&w=1,1,1;1,1,1;1,1,1&stride=2&padding=1`, false));
    assert.equal(await page.locator('[data-testid="roundtrip-result"]').getAttribute('data-same'), '1');
    // k=4, s=2, p=1: interior pixels all get 4 taps.
    await page.evaluate(() => window.convplayApp.loadHash('op=conv_transpose2d&x=1,1,1;1,1,1;1,1,1&w=1,1,1,1;1,1,1,1;1,1,1,1;1,1,1,1&stride=2&padding=1', false));
    const counts = await page.locator('[data-testid="overlap-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
    assert.equal(counts.length, 36);
    assert.deepEqual(counts.slice(7, 11), [4, 4, 4, 4]);
    assert.match(await page.locator('[data-testid="overlap-note"]').textContent(), /is divisible/);
    await p.close();
  });
});

// ---- 4. embedding: iframe (embed.html) and <conv-playground>, from a file:// page ---------------
describe('embedding', () => {
  test('the Embed button snippets work in a page opened from file:// (iframe sizes itself; several components; shadow styles)', async () => {
    const hash = 'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&stride=2&b=0.5';
    const p = await open(hash, { base: 'file' });
    const { page } = p;
    const expected = await outputValues(page);
    assert.deepEqual(expected, [0.5, 0.5, 0.5, 1.5, 0.5, 0.5, 2.5, 3.5, 0.5, 2.5, 0.5, 3.5, 4.5, 6.5, 6.5, 9.5]);
    await page.click('[data-testid="embed"]');
    await page.check('[data-testid="embed-panel-explain"]');
    const iframeSnippet = await page.locator('[data-testid="embed-iframe"]').inputValue();
    const compSnippet = await page.locator('[data-testid="embed-component"]').inputValue();
    assert.match(iframeSnippet, /embed\.html#op=conv_transpose2d&amp;x=0,1;2,3&amp;w=0,1;2,3&amp;b=0\.5&amp;stride=2&amp;panels=grids,formula,explain/);
    assert.match(compSnippet, /<conv-playground op="conv_transpose2d" x="0,1;2,3" w="0,1;2,3" b="0\.5" stride="2" panels="grids,formula,explain"><\/conv-playground>/);
    await page.screenshot({ path: join(shots, 'teach-embed-button.png') });
    await p.close();

    // A blog-like page: the page's own CSS must not reach into the components, nor theirs out.
    const second = '<conv-playground op="conv2d" x="1,2,3;4,5,6;7,8,9" w="1,1;1,1" panels="grids"></conv-playground>';
    const third = '<conv-playground op="conv2d" x="0,1,2,3;4,5,6,7;8,9,10,11;12,13,14,15" w="1" padding="1" padding_mode="reflect" panels="grids,params"></conv-playground>';
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>blog</title><style>.cell { color: rgb(255, 0, 0); } body { font-family: serif; }</style></head><body>
<h1>My post</h1><p class="cell" id="outside">outside text</p>
${iframeSnippet}
<p>Components:</p>
${compSnippet}
${second}
${third}
</body></html>`;
    const file = join(tmp, 'blog.html');
    await writeFile(file, html);
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const bp = await context.newPage();
    const issues = [];
    bp.on('pageerror', (e) => issues.push(e.message));
    bp.on('console', (m) => { if (m.type() === 'error') issues.push(m.text()); });
    bp.on('request', (r) => { const u = r.url(); if (!u.startsWith('file://') && !u.startsWith('data:')) issues.push(`request ${u}`); });
    await bp.goto(pathToFileURL(file).href);
    await bp.waitForFunction(() => document.querySelectorAll('conv-playground[ready]').length === 3, null, { timeout: 15000 });
    const comps = await bp.evaluate(() => [...document.querySelectorAll('conv-playground')].map((el) => ({
      values: [...el.shadowRoot.querySelectorAll('[data-testid="output-cell"]')].map((c) => Number(c.dataset.value)),
      panels: [...el.shadowRoot.querySelectorAll('.formula-panel, .explain-panel, .controls')].map((x) => x.className.split(' ').pop()),
      cellColour: getComputedStyle(el.shadowRoot.querySelector('[data-testid="output-cell"]')).color,
    })));
    assert.deepEqual(comps[0].values, expected);
    assert.deepEqual(comps[0].panels, ['formula-panel', 'explain-panel']);
    assert.deepEqual(comps[1].values, [12, 16, 24, 28]);
    assert.deepEqual(comps[1].panels, []);
    assert.deepEqual(comps[2].values.slice(0, 6), [5, 4, 5, 6, 7, 6]);
    assert.deepEqual(comps[2].panels, ['controls']);
    for (const c of comps) assert.notEqual(c.cellColour, 'rgb(255, 0, 0)', 'page CSS stays out of the shadow root');
    assert.equal(await bp.evaluate(() => getComputedStyle(document.getElementById('outside')).color), 'rgb(255, 0, 0)');
    assert.equal(await bp.evaluate(() => getComputedStyle(document.body).fontFamily), 'serif', 'component CSS stays inside');
    // Components are live and independent: editing one recomputes only it.
    const cell = bp.locator('conv-playground >> nth=1').locator('[data-testid="input-cell"][data-h="0"][data-w="0"]');
    await cell.fill('2');
    assert.deepEqual(await bp.locator('conv-playground >> nth=1').locator('[data-testid="output-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))), [13, 16, 24, 28]);
    assert.deepEqual(await bp.locator('conv-playground >> nth=0').locator('[data-testid="output-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))), expected);
    // Attributes drive the state.
    await bp.evaluate(() => document.querySelectorAll('conv-playground')[1].setAttribute('stride', '2'));
    assert.deepEqual(await bp.locator('conv-playground >> nth=1').locator('[data-testid="output-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))), [12]);
    // The iframe: same numbers, and its height follows the reported content height.
    const frame = bp.frameLocator('iframe');
    await frame.locator('html[data-ready="1"]').waitFor({ timeout: 15000 });
    assert.deepEqual(await frame.locator('[data-testid="output-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))), expected);
    assert.equal(await frame.locator('.formula-panel').count(), 1);
    assert.equal(await frame.locator('.controls').count(), 0);
    await bp.waitForFunction(() => { const f = document.querySelector('iframe'); return f.style.height !== '420px' && parseInt(f.style.height, 10) > 200; }, null, { timeout: 10000 });
    const { styleH, reported } = await bp.evaluate(() => { const f = document.querySelector('iframe'); return { styleH: parseInt(f.style.height, 10), reported: Number(f.contentDocument ? f.contentDocument.documentElement.dataset.height : NaN) }; });
    if (Number.isFinite(reported)) assert.equal(styleH, reported);
    const inner = await frame.locator('html').evaluate((el) => el.scrollHeight);
    assert.ok(Math.abs(inner - styleH) <= 2, `iframe ${styleH}px for content ${inner}px`);
    await bp.screenshot({ path: join(shots, 'teach-embed-blog.png'), fullPage: true });
    await context.close();
    assert.deepEqual(issues, []);
  });

  test('dist/docs.html shows both working offline from file://', async () => {
    const p = await open('', { base: 'file', file: 'docs.html', ready: false });
    const { page } = p;
    await page.waitForFunction(() => document.querySelectorAll('conv-playground[ready]').length === 2, null, { timeout: 15000 });
    assert.deepEqual(await page.locator('#demo-a').locator('[data-testid="output-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))), [12, 16, 24, 28]);
    await page.waitForFunction(() => Number(document.querySelector('iframe').dataset.reportedHeight) > 200, null, { timeout: 10000 });
    assert.deepEqual(await page.frameLocator('iframe').locator('[data-testid="output-cell"]').evaluateAll((els) => els.map((e) => Number(e.dataset.value))), [0, 0, 0, 1, 0, 0, 2, 3, 0, 2, 0, 3, 4, 6, 6, 9]);
    await page.screenshot({ path: join(shots, 'teach-docs.png'), fullPage: true });
    await p.close();
  });
});

// ---- 5. image mode ---------------------------------------------------------------------------------
// A canvas's RGBA pixels as { w, h, data } (data: a Buffer). They cross from the page as base64:
// as an array of numbers, a 512×512 picture is a million JSON values, slow to serialise.
const pixels = async (page, testid) => {
  const r = await page.locator(`[data-testid="${testid}"]`).evaluate((cv) => {
    const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    let bin = '';
    for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000));
    return { w: cv.width, h: cv.height, b64: btoa(bin) };
  });
  return { w: r.w, h: r.h, data: Buffer.from(r.b64, 'base64') };
};

describe('image mode', () => {
  for (const base of ['http', 'file']) {
    test(`renders the bundled photo, the demos and a ×2 bilinear upsampling (${base}${base === 'http' ? ', worker' : ', main thread'})`, async () => {
      const p = await open('', { base });
      const { page } = p;
      await page.click('[data-testid="image-mode"] summary');
      await page.waitForFunction(() => document.querySelector('[data-testid="image-output"]').dataset.job, null, { timeout: 15000 });
      // Default page state: 3×3 ones (a sum of 9 pixels) on the 451×300 photo, 'valid' -> 449×298.
      const inp = await pixels(page, 'image-input');
      assert.deepEqual([inp.w, inp.h], [451, 300]);
      const mean = inp.data.reduce((a, v, i) => (i % 4 === 3 ? a : a + v), 0) / (inp.w * inp.h * 3);
      assert.ok(mean > 40 && mean < 220, `the photo is drawn (mean ${mean})`);
      const status = page.locator('[data-testid="image-status"]');
      assert.match(await status.textContent(), /451×300 → 449×298/);
      assert.match(await status.textContent(), /main thread/, 'a small job runs at once');
      // Mixing every channel pair (3×3×9 taps per pixel) is a heavy job: the worker over http,
      // per-channel chunks on the main thread from file://.
      const j1 = await page.locator('[data-testid="image-output"]').getAttribute('data-job');
      await page.selectOption('[data-testid="image-channels"]', 'mix');
      await page.waitForFunction((j) => document.querySelector('[data-testid="image-output"]').dataset.job !== j, j1, { timeout: 15000 });
      assert.match(await status.textContent(), base === 'http' ? /k\/3.*worker/ : /k\/3.*main thread/);
      if (base === 'file') assert.match(await page.locator('[data-testid="image-note"]').textContent(), /file:\/\//);
      await page.selectOption('[data-testid="image-channels"]', 'depthwise');
      // ×2 bilinear upsampling: conv_transpose2d k=4, s=2, p=1 on the photo shrunk to 225×150.
      const job0 = await page.locator('[data-testid="image-output"]').getAttribute('data-job');
      await page.click('[data-testid="image-demo-up2"]');
      await page.waitForFunction((j) => document.querySelector('[data-testid="image-output"]').dataset.job !== j && /450×300/.test(document.querySelector('[data-testid="image-status"]').textContent), job0, { timeout: 15000 });
      assert.equal(await shape(page), `1×1×${'?'}`.replace('?', await page.evaluate(() => `${window.convplayApp.result.shape[1]}×${window.convplayApp.result.shape[2]}`)));
      const small = await pixels(page, 'image-input');
      const up = await pixels(page, 'image-output');
      assert.deepEqual([small.w, small.h, up.w, up.h], [225, 150, 450, 300]);
      // Bilinear: y(2m, 2n) = Σ 0.75/0.25 weights of x(m, n), x(m-1, n), x(m, n-1), x(m-1, n-1).
      let worstPx = 0;
      for (const [m, n] of [[10, 10], [40, 100], [75, 112], [120, 200], [149, 224], [1, 1]]) {
        for (let c = 0; c < 3; c++) {
          const X = (i, j) => small.data[(i * small.w + j) * 4 + c];
          const want = 0.5625 * X(m, n) + 0.1875 * X(m - 1, n) + 0.1875 * X(m, n - 1) + 0.0625 * X(m - 1, n - 1);
          const got = up.data[((2 * m) * up.w + 2 * n) * 4 + c];
          worstPx = Math.max(worstPx, Math.abs(got - want));
        }
      }
      assert.ok(worstPx <= 1, `bilinear ×2 pixels within 1/255 (worst ${worstPx})`);
      await page.locator('[data-testid="image-mode"]').screenshot({ path: join(shots, `teach-image-up2-${base}.png`) });
      // Blur, edges (shown as |v|), sharpen, then FCN ×32 from a 14×9 thumbnail.
      for (const [id, re] of [['blur', /conv2d, 5×5/], ['edges', /conv2d, 3×3/], ['sharpen', /conv2d, 3×3/], ['fcn32', /448×288|FCN/]]) {
        const j = await page.locator('[data-testid="image-output"]').getAttribute('data-job');
        await page.click(`[data-testid="image-demo-${id}"]`);
        await page.waitForFunction((jj) => document.querySelector('[data-testid="image-output"]').dataset.job !== jj, j, { timeout: 15000 });
        await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[data-testid="image-status"]').textContent), re.source, { timeout: 15000 });
        if (id === 'edges') assert.equal(await page.locator('[data-testid="image-output"]').getAttribute('data-display'), 'abs');
      }
      assert.match(await status.textContent(), /14×9 → 448×288/);
      await page.locator('[data-testid="image-mode"]').screenshot({ path: join(shots, `teach-image-fcn32-${base}.png`) });
      await p.close();
    });
  }

  test('a dropped/opened 512×512 image; per-channel vs mixing; a kernel edit re-renders the picture in its task', async () => {
    const p = await open('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=0,0,0;0,1,0;0,0,0&padding=1');
    const { page } = p;
    await page.click('[data-testid="image-mode"] summary');
    await openTestImage(page); // 512×512: a red-to-green gradient with a blue square
    // Identity kernel, per channel: output = input.
    const a = await pixels(page, 'image-input'), b = await pixels(page, 'image-output');
    assert.deepEqual(b.data.slice(0, 4000), a.data.slice(0, 4000));
    // Mixing (page is 1→1): k/3 on every pair -> grey = mean of R, G, B.
    await page.selectOption('[data-testid="image-channels"]', 'mix');
    await page.waitForFunction(() => /k\/3/.test(document.querySelector('[data-testid="image-status"]').textContent), null, { timeout: 15000 });
    const grey = await pixels(page, 'image-output');
    const at = (im, x, y) => im.data.slice((y * im.w + x) * 4, (y * im.w + x) * 4 + 3);
    const [r0, g0, b0] = at(a, 250, 250);
    for (const v of at(grey, 250, 250)) assert.ok(Math.abs(v - (r0 + g0 + b0) / 3) <= 1);
    await page.selectOption('[data-testid="image-channels"]', 'depthwise');
    // Kernel edits redraw the 512×512 RGB picture synchronously, within the edit's task (how long
    // that takes is measured by the page benchmark, `bash bench/run.sh --page`): the centre tap
    // scales an identity kernel, so every pixel is the input's scaled (rounded, clamped).
    const redraws = await page.evaluate(() => {
      const out = document.querySelector('[data-testid="image-output"]');
      const el = document.querySelector('[data-testid="weight-cell"][data-h="1"][data-w="1"]');
      let n = 0;
      for (let k = 0; k < 4; k++) {
        const before = out.dataset.job;
        el.value = String(0.5 + k / 10);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        window.convplayApp.flush(); // edits are computed at the end of the task: compute this one now
        if (out.dataset.job !== before) n++;
      }
      return n;
    });
    assert.equal(redraws, 4, 'each edit redrew the picture in its own task');
    const scaled = await pixels(page, 'image-output');
    const [r1, g1, b1] = at(scaled, 250, 250);
    for (const [v, u] of [[r1, r0], [g1, g0], [b1, b0]]) assert.ok(Math.abs(v - Math.min(255, u * 0.8)) <= 1, `pixel ${v} vs ${u} × 0.8`);
    await p.close();
  });
});
