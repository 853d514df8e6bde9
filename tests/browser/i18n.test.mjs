// Languages (issue 5): English and 简体中文, switchable in the header, remembered in localStorage,
// lang=en|zh in the URL hash. In zh mode every visible text node (and aria-label / title /
// placeholder) of the page, embed.html and the opened panels must be Chinese except a small
// allowlist of code, identifiers and numbers. Screenshots of zh at desktop and phone width go to
// build/screenshots/. Run: node --test tests/browser/i18n.test.mjs (after node web/build.mjs).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const shots = join(root, 'build', 'screenshots');

let server, httpRoot, browser;

before(async () => {
  await stat(join(dist, 'index.html'));
  await mkdir(shots, { recursive: true });
  server = await serveStatic(dist);
  httpRoot = server.base;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

const CONVT = 'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&stride=2';

async function open(url, opts = {}) {
  const context = await browser.newContext({ viewport: opts.viewport || { width: 1280, height: 900 }, locale: 'en-US', ...(opts.context || {}) });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('html[data-ready="1"]');
  return { page, context, errors };
}

// Open every panel a reader can open: the three convT views (each tab), matrices, round trip,
// image mode (waits for the sample photo), and the export box.
async function openPanels(page) {
  await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
  await page.waitForSelector('[data-testid="image-out-caption"]:not(:empty)');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="image-status"]').textContent));
}

// Strings that stay as they are in every language, each for a reason:
const ALLOW = [
  /^[\s\d.,;:·×+\-−−=()[\]{}|/…⌊⌋╲→←↗✓✗✕▶◀°%'"“”’<>_^*@Σ·]*$/u, // numbers, punctuation, arrows, maths
  /\b(conv[123]d|conv_transpose[123]d|max_pool2d|avg_pool2d|padding_mode|output_padding|in_channels|out_channels|groups|stride|padding|dilation|bias|kernel_size|ceil_mode|count_include_pad|divisor_override|return_indices|WaveNet)\b/, // PyTorch argument and op names (code)
  /\b(torch|F\.|nn\.|np\.|numpy|unfold|im2col|reshape|tolist|vec|arange|bilinear_kernel|trans_conv|kernel2matrix|d2l|FCN|Sobel|cols|x_padded)\b/, // API, library, method and variable names
  /\b(zeros|reflect|replicate|circular|same|valid)\b/, // values of padding / padding_mode (code)
  /^(·\s*)?(convplay|English|PyTorch|NumPy|WebAssembly|wasm[\w-]*|simd|scalar|CC0|SVG|PNG|Chelsea|Stefan van der Walt|W|H|D|L|kH|kW|kD|kL|h|w|d|in|out)$/i, // names, the backend's name (· wasm-simd128), the language's own name, axis symbols
  /^\s*(x|y|w|b|M|Mᵀ|W|cols|op|p|d|k|s|i|j|a|c|o|l|L|R|x_pad|OH|OW|ᵀ|T|out|in|top|bottom|left|right|sub)\s*$/, // formula symbols and subscripts
  /^[xywbM]\w?\[/, // tensor indices such as x[0, 1, 2], w[0,0]
  /^(=\s*)?(dL\/d(x|y|W|b|x_pad)(\[[\d, ]*\])?|g(\[\d+\])?|grad_output( g)?)(\s*=\s*(dL\/dy\[\d+\]|[\d.−-]+))?$/, // the gradient view's symbols: dL/dx[0, 1, 2] = 6, g[0] = dL/dy[0]
  /^[\s=]*max\(\s*$/, // max_pool2d's sum line: y[…] = max(…)
];

// Visible text that contains Latin words and is not allowlisted (zh mode), with where it is.
async function untranslated(page) {
  return page.evaluate((allowSrc) => {
    const allow = allowSrc.map(([src, flags]) => new RegExp(src, flags));
    const bad = [];
    const latin = /[A-Za-z]{2,}/;
    const ok = (s0) => { const s = s0.replace(/\u200b/g, ''); return !latin.test(s) || /\p{Script=Han}/u.test(s) || allow.some((re) => re.test(s.trim())); };
    const visible = (el) => { const r = el.getBoundingClientRect(); return el.checkVisibility ? el.checkVisibility() && r.width > 0 : r.width > 0; };
    const roots = [document];
    for (const el of document.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    for (const r of roots) {
      const walker = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('script, style, noscript, textarea, option:not(:checked), [data-testid="error"] .err-main, [data-testid="backend"]')) continue;
        const s = n.textContent.trim();
        if (!s || !visible(el)) continue;
        if (!ok(s)) bad.push(`${el.tagName.toLowerCase()}.${el.className}: ${s.slice(0, 80)}`);
      }
      for (const el of r.querySelectorAll('[aria-label], [title], [placeholder]')) {
        if (el.closest('[hidden]')) continue;
        for (const a of ['aria-label', 'title', 'placeholder']) {
          const s = el.getAttribute(a);
          if (s && !ok(s)) bad.push(`${el.tagName.toLowerCase()}[${a}]: ${s.slice(0, 80)}`);
        }
      }
    }
    return [...new Set(bad)];
  }, ALLOW.map((re) => [re.source, re.flags]));
}

describe('languages', () => {
  test('lang=zh renders the page, its panels and the export box in Chinese', async () => {
    const { page, context, errors } = await open(`${httpRoot}index.html#${CONVT}&lang=zh`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.inputValue('[data-testid="lang"]'), 'zh');
    await openPanels(page);
    for (const tab of ['scatter', 'zeros', 'matrix']) {
      await page.click(`[data-testid="view-${tab}"]`);
      assert.deepEqual(await untranslated(page), [], `convT view ${tab}`);
    }
    // Hover read-outs (explanations).
    await page.hover('[data-testid="output-cell"][data-h="1"][data-w="1"]');
    assert.deepEqual(await untranslated(page), [], 'output hover');
    await page.hover('[data-testid="input-cell"][data-h="1"][data-w="0"]');
    assert.deepEqual(await untranslated(page), [], 'input hover');
    // conv2d with padding: formula notes, ghost cells, im2col.
    await page.evaluate(() => { location.hash = 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&padding=1&padding_mode=reflect&stride=2&lang=zh'; });
    await page.waitForFunction(() => document.querySelector('[data-testid="output-shape"]').textContent === '1×1×2×2');
    await page.hover('[data-testid="output-cell"][data-h="0"][data-w="0"]');
    assert.deepEqual(await untranslated(page), [], 'conv2d');
    // The export and embed boxes (the code itself is Python: textareas are skipped).
    await page.click('[data-testid="export-pytorch"]');
    assert.deepEqual(await untranslated(page), [], 'export');
    await page.click('[data-testid="embed"]');
    assert.deepEqual(await untranslated(page), [], 'embed box');
    // An invalid configuration: the core's message stays English, its framing is Chinese.
    await page.evaluate(() => { location.hash = 'op=conv2d&x=1,2;3,4&w=1,1,1;1,1,1;1,1,1&lang=zh'; });
    await page.waitForFunction(() => document.querySelector('[data-testid="error"]').textContent.length > 0);
    assert.match(await page.textContent('[data-testid="error"] .err-main b'), /配置无效/);
    assert.deepEqual(await untranslated(page), [], 'invalid');
    assert.deepEqual(errors, []);
    await context.close();
  });

  // Issue 20: every new op, its controls, hovers (output and input cells), formula and notes.
  test('lang=zh: the 1-D, causal, 3-D and pooling pages, hovers and the WaveNet notice are Chinese', async () => {
    const { page, context, errors } = await open(`${httpRoot}index.html#op=conv1d&x=1,2,3,4,5|0,1,0,1,0&w=1,0,-1|1,1,1&padding=1&lang=zh`);
    const hashes = [
      ['op=conv1d&x=1,2,3,4,5|0,1,0,1,0&w=1,0,-1|1,1,1&padding=1', '1×1×5'],
      ['op=conv1d&x=1,2,3,4,5,6&w=1,1,1&dilation=2&causal=1', '1×1×6'],
      ['op=conv_transpose1d&x=1,2,3&w=1,2,3&stride=2&padding=1', '1×1×5'],
      ['op=conv3d&x=1,2;3,4/5,6;7,8/0,1;1,0&w=1,1;1,1/1,0;0,1&padding=1', '1×1×4×3×3'],
      ['op=conv_transpose3d&x=1,2;3,4/5,6;7,8&w=1/2&stride=2', '1×1×4×3×3'],
      ['op=max_pool2d&x=1,2,3,4,5;6,7,8,9,10;1,2,3,4,5;6,7,8,9,10;1,2,3,4,5&kernel_size=2&padding=1&ceil_mode=1', '1×1×3×3'],
      ['op=avg_pool2d&x=1,2,3;4,5,6;7,8,9&kernel_size=2&stride=1&padding=1&count_include_pad=0&divisor_override=3', '1×1×4×4'],
    ];
    for (const [hash, shape] of hashes) {
      await page.evaluate((h) => { location.hash = h; }, `${hash}&lang=zh`);
      await page.waitForFunction((want) => document.querySelector('[data-testid="output-shape"]').textContent === want, shape);
      assert.deepEqual(await untranslated(page), [], `${hash}: page`);
      await page.locator('[data-testid="output-cell"]').last().hover();
      await page.waitForSelector('[data-testid="output-cell"][data-hover="1"]');
      assert.deepEqual(await untranslated(page), [], `${hash}: output hover`);
      await page.hover('[data-testid="input-cell"]');
      assert.deepEqual(await untranslated(page), [], `${hash}: input hover`);
      if (await page.locator('[data-testid="ghost-cell"]').count()) {
        await page.hover('[data-testid="ghost-cell"]');
        assert.deepEqual(await untranslated(page), [], `${hash}: padding hover`);
      }
    }
    await page.click('[data-testid="preset-wavenet-3"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="notice"]').textContent.includes('WaveNet'));
    assert.deepEqual(await untranslated(page), [], 'WaveNet notice');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('zh screenshots at desktop and phone width; no control text overflows', async () => {
    for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
      const { page, context, errors } = await open(`${httpRoot}index.html#${CONVT}&lang=zh`, { viewport });
      await page.screenshot({ path: join(shots, `i18n-zh-${name}.png`), fullPage: true });
      const over = await page.evaluate(() => [...document.querySelectorAll('button, label, select, .chip, .tab, h1, h2')]
        .filter((el) => el.offsetParent && el.scrollWidth > el.clientWidth + 2 && getComputedStyle(el).overflow !== 'visible')
        .map((el) => el.textContent.trim().slice(0, 40)));
      assert.deepEqual(over, [], name);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= viewport.width + 1, `${name}: page is ${wide}px wide`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test('embed.html and <conv-playground> in zh', async () => {
    const { page, context, errors } = await open(`${httpRoot}embed.html#${CONVT}&panels=grids,formula,explain,params,anim,views,matrix,extra&lang=zh`);
    await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
    await page.waitForTimeout(100);
    assert.deepEqual(await untranslated(page), []);
    assert.match(await page.textContent('[data-testid="open-full"]'), /在 convplay 中打开/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the header switch changes the language in place, keeps the state, is remembered and goes into the URL', async () => {
    const { page, context, errors } = await open(`${httpRoot}index.html#${CONVT}`);
    assert.equal(await page.inputValue('[data-testid="lang"]'), 'en');
    assert.match(await page.textContent('[data-testid="copy-link"]'), /Copy link/);
    await page.fill('[data-testid="input-cell"][data-h="0"][data-w="1"]', '7');
    await page.evaluate(() => { document.querySelector('[data-testid="shape-panel"]').open = true; });
    const before = await page.$$eval('[data-testid="output-cell"]', (els) => els.map((e) => e.dataset.value));
    await page.selectOption('[data-testid="lang"]', 'zh');
    assert.equal(await page.textContent('[data-testid="copy-link"]'), '复制链接');
    assert.deepEqual(await page.$$eval('[data-testid="output-cell"]', (els) => els.map((e) => e.dataset.value)), before);
    // The cell keeps the edited number (cells are text fields, not <input>s: read the data-value hook and the text).
    const edited = page.locator('[data-testid="input-cell"][data-h="0"][data-w="1"]');
    assert.equal(await edited.getAttribute('data-value'), '7');
    assert.equal(await edited.textContent(), '7');
    assert.equal(await page.evaluate(() => document.querySelector('[data-testid="shape-panel"]').open), true);
    assert.match(await page.evaluate(() => location.hash), /&lang=zh$/);
    assert.match(await page.evaluate(() => location.hash), /x=0,7;2,3/);
    assert.equal(await page.evaluate(() => localStorage.getItem('convplay-lang')), 'zh');
    // Reload without lang=: the remembered choice.
    await page.goto(`${httpRoot}index.html#${CONVT}`);
    await page.reload();
    await page.waitForSelector('html[data-ready="1"]');
    assert.equal(await page.textContent('[data-testid="copy-link"]'), '复制链接');
    // lang=en in the URL wins and renders English; back to English with the switch.
    await page.goto(`${httpRoot}index.html#${CONVT}&lang=en`);
    await page.reload();
    await page.waitForSelector('html[data-ready="1"]');
    assert.equal(await page.textContent('[data-testid="copy-link"]'), 'Copy link');
    assert.match(await page.textContent('.formula-panel h2'), /Output size/);
    await page.selectOption('[data-testid="lang"]', 'en');
    assert.equal(await page.evaluate(() => localStorage.getItem('convplay-lang')), 'en');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('an unknown lang value falls back to English with no error; English links are unchanged', async () => {
    const { page, context, errors } = await open(`${httpRoot}index.html#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&lang=xx`);
    assert.equal(await page.textContent('[data-testid="copy-link"]'), 'Copy link');
    assert.equal(await page.textContent('[data-testid="error"]'), '');
    assert.deepEqual(await page.$$eval('[data-testid="output-cell"]', (els) => els.map((e) => Number(e.dataset.value))), [12, 16, 24, 28]);
    await page.fill('[data-testid="input-cell"][data-h="0"][data-w="0"]', '2');
    assert.equal(await page.evaluate(() => location.hash), '#op=conv2d&x=2,2,3;4,5,6;7,8,9&w=1,1;1,1');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
