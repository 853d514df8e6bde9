// The page benchmark: what a user of dist/index.html feels, in headless Chromium.
//   - load: navigation start to the end of the first frame that draws an output cell
//     (file:// and http);
//   - edit: a cell edit (an input event) to the end of the next frame, for named configurations;
//   - the longest animation frame (PerformanceObserver 'long-animation-frame', which reports
//     frames of 50 ms and more: "none" means every frame was shorter) while editing, while the
//     largest grids build, during a 50 MB paste, for the huge outputs of hostile.test.mjs (loaded
//     by URL, then two input cells edited), and for image mode's re-render of a 512×512 RGB picture;
//   - how long the building, the huge computations and the image re-render take in all.
// Rounds are interleaved (every configuration once per round, the order rotating), all in one
// browser; the table gives the median and the 90th percentile over every sample of all rounds.
//
// usage: node bench/page-latency/latency.mjs [--smoke] [--rounds N] [--out DIR] [--only a,b]
//   --smoke  one round of everything; checks that every configuration renders the right shape
//            and exits 1 if one does not. No timing is judged, in either mode.
//   --only a,b  only the configurations whose ids start with a or b (e.g. --only edit-grad)
// `bash bench/run.sh --page` runs it; bench/README.md explains the figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { launchChromium } from '../../tests/browser/chromium.mjs';
import { serveStatic } from '../../tests/browser/static-server.mjs';
import { openTestImage } from '../../tests/browser/test-image.mjs';
import { EDIT_STATES, BUILD_STATES, HUGE_STATES, IMAGE_STATE, PASTE_STATE } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const dist = join(root, 'dist');

function parseArgs(argv) {
  const a = { smoke: false, rounds: 7, out: join(root, 'bench', 'results'), edits: 8, only: null };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--smoke') a.smoke = true;
    else if (v === '--rounds') a.rounds = Number(argv[++i]);
    else if (v === '--out') a.out = resolve(argv[++i]);
    else if (v === '--only') a.only = argv[++i].split(',');
    else throw new Error(`unknown argument ${v}`);
  }
  if (a.smoke) { a.rounds = 1; a.edits = 2; }
  return a;
}
const args = parseArgs(process.argv.slice(2));

const browser = await launchChromium();
// URL changes (the builds and huge outputs) run in a browser of their own, with no other page
// open: the edit configurations' pages, kept open across rounds in the first browser, share its
// renderer and compositor and made a build's frames 1.5-2× longer (measured: 166 ms with them
// open, 57-109 ms without).
const soloBrowser = await launchChromium();
const server = await serveStatic(dist);
const fileUrl = pathToFileURL(join(dist, 'index.html')).href;
const httpUrl = `${server.base}index.html`;

