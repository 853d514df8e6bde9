// Figure export (issue 21): every panel's "SVG" and "PNG" buttons. For each panel, in states
// that make it non-trivial (conv_transpose2d with stride 2 for the three views and the overlap
// map; reflect padding for ghost cells; a focused output cell for highlights and the written-out
// sum), light and dark: the downloaded SVG parses, refers to nothing outside itself, holds every
// number of the panel's cells as a <text> inside that cell, and renders in Chromium like the
// panel (the SVG drawn over the panel at the same place, both screenshotted: colours at cell
// centres match, few pixels differ); the PNG is a PNG of twice the panel's size whose cell
// colours are the panel's. Also from file://, in embeds, in Chinese and from the keyboard.
// Rendered SVGs and PNGs go to build/screenshots/figure-*.png.
// Run: node --test tests/browser/figure-export.test.mjs (after node web/build.mjs).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const shots = join(root, 'build', 'screenshots');

let server, browser;

before(async () => {
  await stat(join(dist, 'index.html')).catch(() => { throw new Error('dist/index.html is missing: run node web/build.mjs first'); });
  await mkdir(shots, { recursive: true });
  server = await serveStatic(dist);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

const CONVT = 'op=conv_transpose2d&x=1,2,-3;4,5,6;-7,8,9&w=1,-2,3;4,5,6;7,8,-9&stride=2&padding=1';
const CONV2D = 'op=conv2d&x=1,2,3,4;5,-6,7,8;9,10,11,-12;13,14,15,16&w=1,0,-1;2,0,-2;1,0,-1&padding=2&padding_mode=reflect&stride=2&b=0.5';

async function open(hash, { file = 'index.html', colorScheme = 'light', base = 'http', width = 1280, height = 900, ready = 'html[data-ready="1"]' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, locale: 'en-US', deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  const prefix = base === 'http' ? server.base : pathToFileURL(dist).href + '/';
  page.on('request', (r) => { const u = r.url(); if (!u.startsWith(prefix) && !u.startsWith('data:') && !u.startsWith('blob:')) errors.push(`request outside dist/: ${u}`); });
  await page.goto(`${prefix}${file}${hash ? `#${hash}` : ''}`);
  await page.waitForSelector(ready, { timeout: 15000 });
  return { page, async close() { await context.close(); assert.deepEqual(errors, [], 'no page errors, no requests outside dist/'); } };
}

// Opens the <details> panels (and waits until they have drawn their content).
async function openDetails(page) {
  await page.evaluate(() => { for (const d of document.querySelectorAll('details:not([data-testid="image-mode"])')) d.open = true; });
  await page.waitForFunction(() => document.querySelectorAll('.matrix-panel .mat-scroll').length > 0);
  // Opened panels build their grids a few rows per frame (the gradient view too): measure a
  // panel once every one is built, or a panel above it may still be growing.
  await page.waitForFunction(() => !document.body.dataset.building && !document.querySelector('[data-building]')
    && !document.querySelector('[data-testid="grid-pending"]'));
}

// Clicks a panel's export button; -> the downloaded file's name and bytes.
async function download(page, name, kind, how = 'click') {
  const btn = page.locator(`[data-testid="export-${kind}"][data-panel="${name}"]`);
  const done = page.waitForEvent('download');
  if (how === 'click') await btn.click();
  else { await btn.focus(); await page.keyboard.press(how); }
  const dl = await done;
  // The pointer goes to the page's corner, off every cell: when a later panel scrolls into
  // view, no cell slides under it (a hovered cell would change the highlights).
  await page.mouse.move(2, 2);
  return { filename: dl.suggestedFilename(), bytes: await readFile(await dl.path()) };
}

// The panel a toolbar belongs to, its whole-pixel box on the page, and what its cells show.
function panelInfo(page, name) {
  return page.evaluate(async (n) => {
    const panel = document.querySelector(`[data-testid="export-svg"][data-panel="${n}"]`).closest('.fig-tools').parentElement;
    panel.scrollIntoView({ block: 'start' });
    // Grids off screen are laid out at a placeholder size (content-visibility: auto); scrolled
    // into view, they take their own size a frame or two later: wait until the panel's height
    // holds for three frames.
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    for (let last = -1, same = 0, k = 0; same < 3 && k < 60; k++) {
      await frame();
      const hh = panel.getBoundingClientRect().height;
      same = hh === last ? same + 1 : 0;
      last = hh;
      panel.scrollIntoView({ block: 'start' });
    }
    const r = panel.getBoundingClientRect();
    const x0 = Math.floor(r.left), y0 = Math.floor(r.top);
    // Cells showing a number (not transparent text); in a scrolled matrix, the ones in view.
    const inView = (e) => { const sc = e.closest('.mat-scroll'); if (!sc) return true; const q = e.getBoundingClientRect(), s = sc.getBoundingClientRect(); return q.top >= s.top && q.bottom <= s.bottom && q.left >= s.left && q.right <= s.right; };
    const cells = [...panel.querySelectorAll('.cell')].filter((el) => {
      return el.checkVisibility() && el.textContent.trim() && getComputedStyle(el).color !== 'rgba(0, 0, 0, 0)' && inView(el);
    }).map((el) => {
      const q = el.getBoundingClientRect();
      return { text: el.textContent.trim(), x: q.left - x0, y: q.top - y0, w: q.width, h: q.height };
    });
    // Texts of the panel as shown (not the export buttons, not hidden or transparent text).
    const texts = [];
    const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const el = t.parentElement;
      if (!t.data.trim() || el.closest('.fig-tools, .sr-only, option, select, input, button') || !el.checkVisibility({ visibilityProperty: true })) continue;
      if (el.closest('.mat-scroll') || getComputedStyle(el).color === 'rgba(0, 0, 0, 0)') continue;
      const tt = getComputedStyle(el).textTransform;
      texts.push(tt === 'uppercase' ? t.data.toUpperCase() : t.data);
    }
    return { x0, y0, width: Math.ceil(r.right) - x0, height: Math.ceil(r.bottom) - y0, cells, texts };
  }, name);
}

// Parses the SVG in the page: well-formed, standalone; -> its size and its <text>s.
function parseSvg(page, svg) {
  return page.evaluate((src) => {
    const doc = new DOMParser().parseFromString(src, 'image/svg+xml');
    if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
    const s = doc.documentElement;
    // Namespace declarations aside, no attribute names a file or URL; every link is data: or #.
    const attrs = [...doc.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => !a.name.startsWith('xmlns')));
    const refs = attrs.map((a) => a.value).filter((v) => /url\((?!#)|^https?:|^file:|^\/\//.test(v));
    const hrefs = attrs.filter((a) => a.localName === 'href').map((a) => a.value).filter((v) => !v.startsWith('data:') && !v.startsWith('#'));
    return {
      ns: s.namespaceURI, tag: s.tagName, width: Number(s.getAttribute('width')), height: Number(s.getAttribute('height')), viewBox: s.getAttribute('viewBox'),
      fonts: [...new Set([...doc.querySelectorAll('text')].map((e) => e.getAttribute('font-family')))],
      outside: [...refs, ...hrefs],
      texts: [...doc.querySelectorAll('text')].map((e) => ({ text: e.textContent, x: Number(e.getAttribute('x')), y: Number(e.getAttribute('y')) })),
    };
  }, svg);
}

// Screenshots of the panel and of the SVG drawn over it at the same place (same clip); compares
// them in the page. -> { sampled, colourMiss, bad, png } (png: side by side for a look).
async function renderAndCompare(page, name, svg, info) {
  const clip = { x: info.x0, y: info.y0, width: info.width, height: info.height };
  // The export buttons are not in the figure: hidden (they keep their place) for the panel shot.
  await page.evaluate(() => { for (const el of document.querySelectorAll('.fig-tools')) el.style.visibility = 'hidden'; });
  const panelShot = await page.screenshot({ clip });
  await page.evaluate(async ([src, x, y, w, h]) => {
    // On a magenta sheet over the panel: an SVG that did not draw (or drew nothing) shows it.
    const sheet = document.createElement('div');
    sheet.id = 'svg-overlay';
    Object.assign(sheet.style, { position: 'fixed', left: `${x}px`, top: `${y}px`, width: `${w}px`, height: `${h}px`, zIndex: 1000, background: '#ff00ff' });
    const img = new Image();
    img.src = URL.createObjectURL(new Blob([src], { type: 'image/svg+xml' }));
    Object.assign(img.style, { display: 'block', width: `${w}px`, height: `${h}px` });
    sheet.appendChild(img);
    document.body.appendChild(sheet);
    await img.decode();
  }, [svg, info.x0, info.y0, info.width, info.height]);
  const svgShot = await page.screenshot({ clip });
  await page.evaluate(() => { document.getElementById('svg-overlay').remove(); for (const el of document.querySelectorAll('.fig-tools')) el.style.visibility = ''; });
  return page.evaluate(async ([a64, b64, cells]) => {
    const load = (s) => new Promise((ok) => { const i = new Image(); i.onload = () => ok(i); i.src = `data:image/png;base64,${s}`; });
    const [a, b] = await Promise.all([load(a64), load(b64)]);
    const w = a.width, h = a.height;
    const px = (img) => { const c = document.createElement('canvas'); c.width = w; c.height = h; const x = c.getContext('2d'); x.drawImage(img, 0, 0); return x.getImageData(0, 0, w, h).data; };
    const A = px(a), B = px(b);
    const d = (i, j) => Math.max(Math.abs(A[i] - B[j]), Math.abs(A[i + 1] - B[j + 1]), Math.abs(A[i + 2] - B[j + 2]));
    // A pixel differs when no pixel of the other image within one pixel of it is close (text
    // edges anti-aliased a little differently are not differences).
    let bad = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      let best = 255;
      for (let dy = -1; dy <= 1 && best > 48; dy++) for (let dx = -1; dx <= 1 && best > 48; dx++) {
        const yy = y + dy, xx = x + dx;
        if (yy < 0 || xx < 0 || yy >= h || xx >= w) continue;
        best = Math.min(best, d(i, (yy * w + xx) * 4));
      }
      if (best > 48) bad++;
    }
    // Each cell's colour, 4 px below its top edge at its centre (clear of its number).
    let sampled = 0, colourMiss = [];
    for (const c of cells) {
      const x = Math.round(c.x + c.w / 2), y = Math.round(c.y + Math.min(4, c.h / 4));
      if (x < 0 || y < 0 || x >= w || y >= h) continue;
      const i = (y * w + x) * 4;
      sampled++;
      if (d(i, i) > 6) colourMiss.push(`${c.text}@${x},${y}: ${A.slice(i, i + 3).join(',')} vs ${B.slice(i, i + 3).join(',')}`);
    }
    const out = document.createElement('canvas'); out.width = 2 * w + 8; out.height = h;
    const ox = out.getContext('2d'); ox.fillStyle = '#ff00ff'; ox.fillRect(0, 0, out.width, h); ox.drawImage(a, 0, 0); ox.drawImage(b, w + 8, 0);
    return { size: [a.width, a.height, b.width, b.height], bad: bad / (w * h), sampled, colourMiss, png: out.toDataURL('image/png').split(',')[1] };
  }, [panelShot.toString('base64'), svgShot.toString('base64'), info.cells]);
}

// PNG signature and IHDR size.
function pngSize(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
  assert.equal(buf.subarray(12, 16).toString('latin1'), 'IHDR');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

// Share of pixels allowed to differ between the panel and its SVG (measured: 0.0–0.6 % —
// the range slider, a control, is not drawn in the figure; glyphs placed at sub-pixel
// positions differ by more than one pixel's shift at a few edges). A figure missing a grid,
// its colours or a paragraph differs by 5 % or more.
const MAX_BAD = 0.015;

async function checkPanel(t, page, name, label) {
  let info = await panelInfo(page, name);
  // A screenshot compares what is in the viewport: a panel taller than it gets a taller one
  // (same width, so the same layout).
  const vp = page.viewportSize();
  if (info.height + 20 > vp.height) {
    await page.setViewportSize({ width: vp.width, height: info.height + 40 });
    info = await panelInfo(page, name);
  }
  const { filename, bytes } = await download(page, name, 'svg');
  assert.equal(filename, `convplay-${name}.svg`);
  const svg = bytes.toString('utf8');
  const p = await parseSvg(page, svg);
  assert.equal(p.error, undefined, `${label}: the SVG parses`);
  assert.equal(p.ns, 'http://www.w3.org/2000/svg');
  assert.equal(p.tag, 'svg');
  assert.deepEqual([p.width, p.height], [info.width, info.height], `${label}: the figure is the panel's size`);
  assert.equal(p.viewBox, `0 0 ${info.width} ${info.height}`);
  assert.deepEqual(p.outside, [], `${label}: nothing outside the file is referred to`);
  for (const f of p.fonts) assert.match(f, /(sans-serif|monospace|serif)$/, `${label}: fonts end in a generic family (${f})`);
  // Every number a cell shows is a <text> inside that cell.
  const missing = info.cells.filter((c) => !p.texts.some((q) => q.text === c.text && q.x >= c.x - 1 && q.x <= c.x + c.w + 1 && q.y >= c.y && q.y <= c.y + c.h + 1));
  assert.deepEqual(missing.slice(0, 5), [], `${label}: ${missing.length} of ${info.cells.length} cells' numbers are not <text>s in their cell`);
  // Every text of the panel is in the figure (lines joined; spaces aside: Chinese wraps anywhere).
  const all = p.texts.map((q) => q.text).join('').replace(/\s+/g, '');
  const lost = info.texts.map((s) => s.replace(/\s+/g, '')).filter((s) => !all.includes(s));
  assert.deepEqual(lost, [], `${label}: texts of the panel missing from the SVG`);
  const cmp = await renderAndCompare(page, name, svg, info);
  await writeFile(join(shots, `figure-${label.replace(/[^\w-]+/g, '-')}.png`), Buffer.from(cmp.png, 'base64'));
  assert.deepEqual(cmp.colourMiss.slice(0, 5), [], `${label}: ${cmp.colourMiss.length} of ${cmp.sampled} cell colours differ`);
  t.diagnostic(`${label}: ${info.cells.length} cells, ${p.texts.length} texts; ${cmp.sampled} cell colours match; ${(100 * cmp.bad).toFixed(2)} % of pixels differ`);
  assert.ok(cmp.bad < MAX_BAD, `${label}: ${(100 * cmp.bad).toFixed(2)} % of the pixels differ from the panel`);
  return { info, svg, cmp };
}

// The PNG: twice the panel's size; its colours at the cells' sample points are the screen's.
async function checkPng(page, name, info, label) {
  const { filename, bytes } = await download(page, name, 'png');
  assert.equal(filename, `convplay-${name}.png`);
  assert.deepEqual(pngSize(bytes), [2 * info.width, 2 * info.height], `${label}: PNG at 2x`);
  await writeFile(join(shots, `figure-${label.replace(/[^\w-]+/g, '-')}.png`), bytes);
  const shot = await page.screenshot({ clip: { x: info.x0, y: info.y0, width: info.width, height: info.height } });
  const miss = await page.evaluate(async ([p64, s64, cells]) => {
    const load = (s) => new Promise((ok) => { const i = new Image(); i.onload = () => ok(i); i.src = `data:image/png;base64,${s}`; });
    const [png, scr] = await Promise.all([load(p64), load(s64)]);
    const px = (img) => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height; const x = c.getContext('2d'); x.drawImage(img, 0, 0); return x.getImageData(0, 0, img.width, img.height).data; };
    const P = px(png), S = px(scr);
    const out = [];
    for (const c of cells) {
      const x = Math.round(c.x + c.w / 2), y = Math.round(c.y + Math.min(4, c.h / 4));
      if (x < 0 || y < 0 || x >= scr.width || y >= scr.height) continue;
      const i = (y * scr.width + x) * 4, j = (2 * y * png.width + 2 * x) * 4;
      if (Math.max(...[0, 1, 2].map((k) => Math.abs(S[i + k] - P[j + k]))) > 6) out.push(`${c.text}@${x},${y}`);
    }
    return out;
  }, [bytes.toString('base64'), shot.toString('base64'), info.cells]);
  assert.deepEqual(miss, [], `${label}: PNG cell colours`);
}

describe('figure export', { concurrency: 2 }, () => {
  for (const colorScheme of ['light', 'dark']) {
    test(`${colorScheme}: conv_transpose2d stride 2 — grids with highlights, explanation, formula, the three views, matrices, round trip and overlap map`, async (t) => {
      const p = await open(CONVT, { colorScheme });
      const { page } = p;
      await openDetails(page);
      // A focused output cell: its inputs light up and the explanation writes out its sum.
      await page.click('[data-testid="output-cell"][data-h="1"][data-w="2"]');
      await page.mouse.move(2, 2);
      await page.waitForFunction(() => document.querySelectorAll('[data-highlight="1"]').length > 0);
      const lit = await page.locator('[data-highlight="1"]').count();
      const grids = await checkPanel(t, page, 'grids', `${colorScheme}-convT-grids`);
      assert.equal(await page.locator('[data-highlight="1"]').count(), lit, 'exporting keeps the highlights');
      assert.ok(grids.info.cells.length >= 9 + 9 + 49, 'input, kernel and output (with its cropped border) cells');
      await checkPng(page, 'grids', grids.info, `${colorScheme}-convT-grids-2x`);
      const ex = await checkPanel(t, page, 'explain', `${colorScheme}-convT-explain`);
      assert.match(ex.svg, />y\[0, 1, 2\]</, 'the written-out sum is in the explanation figure');
      await checkPanel(t, page, 'formula', `${colorScheme}-convT-formula`);
      for (const tab of ['scatter', 'zeros', 'matrix']) {
        await page.click(`[data-testid="view-${tab}"]`);
        const v = await checkPanel(t, page, 'views', `${colorScheme}-convT-views-${tab}`);
        assert.ok(v.info.cells.length > 20, `${tab}: the view's cells are checked`);
      }
      const m = await checkPanel(t, page, 'matrix', `${colorScheme}-convT-matrix`);
      assert.ok(m.info.cells.length > 20);
      const x = await checkPanel(t, page, 'extra', `${colorScheme}-convT-overlap`);
      assert.ok(x.info.cells.length === 25, 'the 5×5 overlap map');
      await checkPng(page, 'extra', x.info, `${colorScheme}-convT-overlap-2x`);
      await p.close();
    });
  }

  test('conv2d, reflect padding (ghost cells and their badges), stride 2, bias; im2col matrices', async (t) => {
    const p = await open(CONV2D);
    const { page } = p;
    await openDetails(page);
    await page.click('[data-testid="output-cell"][data-h="0"][data-w="1"]');
    await page.mouse.move(2, 2);
    const g = await checkPanel(t, page, 'grids', 'light-conv2d-reflect-grids');
    assert.ok(g.info.cells.filter((c) => c.text).length >= 16 + 9 + 1, 'input, kernel, bias, ghost and output cells');
    assert.match(g.svg, /font-style="italic"/, 'ghost cells are italic, as on the page');
    assert.match(g.svg, /stroke-dasharray/, 'ghost cells have dashed borders');
    await checkPanel(t, page, 'formula', 'light-conv2d-formula');
    await checkPanel(t, page, 'matrix', 'light-conv2d-matrix');
    await checkPanel(t, page, 'explain', 'light-conv2d-explain');
    await p.close();
  });

  test('中文: grids, explanation, scatter view and overlap map; image mode (its pictures embedded)', async (t) => {
    const p = await open(`${CONVT}&lang=zh`, { colorScheme: 'dark' });
    const { page } = p;
    await openDetails(page);
    await page.click('[data-testid="input-cell"][data-h="1"][data-w="1"]');
    await page.mouse.move(2, 2);
    // The focused input cell selects its number (to be typed over); a figure shows no text
    // selection, so the screenshot it is compared with must not either.
    await page.evaluate(() => getSelection().removeAllRanges());
    await checkPanel(t, page, 'grids', 'zh-dark-grids');
    const ex = await checkPanel(t, page, 'explain', 'zh-dark-explain');
    assert.match(ex.svg, /[\u4e00-\u9fff]/, 'Chinese text in the figure');
    await checkPanel(t, page, 'views', 'zh-dark-views-scatter');
    await checkPanel(t, page, 'extra', 'zh-dark-overlap');
    await page.evaluate(() => { document.querySelector('[data-testid="image-mode"]').open = true; });
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="image-status"]').textContent));
    const img = await checkPanel(t, page, 'image', 'zh-dark-image');
    assert.equal((img.svg.match(/<image [^>]*xlink:href="data:image\/png;base64,/g) || []).length, 2, 'the input and output pictures are inside the file');
    await p.close();
  });

  test('phone width 390×844: the grids (phone-sized cells) and the formula', async (t) => {
    const p = await open(CONVT, { width: 390, height: 844 });
    const { page } = p;
    await page.click('[data-testid="output-cell"][data-h="2"][data-w="2"]');
    await page.mouse.move(2, 2);
    const g = await checkPanel(t, page, 'grids', 'phone-grids');
    await checkPng(page, 'grids', g.info, 'phone-grids-2x');
    await checkPanel(t, page, 'formula', 'phone-formula');
    await p.close();
  });

  test('<conv-playground> (a shadow root): its panels save too', async () => {
    const p = await open('', { file: 'docs.html', ready: 'conv-playground[ready]' });
    const { page } = p;
    const first = page.locator('conv-playground').first();
    const { filename, bytes } = await (async () => {
      const done = page.waitForEvent('download');
      await first.locator('[data-testid="export-svg"][data-panel="grids"]').click();
      const dl = await done;
      return { filename: dl.suggestedFilename(), bytes: await readFile(await dl.path()) };
    })();
    assert.equal(filename, 'convplay-grids.svg');
    const outputs = await first.locator('[data-testid="output-cell"]').allTextContents();
    assert.ok(outputs.length > 0);
    for (const v of outputs) assert.match(bytes.toString('utf8'), new RegExp(`>${v.trim()}</text>`), `output ${v} is text in the figure`);
    await p.close();
  });

  test('from file://: SVG and PNG (the canvas is not tainted); keyboard Enter and Space', async () => {
    const p = await open(CONVT, { base: 'file' });
    const { page } = p;
    const info = await panelInfo(page, 'grids');
    const svg = await download(page, 'grids', 'svg', 'Enter');
    assert.equal(svg.filename, 'convplay-grids.svg');
    const png = await download(page, 'formula', 'png', 'Space');
    assert.equal(png.filename, 'convplay-formula.png');
    const f = await panelInfo(page, 'formula');
    assert.deepEqual(pngSize(png.bytes), [2 * f.width, 2 * f.height]);
    assert.ok(info.cells.length > 0);
    await p.close();
  });

  test('buttons: on every figure panel, named for their panel (English and 中文), in embeds too', async () => {
    const p = await open(`${CONVT}&lang=zh`);
    const { page } = p;
    await openDetails(page);
    const names = await page.$$eval('[data-testid="export-svg"]', (els) => els.map((e) => [e.dataset.panel, e.getAttribute('aria-label')]));
    assert.deepEqual(names.map(([n]) => n).sort(), ['explain', 'extra', 'formula', 'grad', 'grids', 'image', 'matrix', 'views']);
    for (const [, label] of names) assert.match(label, /^把.+存为 SVG/, label);
    assert.equal(await page.getAttribute('[data-testid="export-png"][data-panel="grids"]', 'aria-label'), '把网格存为 PNG 图片（2 倍清晰度）');
    await p.close();
    const e = await open(`${CONVT}&panels=grids,formula,explain,params,views,extra`, { file: 'embed.html', width: 800 });
    const ids = await e.page.$$eval('[data-testid="export-png"]', (els) => els.map((x) => x.dataset.panel).sort());
    assert.deepEqual(ids, ['explain', 'extra', 'formula', 'grids', 'views'], 'every embedded figure panel, not the parameters');
    assert.equal(await e.page.getAttribute('[data-testid="export-svg"][data-panel="grids"]', 'aria-label'), 'Save the grids as SVG');
    const { filename, bytes } = await download(e.page, 'formula', 'svg');
    assert.equal(filename, 'convplay-formula.svg');
    assert.match(bytes.toString('utf8'), /<text[^>]*>5<\/text>/, 'the output size 5 is text');
    await e.close();
  });
});
