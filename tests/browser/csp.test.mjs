// The page and the module under the strict Content-Security-Policy of issue 6, served by a
// local server that sends the header: no eval (Embind is built with DYNAMIC_EXECUTION=0),
// no inline scripts or styles, nothing fetched from elsewhere.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' blob: data:; connect-src 'self' data:";
const server = await serveStatic(root, { headers: { 'content-security-policy': CSP } });
const { base } = server;
const browser = await launchChromium();
after(async () => { await browser.close(); server.close(); });

async function open(path) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__cspViolations ||= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(base + path);
  return { page, problems };
}

test('the playground computes seed 004 under the strict CSP with no violation', async () => {
  const { page, problems } = await open('index.html#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="output-cell"]').length === 4, null, { timeout: 20000 });
  const values = await page.$$eval('[data-testid="output-cell"]', (cells) => cells.map((c) => Number(c.dataset.value)));
  assert.deepEqual(values, [12, 16, 24, 28]);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations || []), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the ES module, its relaxed-SIMD build and the SIMD and scalar fallbacks work under the strict CSP', async () => {
  const { page, problems } = await open('index.html');
  const out = await page.evaluate(async (url) => {
    const { load } = await import(url);
    const builds = [await load(), await load({ relaxed: false }), await load({ simd: false })];
    const x = builds[0].tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const k = builds[0].tensor([[[[1, 1], [1, 1]]]]);
    return builds.map((cp) => [cp.backend, Array.from(cp.conv2d(x, k).data)]);
  }, base + 'convplay.mjs');
  assert.deepEqual(out, [['wasm-relaxed-simd', [12, 16, 24, 28]], ['wasm-simd128', [12, 16, 24, 28]], ['scalar', [12, 16, 24, 28]]]);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations || []), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the page runs the relaxed-SIMD build, ?relaxed=0 the SIMD one (under the CSP too), and says so', async () => {
  for (const [query, backend] of [['', 'wasm-relaxed-simd'], ['?relaxed=0', 'wasm-simd128']]) {
    const { page, problems } = await open(`index.html${query}#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="output-cell"]').length === 4, null, { timeout: 20000 });
    const values = await page.$$eval('[data-testid="output-cell"]', (cells) => cells.map((c) => Number(c.dataset.value)));
    assert.deepEqual(values, [12, 16, 24, 28]);
    assert.equal(await page.textContent('[data-testid="backend"]'), backend);
    assert.deepEqual(await page.evaluate(() => window.__cspViolations || []), []);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('?simd=0 runs the page on the scalar engine (under the CSP too) and says so', async () => {
  const { page, problems } = await open('index.html?simd=0#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="output-cell"]').length === 4, null, { timeout: 20000 });
  const values = await page.$$eval('[data-testid="output-cell"]', (cells) => cells.map((c) => Number(c.dataset.value)));
  assert.deepEqual(values, [12, 16, 24, 28]);
  assert.equal(await page.textContent('[data-testid="backend"]'), 'scalar');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations || []), []);
  assert.deepEqual(problems, []);
  await page.close();
});
