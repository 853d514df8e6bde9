// Hostile URL state: script and HTML payloads in every hash key never execute or become
// markup, absurd configurations give messages while the page stays usable, and huge valid
// outputs are computed in bands, one per task, each within the budget of web/src/budget.js,
// while a click made during the work is handled before the work ends. No test here measures
// time (a shared machine makes any duration bound a coin toss): how long the tasks take is
// measured by the page benchmark, `bash bench/run.sh --page`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { TASK_VALUES, TASK_MACS, BUILD_COST } from '../../web/src/budget.js';

const index = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'index.html')).href;
const browser = await launchChromium();
after(() => browser.close());

const PAYLOADS = ['<img src=x onerror="window.__pwned=1">', '"><script>window.__pwned=1</script>',
  "javascript:window.__pwned=1", '<svg onload="window.__pwned=1">'];
const KEYS = ['op', 'x', 'w', 'b', 'stride', 'padding', 'dilation', 'output_padding', 'groups', 'padding_mode'];

test('script and HTML payloads in every hash key are shown as text, never run', async () => {
  const page = await browser.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  for (const key of KEYS)
    for (const payload of PAYLOADS) {
      await page.goto(`${index}#op=conv2d&x=1,2;3,4&w=1&${key}=${encodeURIComponent(payload)}`);
      await page.waitForSelector('[data-testid="error"]', { state: 'attached', timeout: 20000 });
      const state = await page.evaluate(() => ({
        pwned: window.__pwned === 1,
        injected: document.querySelectorAll('img[src="x"], svg[onload], script:not([src])').length,
        body: document.body.innerText.length,
      }));
      assert.equal(state.pwned, false, `${key}: payload ran`);
      assert.equal(state.injected, 0, `${key}: payload became markup`);
      assert.ok(state.body > 0, `${key}: blank page`);
    }
  assert.equal(dialogs, 0);
  await page.close();
});

