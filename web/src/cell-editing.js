// Editing inside a grid cell. An editable cell is a <cp-cell>: contenteditable text with the
// value/select() of an <input>, so that code written for input cells (cell.value = '5' and an
// 'input' event; Playwright's fill()) keeps working. The caret helpers tell the grid whether an
// arrow key should move the caret or leave the cell.

// Select a cell's whole text, so that typing replaces it (as in a spreadsheet).
export function selectContents(el) {
  const sel = el.ownerDocument.defaultView.getSelection();
  if (!sel) return;
  const range = el.ownerDocument.createRange();
  range.selectNodeContents(el);
  sel.removeAllRanges();
  sel.addRange(range);
}

export function caretAt(el, end) {
  const sel = el.ownerDocument.defaultView.getSelection();
  if (!sel) return;
  sel.selectAllChildren(el);
  if (end) sel.collapseToEnd(); else sel.collapseToStart();
}

// Where the caret is in a cell: at its start, at its end, or the whole text selected.
export function caretState(el) {
  const root = el.getRootNode();
  const sel = (root.getSelection ? root.getSelection() : null) || el.ownerDocument.defaultView.getSelection();
  const len = el.textContent.length;
  if (!sel || sel.rangeCount === 0) return { start: true, end: true, all: true };
  const r = sel.getRangeAt(0);
  const pre = el.ownerDocument.createRange();
  pre.selectNodeContents(el);
  try { pre.setEnd(r.startContainer, r.startOffset); } catch { return { start: true, end: true, all: true }; }
  const a = pre.toString().length;
  const b = a + r.toString().length;
  return { start: a === 0 && b === 0, end: a === len && b === len, all: a === 0 && b === len };
}

// An editable cell: contenteditable text with the value/select() of an <input>.
const Base = typeof HTMLElement === 'undefined' ? class {} : HTMLElement;
class CellElement extends Base {
  get value() { return this.textContent; }
  set value(v) { this.textContent = String(v); }
  select() { selectContents(this); }
}
if (typeof customElements !== 'undefined' && !customElements.get('cp-cell')) customElements.define('cp-cell', CellElement);