// Set up in every page before its scripts run: long animation frames are collected into
// window.__loaf (durations), and the end of the first frame that shows an output cell is
// recorded (a setTimeout posted from requestAnimationFrame runs once that frame is done).
function instrument() {
  window.__loaf = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__loaf.push(e.duration); })
      .observe({ type: 'long-animation-frame', buffered: true });
  } catch { window.__loafUnsupported = true; }
  const tick = () => {
    if (document.querySelector('[data-testid="output-cell"], [data-testid="too-large"]')) {
      setTimeout(() => { window.__firstOutput = performance.now(); }, 0);
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

async function openPage(url, { solo = false } = {}) {
  const page = await (solo ? soloBrowser : browser).newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(instrument);
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1' && window.__firstOutput !== undefined,
    null, { timeout: 120000 });
  await settle(page);
  return { page, problems };
}

// Waits until nothing is pending: no banded computation, no grid being built, no placeholder.
async function settle(page) {
  await page.waitForFunction(() => {
    const app = window.convplayApp;
    return app && app.result && !app.result.pending && !document.body.dataset.building
      && !document.querySelector('.grad-panel[data-building]')
      && document.querySelectorAll('[data-testid="grid-pending"]').length === 0;
  }, null, { timeout: 300000 });
}

// Long animation frames recorded since the last call (and forgets them).
const takeLoaf = (page) => page.evaluate(() => { const l = window.__loaf; window.__loaf = []; return l; });

const shapeOf = (page) => page.evaluate(() => document.querySelector('[data-testid="output-shape"]').textContent);

// ---- the measurements ----------------------------------------------------------------------
const samples = {};   // metric id -> numbers (ms)
const loafs = {};     // case id -> longest animation frames seen (ms), one per sample
const failures = [];
const record = (id, v) => { (samples[id] ||= []).push(v); };
const recordLoaf = (id, list) => { (loafs[id] ||= []).push(list.length ? Math.max(...list) : 0); };
function expectShape(id, got, want) {
  if (want && got !== want) failures.push(`${id}: output shape ${got}, expected ${want}`);
}

async function measureLoad(kind) {
  const { page, problems } = await openPage(kind === 'file' ? fileUrl : httpUrl);
  record(`load-${kind}`, await page.evaluate(() => window.__firstOutput));
  recordLoaf(`load-${kind}`, await takeLoaf(page));
  expectShape(`load-${kind}`, await shapeOf(page), '1×1×3×3');
  if (problems.length) failures.push(`load-${kind}: ${problems.join('; ')}`);
  await page.close();
}

// Pages kept open across rounds for the edit configurations (opened once, the grids built).
const editPages = new Map();
async function measureEdits(state, round) {
  let entry = editPages.get(state.id);
  if (!entry) {
    entry = await openPage(`${fileUrl}#${state.hash}`);
    editPages.set(state.id, entry);
    expectShape(state.id, await shapeOf(entry.page), state.shape ?? '1×1×3×3');
  }
  const { page } = entry;
  await page.bringToFront();
  await takeLoaf(page);
  const times = await page.evaluate(async ({ n, round, cell }) => {
    const cells = document.querySelectorAll(`[data-testid="${cell}"]`);
    const out = [];
    for (let k = 0; k < n; k++) {
      const el = cells[(k * 7919 + round * 104729) % cells.length];
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))); // start between frames
      const t0 = performance.now();
      el.value = String(((k + round) % 9) - 4);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      out.push(performance.now() - t0);
    }
    return out;
  }, { n: args.edits, round, cell: state.cell || 'input-cell' });
  for (const t of times) record(state.id, t);
  recordLoaf(state.id, await takeLoaf(page));
}

// <input> elements on the page once a configuration is built (issue 18: at most 3,000 at any size).
const inputCounts = {};

// From the default page, a change of the URL to `state`; the time until everything is drawn.
async function measureTransition(state) {
  const { page, problems } = await openPage(fileUrl, { solo: true });
  // The page is loaded and idle (its load's background work done) before the URL changes: what is
  // measured is the change, not the end of the load.
  await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 2000 })));
  await takeLoaf(page);
  const t0 = await page.evaluate((h) => { const t = performance.now(); location.hash = h; return t; }, state.hash);
  await settle(page);
  const t1 = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0))));
  record(state.id, t1 - t0);
  recordLoaf(state.id, await takeLoaf(page));
  inputCounts[state.id] = await page.evaluate(() => document.querySelectorAll('input').length);
  expectShape(state.id, await shapeOf(page), state.shape);
  if (state.id.startsWith('huge-')) await measureHugeEdits(page, state);
  if (problems.length) failures.push(`${state.id}: ${problems.join('; ')}`);
  await page.close();
}

// In a huge output's page, once it is done: two edits of an input cell, each until its output
// is computed again (all bands) and drawn.
async function measureHugeEdits(page, state) {
  await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 2000 })));
  for (let k = 0; k < 2; k++) {
    await takeLoaf(page);
    const t0 = await page.evaluate((k) => {
      const el = document.querySelectorAll('[data-testid="input-cell"]')[k];
      const t = performance.now();
      el.value = String(k + 2);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      return t;
    }, k);
    await settle(page);
    const t1 = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0))));
    record(`${state.id}-edit`, t1 - t0);
    recordLoaf(`${state.id}-edit`, await takeLoaf(page));
  }
  expectShape(`${state.id}-edit`, await shapeOf(page), state.shape);
}

