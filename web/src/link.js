// How a teaching view lights cells of the tensors: it names cells (references, model.js), never
// elements. Calls made in one event handler (clear, then focus a cell, then mark two more) are
// gathered and become one 'highlight' UI action at the end of the handler's task.

export class Linker {
  // setUi(name, payload): the store's UI actions.
  constructor(setUi) {
    this.setUi = setUi;
    this.pending = null;
  }

  begin() {
    if (!this.pending) {
      this.pending = { focus: null, refs: [], note: null };
      queueMicrotask(() => { const p = this.pending; this.pending = null; if (p) this.setUi('highlight', p); });
    }
    return this.pending;
  }

  // Light a cell as if it had the focus (its receptive field and sum), and mark it.
  focus(ref) { const p = this.begin(); p.focus = ref; p.refs.push(ref); }
  output(o, oh, ow) { this.focus({ testid: 'output-cell', c: o, h: oh, w: ow }); }
  // An input cell, or the padding cell at (ih, iw) when it is outside the H×W input.
  input(c, ih, iw, H, W) {
    const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
    this.focus({ testid: inside ? 'input-cell' : 'ghost-cell', c, h: ih, w: iw });
  }
  mark(ref) { if (ref) this.begin().refs.push(ref); }
  // Every cell matching a CSS selector within the tensors (a weight cell in several kernels).
  markAll(selector) { this.begin().refs.push({ selector }); }
  note(n) { this.begin().note = n; }
  clear() { this.pending = null; this.setUi('clearHighlight'); }
}
