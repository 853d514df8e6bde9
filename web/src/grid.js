// One 2-D grid of number cells (an input channel, a kernel, an output channel, the bias row, the
// teaching views' grids), following the WAI-ARIA grid pattern: role="grid" with rows of
// gridcells, one tab stop per grid (a roving tabindex), arrows, Home/End, PageUp/PageDown and
// Ctrl+Home/End move, Enter or F2 edits, Escape cancels the edit, typing a number starts one.
//
// Cells are plain elements, never <input>s: 8,787 <input> cells took 42 ms per edit to the next
// frame (issue 18). An editable cell is its own text field (a contenteditable <cp-cell>), so
// typing, paste, IME composition, undo, screen readers and automation (Playwright's fill(),
// scripts that set cell.value and dispatch 'input') work on the cell itself; there is no second
// element to keep in step with it. Cell colours are painted on one canvas behind the cells.
// Optional ghost margins show padding around the grid; ghost cells are gridcells too.
// Cells are built once per shape; value updates touch only the cells that changed.

import { h, activeIn } from './dom.js';
import { display, displayLong, exact, shortF32 } from './numfmt.js';
import { selectContents, caretAt, caretState } from './cell-editing.js';
import { paintGrid, paintCells } from './grid-canvas.js';

export { phoneQuery } from './grid-canvas.js';

const registry = new WeakMap();
export const gridOf = (el) => registry.get(el.closest('.grid'));

export function sizeClass(cols, rows = 1, kind = 'data') {
  const n = Math.max(cols, rows * 0.6);
  if (kind === 'kernel') return n <= 5 ? 'sz-md' : n <= 9 ? 'sz-sm' : 'sz-xs';
  return n <= 8 ? 'sz-lg' : n <= 12 ? 'sz-md' : n <= 20 ? 'sz-sm' : 'sz-xs';
}

// A cell clips its text (data-long, styles.css) only when it has more than 4 characters: every
// cell size shows 4 (sz-xs shows none). Clipping every cell made each edit's frame 4-5 ms longer
// on a page of 6,000 cells (measured with bench/page-latency).
function markLong(el, text) {
  const long = text.length > 4;
  if (el._long === long) return;
  el._long = long;
  if (long) el.setAttribute('data-long', ''); else el.removeAttribute('data-long');
}

const PAGE_ROWS = 5; // PageUp / PageDown move this many rows
const MOVES = {
  ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
  PageUp: [-PAGE_ROWS, 0], PageDown: [PAGE_ROWS, 0],
};

