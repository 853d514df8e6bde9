// One 2-D grid of number cells (an input channel, a kernel, an output channel, the bias row).
// Editable grids use <input> cells (click or tab in and type); read-only grids use focusable
// <div> cells with a roving tabindex. Optional ghost margins show padding around the grid.
// Cells are built once per shape; value updates touch only the cells that changed.

import { h } from './dom.js';
import { display, displayLong, exact, shortF32 } from './numfmt.js';

const registry = new WeakMap();
export const gridOf = (el) => registry.get(el.closest('.grid'));

export function sizeClass(cols, rows = 1, kind = 'data') {
  const n = Math.max(cols, rows * 0.6);
  if (kind === 'kernel') return n <= 5 ? 'sz-md' : n <= 9 ? 'sz-sm' : 'sz-xs';
  return n <= 8 ? 'sz-lg' : n <= 12 ? 'sz-md' : n <= 20 ? 'sz-sm' : 'sz-xs';
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
    const grid = h('div', { class: `grid ${opts.size || sizeClass(cols + m.l + m.r, rows, opts.kind)} ${opts.editable ? 'editable' : 'readonly'}`, role: 'group', 'aria-label': opts.ariaLabel || null });
    grid.style.gridTemplateColumns = `repeat(${cols + m.l + m.r}, var(--cell))`;
    let first = true;
    for (let pr = -m.t; pr < rows + m.b; pr++) {
      for (let pc = -m.l; pc < cols + m.r; pc++) {
        const inside = pr >= 0 && pr < rows && pc >= 0 && pc < cols;
        if (!inside) {
          const g = h('div', { class: 'cell ghost', ...(opts.ghostAttrs ? opts.ghostAttrs(pr, pc) : {}) });
          g.dataset.h = pr; g.dataset.w = pc;
          this.ghosts.set(`${pr},${pc}`, g);
          grid.appendChild(g);
          continue;
        }
        const attrs = { class: 'cell', ...(opts.attrs ? opts.attrs(pr, pc) : {}) };
        let el;
        if (opts.editable) {
          el = h('input', { ...attrs, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
            'aria-label': opts.label ? opts.label(pr, pc) : null });
        } else {
          el = h('div', { ...attrs, tabindex: first ? '0' : '-1', role: 'img', 'aria-label': opts.label ? opts.label(pr, pc) : null });
          first = false;
        }
        el.dataset.h = pr; el.dataset.w = pc;
        this.cells[pr * cols + pc] = el;
        grid.appendChild(el);
      }
    }
    this.grid = grid;
    registry.set(grid, this);
    this.el = opts.caption ? h('figure', { class: `grid-fig ${opts.className || ''}` }, h('figcaption', null, opts.caption), grid) : grid;
  }

  // values: indexable of rows*cols numbers; scale: Scale.
  setValues(values, scale, offset = 0) {
    const n = this.rows * this.cols;
    const active = document.activeElement;
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
          el.textContent = display(v);
          if (this.opts.label) el.setAttribute('aria-label', `${this.opts.label(Math.floor(i / this.cols), i % this.cols)} = ${displayLong(v)}`);
        }
      }
      const ci = scale ? scale.index(v) : -1;
      if (this.colour[i] !== ci) {
        this.colour[i] = ci;
        if (scale) {
          el.style.backgroundColor = scale.bg(v);
          el.classList.toggle('on-dark', !scale.darkText(v));
        } else {
          el.style.backgroundColor = '';
          el.classList.remove('on-dark');
        }
      }
    }
  }

  // fn(pr, pc) -> {value, title, badge} for each ghost cell.
  setGhosts(fn, scale) {
    for (const [key, el] of this.ghosts) {
      const [pr, pc] = key.split(',').map(Number);
      const g = fn(pr, pc);
      if (!g) continue;
      el.textContent = '';
      el.appendChild(document.createTextNode(display(g.value)));
      if (g.badge) el.appendChild(h('span', { class: 'badge', 'aria-hidden': 'true' }, g.badge));
      el.dataset.value = exact(g.value);
      el.title = g.title || '';
      if (scale) {
        el.style.backgroundColor = scale.bg(g.value);
        el.classList.toggle('on-dark', !scale.darkText(g.value));
      }
    }
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
