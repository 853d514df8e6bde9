// One 2-D grid of number cells (an input channel, a kernel, an output channel, the bias row).
// Editable grids use <input> cells (click or tab in and type); read-only grids use focusable
// <div> cells with a roving tabindex. Optional ghost margins show padding around the grid.
// Cells are built once per shape; value updates touch only the cells that changed.

import { h, activeIn } from './dom.js';
import { display, displayLong, exact, shortF32 } from './numfmt.js';

const registry = new WeakMap();
export const gridOf = (el) => registry.get(el.closest('.grid'));

export function sizeClass(cols, rows = 1, kind = 'data') {
  const n = Math.max(cols, rows * 0.6);
  if (kind === 'kernel') return n <= 5 ? 'sz-md' : n <= 9 ? 'sz-sm' : 'sz-xs';
  return n <= 8 ? 'sz-lg' : n <= 12 ? 'sz-md' : n <= 20 ? 'sz-sm' : 'sz-xs';
}

const CELL = { 'sz-lg': 46, 'sz-md': 38, 'sz-sm': 30, 'sz-xs': 21 };
const CELL_PHONE = { 'sz-lg': 40, 'sz-md': 34, 'sz-sm': 26, 'sz-xs': 17 };
export const phoneQuery = typeof matchMedia === 'function' ? matchMedia('(max-width: 480px)') : { matches: false };
function cellPx(cls) {
  return (phoneQuery.matches ? CELL_PHONE : CELL)[cls] || 40;
}

export class Grid {
  // opts: {testid, editable, rows, cols, margins:{t,b,l,r}, attrs(r,c) -> object, label(r,c) -> string,
  //        ghostAttrs(pr,pc) -> object, size, caption (Node|string), className}
  constructor(opts) {
    this.opts = opts;
    const { rows, cols } = opts;
    const m = opts.margins || { t: 0, b: 0, l: 0, r: 0 };
    this.rows = rows; this.cols = cols; this.m = m;
    this.cells = new Array(rows * cols);
    this.ghosts = new Map();
    this.values = new Float64Array(rows * cols).fill(NaN);
    this.colour = new Int16Array(rows * cols).fill(-1);
    this.bg = new Array(rows * cols).fill(null);
    this.ghostBg = new Map();
    this.sizeCls = opts.size || sizeClass(cols + m.l + m.r, rows, opts.kind);
    const grid = h('div', { class: `grid ${this.sizeCls} ${opts.editable ? 'editable' : 'readonly'}`, role: 'group', 'aria-label': opts.ariaLabel || null });
    // Rows of inline-block cells (not CSS grid): a changed number then re-lays out one line
    // box instead of the whole grid, which keeps 8×32×32 updates within a frame.
    // Cell colours are painted on one canvas behind the cells: recolouring thousands of cells
    // then costs a few fillRects instead of a style recalculation per cell.
    this.canvas = h('canvas', { class: 'grid-bg', 'aria-hidden': 'true' });
    grid.appendChild(this.canvas);
    let first = true;
    for (let pr = -m.t; pr < rows + m.b; pr++) {
      const rowEl = h('div', { class: 'grow' });
      grid.appendChild(rowEl);
      for (let pc = -m.l; pc < cols + m.r; pc++) {
        const inside = pr >= 0 && pr < rows && pc >= 0 && pc < cols;
        if (!inside) {
          const g = h('div', { class: 'cell ghost', ...(opts.ghostAttrs ? opts.ghostAttrs(pr, pc) : {}) });
          g.dataset.h = pr; g.dataset.w = pc;
          this.ghosts.set(`${pr},${pc}`, g);
          rowEl.appendChild(g);
          continue;
        }
        const attrs = { class: 'cell', ...(opts.attrs ? opts.attrs(pr, pc) : {}) };
        let el;
        if (opts.editable) {
          el = h('input', { ...attrs, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
            'aria-label': opts.label ? opts.label(pr, pc) : null });
        } else {
          // The number is the cell's content; the explanation panel (a live region) reads out
          // the cell's name and its sum when it gets focus.
          el = h('div', { ...attrs, tabindex: first ? '0' : '-1' });
          first = false;
        }
        el.dataset.h = pr; el.dataset.w = pc;
        this.cells[pr * cols + pc] = el;
        rowEl.appendChild(el);
      }
    }
    this.grid = grid;
    registry.set(grid, this);
    this.el = opts.caption ? h('figure', { class: `grid-fig ${opts.className || ''}` }, h('figcaption', null, opts.caption), grid) : grid;
  }

  // values: indexable of rows*cols numbers; scale: Scale.
  setValues(values, scale, offset = 0) {
    const n = this.rows * this.cols;
    const active = activeIn(this.grid);
    for (let i = 0; i < n; i++) {
      const v = values[offset + i];
      const el = this.cells[i];
      if (!Object.is(this.values[i], v)) {
        this.values[i] = v;
        el.dataset.value = exact(v);
        if (this.opts.editable) {
          if (el !== active) el.value = shortF32(v);
          el.title = displayLong(v);
        } else {
          // Reuse the text node (cheaper than textContent for thousands of cells).
          const t = display(v);
          if (el.firstChild) el.firstChild.data = t; else el.appendChild(document.createTextNode(t));
        }
      }
      const ci = scale ? scale.index(v) : -1;
      if (this.colour[i] !== ci) {
        this.colour[i] = ci;
        this.bg[i] = scale ? scale.bg(v) : null;
        (this.dirtyCells || (this.dirtyCells = [])).push(i);
      }
    }
    const d = this.dirtyCells;
    this.dirtyCells = null;
    if (!d) return;
    // A few changed colours: repaint just those cells; many: repaint the canvas.
    if (d.length * 4 < n && this.painted) this.paintCells(d);
    else this.paint();
  }

