// Drawing a matrix as a grid of small cells with row and column headers, and linking it to the
// tensors: hovering (or focusing) a row header, a column header or an entry calls back with the
// row/column so the caller can light the output cell, its receptive field or the input cell.
// The WAI-ARIA grid pattern, like grid.js: rows of a column-header row, then row headers and
// cells; one tab stop; arrows, Home/End and Ctrl+Home/End move over headers and cells alike.

import { h } from './dom.js';
import { display, displayLong, exact } from './numfmt.js';
import { Scale } from './colour.js';
import { t } from './i18n.js';

export const MAX_CELLS = 6400;

// data: row-major rows×cols (or cols×rows when transpose: the drawn matrix is its transpose).
// opts: {rowLabel(i), colLabel(j), testid, name, onRow(i), onCol(j), onCell(i, j), onLeave()}
export function drawMatrix(data, rows, cols, opts = {}) {
  const transpose = !!opts.transpose;
  const R = transpose ? cols : rows, C = transpose ? rows : cols;
  if (R * C > MAX_CELLS) return { el: h('p', { class: 'muted' }, t('{r}×{c} is too large to draw here.', { r: R, c: C })), cells: null };
  const at = (i, j) => (transpose ? data[j * cols + i] : data[i * cols + j]);
  const scale = new Scale(transpose ? Array.from({ length: R * C }, (_, k) => at(Math.floor(k / C), k % C)) : data);
  const showNums = C <= 24;
  const testid = opts.testid || 'mat';
  const grid = h('div', { class: `grid mat ${showNums ? 'mat-nums' : 'mat-dense'}`, role: 'grid', 'aria-label': opts.name || t('matrix {r} by {c}', { r: R, c: C }), 'data-testid': testid });
  grid.style.gridTemplateColumns = `auto repeat(${C}, var(--mcell))`;
  const cells = new Array(R * C);
  const rowHeads = [], colHeads = [];
  // Rows are display: contents, so that the cells stay items of the CSS grid.
  const head = h('div', { class: 'mrow', role: 'row' }, h('div', { class: 'mhead corner', role: 'columnheader', 'aria-label': t('row') }));
  for (let j = 0; j < C; j++) {
    const el = h('div', { class: 'mhead col', role: 'columnheader', 'data-testid': `${testid}-col`, 'data-col': j, tabindex: '-1', title: opts.colLabel ? opts.colLabel(j) : String(j) }, showNums ? String(j) : '');
    if (!showNums) el.setAttribute('aria-label', el.title);
    colHeads.push(el);
    head.appendChild(el);
  }
  grid.appendChild(head);
  for (let i = 0; i < R; i++) {
    const row = h('div', { class: 'mrow', role: 'row' });
    const rh = h('div', { class: 'mhead row', role: 'rowheader', 'data-testid': `${testid}-row`, 'data-row': i, tabindex: i === 0 ? '0' : '-1', title: opts.rowLabel ? opts.rowLabel(i) : String(i) }, String(i));
    rowHeads.push(rh);
    row.appendChild(rh);
    for (let j = 0; j < C; j++) {
      const v = at(i, j);
      const el = h('div', { class: `cell${v === 0 ? ' zero' : ''}`, role: 'gridcell', tabindex: '-1', 'data-testid': `${testid}-cell`, 'data-row': i, 'data-col': j, 'data-value': exact(v),
        title: `${opts.rowLabel ? opts.rowLabel(i) : i} · ${opts.colLabel ? opts.colLabel(j) : j}: ${displayLong(v)}` }, showNums && v !== 0 ? display(v) : '');
      if (v !== 0) {
        el.style.backgroundColor = scale.bg(v);
        if (!scale.darkText(v)) el.classList.add('on-dark');
      }
      cells[i * C + j] = el;
      row.appendChild(el);
    }
    grid.appendChild(row);
  }
  let lit = [];
  const unlight = () => { for (const el of lit) el.removeAttribute('data-line'); lit = []; };
  const light = (i, j) => {
    unlight();
    if (i !== null) { for (let q = 0; q < C; q++) { cells[i * C + q].dataset.line = '1'; lit.push(cells[i * C + q]); } rowHeads[i].dataset.line = '1'; lit.push(rowHeads[i]); }
    if (j !== null) { for (let q = 0; q < R; q++) { cells[q * C + j].dataset.line = '1'; lit.push(cells[q * C + j]); } colHeads[j].dataset.line = '1'; lit.push(colHeads[j]); }
  };
  const onTarget = (e) => {
    const el = e.target.closest('[data-row], [data-col]');
    if (!el || !grid.contains(el)) return;
    const i = el.dataset.row !== undefined ? Number(el.dataset.row) : null;
    const j = el.dataset.col !== undefined ? Number(el.dataset.col) : null;
    light(i, j);
    if (i !== null && j !== null) opts.onCell?.(i, j);
    else if (i !== null) opts.onRow?.(i);
    else if (j !== null) opts.onCol?.(j);
  };
  grid.addEventListener('mouseover', onTarget);
  grid.addEventListener('focusin', onTarget);
  grid.addEventListener('mouseleave', () => { unlight(); opts.onLeave?.(); });
  // (i, j) with -1 for the header row / column: the element there.
  const at2 = (i, j) => (i < 0 ? (j < 0 ? null : colHeads[j]) : j < 0 ? rowHeads[i] : cells[i * C + j]);
  let active = rowHeads[0] || null;
  grid.addEventListener('keydown', (e) => {
    const el = e.target;
    if (!el.dataset || (el.dataset.row === undefined && el.dataset.col === undefined)) return;
    let i = el.dataset.row !== undefined ? Number(el.dataset.row) : -1, j = el.dataset.col !== undefined ? Number(el.dataset.col) : -1;
    const k = e.key, ctrl = e.ctrlKey || e.metaKey;
    if (k === 'ArrowDown') i++; else if (k === 'ArrowUp') i--; else if (k === 'ArrowRight') j++; else if (k === 'ArrowLeft') j--;
    else if (k === 'PageDown') i += 5; else if (k === 'PageUp') i -= 5;
    else if (k === 'Home') { j = -1; if (ctrl) i = 0; } else if (k === 'End') { j = C - 1; if (ctrl) i = R - 1; } else return;
    e.preventDefault();
    i = Math.max(-1, Math.min(R - 1, i)); j = Math.max(-1, Math.min(C - 1, j));
    const to = at2(i, j) || at2(0, -1);
    if (!to || to === el) return;
    if (active) active.tabIndex = -1;
    to.tabIndex = 0; active = to;
    to.focus();
  });
  grid.addEventListener('focusin', (e) => { const el = e.target; if (el !== active && el.tabIndex !== undefined) { if (active) active.tabIndex = -1; el.tabIndex = 0; active = el; } });
  return { el: h('div', { class: 'mat-scroll' }, grid), cells, rowHeads, colHeads, grid };
}
