// What the reader is looking at: UI state beside the URL's state (store.js), changed only by
// these named actions. Plain data, no DOM.
//
//   focus:     the cell under the pointer or the keyboard focus, a cell reference
//              { testid, c, h, w, in?, out? } (the cell's data-* hooks), or null;
//   pinned:    a tap pinned the focus (a phone has no hover): pointer moves leave it;
//   highlight: a teaching view's own highlight { refs: [cell refs], self: ref | null,
//              note: text | null } (a row of a matrix, say), or null;
//   anim:      the step-through animation { active, step }.

export function initialUi() {
  return { focus: null, pinned: false, highlight: null, anim: { active: false, step: 1 } };
}

const same = (a, b) => a === b || (a && b && a.testid === b.testid && a.c === b.c && a.d === b.d && a.h === b.h && a.w === b.w && a.in === b.in && a.out === b.out);

export const UI_ACTIONS = {
  // A new state from a link: the animation and a teaching view's highlight end; the focused cell
  // stays (its explanation is derived again from the new state).
  reset: (ui) => ({ ...ui, highlight: null, anim: { active: false, step: 1 } }),
  // The pointer or the keyboard is on a cell. A pinned cell stays until it is unpinned.
  focus: (ui, ref) => (ui.pinned || (same(ui.focus, ref) && !ui.highlight) ? ui : { ...ui, focus: ref, highlight: null }),
  // The keyboard moved to a cell: it wins over a pin.
  keyboardFocus: (ui, ref) => (same(ui.focus, ref) && !ui.pinned && !ui.highlight ? ui : { ...ui, focus: ref, pinned: false, highlight: null }),
  blur: (ui) => (ui.pinned || (!ui.focus && !ui.highlight) ? ui : { ...ui, focus: null, highlight: null }),
  // A tap: pins the cell, or unpins it when it is the pinned one.
  tap: (ui, ref) => (ui.pinned && same(ui.focus, ref) ? { ...ui, focus: null, pinned: false } : { ...ui, focus: ref, pinned: true, highlight: null }),
  unpin: (ui) => (ui.pinned ? { ...ui, focus: null, pinned: false } : ui),
  highlight: (ui, hl) => ({ ...ui, highlight: hl }),
  clearHighlight: (ui) => (ui.highlight || (ui.focus && !ui.pinned) ? { ...ui, highlight: null, focus: ui.pinned ? ui.focus : null } : ui),
  anim: (ui, a) => ({ ...ui, anim: { ...ui.anim, ...a } }),
};

// The reference of a cell element: its data-* hooks as numbers.
export function refOf(el) {
  const d = el.dataset;
  const ref = { testid: d.testid, c: Number(d.c), h: Number(d.h), w: Number(d.w) };
  if (d.d !== undefined) ref.d = Number(d.d); // a depth slice (3-D ops)
  if (d.in !== undefined) { ref.in = Number(d.in); ref.out = Number(d.out); ref.o = Number(d.o); ref.i = Number(d.i); }
  return ref;
}
