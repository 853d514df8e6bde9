// Accessibility (issue 18): axe-core (npm devDependency, used only here) finds no WCAG 2.2 A/AA
// violation on the page in every configuration a reader can reach: default, dark, 中文, phone
// width, every panel open (conv2d and conv_transpose2d, each teaching view, image mode, the export
// and embed boxes), highlights on (hovered and focused output cell), an invalid configuration,
// embed.html and <conv-playground> (dist/docs.html and a page of components with every panel).
// One browser for the file, one context per configuration; axe's source is evaluated in the page
// through the DevTools protocol (a <script> could be refused by the page's CSP).
// Run: node --test tests/browser/a11y.test.mjs (after node web/build.mjs).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const CONVT = 'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&stride=2&b=0.5';
// conv2d with padding ghost cells (reflect), stride 2, 2 -> 2 channels and a bias: output 1×2×3×3.
const CONV2D = 'op=conv2d&x=1,2,3,4;5,6,7,8;9,10,11,12;13,14,15,16|0,1,0,1;1,0,1,0;0,1,0,1;1,0,1,0' +
  '&w=1,0;0,-1|0.5,0.5;0.5,0.5|1,1;1,1|-1,2;0,1&b=0.25,-1&padding=1&padding_mode=reflect&stride=2';
const INVALID = 'op=conv2d&x=1,2;3,4&w=1,1,1;1,1,1;1,1,1';
const ALL_PANELS = 'grids,formula,explain,params,anim,views,matrix,extra,image,grad';
// A page of components (served as "/"): every panel, both ops, light and dark.
const COMPONENTS = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>conv-playground components</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml"><script src="conv-playground.js"></script></head><body><main><h1>Components</h1>
<conv-playground op="conv_transpose2d" x="0,1;2,3" w="0,1;2,3" stride="2" panels="${ALL_PANELS}"></conv-playground>
<conv-playground op="conv2d" x="0,1,2,3;4,5,6,7;8,9,10,11;12,13,14,15" w="1,1;1,1" padding="1" padding_mode="reflect" panels="${ALL_PANELS}"></conv-playground>
<conv-playground theme="dark" op="conv_transpose2d" x="0,1;2,3" w="0,1;2,3" stride="2" panels="${ALL_PANELS}"></conv-playground>
<conv-playground lang="zh" op="conv2d" x="1,2,3;4,5,6;7,8,9" w="1,1;1,1" panels="grids,formula,explain"></conv-playground>
</main></body></html>`;

let server, base, browser;

before(async () => {
  await stat(join(dist, 'index.html')).catch(() => { throw new Error('dist/index.html is missing: run node web/build.mjs first'); });
  server = await serveStatic(dist, { index: COMPONENTS });
  base = server.base;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

// Opens `path` (relative to dist/) in a fresh context; waits for the page to be drawn.
async function open(path, { width = 1280, height = 900, colorScheme = 'light', ready = 'html[data-ready="1"]' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, locale: 'en-US', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  await page.goto(base + path);
  await page.waitForSelector(ready, { timeout: 15000 });
  return {
    page,
    async close() { await context.close(); assert.deepEqual(errors, [], 'no page or console errors'); },
  };
}

// Runs axe on the page (and its frames); fails listing each violation's rule, help and first
// targets; reports how much passed (rules and nodes) as a test diagnostic.
async function axe(t, page, label) {
  for (const frame of page.frames()) {
    if (!(await frame.evaluate(() => typeof window.axe === 'object'))) await frame.evaluate(AXE_SOURCE);
  }
  const r = await page.evaluate(async (tags) => {
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    // Why axe could not decide (e.g. color-contrast: a cell's background is a canvas, "imgNode").
    const reasons = (x) => {
      const count = {};
      for (const n of x.nodes) for (const c of [...n.any, ...n.all, ...n.none]) { const k = c.data?.messageKey || c.id; count[k] = (count[k] || 0) + 1; }
      return Object.entries(count).map(([k, v]) => `${k} ${v}`).join(', ');
    };
    const short = (x) => ({ id: x.id, impact: x.impact, help: x.help, nodes: x.nodes.length, reasons: reasons(x),
      targets: x.nodes.slice(0, 4).map((n) => n.target.flat().join(' >>> ')), why: x.nodes[0]?.failureSummary?.replace(/\s+/g, ' ') });
    return { violations: res.violations.map(short), incomplete: res.incomplete.map(short),
      passRules: res.passes.length, passNodes: res.passes.reduce((s, x) => s + x.nodes.length, 0) };
  }, TAGS);
  t.diagnostic(`${label}: ${r.passRules} rules passed on ${r.passNodes} nodes; ${r.violations.length} violated; ` +
    `${r.incomplete.length} to review${r.incomplete.length ? ` (${r.incomplete.map((x) => `${x.id} ×${x.nodes}: ${x.reasons}`).join('; ')})` : ''}`);
  const report = r.violations.map((v) => `  ${v.id} (${v.impact}, ${v.nodes} node${v.nodes === 1 ? '' : 's'}): ${v.help}\n` +
    v.targets.map((s) => `    ${s}\n`).join('') + `    why: ${v.why}`).join('\n');
  assert.equal(r.violations.length, 0, `axe (WCAG 2.2 A/AA) on ${label}:\n${report}`);
  assert.ok(r.passRules > 0 && r.passNodes > 0, `${label}: axe checked nothing`);
}

// Opens every <details> of the page (convT views, matrices, round trip, image mode) and waits
// for image mode to draw the bundled sample photo.
async function openPanels(page) {
  await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
  await page.waitForSelector('[data-testid="image-out-caption"]:not(:empty)', { timeout: 15000 });
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="image-status"]').textContent));
}

const highlights = (page) => page.locator('[data-highlight="1"]').count();
// Loads another state into the open page through its URL hash; resolves once it is drawn.
async function goHash(page, hash, shape) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  if (shape) await page.waitForFunction((s) => document.querySelector('[data-testid="output-shape"]').textContent === s, shape);
  else await page.waitForFunction(() => document.querySelector('[data-testid="error"]').textContent.length > 0);
}

// Two configurations at a time (each in its own context): one waits for its page while the other runs axe.
describe('axe-core: no WCAG 2.2 A/AA violation', { concurrency: 2 }, () => {
  for (const colorScheme of ['light', 'dark']) {
    test(`${colorScheme}: default page; highlights on (hovered, focused output cell); an invalid configuration`, async (t) => {
      const p = await open('index.html', { colorScheme });
      const { page } = p;
      await axe(t, page, `${colorScheme}, default page`);
      await goHash(page, CONV2D, '1×2×3×3');
      await page.hover('[data-testid="output-cell"][data-c="1"][data-h="1"][data-w="1"]');
      assert.ok(await highlights(page) > 1, 'hovering an output cell lights its receptive field');
      await axe(t, page, `${colorScheme}, hovered output cell`);
      await page.mouse.move(0, 0);
      await page.focus('[data-testid="output-cell"][data-c="0"][data-h="0"][data-w="0"]');
      assert.ok(await highlights(page) > 1, 'focusing an output cell lights its receptive field');
      await axe(t, page, `${colorScheme}, focused output cell`);
      await goHash(page, INVALID, null);
      await axe(t, page, `${colorScheme}, invalid configuration (error shown)`);
      await p.close();
    });
  }

  // The gradient view (issue 20): reflect padding (the padded gradient's labelled ghost cells), a
  // hovered dL/dx cell lighting grad_output cells and weights, conv_transpose2d, 中文 at phone width.
  for (const colorScheme of ['light', 'dark']) {
    test(`gradient panel, ${colorScheme}: conv2d reflect with a hovered dL/dx cell, conv_transpose2d, zh phone`, async (t) => {
      const p = await open(`index.html#${CONV2D}&grad=1`, { colorScheme });
      const { page } = p;
      await page.waitForSelector('[data-testid="grad-pad-cell"]');
      await page.hover('[data-testid="grad-input-cell"][data-c="0"][data-h="1"][data-w="1"]');
      await page.waitForSelector('[data-testid="grad-output-cell"][data-highlight="1"]');
      await axe(t, page, `${colorScheme}, gradient panel, conv2d reflect, hovered dL/dx`);
      await goHash(page, `${CONVT}&grad=1`, '1×1×4×4');
      await page.waitForSelector('[data-testid="grad-bias-cell"]');
      await axe(t, page, `${colorScheme}, gradient panel, conv_transpose2d with bias`);
      await p.close();
      const q = await open(`index.html#${CONV2D}&grad=1&lang=zh`, { width: 390, height: 844, colorScheme });
      await q.page.waitForSelector('[data-testid="grad-input-cell"]');
      await axe(t, q.page, `${colorScheme}, gradient panel, zh, phone`);
      await q.close();
    });
  }

  test('中文 (lang=zh), light: conv_transpose2d with every panel open', async (t) => {
    const p = await open(`index.html#${CONVT}&lang=zh`);
    await openPanels(p.page);
    await axe(t, p.page, 'zh, light, convT, every panel open');
    await p.close();
  });

  test('中文 (lang=zh), dark: conv2d with padding; an invalid configuration', async (t) => {
    const p = await open(`index.html#${CONV2D}&lang=zh`, { colorScheme: 'dark' });
    await axe(t, p.page, 'zh, dark, conv2d');
    await goHash(p.page, `${INVALID}&lang=zh`, null);
    await axe(t, p.page, 'zh, dark, invalid configuration');
    await p.close();
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`phone width 390×844, ${colorScheme}: as loaded, then every panel open`, async (t) => {
      const p = await open(`index.html#${CONVT}`, { width: 390, height: 844, colorScheme });
      await axe(t, p.page, `phone, ${colorScheme}`);
      await openPanels(p.page);
      await axe(t, p.page, `phone, ${colorScheme}, every panel open`);
      await p.close();
    });
  }

  for (const colorScheme of ['light', 'dark']) {
    test(`every panel open, ${colorScheme}: conv_transpose2d (each teaching view), conv2d with padding, the export and embed boxes`, async (t) => {
      const p = await open(`index.html#${CONVT}`, { colorScheme });
      const { page } = p;
      await openPanels(page);
      await page.click('[data-testid="export-pytorch"]');
      await page.waitForSelector('[data-testid="export-code"]');
      for (const tab of ['scatter', 'zeros', 'matrix']) {
        await page.click(`[data-testid="view-${tab}"]`);
        await axe(t, page, `${colorScheme}, convT view ${tab}, PyTorch export box`);
      }
      // conv2d: padding ghost cells, im2col and the kernel matrix; the embed box.
      await goHash(page, CONV2D, '1×2×3×3');
      await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="image-status"]').textContent));
      await page.click('[data-testid="embed"]');
      await page.waitForSelector('[data-testid="embed-iframe"]');
      await axe(t, page, `${colorScheme}, conv2d, every panel open, embed box`);
      await p.close();
    });
  }

  for (const colorScheme of ['light', 'dark']) {
    test(`embed.html with every panel, ${colorScheme}`, async (t) => {
      const p = await open(`embed.html#${CONVT}&panels=${ALL_PANELS}`, { width: 800, colorScheme });
      await openPanels(p.page);
      await axe(t, p.page, `embed.html, ${colorScheme}`);
      await p.close();
    });
  }

  test('embed.html in 中文 at phone width, conv2d', async (t) => {
    const p = await open(`embed.html#${CONV2D}&panels=grids,formula,explain,params,matrix&lang=zh`, { width: 390, height: 844 });
    await p.page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
    await axe(t, p.page, 'embed.html, zh, phone');
    await p.close();
  });

  test('<conv-playground>: a page of components with every panel (light, dark, zh)', async (t) => {
    const p = await open('', { ready: 'conv-playground[ready]' });
    const { page } = p;
    await page.waitForFunction(() => [...document.querySelectorAll('conv-playground')].every((el) => el.hasAttribute('ready')));
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('conv-playground')) for (const d of el.shadowRoot.querySelectorAll('details')) d.open = true;
    });
    await page.waitForFunction(() => [...document.querySelectorAll('conv-playground')].slice(0, 3)
      .every((el) => /\d/.test(el.shadowRoot.querySelector('[data-testid="image-status"]')?.textContent || '')));
    await axe(t, page, 'components');
    await p.close();
  });

  // Issue 20: the new ops' pages (1-D, causal, 3-D slices, pooling with ceil_mode's cells), with
  // a hovered output cell, in both themes and languages, at desktop and phone width.
  const OPS_PAGES = [
    ['conv1d', 'op=conv1d&x=1,2,3,4,5|0,1,0,1,0&w=1,0,-1|1,1,1&padding=1&b=0.5', '1×1×5'],
    ['causal conv1d', 'op=conv1d&x=1,2,3,4,5,6&w=1,1,1&dilation=2&causal=1', '1×1×6'],
    ['conv_transpose1d', 'op=conv_transpose1d&x=1,2,3&w=1,2,3&stride=2', '1×1×7'],
    ['conv3d', 'op=conv3d&x=1,2;3,4/5,6;7,8/0,1;1,0&w=1,1;1,1/1,0;0,1&padding=1', '1×1×4×3×3'],
    ['conv_transpose3d', 'op=conv_transpose3d&x=1,2;3,4/5,6;7,8&w=1/2&stride=2', '1×1×4×3×3'],
    ['conv_transpose3d, cropped slices', 'op=conv_transpose3d&x=1,2;3,4/5,6;7,8&w=1,1;1,1/1,-1;2,1&stride=2&padding=1', '1×1×2×2×2'],
    ['max_pool2d', 'op=max_pool2d&x=1,2,3,4,5;6,7,8,9,10;1,2,3,4,5;6,7,8,9,10;1,2,3,4,5&kernel_size=2&ceil_mode=1', '1×1×3×3'],
    ['avg_pool2d', 'op=avg_pool2d&x=1,2,3;4,5,6;7,8,9&kernel_size=2&stride=1&padding=1&count_include_pad=0', '1×1×4×4'],
  ];
  for (const [colorScheme, lang, width] of [['light', 'en', 1280], ['dark', 'zh', 390]]) {
    test(`the new ops (1-D, causal, 3-D, pooling), ${colorScheme}, ${lang}, ${width} px wide, hovered output cell`, async (t) => {
      const p = await open(`index.html#${OPS_PAGES[0][1]}&lang=${lang}`, { colorScheme, width, height: 900 });
      for (const [name, hash, shape] of OPS_PAGES) {
        await goHash(p.page, `${hash}&lang=${lang}`, shape);
        await p.page.hover('[data-testid="output-cell"]');
        assert.ok(await highlights(p.page) > 0, `${name}: hovering an output cell lights its inputs`);
        await axe(t, p.page, `${name}, ${colorScheme}, ${lang}, ${width} px`);
      }
      await p.close();
    });
  }

  test('dist/docs.html: the iframe and the components as documented', async (t) => {
    const p = await open('docs.html', { ready: 'conv-playground[ready]' });
    const { page } = p;
    await page.waitForFunction(() => document.querySelectorAll('conv-playground[ready]').length === document.querySelectorAll('conv-playground').length);
    await page.frameLocator('iframe').locator('html[data-ready="1"]').waitFor({ timeout: 15000 });
    await axe(t, page, 'docs.html (with its iframe)');
    await p.close();
  });
});