async function measurePaste() {
  const { page } = await openPage(`${fileUrl}#${PASTE_STATE.hash}`);
  await takeLoaf(page);
  const r = await page.evaluate(async () => {
    const input = document.querySelector('[data-testid="input-cell"]');
    input.focus();
    const text = '1,2,3;'.repeat(50 * 1024 * 1024 / 6);
    const data = new DataTransfer();
    data.setData('text/plain', text);
    await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
    const t0 = performance.now();
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    const handled = performance.now() - t0;
    await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
    return { handled, frame: performance.now() - t0, notice: document.body.innerText.includes('more than a grid can take') };
  });
  record(`${PASTE_STATE.id}`, r.frame);
  recordLoaf(PASTE_STATE.id, await takeLoaf(page));
  if (!r.notice) failures.push(`${PASTE_STATE.id}: no refusal notice`);
  expectShape(PASTE_STATE.id, await shapeOf(page), PASTE_STATE.shape);
  await page.close();
}

let imagePage = null;
async function measureImage(round) {
  if (!imagePage) {
    imagePage = await openPage(`${fileUrl}#${IMAGE_STATE.hash}`);
    const { page } = imagePage;
    await page.click('[data-testid="image-mode"] summary');
    await openTestImage(page, 'bench.png');
  }
  const { page } = imagePage;
  await page.bringToFront();
  await takeLoaf(page);
  const r = await page.evaluate(async ({ n, round }) => {
    const el = document.querySelector('[data-testid="weight-cell"][data-h="1"][data-w="1"]');
    const out = document.querySelector('[data-testid="image-output"]');
    const frames = [], runs = [];
    for (let k = 0; k < n; k++) {
      await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
      const job = out.dataset.job;
      const t0 = performance.now();
      el.value = String(0.5 + ((k + round) % 5) / 10);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
      frames.push(performance.now() - t0);
      runs.push(out.dataset.job !== job ? window.convplayApp.image.lastRunMs : NaN);
    }
    return { frames, runs };
  }, { n: args.edits, round });
  for (const t of r.frames) record(IMAGE_STATE.id, t);
  for (const t of r.runs) {
    if (Number.isNaN(t)) failures.push(`${IMAGE_STATE.id}: an edit did not redraw the picture within its frame`);
    else record(`${IMAGE_STATE.id}-render`, t);
  }
  recordLoaf(IMAGE_STATE.id, await takeLoaf(page));
}

// ---- the rounds ----------------------------------------------------------------------------
const allSteps = [
  ['load-file', () => measureLoad('file')],
  ['load-http', () => measureLoad('http')],
  ...EDIT_STATES.map((s) => [s.id, (round) => measureEdits(s, round)]),
  ...BUILD_STATES.map((s) => [s.id, () => measureTransition(s)]),
  [PASTE_STATE.id, () => measurePaste()],
  ...HUGE_STATES.map((s) => [s.id, () => measureTransition(s)]),
  [IMAGE_STATE.id, (round) => measureImage(round)],
];
const steps = args.only ? allSteps.filter(([id]) => args.only.some((p) => id.startsWith(p))) : allSteps;

