// What bench.mjs and bench-relaxed.mjs share: loading the peers, one runner per contender and
// case (a call as a web page would make it), timing and statistics, number formats.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { convModel } from './onnx-model.mjs';

const require = createRequire(import.meta.url);

export async function loadTfjs() {
  const tf = await import('@tensorflow/tfjs-core');
  const tfw = await import('@tensorflow/tfjs-backend-wasm');
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  // Only the SIMD, non-threaded binary can load: the other two paths do not exist, so
  // picking either of them would fail loudly instead of silently measuring the wrong build.
  tfw.setWasmPaths({
    'tfjs-backend-wasm.wasm': join(dist, 'NOT-USED-tfjs-backend-wasm.wasm'),
    'tfjs-backend-wasm-simd.wasm': join(dist, 'tfjs-backend-wasm-simd.wasm'),
    'tfjs-backend-wasm-threaded-simd.wasm': join(dist, 'NOT-USED-tfjs-backend-wasm-threaded-simd.wasm'),
  });
  if (tfw.setThreadsCount) tfw.setThreadsCount(1);
  tf.env().set('WASM_HAS_SIMD_SUPPORT', true);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend did not initialise');
  await tf.ready();
  if (tf.getBackend() !== 'wasm') throw new Error(`tfjs: backend is ${tf.getBackend()}, not wasm`);
  const threads = tfw.getThreadsCount ? tfw.getThreadsCount() : 1;
  if (threads !== 1) throw new Error(`tfjs: ${threads} threads, want 1`);
  return { tf, version: tf.version_core, threads, binary: 'tfjs-backend-wasm-simd.wasm' };
}

export async function loadOrt() {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.simd = true; // the only build ORT ships now is SIMD; kept for older versions
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  return { ort, version: ort.env.versions?.web ?? 'unknown' };
}

// tfjs wants channels-last: NHWC input and HWIO / [kh, kw, out, in] filters. Both are made
// once from the same NCHW arrays (outside the timing), so tfjs runs on its native layout.
function toNHWC(data, C, H, W) {
  const out = new Float32Array(data.length);
  for (let c = 0; c < C; ++c)
    for (let i = 0; i < H * W; ++i) out[i * C + c] = data[c * H * W + i];
  return out;
}
function fromNHWC(data, C, H, W) {
  const out = new Float32Array(data.length);
  for (let c = 0; c < C; ++c)
    for (let i = 0; i < H * W; ++i) out[c * H * W + i] = data[i * C + c];
  return out;
}

export function tfjsRunner({ tf }, c, x, w) {
  const { C, H, W, K, k, stride, padding, groups } = c;
  const pad = padding === 0 ? 'valid' : [[0, 0], [padding, padding], [padding, padding], [0, 0]];
  const xN = toNHWC(x, C, H, W);
  const xShape = [1, H, W, C];
  let filter;
  let fShape;
  let op;
  if (c.transposed) {
    if (groups !== 1) return null;
    fShape = [k, k, K, C]; // conv2dTranspose: [kh, kw, outChannels, inChannels]
    filter = new Float32Array(w.length);
    for (let ci = 0; ci < C; ++ci)
      for (let o = 0; o < K; ++o)
        for (let a = 0; a < k * k; ++a) filter[(a * K + o) * C + ci] = w[(ci * K + o) * k * k + a];
    const outShape = [1, c.OH, c.OW, K];
    op = (xt, ft) => tf.conv2dTranspose(xt, ft, outShape, stride, pad);
  } else if (groups === 1) {
    fShape = [k, k, C, K]; // HWIO
    filter = new Float32Array(w.length);
    for (let o = 0; o < K; ++o)
      for (let ci = 0; ci < C; ++ci)
        for (let a = 0; a < k * k; ++a) filter[(a * C + ci) * K + o] = w[(o * C + ci) * k * k + a];
    op = (xt, ft) => tf.conv2d(xt, ft, stride, pad);
  } else if (groups === C && K === C) {
    fShape = [k, k, C, 1]; // depthwise, channel multiplier 1
    filter = new Float32Array(w.length);
    for (let ci = 0; ci < C; ++ci)
      for (let a = 0; a < k * k; ++a) filter[a * C + ci] = w[ci * k * k + a];
    op = (xt, ft) => tf.depthwiseConv2d(xt, ft, stride, pad);
  } else {
    return null; // grouped conv that is not depthwise: tfjs has no such op
  }
  const call = () => {
    const xt = tf.tensor4d(xN, xShape);
    const ft = tf.tensor4d(filter, fShape);
    const yt = op(xt, ft);
    const data = yt.dataSync();
    xt.dispose();
    ft.dispose();
    yt.dispose();
    return data;
  };
  return { call, async: false, toNCHW: (data) => fromNHWC(data, K, c.OH, c.OW) };
}

export async function ortRunner({ ort }, c, x, w, withBias = null) {
  const model = convModel({
    op: c.transposed ? 'ConvTranspose' : 'Conv', x: c.xShape, w: c.wShape, b: withBias != null,
    y: c.yShape, stride: c.stride, padding: c.padding, outputPadding: c.outputPadding, groups: c.groups,
  });
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['wasm'], graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1,
  });
  const call = async () => {
    const feeds = { X: new ort.Tensor('float32', x, c.xShape), W: new ort.Tensor('float32', w, c.wShape) };
    if (withBias) feeds.B = new ort.Tensor('float32', withBias, [c.K]);
    const out = await session.run(feeds);
    return out.Y.data;
  };
  return { call, async: true, toNCHW: (d) => d, session, modelBytes: model.length };
}

export function convplayRunner(cp, c, x, w, bias = null) {
  const xt = { shape: c.xShape, data: x };
  const wt = { shape: c.wShape, data: w };
  const bt = bias ? { shape: [c.K], data: bias } : null;
  const call = c.transposed
    ? () => cp.convTranspose2d(xt, wt, bt, c.options).data
    : () => cp.conv2d(xt, wt, bt, c.options).data;
  return { call, async: false, toNCHW: (d) => d };
}

export function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const q = (p) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    const hi = Math.ceil(i);
    return s[lo] + (s[hi] - s[lo]) * (i - lo);
  };
  return { median: q(0.5), min: s[0], max: s[s.length - 1], q1: q(0.25), q3: q(0.75) };
}

export async function timeCalls(runner, n) {
  const { call } = runner;
  let t0;
  if (runner.async) {
    t0 = performance.now();
    for (let i = 0; i < n; ++i) await call();
  } else {
    t0 = performance.now();
    for (let i = 0; i < n; ++i) call();
  }
  return (performance.now() - t0) / n;
}

export function fmtTime(ms) {
  if (ms == null || !Number.isFinite(ms)) return '–';
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}
export const fmtG = (g) => (g == null || !Number.isFinite(g) ? '–' : g >= 10 ? g.toFixed(1) : g.toPrecision(2));
export const fmtX = (x) => (x == null || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}x`);
export const fmtBytes = (b) => (b == null ? '–' : b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(2)} MiB`
  : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);