test('absurd configurations give a message and the page keeps working', async () => {
  const page = await browser.newPage();
  const hostile = ['stride=0', 'padding=-3', 'dilation=100000', 'groups=0', 'w=1e38,1e38;1e38,1e38',
    'x=NaN,Infinity;-Infinity,1', 'stride=99999999999999999999', 'padding_mode=evil', 'x=' + '9,'.repeat(5000),
    'w=' + '1;'.repeat(9999) + '1',            // a kernel 10,000 rows tall
    'x=' + Array(100).fill('1,2;3,4').join('|')]; // 100 input channels
  await page.goto(`${index}#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1`);
  for (const h of hostile) {
    await page.evaluate((hash) => { location.hash = hash; }, `op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&${h}`);
    await page.waitForTimeout(300);
    await page.waitForSelector('[data-testid="error"]', { state: 'attached', timeout: 20000 });
    assert.ok((await page.evaluate(() => document.body.innerText.length)) > 0, h);
  }
  // and a valid state afterwards computes normally
  await page.goto(`${index}#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="output-cell"]').length === 4, null, { timeout: 20000 });
  const values = await page.$$eval('[data-testid="output-cell"]', (cells) => cells.map((c) => Number(c.dataset.value)));
  assert.deepEqual(values, [12, 16, 24, 28]);
  await page.close();
});

// The largest editable grids the page allows (16 channels of 64×64 inputs; 16×16 kernels of
// 16×16): 65,536 <input> cells each. Building them took one 1.6 s (inputs) or 3.3 s (kernels)
// task; now the grids are built over several tasks (outputs first), each task given at most
// BUILD_COST of work or a single grid, and all must be there in the end, editable. A click made
// while they are being built is handled before the building ends.
const ar = (n) => Array.from({ length: n }, (_, i) => i);
const block = (n, w, f) => ar(n / w).map((r) => ar(w).map((c) => f(r * w + c)).join(',')).join(';');
const BIG_GRIDS = [
  ['input 16×64×64 (65,536 input cells)', `op=conv2d&x=${ar(16).map((c) => block(4096, 64, (i) => (i + c) % 7)).join('|')}&w=${ar(16).map(() => block(9, 3, () => 1)).join('|')}&padding=1`, 65536, 144],
  ['weights 16×16×16×16 (65,536 weight cells)', `op=conv2d&x=${ar(16).map((c) => block(256, 16, (i) => (i + c) % 7)).join('|')}&w=${ar(256).map((k) => block(256, 16, (i) => (i + k) % 3)).join('|')}&padding=1`, 4096, 65536],
];

// Starts recording clicks on the page title: for each, whether `busy()` (evaluated in the page)
// was still true when the click's handler ran.
async function recordClicks(page, busy) {
  await page.evaluate((src) => {
    const busyNow = new Function(`return (${src})();`);
    window.__clicks = [];
    document.querySelector('h1').addEventListener('click', () => window.__clicks.push(busyNow()));
  }, busy.toString());
}
// Starts the work (startWork() sets the URL in the page and returns what it returns), then
// clicks the title as a user would (a real input event through the browser) at once, and returns
// whether the work was still going on when that click was handled. The title's position is read
// before the work starts, so the click follows the URL change by one round trip: a click that
// first waited for the page to report the work as started could arrive after a 180 ms
// computation had ended.
async function clickDuringWork(page, startWork) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.locator('h1').boundingBox();
  const n = await page.evaluate(() => window.__clicks.length);
  const started = await startWork();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction((k) => window.__clicks.length > k, n, { timeout: 60000 });
  return { started, busy: await page.evaluate(() => window.__clicks.at(-1)) };
}

test('the largest editable grids are built over several tasks, each within the build budget', async () => {
  const page = await browser.newPage();
  await page.goto(`${index}#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout: 20000 });
  await recordClicks(page, () => Boolean(document.body.dataset.building));
  for (const [name, hash, inputCells, weightCells] of BIG_GRIDS) {
    const { started: before, busy: busyAtClick } = await clickDuringWork(page, () => page.evaluate((h) => {
      const n = window.convplayApp.stats.buildTasks.length;
      location.hash = h;
      return n;
    }, hash));
    await page.waitForFunction(() => !document.body.dataset.building && !window.convplayApp.result.pending
      && document.querySelectorAll('[data-testid="grid-pending"]').length === 0, null, { timeout: 120000 });
    const r = await page.evaluate((n) => ({
      inputs: document.querySelectorAll('[data-testid="input-cell"]').length,
      weights: document.querySelectorAll('[data-testid="weight-cell"]').length,
      tasks: window.convplayApp.stats.buildTasks.slice(n),
    }), before);
    const cells = inputCells + weightCells;
    console.log(`# ${name}: ${cells} cells built over ${r.tasks.length} tasks (largest ${Math.max(...r.tasks.map((t) => t.cost))} cost units, budget ${BUILD_COST}); a click during the build was handled ${busyAtClick ? 'before' : 'after'} it ended`);
    assert.equal(r.inputs, inputCells, name);
    assert.equal(r.weights, weightCells, name);
    // Every task was given at most BUILD_COST of work, or one grid that alone costs more.
    for (const t of r.tasks) assert.ok(t.cost <= BUILD_COST || t.grids === 1, `${name}: a task built ${t.grids} grids costing ${t.cost}`);
    // The work is spread: at least as many tasks as the budget requires (each cell costs at least 1).
    assert.ok(r.tasks.length >= Math.ceil(cells / BUILD_COST / 2), `${name}: ${r.tasks.length} tasks`);
    assert.equal(busyAtClick, true, `${name}: the click waited for the whole build`);
  }
  // Grids built in later tasks are live: editing the last input cell recomputes the output.
  await page.evaluate((h) => { location.hash = h; }, BIG_GRIDS[0][1]);
  await page.waitForFunction(() => !document.body.dataset.building && !window.convplayApp.result.pending, null, { timeout: 60000 });
  const before = await page.evaluate(() => window.convplayApp.stats.computes);
  const last = page.locator('[data-testid="input-cell"][data-c="15"][data-h="63"][data-w="63"]');
  await last.fill('100');
  await last.dispatchEvent('input');
  await page.waitForFunction((n) => window.convplayApp.stats.computes > n && !window.convplayApp.result.pending, before, { timeout: 20000 });
  const corner = await page.evaluate(() => window.convplayApp.result.y.data.at(-1));
  const want = await page.evaluate(() => { const x = window.convplayApp.result.x.data; const C = 16, H = 64, W = 64; let s = 0;
    for (let c = 0; c < C; c++) for (const [i, j] of [[62, 62], [62, 63], [63, 62], [63, 63]]) s += x[(c * H + i) * W + j]; return s; });
  assert.equal(corner, want);
  await page.close();
});

// Valid configurations with huge outputs (up to 64 M values, the size limit), with every panel
// whose work grows with the output open. Each must show its shape, its compute time and that
// it is too large to draw; outputs over the one-task budget are computed in bands, one core call
// per task, each band within TASK_VALUES values and TASK_MACS multiply-adds (when one row of one
// channel fits), and a click made during the banded work is handled before it ends.
const ones = (h, w) => Array(h).fill(Array(w).fill(1).join(',')).join(';');
const HUGE = [
  ['conv_transpose2d, stride 1000', 'op=conv_transpose2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&stride=1000', '1×1×2002×2002'],
  ['conv_transpose2d, stride 1000, padding 3 (cropped border)', 'op=conv_transpose2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&stride=1000&padding=3', '1×1×1996×1996'],
  ['conv2d, zero padding 1000', 'op=conv2d&x=1,2;3,4&w=1&padding=1000', '1×1×2002×2002'],
  ['conv2d, replicate padding 1000', 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&padding=1000&padding_mode=replicate', '1×1×2002×2002'],
  ['conv_transpose2d, 16 channels, stride 1000 (64 M values)', `op=conv_transpose2d&x=${Array(16).fill('1,2,3;4,5,6;7,8,9').join('|')}&w=${Array(16).fill('1,1;1,1').join('|')}&stride=1000&groups=16`, '1×16×2002×2002'],
  ['conv_transpose2d, 9×9 input, stride 1000 (64 M values in one channel)', `op=conv_transpose2d&x=${ones(9, 9)}&w=1,1;1,1&stride=1000`, '1×1×8002×8002'],
  ['conv2d, 16×16 kernel, padding 1000 (1 G multiply-adds)', `op=conv2d&x=${ones(4, 4)}&w=${ones(16, 16)}&padding=1000`, '1×1×1989×1989'],
];
// The configurations whose computation is long enough to click into (many bands).
const CLICK_INTO = new Set([HUGE[4][0], HUGE[5][0], HUGE[6][0]]);

test('huge valid outputs: shape, "too large to draw", computed in bands within the budget, a click handled during the work', async () => {
  const page = await browser.newPage();
  await page.goto(`${index}#op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout: 20000 });
  // The conv_transpose2d views are open by default; open the matrix, round-trip and image panels.
  await page.click('.matrix-panel summary');
  await page.click('[data-testid="shape-panel"] summary');
  await page.click('[data-testid="image-mode"] summary');
  await page.waitForFunction(() => document.querySelector('[data-testid="image-output"]').dataset.job, null, { timeout: 20000 });
  await recordClicks(page, () => window.convplayApp.result.pending);
  for (const [name, hash, shape] of HUGE) {
    const setHash = () => page.evaluate((h) => { const n = window.convplayApp.stats.bands; location.hash = h; return n; }, hash);
    const { started: before, busy: busyAtClick } = CLICK_INTO.has(name) ? await clickDuringWork(page, setHash) : { started: await setHash(), busy: null };
    await page.waitForFunction((want) => document.querySelector('[data-testid="output-shape"]').textContent === want
      && !window.convplayApp.result.pending, shape, { timeout: 120000 });
    const r = await page.evaluate((n) => ({
      timing: document.querySelector('[data-testid="timing"]').textContent,
      tooLarge: document.querySelector('[data-testid="too-large"]')?.textContent || '',
      error: document.querySelector('[data-testid="error"]').textContent,
      bands: (window.convplayApp.result.bands || []).map((b) => b.work),
      bandsRun: window.convplayApp.stats.bands - n,
      outputCells: document.querySelectorAll('[data-testid="output-cell"]').length,
    }), before);
    console.log(`# ${name} -> ${shape}: ${r.timing}; ${r.bands.length} bands of at most ${Math.max(0, ...r.bands.map((w) => w.values))} values and ${Math.max(0, ...r.bands.map((w) => w.macs))} multiply-adds`
      + (busyAtClick === null ? '' : `; a click was handled ${busyAtClick ? 'during' : 'after'} the work`));
    assert.equal(r.error, '', name);
    assert.match(r.timing, /^computed in [\d.]+ ms/, name);
    assert.match(r.tooLarge, new RegExp(`The output is ${shape.slice(2)}: too large to draw`), name);
    assert.equal(r.outputCells, 0, `${name}: output cells drawn`);
    assert.equal(r.bandsRun, r.bands.length, `${name}: one core call per band`);
    if (r.bands.length) {
      assert.ok(r.bands.length > 1, `${name}: banded`);
      for (const w of r.bands) assert.ok(w.values <= TASK_VALUES && w.macs <= TASK_MACS, `${name}: a band of ${w.values} values, ${w.macs} multiply-adds`);
    }
    if (busyAtClick !== null) assert.equal(busyAtClick, true, `${name}: the click waited for the whole computation`);
  }
  // The page still computes and draws a small configuration.
  await page.evaluate(() => { location.hash = 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1'; });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="output-cell"]').length === 4, null, { timeout: 20000 });
  const values = await page.$$eval('[data-testid="output-cell"]', (cells) => cells.map((c) => Number(c.dataset.value)));
  assert.deepEqual(values, [12, 16, 24, 28]);
  await page.close();
});
