// Presenter mode's keys: +1 (next step), -1 (previous) or 0. ArrowRight / ArrowDown / PageDown
// and ArrowLeft / ArrowUp / PageUp, as a presentation clicker sends them; never while the focus
// is in a text field, a grid (arrows move between cells there) or a select.
const NEXT = new Set(['ArrowRight', 'ArrowDown', 'PageDown']);
const PREV = new Set(['ArrowLeft', 'ArrowUp', 'PageUp']);

export function isStepKey(e) {
  if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return 0;
  const el = e.target;
  if (el && el.closest && el.closest('input, textarea, select, [contenteditable], [role="grid"], .choices')) return 0;
  return NEXT.has(e.key) ? 1 : PREV.has(e.key) ? -1 : 0;
}
