// What the page draws and derives on the main thread, and the budgets that keep every
// main-thread task short (README, "Limits and guarantees"; tests check the work each task is
// given, `bash bench/run.sh --page` measures how long it takes). The sizes of
// drawings and teaching views are capped; convolutions over the one-task budget run in bands,
// one band per task (banded-conv.js).

export const MAX_DRAW = 160;   // output rows/columns drawn per channel
// Output cells drawn in all: building and filling the grids costs 10-20 µs a cell (measured:
// 8,192 cells 75-90 ms, 16,384 cells 150-380 ms, 16×129×129 cells 4.3 s).
export const MAX_DRAW_CELLS = 8192;
// Cells built per task (a cell is cloned from a prepared one: about 10 µs of script, plus the
// style and layout of the cells added, which land in the same frame; a kernel cell counts twice).
// A grid bigger than this is built a few rows per task (grid.js buildRows), one task per frame:
// the 16×64×64 input grids take about a hundred short tasks. Measured with the page benchmark
// (bench/page-latency/latency.mjs --only build-, 3 rounds each): 500 gave longest frames of
// 65-112 ms for the 16×64×64 input and 157-202 ms for the 16×16 kernels of 16×16 (more frames,
// each with the compositor's work for the whole page), 800 gave 57-109 and 92-121, 1200 110-120
// and 76-105; tests/browser/hostile.test.mjs checks every task's budget.
export const BUILD_COST = 800;
// A new grid: its caption and canvas (GRID_COST), and painting the colours of all its cells on
// the canvas at once (about 2 µs a cell: one rounded rectangle each, a fifth of building one).
export const GRID_COST = 60;
export const gridCost = (cells) => GRID_COST + Math.ceil(cells / 5);

// Padding cells (conv2d) and cropped cells (conv_transpose2d) drawn on each side: padding=1000
// drew 2002×2002 ghost cells, a 60 s task (measured).
export const MAX_MARGIN = 8;

// One core call per task: at most this many output values and multiply-adds, and (banded conv2d)
// this many gathered input values. 4 M values cost 20-40 ms (a 2002×2002 output in one task
// was 17 ms in the core plus 11 ms copying it out, and the page benchmark's huge outputs had
// frames of 100-150 ms), so a task gets 1 M; 2^26 multiply-adds 5-10 ms with
// WebAssembly SIMD here, but up to 65 ms before V8 has optimised the module (the first band of
// 2^27 took 127 ms) and with the scalar build (4× slower at multiply-adds).
export const TASK_VALUES = 2 ** 20;
export const TASK_MACS = 2 ** 26;

// Elements the teaching views re-derive in JavaScript (scatter-add loops, the zero-inserted grid,
// im2col's product, the overlap map): about 10-20 ms. The three conv_transpose2d views of the
// 2002×2002 output took 125-200 ms.
export const VIEW_WORK = 2 ** 21;
// Elements of a kernel matrix or unfold matrix computed for the "As a matrix" panel (at most
// 6,400 are drawn; larger ones are described, not computed).
export const MATRIX_VALUES = 2 ** 20;

// [K, OH, OW] -> whether the output grids are drawn.
export function drawable(shape) {
  const [K, OH, OW] = shape;
  return OH <= MAX_DRAW && OW <= MAX_DRAW && K * OH * OW <= MAX_DRAW_CELLS;
}

// Padding or cropping drawn on one side.
export const margin = (p) => Math.min(Math.max(0, p), MAX_MARGIN);

// Work of one core call: output values, multiply-adds and input values it holds (conv2d with a
// padding mode other than zeros: the padded copy of the input). Shapes are unbatched [C, H, W];
// pads are conv2d's [top, bottom, left, right].
export function convWork(op, xShape, wShape, outShape, pads = [0, 0, 0, 0], paddingMode = 'zeros') {
  const [C, H, W] = xShape, [, b, kh, kw] = wShape, [K, OH, OW] = outShape;
  const values = K * OH * OW;
  // conv2d: every output value sums in/groups × kh × kw products; conv_transpose2d: every input
  // value scatters its kernel into out/groups channels.
  const macs = op === 'conv2d' ? values * b * kh * kw : C * H * W * b * kh * kw;
  const padded = op === 'conv2d' && paddingMode !== 'zeros';
  const inputs = padded ? C * (H + pads[0] + pads[1]) * (W + pads[2] + pads[3]) : C * H * W;
  return { values, macs, inputs };
}

export function fitsOneTask(work) {
  return work.values <= TASK_VALUES && work.macs <= TASK_MACS && work.inputs <= TASK_VALUES;
}
