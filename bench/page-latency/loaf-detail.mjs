// Diagnostic: the long animation frames (≥ 50 ms) while a configuration builds, with what each
// spent its time on (scripts by function and source position, style and layout, the rest).
// Usage: node bench/page-latency/loaf-detail.mjs [--case build-16x64x64] [--rounds 3] [--http] [--css RULES]
// (--css adds a style sheet first: a quick way to try a change of styles.css).
import { join, resolve, dirname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { launchChromium } from '../../tests/browser/chromium.mjs';
import { serveStatic } from '../../tests/browser/static-server.mjs';
import { BUILD_STATES, EDIT_STATES, HUGE_STATES } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '..', '..', 'dist');
const argv = process.argv.slice(2);
const opt = (k, d) => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : d; };
if (argv.includes('--help')) { console.log('node bench/page-latency/loaf-detail.mjs [--case ID] [--rounds N] [--http] [--css RULES]'); process.exit(0); }
const id = opt('--case', 'build-16x64x64');
const state = [...BUILD_STATES, ...EDIT_STATES, ...HUGE_STATES].find((s) => s.id === id);
if (!state) { console.error(`unknown case ${id}`); process.exit(2); }
const rounds = Number(opt('--rounds', 3));

const server = argv.includes('--http') ? await serveStatic(dist) : null;
const url = server ? `${server.base}index.html` : pathToFileURL(join(dist, 'index.html')).href;
const browser = await launchChromium();
for (let r = 0; r < rounds; r++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => {
    window.__loaf = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__loaf.push(e.toJSON()); })
      .observe({ type: 'long-animation-frame', buffered: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1' && document.querySelector('[data-testid="output-cell"]'));
  if (opt('--css')) await page.addStyleTag({ content: opt('--css') });
  await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 2000 })));
  await page.evaluate(() => { window.__loaf = []; });
  await page.evaluate((h) => { location.hash = h; }, state.hash);
  await page.waitForFunction(() => {
    const app = window.convplayApp;
    return app && app.result && !app.result.pending && !document.body.dataset.building
      && document.querySelectorAll('[data-testid="grid-pending"]').length === 0;
  }, null, { timeout: 300000 });
  const loafs = await page.evaluate(() => window.__loaf);
  const longest = Math.max(0, ...loafs.map((f) => f.duration));
  console.log(`round ${r + 1}: ${loafs.length} frames ≥ 50 ms, longest ${longest.toFixed(0)} ms`);
  for (const f of loafs.sort((a, b) => b.duration - a.duration).slice(0, 4)) {
    const style = f.styleAndLayoutStart ? f.startTime + f.duration - f.styleAndLayoutStart : 0;
    const render = f.renderStart ? f.startTime + f.duration - f.renderStart : 0;
    console.log(`  ${f.duration.toFixed(0)} ms: blocking ${f.blockingDuration.toFixed(0)}, render phase ${render.toFixed(0)} (style+layout ${style.toFixed(0)})`);
    for (const s of f.scripts) {
      console.log(`    script ${s.duration.toFixed(0)} ms (forced style/layout ${s.forcedStyleAndLayoutDuration.toFixed(0)}) ${s.invoker} ${s.sourceFunctionName || ''} ${s.sourceURL.split('/').pop()}:${s.sourceCharPosition}`);
    }
  }
  await page.close();
}
await browser.close();
if (server) await server.close();