  paintCells(list) {
    const m = this.m, cell = this.cellPx, gap = this.gapPx;
    const ctx = this.canvas.getContext('2d');
    const rr = Math.min(4, cell / 6);
    for (const i of list) {
      const x = (i % this.cols + m.l) * (cell + gap), y = (Math.floor(i / this.cols) + m.t) * (cell + gap);
      ctx.clearRect(x - 0.5, y - 0.5, cell + 1, cell + 1);
      if (!this.bg[i]) continue;
      ctx.fillStyle = this.bg[i];
      ctx.beginPath();
      if (ctx.roundRect) ctx.roundRect(x, y, cell, cell, rr); else ctx.rect(x, y, cell, cell);
      ctx.fill();
    }
  }

  // Paint the cell colours (core and ghost cells) on the background canvas.
  paint() {
    this.dirty = false;
    const m = this.m;
    const nc = this.cols + m.l + m.r, nr = this.rows + m.t + m.b;
    if (nc === 0 || nr === 0) return;
    // Sizes mirror styles.css (reading computed styles here would force a layout per grid).
    const cell = cellPx(this.sizeCls, this.opts.cellSet);
    const gap = 2;
    this.cellPx = cell;
    this.gapPx = gap;
    this.painted = true;
    const W = nc * cell + (nc - 1) * gap, H = nr * cell + (nr - 1) * gap;
    const dpr = window.devicePixelRatio || 1;
    const cv = this.canvas;
    if (cv.width !== Math.round(W * dpr) || cv.height !== Math.round(H * dpr)) {
      cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr);
      cv.style.width = `${W}px`; cv.style.height = `${H}px`;
    }
    const ctx = cv.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    // Group cells by colour: one fill per colour.
    const byColour = new Map();
    const add = (pr, pc, colour) => {
      if (!colour) return;
      let list = byColour.get(colour);
      if (!list) byColour.set(colour, (list = []));
      list.push((pc + m.l) * (cell + gap), (pr + m.t) * (cell + gap));
    };
    for (let i = 0; i < this.bg.length; i++) add(Math.floor(i / this.cols), i % this.cols, this.bg[i]);
    for (const [key, colour] of this.ghostBg) {
      const j = key.indexOf(',');
      add(Number(key.slice(0, j)), Number(key.slice(j + 1)), colour);
    }
    const rr = Math.min(4, cell / 6);
    for (const [colour, list] of byColour) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (let k = 0; k < list.length; k += 2) {
        if (ctx.roundRect) ctx.roundRect(list[k], list[k + 1], cell, cell, rr); else ctx.rect(list[k], list[k + 1], cell, cell);
      }
      ctx.fill();
    }
  }

  // fn(pr, pc) -> {value, title, badge} for each ghost cell.
  setGhosts(fn, scale) {
    let dirty = false;
    for (const [key, el] of this.ghosts) {
      const [pr, pc] = key.split(',').map(Number);
      const g = fn(pr, pc);
      if (!g) continue;
      const sig = `${g.value}|${g.badge || ''}`;
      if (el._sig !== sig) {
        el._sig = sig;
        el.textContent = display(g.value);
        if (g.badge) el.appendChild(h('span', { class: 'badge', 'aria-hidden': 'true' }, g.badge));
        el.dataset.value = exact(g.value);
        el.title = g.title || '';
      }
      const colour = scale ? scale.bg(g.value) : null;
      if (this.ghostBg.get(key) !== colour) { this.ghostBg.set(key, colour); dirty = true; }
    }
    if (dirty) this.paint();
  }

  cell(r, c) {
    return r >= 0 && r < this.rows && c >= 0 && c < this.cols ? this.cells[r * this.cols + c] : null;
  }

  ghost(pr, pc) {
    return this.ghosts.get(`${pr},${pc}`) || null;
  }

  // Move focus by (dr, dc); read-only grids pass the roving tabindex along.
  move(from, dr, dc) {
    const r = Number(from.dataset.h) + dr, c = Number(from.dataset.w) + dc;
    const to = this.cell(Math.max(0, Math.min(this.rows - 1, r)), Math.max(0, Math.min(this.cols - 1, c)));
    if (!to || to === from) return false;
    if (!this.opts.editable) { from.tabIndex = -1; to.tabIndex = 0; }
    to.focus();
    if (this.opts.editable) to.select();
    return true;
  }

  setPending(fromIndex) {
    // Animation: cells at flat index >= fromIndex are not computed yet.
    for (let i = 0; i < this.cells.length; i++) this.cells[i].classList.toggle('pending', i >= fromIndex);
  }
}

// A grid whose cells are not built yet: app.js builds the grids of a big page over several
// tasks (budget.js, BUILD_COST) so that no task runs long. Same interface as Grid, with no
// cells to show, mark or move to; its placeholder element is replaced when it is built.
export class PendingGrid {
  constructor(rows, cols, caption) {
    this.rows = rows; this.cols = cols; this.pending = true;
    this.cells = []; this.ghosts = new Map();
    this.el = h('div', { class: 'grid-pending', 'data-testid': 'grid-pending' }, caption || '');
  }
  cell() { return null; }
  ghost() { return null; }
  setValues() {}
  setGhosts() {}
  setPending() {}
}
