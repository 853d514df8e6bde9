// "As a matrix": im2col (unfold) and the dense kernel matrix (conv2d: y = M·vec(x);
// conv_transpose2d: y = Mᵀ·vec(x)), computed by the API, drawn when small enough.

import { h, clear } from './dom.js';
import { display, displayLong } from './numfmt.js';
import { Scale } from './colour.js';
import { convPads } from './state.js';

const MAX_CELLS = 4096;

function drawMatrix(data, rows, cols, transpose, rowName, colName) {
  const R = transpose ? cols : rows, C = transpose ? rows : cols;
  if (R * C > MAX_CELLS) return h('p', { class: 'muted' }, `${R}×${C} is too large to draw here.`);
  const scale = new Scale(data);
  const showNums = C <= 24;
  const grid = h('div', { class: `grid mat ${showNums ? 'mat-nums' : 'mat-dense'}`, role: 'img', 'aria-label': `matrix ${R} by ${C}` });
  grid.style.gridTemplateColumns = `repeat(${C}, var(--mcell))`;
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < C; j++) {
      const v = transpose ? data[j * cols + i] : data[i * cols + j];
      const el = h('div', { class: `cell${v === 0 ? ' zero' : ''}`, title: `${rowName} ${i}, ${colName} ${j}: ${displayLong(v)}` }, showNums && v !== 0 ? display(v) : '');
      if (v !== 0) {
        el.style.backgroundColor = scale.bg(v);
        if (!scale.darkText(v)) el.classList.add('on-dark');
      }
      grid.appendChild(el);
    }
  }
  return h('div', { class: 'mat-scroll' }, grid);
}

export class MatrixView {
  constructor(app, body, details) {
    this.app = app;
    this.body = body;
    this.details = details;
    details.addEventListener('toggle', () => this.render());
  }

  render() {
    if (!this.details.open) return;
    const app = this.app, s = app.state, r = app.result, cp = app.cp;
    clear(this.body);
    if (!r.ok) { this.body.append(h('p', { class: 'muted' }, 'Needs a valid configuration.')); return; }
    const kernel = { shape: [s.kh, s.kw], data: r.w.data.slice(0, s.kh * s.kw) };
    const note = s.C > 1 || s.K > 1 ? ` (for kernel w[0,0], input channel 0 → output channel 0)` : '';
    try {
      if (s.op === 'conv2d') {
        const [pt, pb, pl, pr] = convPads(s);
        const src = r.xPad || r.x;
        const PH = s.H + pt + pb, PW = s.W + pl + pr;
        // im2col
        const cols = cp.unfold(src, { kernelSize: [s.kh, s.kw], dilation: s.dilation, padding: 0, stride: s.stride });
        const [R, L] = cols.shape;
        this.body.append(
          h('h3', null, 'im2col: unfold'),
          h('p', null, `unfold(x${r.xPad ? '_padded' : ''}) has shape [C·kH·kW, L] = [${s.C}·${s.kh}·${s.kw}, ${r.shape[1]}·${r.shape[2]}] = [${R}, ${L}]: column l is the receptive field of output position l, flattened. `,
            s.groups === 1 ? `Then y = w.reshape(${s.K}, ${R}) @ unfold(x) is [${s.K}, ${L}], reshaped to [${s.K}, ${r.shape[1]}, ${r.shape[2]}].` : 'With groups, each group multiplies its own rows.'),
          drawMatrix(cols.data, R, L, false, 'row', 'column'));
        // kernel matrix
        const M = cp.kernelMatrix(kernel, [PH, PW], { stride: s.stride, padding: 0, dilation: s.dilation });
        const [mr, mc] = M.shape;
        this.body.append(
          h('h3', null, 'The kernel matrix'),
          h('p', null, `vec(y) = M · vec(x${r.xPad ? '_padded' : ''}) with M of shape [OH·OW, H·W] = [${mr}, ${mc}]${note}: each row is the kernel laid into the input at one output position; zeros everywhere else.`),
          drawMatrix(M.data, mr, mc, false, 'output', 'input'));
      } else {
        const [, OH, OW] = r.shape;
        const M = cp.kernelMatrix(kernel, [OH, OW], { stride: s.stride, padding: s.padding, dilation: s.dilation });
        const [mr, mc] = M.shape;
        this.body.append(
          h('h3', null, 'Transposed convolution as Mᵀ'),
          h('p', null, `Take the forward conv2d with the same kernel, stride, padding and dilation from the ${OH}×${OW} output size: its kernel matrix M is [${mr}, ${mc}]. Then vec(y) = Mᵀ · vec(x), with Mᵀ of shape [${mc}, ${mr}]${note}. Mᵀ undoes the shape of the conv, not its values: a transposed convolution is not an inverse.`),
          drawMatrix(M.data, mr, mc, true, 'output', 'input'));
      }
    } catch (e) {
      this.body.append(h('p', { class: 'muted' }, e.message));
    }
  }
}