export class Grid {
  // opts: {testid, editable, rows, cols, margins:{t,b,l,r}, attrs(r,c) -> object, label(r,c) -> string,
  //        ghostAttrs(pr,pc) -> object, size, caption (Node|string), className, ariaLabel}
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
    this.editing = null; // { el, before }: the cell being edited and its text before the edit
    this.sizeCls = opts.size || sizeClass(cols + m.l + m.r, rows, opts.kind);
    const grid = h('div', { class: `grid ${this.sizeCls} ${opts.editable ? 'editable' : 'readonly'}`, role: 'grid', 'aria-label': opts.ariaLabel || null });
    // Rows of inline-block cells (not CSS grid): a changed number then re-lays out one line
    // box instead of the whole grid, which keeps 8×32×32 updates within a frame.
    this.canvas = h('canvas', { class: 'grid-bg', 'aria-hidden': 'true' });
    grid.appendChild(this.canvas);
    // Cells are clones of one prepared cell (a clone costs a fraction of creating an element and
    // setting its ten attributes); only the attributes that differ per cell are then set.
    this.protoAttrs = opts.attrs ? opts.attrs(0, 0) : {};
    this.proto = h(opts.editable ? 'cp-cell' : 'div', { class: 'cell', role: 'gridcell', tabindex: '-1', ...this.protoAttrs });
    if (opts.editable) {
      this.proto.setAttribute('contenteditable', 'plaintext-only');
      this.proto.setAttribute('inputmode', 'decimal');
      this.proto.setAttribute('spellcheck', 'false');
      this.proto.setAttribute('autocapitalize', 'off');
    } else this.proto.setAttribute('aria-readonly', 'true');
    this.ghostProto = h('div', { class: 'cell ghost', role: 'gridcell', tabindex: '-1', 'aria-readonly': 'true' });
    this.grid = grid;
    // Rows are built now, or (opts.deferRows) a few at a time by buildRows(): a 64×64 grid is
    // then built over several tasks, none of them long.
    this.nextRow = -m.t;
    this.complete = false;
    if (!opts.deferRows) this.buildRows(Infinity);
    registry.set(grid, this);
    grid.addEventListener('keydown', (e) => this.onKey(e));
    grid.addEventListener('focusin', (e) => this.onFocus(e.target));
    grid.addEventListener('focusout', (e) => {
      if (this.editing && this.editing.el === e.target) this.editing = null;
      if (e.target.classList && e.target.classList.contains('cell')) markLong(e.target, e.target.textContent); // the text typed stays
    });
    grid.addEventListener('mousedown', (e) => this.onMouseDown(e));
    grid.addEventListener('input', (e) => this.onInput(e));
    // Paste and drop of markup become plain text; formatting commands are refused.
    grid.addEventListener('beforeinput', (e) => {
      if (/^format|^insertParagraph|^insertLineBreak/.test(e.inputType)) e.preventDefault();
    });
    this.el = opts.caption ? h('figure', { class: `grid-fig ${opts.className || ''}` }, h('figcaption', null, opts.caption), grid) : grid;
  }

  // The cost of one row: its cells (a kernel cell counts twice: measured, budget.js).
  rowCost() { return (this.cols + this.m.l + this.m.r) * (this.opts.kind === 'kernel' ? 2 : 1); }

  // Builds rows until `budget` cost units are spent (at least one row); returns the cost spent.
  buildRows(budget) {
    const { rows, cols, m, opts } = this;
    let spent = 0;
    const frag = document.createDocumentFragment();
    while (this.nextRow < rows + m.b && (spent === 0 || spent + this.rowCost() <= budget)) {
      const pr = this.nextRow++;
      const rowEl = h('div', { class: 'grow', role: 'row' });
      for (let pc = -m.l; pc < cols + m.r; pc++) {
        const inside = pr >= 0 && pr < rows && pc >= 0 && pc < cols;
        if (!inside) {
          const g = this.ghostProto.cloneNode(false);
          if (opts.ghostAttrs) for (const [k, v] of Object.entries(opts.ghostAttrs(pr, pc))) g.setAttribute(k, String(v));
          g.dataset.h = pr; g.dataset.w = pc;
          this.ghosts.set(`${pr},${pc}`, g);
          rowEl.appendChild(g);
          continue;
        }
        const el = this.proto.cloneNode(false);
        if (opts.attrs && (pr || pc)) {
          for (const [k, v] of Object.entries(opts.attrs(pr, pc))) if (this.protoAttrs[k] !== v && v != null && v !== false) el.setAttribute(k, String(v));
        }
        el.dataset.h = pr; el.dataset.w = pc;
        this.cells[pr * cols + pc] = el;
        rowEl.appendChild(el);
      }
      frag.appendChild(rowEl);
      spent += this.rowCost();
    }
    this.grid.appendChild(frag);
    if (!this.active) {
      // One tab stop: the first cell (the grid's active cell moves with the focus).
      this.active = this.cells[0] || this.grid.querySelector('.cell');
      if (this.active) this.active.tabIndex = 0;
    }
    if (this.nextRow >= rows + m.b) this.complete = true;
    return spent;
  }

  // The cell's accessible name: what it is and its value as the cell shows it ("x[0, 2, 3] = 5";
  // the name contains the visible text, WCAG 2.5.3).
  nameOf(i, shown) {
    const base = this.opts.label ? this.opts.label(Math.floor(i / this.cols), i % this.cols) : '';
    return base ? `${base} = ${shown}` : shown;
  }

  // values: indexable of rows*cols numbers; scale: Scale. Returns whether any value or colour
  // changed (so that the caller can leave the padding cells alone when nothing did).
  setValues(values, scale, offset = 0) {
    const n = this.rows * this.cols;
    const active = activeIn(this.grid);
    let changed = false;
    for (let i = 0; i < n; i++) {
      const v = values[offset + i];
      const el = this.cells[i];
      // A cell not built yet gets its text later (its colour, on the canvas, now: the canvas is
      // then painted once for the grid, not once per row built).
      if (el && !Object.is(this.values[i], v)) {
        this.values[i] = v;
        changed = true;
        el.dataset.value = exact(v);
        if (this.opts.editable) {
          const t = shortF32(v);
          if (el !== active) {
            if (el.firstChild && el.firstChild.nodeType === 3 && !el.firstChild.nextSibling) el.firstChild.data = t; else el.textContent = t;
            markLong(el, t);
          }
          el.title = displayLong(v);
          el.setAttribute('aria-label', this.nameOf(i, t));
        } else {
          // Reuse the text node (cheaper than textContent for thousands of cells).
          const t = display(v);
          if (el.firstChild) el.firstChild.data = t; else el.appendChild(document.createTextNode(t));
          markLong(el, t);
          el.setAttribute('aria-label', this.nameOf(i, t));
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
    if (!d) return changed;
    // A few changed colours: repaint just those cells; many: repaint the canvas.
    if (d.length * 4 < n && this.painted) this.paintCells(d.map((i) => [Math.floor(i / this.cols), i % this.cols, this.bg[i]]));
    else this.paint();
    return true;
  }

  // Repaints the cells of list ([row, column, colour] on the lattice, padding cells included).
  paintCells(list) { paintCells(this, list); }

  // Paint the cell colours (core and ghost cells) on the background canvas.
  paint() { paintGrid(this); }

  // fn(pr, pc) -> {value, title, name, badge} for each ghost cell; name is its accessible name
  // ("reflect padding, copy of x[0, 0, 1]"), title its tooltip (the name when absent).
  setGhosts(fn, scale) {
    const dirty = [];
    const pos = this.ghostPositions();
    for (let k = 0; k < pos.length; k += 2) {
      const pr = pos[k], pc = pos[k + 1], key = `${pr},${pc}`;
      const g = fn(pr, pc);
      if (!g) continue;
      const el = this.ghosts.get(key);
      const sig = el && `${g.value}|${g.badge || ''}|${g.name || g.title || ''}`;
      if (el && el._sig !== sig) {
        el._sig = sig;
        const shown = display(g.value);
        el.textContent = shown;
        markLong(el, shown);
        // The badge (which cell a reflected or wrapped padding cell copies) is drawn by CSS from
        // data-badge: it is not text, so the accessible name still contains all the visible text.
        if (g.badge) el.dataset.badge = g.badge; else delete el.dataset.badge;
        el.dataset.value = exact(g.value);
        el.title = g.title || g.name || '';
        el.setAttribute('aria-label', `${g.name || g.title || ''} = ${shown}`);
      }
      const colour = scale ? scale.bg(g.value) : null;
      if (this.ghostBg.get(key) !== colour) { this.ghostBg.set(key, colour); dirty.push([pr, pc, colour]); }
    }
    if (!dirty.length) return;
    if (this.painted && dirty.length * 4 < pos.length / 2 + this.rows * this.cols) this.paintCells(dirty);
    else this.paint();
  }

  // Every padding position of the lattice, built or not ([row, column, row, column, ...]): their
  // colours are known at once, so a big grid's canvas is painted once, not again for the padding
  // cells of each chunk of rows built (each repaint of a 64×64 grid's canvas also cost a copy of
  // its 9 MB bitmap in the next frame's commit: Chromium's trace).
  ghostPositions() {
    if (!this.ghostPos) {
      const m = this.m, list = [];
      for (let pr = -m.t; pr < this.rows + m.b; pr++) {
        for (let pc = -m.l; pc < this.cols + m.r; pc++) if (pr < 0 || pr >= this.rows || pc < 0 || pc >= this.cols) list.push(pr, pc);
      }
      this.ghostPos = list;
    }
    return this.ghostPos;
  }

  cell(r, c) {
    return r >= 0 && r < this.rows && c >= 0 && c < this.cols ? this.cells[r * this.cols + c] : null;
  }

  ghost(pr, pc) {
    return this.ghosts.get(`${pr},${pc}`) || null;
  }

  // Any cell of the drawn lattice, ghost margins included.
  at(pr, pc) {
    return this.cell(pr, pc) || this.ghost(pr, pc);
  }

  // Make el the grid's one tab stop.
  setActive(el) {
    if (this.active === el) return;
    if (this.active) this.active.tabIndex = -1;
    el.tabIndex = 0;
    this.active = el;
  }

  // Focus the grid's active cell (the "skip to the grids" link and lessons use it).
  focus() {
    if (this.active) this.active.focus();
  }

  // Move focus to (r, c) clamped to the drawn lattice (padding cells included).
  moveTo(r, c) {
    const m = this.m;
    const to = this.at(Math.max(-m.t, Math.min(this.rows + m.b - 1, r)), Math.max(-m.l, Math.min(this.cols + m.r - 1, c)));
    if (!to) return false;
    this.setActive(to);
    to.focus();
    return true;
  }

  // Move focus by (dr, dc).
  move(from, dr, dc) {
    return this.moveTo(Number(from.dataset.h) + dr, Number(from.dataset.w) + dc);
  }

  onFocus(el) {
    if (!el.classList || !el.classList.contains('cell')) return;
    this.setActive(el);
    if (el.isContentEditable && (!this.editing || this.editing.el !== el)) selectContents(el);
  }

  // The first click on an editable cell selects it whole (typing replaces the number, as in a
  // spreadsheet); a click on the cell that already has focus places the caret and edits.
  onMouseDown(e) {
    const el = e.target.closest && e.target.closest('.cell');
    if (!el || !el.isContentEditable || activeIn(this.grid) === el || e.button !== 0) return;
    e.preventDefault();
    el.focus();
  }

  startEdit(el) {
    if (!this.editing || this.editing.el !== el) this.editing = { el, before: el.textContent };
  }

  onInput(e) {
    const el = e.target;
    if (el && el.isContentEditable && el.classList.contains('cell')) this.startEdit(el);
  }

  onKey(e) {
    const el = e.target;
    if (!el.classList || !el.classList.contains('cell') || e.isComposing) return;
    const editable = el.isContentEditable;
    const editing = !!(this.editing && this.editing.el === el);
    const r = Number(el.dataset.h), c = Number(el.dataset.w);
    const m = this.m;
    const done = () => { e.preventDefault(); e.stopPropagation(); };
    const key = e.key;
    if (editing) {
      if (key === 'Escape') {
        // Cancel: the number before the edit comes back (and is computed again).
        const before = this.editing.before;
        this.editing = null;
        if (el.textContent !== before) {
          el.textContent = before;
          el.dispatchEvent(new Event('input', { bubbles: true }));
          this.editing = null;
        }
        selectContents(el);
        done();
        return;
      }
      if (key === 'Enter') { this.editing = null; this.move(el, e.shiftKey ? -1 : 1, 0); done(); return; }
      if (key === 'F2') { this.editing = null; selectContents(el); done(); return; }
      if (key === 'ArrowUp' || key === 'ArrowDown') { this.editing = null; this.move(el, MOVES[key][0], 0); done(); return; }
      if (key === 'ArrowLeft' || key === 'ArrowRight') {
        const cs = caretState(el);
        if ((key === 'ArrowLeft' && (cs.start || cs.all)) || (key === 'ArrowRight' && (cs.end || cs.all))) {
          this.editing = null; this.move(el, 0, MOVES[key][1]); done();
        }
        return;
      }
      if (key === 'Tab') this.editing = null;
      return; // the text field handles every other key
    }
    if (MOVES[key]) { this.move(el, MOVES[key][0], MOVES[key][1]); done(); return; }
    if (key === 'Home') { if (e.ctrlKey || e.metaKey) this.moveTo(-m.t, -m.l); else this.moveTo(r, -m.l); done(); return; }
    if (key === 'End') { if (e.ctrlKey || e.metaKey) this.moveTo(this.rows + m.b - 1, this.cols + m.r - 1); else this.moveTo(r, this.cols + m.r - 1); done(); return; }
    void c;
    if (!editable) return;
    if (key === 'Enter' || key === 'F2') { this.startEdit(el); caretAt(el, true); done(); return; }
    // Typing a character (a digit, '-', '.') or deleting starts an edit that replaces the number.
    if ((key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) || key === 'Backspace' || key === 'Delete') {
      this.startEdit(el);
      selectContents(el);
    }
  }

  setPending(fromIndex) {
    // Animation: cells at flat index >= fromIndex are not computed yet.
    for (let i = 0; i < this.cells.length; i++) if (this.cells[i]) this.cells[i].classList.toggle('pending', i >= fromIndex);
  }
}
