// Canvas or DOM cells for the grid component (issue 18): what each costs in headless Chromium for
// the largest grids the page allows (16 channels of 64×64 = 65,536 numbers, 21 px cells), in
// interleaved rounds, medians. Each variant draws the same numbers in a fresh page:
//   canvas: 16 canvases, fillText per number (what a canvas grid would do);
//   dom:    16 grids of cloned cells (as web/src/grid.js builds them), content-visibility: auto;
// and measures (1) drawing everything to the end of the next frame, (2) an update of 4,096
// numbers (one output channel's worth) to the end of the next frame.
// usage: node bench/page-latency/grid-choice.mjs [--rounds N]
import { launchChromium } from '../../tests/browser/chromium.mjs';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const browser = await launchChromium();

async function measure(kind) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.setContent('<!doctype html><style>.g{content-visibility:auto;contain-intrinsic-size:auto 1472px;display:block;width:max-content;font:8.5px monospace}.r{height:21px;white-space:nowrap}.c{display:inline-block;width:21px;height:21px;margin-left:2px;text-align:center;overflow:hidden}</style><div id="root"></div>');
  const r = await page.evaluate(async (kind) => {
    const frame = () => new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
    const root = document.getElementById('root');
    const N = 64, G = 16, CELL = 21, GAP = 2;
    const value = (g, i, j, k) => ((i * 7 + j * 3 + g + k) % 19) - 9;
    await frame();
    const t0 = performance.now();
    let draw;
    if (kind === 'canvas') {
      const ctxs = [];
      for (let g = 0; g < G; g++) {
        const cv = document.createElement('canvas');
        cv.width = N * (CELL + GAP); cv.height = N * (CELL + GAP);
        root.appendChild(cv);
        ctxs.push(cv.getContext('2d'));
      }
      draw = (k, only) => {
        for (let g = 0; g < G; g++) {
          if (only !== undefined && g !== only) continue;
          const ctx = ctxs[g];
          ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
          ctx.font = '8.5px monospace'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
          for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) ctx.fillText(String(value(g, i, j, k)), j * (CELL + GAP) + CELL / 2, i * (CELL + GAP) + CELL / 2);
        }
      };
      draw(0);
    } else {
      const proto = document.createElement('div');
      proto.className = 'c'; proto.setAttribute('role', 'gridcell'); proto.setAttribute('contenteditable', 'plaintext-only'); proto.tabIndex = -1;
      const cells = [];
      for (let g = 0; g < G; g++) {
        const grid = document.createElement('div');
        grid.className = 'g'; grid.setAttribute('role', 'grid');
        for (let i = 0; i < N; i++) {
          const row = document.createElement('div');
          row.className = 'r'; row.setAttribute('role', 'row');
          for (let j = 0; j < N; j++) {
            const c = proto.cloneNode(false);
            c.dataset.h = i; c.dataset.w = j;
            c.textContent = String(value(g, i, j, 0));
            row.appendChild(c);
            cells.push(c);
          }
          grid.appendChild(row);
        }
        root.appendChild(grid);
      }
      draw = (k, only) => {
        for (let g = 0; g < G; g++) {
          if (only !== undefined && g !== only) continue;
          for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) cells[(g * N + i) * N + j].firstChild.data = String(value(g, i, j, k));
        }
      };
    }
    await frame();
    const build = performance.now() - t0;
    const t1 = performance.now();
    draw(1, 0); // one 64×64 channel changes
    await frame();
    return { build, update: performance.now() - t1 };
  }, kind);
  await page.close();
  return r;
}

const res = { canvas: { build: [], update: [] }, dom: { build: [], update: [] } };
for (let k = 0; k < rounds; k++) {
  for (const kind of k % 2 ? ['dom', 'canvas'] : ['canvas', 'dom']) {
    const r = await measure(kind);
    res[kind].build.push(r.build); res[kind].update.push(r.update);
  }
}
await browser.close();
const med = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`| grid of 16×64×64 numbers (${rounds} rounds, medians) | draw everything → next frame | 4,096 numbers change → next frame |`);
console.log('|---|---:|---:|');
for (const kind of ['canvas', 'dom']) console.log(`| ${kind} | ${med(res[kind].build).toFixed(0)} ms | ${med(res[kind].update).toFixed(1)} ms |`);