const started = Date.now();
for (let round = 0; round < args.rounds; round++) {
  const order = steps.map((_, i) => steps[(i + round) % steps.length]);
  for (const [id, run] of order) {
    try { await run(round); } catch (e) { failures.push(`${id}: ${e.message.split('\n')[0]}`); }
  }
  process.stdout.write(`page benchmark: round ${round + 1}/${args.rounds} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}
const version = browser.version();
for (const { page } of editPages.values()) await page.close();
if (imagePage) await imagePage.page.close();
await browser.close();
await soloBrowser.close();
await server.close();

// ---- the report ----------------------------------------------------------------------------
function quantile(a, q) {
  const s = a.slice().sort((x, y) => x - y);
  if (!s.length) return NaN;
  const pos = (s.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
const summary = (a) => ({ n: a.length, median: quantile(a, 0.5), p90: quantile(a, 0.9), min: Math.min(...a), max: Math.max(...a) });
const ms = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '–');
const loafCell = (a) => {
  if (!a || !a.length) return '–';
  const long = a.filter((v) => v > 0);
  return long.length ? `${ms(Math.max(...long))} (in ${long.length} of ${a.length})` : 'none ≥ 50 ms';
};

const ROWS = [
  ['load-file', 'load from file:// to the first output drawn', 'load'],
  ['load-http', 'load over http to the first output drawn', 'load'],
  ...EDIT_STATES.map((s) => [s.id, `edit → next frame: ${s.label}`, 'edit']),
  ...BUILD_STATES.map((s) => [s.id, `${s.label} (URL change → all drawn)`, 'build']),
  [PASTE_STATE.id, `${PASTE_STATE.label} (paste → next frame)`, 'paste'],
  ...HUGE_STATES.map((s) => [s.id, `huge output: ${s.label} (URL change → done)`, 'huge']),
  ...HUGE_STATES.map((s) => [`${s.id}-edit`, `huge output: ${s.label}: an input cell edited (edit → done)`, 'huge']),
  [IMAGE_STATE.id, `${IMAGE_STATE.label} (edit → next frame)`, 'image'],
  [`${IMAGE_STATE.id}-render`, 'image mode, 512×512 RGB: conv2d + drawing the picture', 'image'],
];
const json = {
  date: new Date().toISOString(),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  chromium: version, rounds: args.rounds, smoke: args.smoke, failures, inputElements: inputCounts,
  cases: ROWS.filter(([id]) => !args.only || samples[id]).map(([id, label, kind]) => ({ id, label, kind, ...summary(samples[id] || []), samplesMs: samples[id] || [],
    longestAnimationFramesMs: loafs[id] || [] })),
};
const lines = [
  '# convplay page benchmark', '',
  `${json.date} · ${json.machine} · headless Chromium ${version} · ${args.rounds} interleaved round(s)${args.smoke ? ' (smoke: not a measurement)' : ''}`, '',
  '`bash bench/run.sh --page`. Times in ms: median and 90th percentile over every sample of every round (n samples). '
  + '"Longest frame": the longest animation frame (PerformanceObserver `long-animation-frame`, which reports only frames of 50 ms or more) over all samples, and in how many samples (a page load, a set of edits, one build or computation) a frame reached 50 ms; "none ≥ 50 ms" when none did.', '',
  '| configuration | n | median | p90 | longest frame |',
  '|---|---:|---:|---:|---|',
  ...json.cases.filter((c) => c.n > 0 || !args.only).map((c) => `| ${c.label} | ${c.n} | ${ms(c.median)} | ${ms(c.p90)} | ${c.id.endsWith('-render') ? '' : loafCell(c.longestAnimationFramesMs)} |`),
  '',
  `\`<input>\` elements on the page once built: ${Object.entries(inputCounts).map(([id, n]) => `${id} ${n}`).join(', ')}.`,
  '',
  failures.length ? `**Failures:** ${failures.join('; ')}` : 'Every configuration rendered the expected output shape.',
  '',
];
mkdirSync(args.out, { recursive: true });
const base = args.smoke ? 'page-smoke' : args.only ? 'page-only' : 'page-latest';
writeFileSync(join(args.out, `${base}.md`), lines.join('\n'));
writeFileSync(join(args.out, `${base}.json`), JSON.stringify(json, null, 2) + '\n');
console.log(lines.join('\n'));
console.log(`wrote ${join(args.out, base)}.{md,json}`);
process.exit(failures.length ? 1 : 0);
