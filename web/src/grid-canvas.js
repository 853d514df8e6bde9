// A grid's cell colours, painted on one canvas behind its cells (grid.js): cell sizes mirror
// styles.css (reading computed styles would force a layout per grid), each cell a copy of its
// colour's tile.

// Cell sizes in CSS px (they mirror styles.css). On phones no cell is under 24 px (WCAG 2.5.8).
const CELL = { 'sz-lg': 46, 'sz-md': 38, 'sz-sm': 30, 'sz-xs': 21 };
const CELL_PHONE = { 'sz-lg': 40, 'sz-md': 34, 'sz-sm': 26, 'sz-xs': 24 };
export const phoneQuery = typeof matchMedia === 'function' ? matchMedia('(max-width: 480px)') : { matches: false };
function cellPx(cls) {
  return (phoneQuery.matches ? CELL_PHONE : CELL)[cls] || 40;
}

// A cell's colour: a rounded square drawn once per colour and size on a small canvas (a tile),
// then copied onto each cell. Rasterizing 4,096 rounded rectangles of a 64×64 grid took 15-19 ms
// at the end of its task (Chromium's trace); copies of a tile are blits.
const tiles = new Map();
function cellTile(colour, cell) {
  const dpr = window.devicePixelRatio || 1;
  const key = `${colour}|${cell}|${dpr}`;
  let tile = tiles.get(key);
  if (!tile) {
    if (tiles.size > 2000) tiles.clear();
    tile = document.createElement('canvas');
    tile.width = tile.height = Math.round(cell * dpr);
    const ctx = tile.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = colour;
    ctx.beginPath();
    const rr = Math.min(4, cell / 6);
    if (ctx.roundRect) ctx.roundRect(0, 0, cell, cell, rr); else ctx.rect(0, 0, cell, cell);
    ctx.fill();
    tiles.set(key, tile);
  }
  return tile;
}

// Paints every cell's colour (core and padding cells) on the grid's canvas, sizing it first.
export function paintGrid(g) {
  g.dirty = false;
  const m = g.m;
  const nc = g.cols + m.l + m.r, nr = g.rows + m.t + m.b;
  if (nc === 0 || nr === 0) return;
  const cell = cellPx(g.sizeCls);
  const gap = 2;
  g.cellPx = cell;
  g.gapPx = gap;
  g.painted = true;
  const W = nc * cell + (nc - 1) * gap, H = nr * cell + (nr - 1) * gap;
  const dpr = window.devicePixelRatio || 1;
  const cv = g.canvas;
  if (cv.width !== Math.round(W * dpr) || cv.height !== Math.round(H * dpr)) {
    cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr);
    cv.style.width = `${W}px`; cv.style.height = `${H}px`;
  }
  const ctx = cv.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  const put = (pr, pc, colour) => { if (colour) ctx.drawImage(cellTile(colour, cell), (pc + m.l) * (cell + gap), (pr + m.t) * (cell + gap), cell, cell); };
  for (let i = 0; i < g.bg.length; i++) put(Math.floor(i / g.cols), i % g.cols, g.bg[i]);
  for (const [key, colour] of g.ghostBg) {
    const j = key.indexOf(',');
    put(Number(key.slice(0, j)), Number(key.slice(j + 1)), colour);
  }
}

// Repaints the cells of list ([row, column, colour] on the lattice) on a painted grid.
export function paintCells(g, list) {
  const m = g.m, cell = g.cellPx, gap = g.gapPx;
  const ctx = g.canvas.getContext('2d');
  for (const [pr, pc, colour] of list) {
    const x = (pc + m.l) * (cell + gap), y = (pr + m.t) * (cell + gap);
    ctx.clearRect(x - 0.5, y - 0.5, cell + 1, cell + 1);
    if (colour) ctx.drawImage(cellTile(colour, cell), x, y, cell, cell);
  }
}
