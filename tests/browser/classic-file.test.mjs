// dist/convplay.js, the classic script, in headless Chromium opened from file:// (where
// module scripts are refused) and the ES module over http.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const browser = await launchChromium();
after(() => browser.close());

test('classic script from file:// computes seed 004 and reports errors as Error', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(pathToFileURL(join(root, 'tests', 'browser', 'fixtures', 'classic.html')).href);
  await page.waitForFunction(() => document.body.dataset.status, null, { timeout: 20000 });
  assert.equal(await page.evaluate(() => document.body.dataset.status), 'done');
  const r = JSON.parse(await page.evaluate(() => document.body.dataset.result));
  // Chromium runs relaxed SIMD (since 114): convplay.js added convplay-relaxed.js beside it.
  assert.equal(r.backend, 'wasm-relaxed-simd');
  assert.deepEqual(r.conv, [12, 16, 24, 28]);
  assert.match(r.error, /groups=3 must divide/);
  assert.deepEqual(r.convT, [12, 28, 28, 16, 36, 80, 80, 44, 36, 80, 80, 44, 24, 52, 52, 28]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('ES module over http imports and computes', async () => {
  const server = await serveStatic(join(root, 'dist'), { index: '<!doctype html><title>blank</title>' });
  const { base } = server;
  const page = await browser.newPage();
  await page.goto(base);
  const out = await page.evaluate(async (url) => {
    const { load } = await import(url);
    const cp = await load();
    return Array.from(cp.conv2d(cp.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]), cp.tensor([[[[1, 1], [1, 1]]]])).data);
  }, base + 'convplay.mjs');
  assert.deepEqual(out, [12, 16, 24, 28]);
  await page.close();
  server.close();
});

// Opens the classic-script fixture from file:// in an engine whose WebAssembly.validate refuses
// any module holding the opcode bytes `refused` (as an engine lacking that feature would), and
// returns the page with the fixture's result.
async function fixtureRefusing(refused) {
  const page = await browser.newPage();
  await page.addInitScript((bytesRefused) => {
    const validate = WebAssembly.validate;
    WebAssembly.validate = (bytes) => {
      const b = new Uint8Array(bytes.buffer ? bytes.buffer : bytes);
      for (let i = 0; i + 1 < b.length; ++i)
        if (bytesRefused.every((x, k) => b[i + k] === x)) return false;
      return validate(bytes);
    };
  }, refused);
  await page.goto(pathToFileURL(join(root, 'tests', 'browser', 'fixtures', 'classic.html')).href);
  await page.waitForFunction(() => document.body.dataset.status, null, { timeout: 20000 });
  return { page, result: JSON.parse(await page.evaluate(() => document.body.dataset.result)) };
}

test('engines without relaxed SIMD get the SIMD build; { relaxed: false } forces it; a missing convplay-relaxed.js falls back to it', async () => {
  // An engine refusing f32x4.relaxed_madd (0xfd 0x85 0x02), as Chromium before 114 does.
  const { page, result: r } = await fixtureRefusing([253, 133, 2]);
  assert.equal(r.backend, 'wasm-simd128');
  assert.deepEqual(r.conv, [12, 16, 24, 28]);
  assert.equal(await page.evaluate(() => document.querySelectorAll('script[src$="convplay-relaxed.js"]').length), 0);
  await page.close();
  const forced = await browser.newPage();
  await forced.goto(pathToFileURL(join(root, 'tests', 'browser', 'fixtures', 'classic.html')).href);
  await forced.waitForFunction(() => document.body.dataset.status, null, { timeout: 20000 });
  assert.equal(await forced.evaluate(async () => (await convplay.load({ relaxed: false })).backend), 'wasm-simd128');
  await forced.close();
  // convplay.js copied alone (convplay-relaxed.js cannot load): the SIMD build runs.
  const alone = await browser.newPage();
  await alone.route('**/convplay-relaxed.js', (route) => route.abort());
  await alone.addInitScript(() => { window.convplayRelaxed = undefined; });
  await alone.goto(pathToFileURL(join(root, 'tests', 'browser', 'fixtures', 'classic.html')).href);
  await alone.waitForFunction(() => document.body.dataset.status, null, { timeout: 20000 });
  assert.equal(await alone.evaluate(() => document.body.dataset.status), 'done');
  assert.equal(JSON.parse(await alone.evaluate(() => document.body.dataset.result)).backend, 'wasm-simd128');
  await alone.close();
});

test('engines with SIMD but without bulk memory get the scalar build too', async () => {
  // The SIMD build uses memory.copy/fill: an engine refusing memory.fill (0xfc 0x0b) must not be
  // handed that build even though it validates SIMD.
  const { page, result: r } = await fixtureRefusing([252, 11]);
  assert.equal(r.backend, 'scalar');
  assert.deepEqual(r.conv, [12, 16, 24, 28]);
  await page.close();
});

test('engines without WebAssembly SIMD get the scalar build (feature detection), and { simd: false } forces it', async () => {
  // An engine that refuses SIMD (the 0xfd prefix): compiling the SIMD core would fail the same way.
  const { page, result: r } = await fixtureRefusing([253]);
  assert.equal(r.backend, 'scalar');
  assert.deepEqual(r.conv, [12, 16, 24, 28]);
  const forced = await browser.newPage();
  await forced.goto(pathToFileURL(join(root, 'tests', 'browser', 'fixtures', 'classic.html')).href);
  await forced.waitForFunction(() => document.body.dataset.status, null, { timeout: 20000 });
  const backend = await forced.evaluate(async () => (await convplay.load({ simd: false })).backend);
  assert.equal(backend, 'scalar');
  await page.close();
  await forced.close();
});
