// Smoke test of the browser benchmark page: dist/bench.html?quick=1 from file:// in headless
// Chromium (Debian's, driven by playwright-core) runs every shape once, checks every
// result and fills the table. Builds the page first (node bench/build-page.mjs).
// usage: node --test bench/page.test.mjs   (SCREENSHOT=path.png keeps a screenshot)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import './page/bench-cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
let browser;

before(async () => {
  execFileSync(process.execPath, [join(here, 'build-page.mjs')], { stdio: 'ignore' });
  assert.ok(existsSync(join(dist, 'convplay.js')), 'dist/convplay.js is missing: run bash scripts/build.sh');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: ARGS,
  });
});
after(() => browser?.close());

test('bench.html?quick=1 from file:// checks and times every shape', { timeout: 120000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(pathToFileURL(join(dist, 'bench.html')).href + '?quick=1');
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 110000 });
  const state = await page.evaluate(() => ({
    state: document.body.dataset.state, error: document.body.dataset.error, ok: document.body.dataset.ok,
    status: document.getElementById('status').textContent, results: window.benchResults,
    rows: document.querySelectorAll('#rows tr').length,
    pending: document.querySelectorAll('#rows td.pending').length,
    progress: document.getElementById('progress').value,
    bad: [...document.querySelectorAll('#rows td.bad')].map((td) => td.textContent),
  }));
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
  assert.equal(state.state, 'done', `${state.status} ${state.error ?? ''}`);
  assert.equal(state.ok, 'true', state.status);
  assert.deepEqual(state.bad, []);
  const ids = globalThis.convplayBenchCases.cases.map((c) => c.id);
  const r = state.results;
  assert.equal(state.rows, r.cases.length);
  assert.deepEqual(r.cases.map((c) => c.id), ids);
  assert.equal(state.pending, 0);
  assert.equal(state.progress, 1);
  assert.ok(r.ceiling > 0, 'ceiling measured');
  // Chromium runs relaxed SIMD: all three builds are checked and timed, with both ceilings.
  assert.equal(r.relaxedBackend, 'wasm-relaxed-simd');
  assert.ok(r.ceilingFused > 0, 'fused ceiling measured');
  for (const c of r.cases) {
    assert.ok(c.ok, `${c.id} checked out`);
    for (const k of ['relaxed', 'simd', 'scalar', 'js']) assert.ok(Number.isFinite(c[k].medianMs) && c[k].medianMs >= 0, `${c.id} ${k} timed`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
