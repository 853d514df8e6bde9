// Drawing a matrix as a grid of small cells with row and column headers, and linking it to the
// tensors: hovering (or focusing) a row header, a column header or an entry calls back with the
// row/column so the caller can light the output cell, its receptive field or the input cell.

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
  const grid = h('div', { class: `grid mat ${showNums ? 'mat-nums' : 'mat-dense'}`, role: 'group', 'aria-label': opts.name || t('matrix {r} by {c}', { r: R, c: C }), 'data-testid': testid });
  grid.style.gridTemplateColumns = `auto repeat(${C}, var(--mcell))`;
  const cells = new Array(R * C);
  const rowHeads = [], colHeads = [];
  grid.appendChild(h('div', { class: 'mhead corner' }));
  for (let j = 0; j < C; j++) {
    const el = h('div', { class: 'mhead col', 'data-testid': `${testid}-col`, 'data-col': j, tabindex: '-1', title: opts.colLabel ? opts.colLabel(j) : String(j) }, showNums ? String(j) : '');
    colHeads.push(el);
    grid.appendChild(el);
  }
  for (let i = 0; i < R; i++) {
    const rh = h('div', { class: 'mhead row', 'data-testid': `${testid}-row`, 'data-row': i, tabindex: i === 0 ? '0' : '-1', title: opts.rowLabel ? opts.rowLabel(i) : String(i) }, String(i));
    rowHeads.push(rh);
    grid.appendChild(rh);
    for (let j = 0; j < C; j++) {
      const v = at(i, j);
      const el = h('div', { class: `cell${v === 0 ? ' zero' : ''}`, 'data-testid': `${testid}-cell`, 'data-row': i, 'data-col': j, 'data-value': exact(v),
        title: `${opts.rowLabel ? opts.rowLabel(i) : i} · ${opts.colLabel ? opts.colLabel(j) : j}: ${displayLong(v)}` }, showNums && v !== 0 ? display(v) : '');
      if (v !== 0) {
        el.style.backgroundColor = scale.bg(v);
        if (!scale.darkText(v)) el.classList.add('on-dark');
      }
      cells[i * C + j] = el;
      grid.appendChild(el);
    }
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
  grid.addEventListener('keydown', (e) => {
    const el = e.target;
    if (!el.dataset || el.dataset.row === undefined || el.classList.contains('cell')) return;
    const i = Number(el.dataset.row) + (e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0);
    if (i !== Number(el.dataset.row) && i >= 0 && i < R) { e.preventDefault(); el.tabIndex = -1; rowHeads[i].tabIndex = 0; rowHeads[i].focus(); }
  });
  return { el: h('div', { class: 'mat-scroll' }, grid), cells, rowHeads, colHeads, grid };
}
