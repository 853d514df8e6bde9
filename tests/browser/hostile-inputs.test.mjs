// Hostile input beyond the URL: web-component attributes, image files that are not images
// (truncated, binary, with HTML in the name), and a 50 MB paste. Nothing runs, the page keeps
// working, and no main-thread task blocks for long.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const index = pathToFileURL(join(here, '..', '..', 'dist', 'index.html')).href;
const browser = await launchChromium();
after(() => browser.close());

test('web-component attributes with script/HTML payloads render as text and never run', async () => {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(here, 'fixtures', 'component-hostile.html')).href);
  // the valid component still computes seed 004
  await page.waitForFunction(() => {
    const root = document.getElementById('d').shadowRoot;
    return root && root.querySelectorAll('[data-testid="output-cell"]').length === 4;
  }, null, { timeout: 20000 });
  const state = await page.evaluate(() => {
    const roots = [...document.querySelectorAll('conv-playground')].map((e) => e.shadowRoot);
    return {
      pwned: window.__pwned === 1,
      injected: roots.reduce((n, r) => n + (r ? r.querySelectorAll('img[src="x"], svg[onload], script').length : 0), 0)
        + document.querySelectorAll('img[src="x"], svg[onload]').length,
      values: [...roots[3].querySelectorAll('[data-testid="output-cell"]')].map((c) => Number(c.dataset.value)),
    };
  });
  assert.equal(state.pwned, false);
  assert.equal(state.injected, 0);
  assert.deepEqual(state.values, [12, 16, 24, 28]);
  await page.close();
});

test('image files that are not images give a message; an HTML file name stays text', async () => {
  const page = await browser.newPage();
  await page.goto(`${index}#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout: 20000 });
  await page.evaluate(() => { document.querySelector('[data-testid="image-mode"]').open = true; });
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]); // truncated PNG
  const files = [
    { name: 'truncated.png', mimeType: 'image/png', buffer: png },
    { name: '<img src=x onerror="window.__pwned=1">.png', mimeType: 'image/png', buffer: Buffer.from([1, 2, 3, 4]) },
    { name: 'random.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)) },
  ];
  for (const f of files) {
    await page.setInputFiles('[data-testid="image-file"]', f);
    await page.waitForFunction(() => (document.querySelector('[data-testid="image-status"]')?.textContent || '').length > 0,
      null, { timeout: 10000 });
    const state = await page.evaluate(() => ({
      pwned: window.__pwned === 1,
      injected: document.querySelectorAll('img[src="x"]').length,
      status: document.querySelector('[data-testid="image-status"]').textContent,
    }));
    assert.equal(state.pwned, false, f.name);
    assert.equal(state.injected, 0, f.name);
    assert.ok(state.status.length > 0, f.name);
  }
  // the grids still compute
  const values = await page.$$eval('[data-testid="output-cell"]', (cells) => cells.map((c) => Number(c.dataset.value)));
  assert.deepEqual(values, [12, 16, 24, 28]);
  await page.close();
});

test('a 50 MB paste is refused with a message before any parsing, and keeps the work', async () => {
  const page = await browser.newPage();
  await page.goto(`${index}#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout: 20000 });
  const result = await page.evaluate(async () => {
    const stats = window.convplayApp.stats;
    const parsedBefore = stats.pasteCharsParsed, computesBefore = stats.computes;
    const cell = document.querySelector('[data-testid="input-cell"]');
    const input = cell.matches('input') ? cell : cell.querySelector('input') || cell;
    input.focus();
    const text = '1,2,3;'.repeat(50 * 1024 * 1024 / 6);
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const accepted = input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    await new Promise((r) => setTimeout(r, 100));
    const notice = document.body.innerText;
    const kept = [...document.querySelectorAll('[data-testid="output-cell"]')].map((c) => Number(c.dataset.value));
    // A small paste afterwards is parsed (exactly its characters) and applied.
    const small = new DataTransfer();
    small.setData('text/plain', '7,8,0;9,10,0;1,1,1');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: small, bubbles: true, cancelable: true }));
    await new Promise((r) => setTimeout(r, 100));
    return {
      accepted,
      parsedByHuge: stats.pasteCharsParsed - parsedBefore,
      computes: stats.computes - computesBefore,
      notice,
      kept,
      values: [...document.querySelectorAll('[data-testid="output-cell"]')].map((c) => Number(c.dataset.value)),
    };
  });
  assert.equal(result.accepted, false, 'the huge paste is cancelled (the field does not take the text)');
  assert.equal(result.parsedByHuge, '7,8,0;9,10,0;1,1,1'.length, 'the 50 MB text is never handed to the parser; the small paste is');
  assert.ok(result.notice.includes('more than a grid can take'), result.notice);
  assert.deepEqual(result.kept, [12, 16, 24, 28], 'the state is kept');
  assert.equal(result.computes, 1, 'one computation: the small paste, none for the refused one');
  // x = [[7, 8, 0], [9, 10, 0], [1, 1, 1]] with the 2×2 ones kernel.
  assert.deepEqual(result.values, [34, 18, 21, 12]);
  await page.close();
});
