// The state, URL and model of the ops beyond conv2d / conv_transpose2d (issue 20) under Node,
// with the real core: the URL round trip for every op, the messages of bad keys, the model's
// values against direct core calls, every output cell's explanation adding up to the core's
// value (3-D taps across slices, causal taps that never read the future, max-pool winners and
// indices, avg-pool divisors), op changes, 3-D cell edits, the WaveNet stack and the animation.
// Run: node --test tests/node/ops-model.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from '../../dist/convplay.mjs';
import { parseHash, serialiseState } from '../../web/src/url-state.js';
import { equalStates, cloneState, OPS } from '../../web/src/state.js';
import { deriveResult, deriveHighlight } from '../../web/src/model.js';
import { animTotal, deriveAnimFrame } from '../../web/src/anim-model.js';
import { ACTIONS } from '../../web/src/actions.js';
import { Store } from '../../web/src/store.js';
import { wavenetField } from '../../web/src/wavenet.js';
import { EXPORT_OPS_CASES } from './export-ops-cases.mjs';

const cp = await load();
const stateOf = (hash) => parseHash(hash).state;
const close = (a, b) => Math.abs(a - b) <= 1e-4 + 1e-4 * Math.abs(b);

// Hashes per op: defaults, channels, options; the export cases add signed decimals.
const HASHES = [
  'op=conv1d', 'op=conv1d&x=1,2,3|4,5,6&w=1,2|3,4|5,6|7,8&stride=2', 'op=conv1d&x=1,2,3,4,5&w=1,1&dilation=2&causal=1',
  'op=conv1d&x=1,2,3,4&w=1,2,3&padding=same&padding_mode=circular&b=0.5', 'op=conv1d&x=1,2,3,4&kernel_size=3&out_channels=2',
  'op=conv_transpose1d', 'op=conv_transpose1d&x=1,2,3&w=1,2,3&stride=2&output_padding=1&padding=1',
  'op=conv3d', 'op=conv3d&x=1,2;3,4/5,6;7,8&w=1/2&stride=1,2,1', 'op=conv3d&x=1,2;3,4/5,6;7,8|0,1;1,0/1,0;0,1&w=1|2&groups=2&padding=valid',
  'op=conv_transpose3d', 'op=conv_transpose3d&x=1,2;3,4/5,6;7,8&w=1;1/2;2&stride=2&dilation=1,2,1',
  'op=max_pool2d', 'op=max_pool2d&x=1,2,3;4,5,6;7,8,9&kernel_size=2&stride=1&ceil_mode=1&dilation=1,2',
  'op=avg_pool2d', 'op=avg_pool2d&x=1,2,3;4,5,6;7,8,9&kernel_size=3,2&padding=1&count_include_pad=0&divisor_override=3',
  ...EXPORT_OPS_CASES.map((c) => c[1]), 'op=conv2d&x=1,2;3,4&w=1&padding=1', 'op=conv_transpose2d&x=1,2;3,4&w=1,2;3,4&stride=2',
];

test('URL: parse∘serialise is the identity for every op', () => {
  const seen = new Set();
  for (const h of HASHES) {
    const { state, messages } = parseHash(h);
    assert.deepEqual(messages, [], `${h}: no message`);
    seen.add(state.op);
    const text = serialiseState(state);
    const back = parseHash(text);
    assert.deepEqual(back.messages, [], `${text}: no message`);
    assert.ok(equalStates(back.state, state), `${h}: the state survives its URL`);
    assert.equal(serialiseState(back.state), text, `${h}: the URL is stable`);
  }
  assert.deepEqual([...seen].sort(), [...OPS].sort(), 'every op is covered');
});

test('URL: today’s two ops keep their URLs', () => {
  for (const h of ['op=conv2d&x=0,1,2,3,4;5,6,7,8,9;10,11,12,13,14;15,16,17,18,19;20,21,22,23,24&w=1,1,1;1,1,1;1,1,1',
    'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&stride=2&padding=1&output_padding=1', 'op=conv2d&x=1,2;3,4&w=1&b=0.5&padding=same&padding_mode=reflect',
    'op=conv_transpose2d&x=1,2;3,4&w=1&padding=same']) {
    assert.equal(serialiseState(stateOf(h)), h);
  }
  assert.equal(serialiseState(stateOf('')), 'op=conv2d&x=0,1,2,3,4;5,6,7,8,9;10,11,12,13,14;15,16,17,18,19;20,21,22,23,24&w=1,1,1;1,1,1;1,1,1');
});

test('URL: a bad key gives a message naming the key and the rule; parseHash never throws', () => {
  const msg = (h) => parseHash(h).messages.join(' | ');
  assert.match(msg('op=conv4d'), /^op: "conv4d" is not one of conv1d, conv_transpose1d, conv2d/);
  assert.match(msg('op=conv1d&x=1,2;3,4'), /^x: a 1-D op takes one row of values per channel/);
  assert.match(msg('op=conv1d&stride=2,1'), /^stride: stride="2,1" must be one integer for a 1-D op/);
  assert.match(msg('op=conv3d&padding=1,2'), /^padding: padding="1,2" must be one integer or three for a 3-D op/);
  assert.match(msg('op=conv3d&x=1,2/3'), /^x: x: row 0 of slice 1 of block 0 has 1 values/);
  assert.match(msg('op=max_pool2d&w=1'), /^w: max_pool2d has no weights, bias or groups — ignored/);
  assert.match(msg('op=avg_pool2d&dilation=2'), /^dilation: avg_pool2d does not take dilation — ignored/);
  assert.match(msg('op=conv2d&causal=1'), /^causal: conv2d does not take causal — ignored/);
  assert.match(msg('op=max_pool2d&ceil_mode=yes'), /^ceil_mode: ceil_mode="yes" must be 1 or 0/);
  assert.match(msg('op=avg_pool2d&divisor_override=x'), /^divisor_override: "x" is not an integer/);
  assert.match(msg('op=conv1d&causal=1&padding=2'), /^padding: causal=1 pads \(k − 1\)·dilation on the left itself/);
  assert.match(msg('op=conv1d&causal=1&padding_mode=reflect'), /^padding_mode: causal=1 pads with zeros/);
  assert.match(msg('op=conv3d&x=' + '1/'.repeat(9) + '1'), /larger than the page draws/);
  // Fuzz: pieces of every syntax, shuffled.
  let a = 7;
  const rnd = (n) => { a = (a * 1103515245 + 12345) >>> 0; return a % n; };
  const bits = ['op=conv3d', 'op=conv1d', 'op=max_pool2d', 'x=', 'w=', '1', ',', ';', '/', '|', '&', 'stride=', 'padding=', 'same', 'ceil_mode=', 'causal=1', '-', 'nan', '%', '=', 'kernel_size=', 'divisor_override=0'];
  for (let i = 0; i < 3000; i++) {
    const h = Array.from({ length: 1 + rnd(14) }, () => bits[rnd(bits.length)]).join('');
    const { state } = parseHash(h);
    const r = deriveResult(cp, state); // never throws either: an invalid state carries the core's message
    assert.ok(r.ok || r.error.length > 0, h);
  }
});

// The core called directly on the URL's numbers (not through the model).
function direct(hash) {
  const s = stateOf(hash);
  const x = { shape: null, data: Float32Array.from(s.x.flat()) };
  return { s, x };
}

test('model: values are the core’s, for every op (checked against direct calls)', () => {
  // conv1d: 2 channels, 2 kernels of [out, in, k].
  let r = deriveResult(cp, stateOf('op=conv1d&x=1,2,3,4|0,1,0,1&w=1,0,-1|1,1,1|2,2,2|0,0,1&b=1,2'));
  let y = cp.conv1d(cp.tensor([[1, 2, 3, 4], [0, 1, 0, 1]]), cp.tensor([[[1, 0, -1], [1, 1, 1]], [[2, 2, 2], [0, 0, 1]]]), cp.tensor([1, 2]), {});
  assert.deepEqual(r.coreShape, [2, 2]);
  assert.deepEqual(r.shape, [2, 1, 2], 'lifted to a row per channel');
  assert.deepEqual(Array.from(r.y.data), Array.from(y.data));
  // causal conv1d = F.pad on the left, then conv1d; the output keeps the input's length.
  r = deriveResult(cp, stateOf('op=conv1d&x=1,2,3,4,5&w=1,10&dilation=2&causal=1'));
  assert.deepEqual(r.coreShape, [1, 5]);
  assert.deepEqual(Array.from(r.y.data), [10, 20, 31, 42, 53]);
  assert.deepEqual(Array.from(r.xPad.data), [0, 0, 1, 2, 3, 4, 5]);
  // conv_transpose1d.
  r = deriveResult(cp, stateOf('op=conv_transpose1d&x=1,2,3&w=1,2,3&stride=2&output_padding=1'));
  assert.deepEqual(Array.from(r.y.data), Array.from(cp.convTranspose1d(cp.tensor([[1, 2, 3]]), cp.tensor([[[1, 2, 3]]]), null, { stride: 2, outputPadding: 1 }).data));
  // conv3d: 1×2×2×2 with a 2×1×1 kernel sums the two slices.
  r = deriveResult(cp, stateOf('op=conv3d&x=1,2;3,4/5,6;7,8&w=1/1'));
  assert.deepEqual(r.coreShape, [1, 1, 2, 2]);
  assert.deepEqual(Array.from(r.y.data), [6, 8, 10, 12]);
  assert.deepEqual(r.planes, [1, 2, 2]);
  r = deriveResult(cp, stateOf('op=conv_transpose3d&x=1,2;3,4/5,6;7,8&w=1;1/2;2&stride=2'));
  const { x } = direct('op=conv_transpose3d&x=1,2;3,4/5,6;7,8');
  y = cp.convTranspose3d({ shape: [1, 2, 2, 2], data: x.data }, { shape: [1, 1, 2, 2, 1], data: Float32Array.from([1, 1, 2, 2]) }, null, { stride: 2 });
  assert.deepEqual(r.coreShape, y.shape);
  assert.deepEqual(Array.from(r.y.data), Array.from(y.data));
  // Pooling: default stride = kernel_size; max_pool2d keeps the indices.
  r = deriveResult(cp, stateOf('op=max_pool2d&x=1,5,2,0;4,0,9,1;7,3,3,8;0,1,2,5&kernel_size=2'));
  assert.deepEqual(Array.from(r.y.data), [5, 9, 7, 8]);
  assert.deepEqual(Array.from(r.indices), [1, 6, 8, 11]);
  r = deriveResult(cp, stateOf('op=avg_pool2d&x=1,2,3;4,5,6;7,8,9&kernel_size=2&stride=1&padding=1&count_include_pad=0'));
  assert.deepEqual(Array.from(r.y.data), Array.from(cp.avgPool2d(cp.tensor([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]), { kernelSize: 2, stride: 1, padding: 1, countIncludePad: false }).data));
  // Invalid: the core's message.
  r = deriveResult(cp, stateOf('op=max_pool2d&kernel_size=3&padding=2'));
  assert.equal(r.ok, false);
  assert.match(r.error, /max_pool2d: padding=\(2, 2\) must be at most half of kernelSize=\(3, 3\)/);
  r = deriveResult(cp, stateOf('op=conv3d&x=1,2;3,4&w=1,1;1,1/1,1;1,1'));
  assert.equal(r.ok, false);
  assert.match(r.error, /conv3d/);
});

// Every output cell of a state: its explanation's terms add up to the core's value.
function everyOutput(hash, check) {
  const s = stateOf(hash);
  const r = deriveResult(cp, s);
  assert.ok(r.ok, `${hash}: ${r.error}`);
  const [P, OH, OW] = r.planes;
  for (let p = 0; p < P; p++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        const f = { testid: 'output-cell', c: Math.floor(p / r.outD), h: i, w: j };
        if (r.outD > 1 || s.op.endsWith('3d')) f.d = p % r.outD;
        const hl = deriveHighlight(s, r, { focus: f, highlight: null });
        check(s, r, f, hl, r.y.data[(p * OH + i) * OW + j]);
      }
    }
  }
}
const sumOf = (e) => e.terms.reduce((a, q) => a + q.x * q.w, 0) + (e.bias ?? 0);

test('explanations: the sum of products of every output cell is its value (1-D, causal, 3-D)', () => {
  for (const [, hash] of EXPORT_OPS_CASES.filter(([, h]) => /op=conv/.test(h))) {
    everyOutput(hash, (s, r, f, hl, y) => {
      assert.ok(close(sumOf(hl.explain), y), `${hash} ${JSON.stringify(f)}: ${sumOf(hl.explain)} vs ${y}`);
      assert.equal(hl.explain.y, y);
      for (const ref of hl.refs) if (ref.testid === 'input-cell') assert.equal(ref.d !== undefined, s.op.endsWith('3d'), 'a 3-D cell names its slice');
    });
  }
  // Causal: y[t] reads x[≤ t] only, and (k − 1)·d of its taps are F.pad's zeros at t = 0.
  everyOutput('op=conv1d&x=1,2,3,4,5,6,7,8&w=1,2,3&dilation=2&causal=1', (s, r, f, hl) => {
    for (const q of hl.explain.terms) assert.ok(q.pw - r.geo.pl <= f.w || q.ghost, 'never the future');
    for (const ref of hl.refs.filter((q) => q.testid === 'input-cell')) assert.ok(ref.w <= f.w);
    if (f.w === 0) assert.equal(hl.explain.terms.filter((q) => q.ghost).length, 2);
  });
  // 3-D: an output cell lights its receptive field across slices.
  const s = stateOf('op=conv3d');
  const r = deriveResult(cp, s);
  const hl = deriveHighlight(s, r, { focus: { testid: 'output-cell', c: 0, d: 1, h: 1, w: 1 }, highlight: null });
  const slices = new Set(hl.refs.filter((q) => q.testid === 'input-cell').map((q) => q.d));
  assert.deepEqual([...slices].sort(), [1, 2]);
  const back = deriveHighlight(s, r, { focus: { testid: 'input-cell', c: 0, d: 1, h: 1, w: 1 }, highlight: null });
  assert.deepEqual(back.explain.slices, [0, 1], 'an input in slice 1 feeds output slices 0 and 1');
});

test('explanations: max-pool winners and indices, avg-pool divisors and why, ceil_mode windows', () => {
  const poolCases = [...EXPORT_OPS_CASES.filter(([, h]) => /pool2d/.test(h)).map((c) => c[1]),
    'op=max_pool2d&x=1,1;1,1&kernel_size=2', 'op=avg_pool2d&x=1,2,3,4,5;6,7,8,9,10&kernel_size=2&stride=2&ceil_mode=1&count_include_pad=0'];
  const reasons = new Set();
  for (const hash of poolCases) {
    everyOutput(hash, (s, r, f, hl, y) => {
      const e = hl.explain;
      if (s.op === 'max_pool2d') {
        assert.equal(e.kind, 'pool-max');
        const k = (f.c * r.shape[1] + f.h) * r.shape[2] + f.w;
        assert.equal(e.index, r.indices[k]);
        assert.equal(r.x.data[f.c * s.H * s.W + e.index], y, 'the winner holds the maximum');
        assert.equal(Math.max(...e.values.map((q) => q.v)), y);
        assert.ok(hl.refs.some((q) => q.via === 'win' && q.h * s.W + q.w === e.index));
      } else {
        assert.equal(e.kind, 'pool-avg');
        reasons.add(e.reason);
        const total = e.terms.reduce((a, q) => a + q.v, 0);
        assert.ok(close(total / e.divisor, y), `${hash} ${JSON.stringify(f)}: ${total}/${e.divisor} vs ${y}`);
      }
    });
  }
  assert.deepEqual([...reasons].sort(), ['clipped', 'input', 'override', 'pad']);
  // ceil_mode: the windows it adds are flagged, and they run past the input.
  const s = stateOf('op=max_pool2d&x=1,2,3;4,5,6;7,8,9&kernel_size=2&ceil_mode=1');
  const r = deriveResult(cp, s);
  assert.deepEqual(r.coreShape, [1, 2, 2]);
  const e = deriveHighlight(s, r, { focus: { testid: 'output-cell', c: 0, h: 1, w: 1 }, highlight: null }).explain;
  assert.equal(e.extra, true);
  assert.deepEqual(e.values.map((q) => q.v), [9]);
  assert.equal(r.geo.axes[0].overhang, 1, 'one row past the input is drawn');
  assert.equal(deriveHighlight(s, r, { focus: { testid: 'output-cell', c: 0, h: 0, w: 0 }, highlight: null }).explain.extra, false);
});

test('actions: changing op, 3-D cell edits, pooling stride follows kernel_size', async () => {
  const store = new Store({ history: false, onFlush: () => {} });
  store.load('op=conv2d&x=1,2,3;4,5,6&w=1,2;3,4&stride=2&padding=1');
  store.dispatch('setOp', { op: 'conv1d' });
  await Promise.resolve();
  assert.equal(store.hash(), 'op=conv1d&x=1,2,3&w=1,2&stride=2&padding=1', 'the first row of each tensor, the width components');
  store.dispatch('setOp', { op: 'conv3d' });
  store.dispatch('setParam', { param: 'depth', value: 2 });
  store.dispatch('setCell', { testid: 'input-cell', c: 0, d: 1, h: 0, w: 2, value: 9 });
  store.dispatch('setParam', { param: 'kernel-d', value: 2 });
  store.dispatch('setCell', { testid: 'weight-cell', in: 0, out: 0, d: 1, h: 0, w: 0, value: 5 });
  await Promise.resolve();
  assert.equal(store.hash(), 'op=conv3d&x=1,2,3/0,0,9&w=1,2/5,0&stride=1,1,2&padding=0,0,1', 'the 1-D state keeps height padding 0');
  store.dispatch('setOp', { op: 'max_pool2d' });
  await Promise.resolve();
  assert.equal(store.hash(), 'op=max_pool2d&x=1,2,3&kernel_size=1,2&padding=0,1', 'the first depth slice; stride = kernel_size');
  store.dispatch('setParam', { param: 'kernel-w', value: 3 });
  await Promise.resolve();
  assert.equal(store.doc.stride[1], 3, 'the default stride follows the kernel');
  store.dispatch('setOp', { op: 'conv1d' });
  store.dispatch('setCausal', { on: true });
  await Promise.resolve();
  assert.match(store.hash(), /&causal=1$/);
  assert.deepEqual(store.doc.padding, [0, 0]);
  assert.ok(Object.keys(ACTIONS).includes('wavenetLayer'));
});

test('WaveNet: layer n’s output shows a receptive field of 2ⁿ positions (computed by the core)', async () => {
  for (let n = 1; n <= 4; n++) {
    const store = new Store({ history: false, onFlush: () => {} });
    store.load('');
    const notice = store.dispatch('wavenetLayer', { n, cp });
    await Promise.resolve();
    const s = store.doc;
    assert.equal(s.dilation[1], 2 ** (n - 1));
    assert.ok(s.causal);
    const r = deriveResult(cp, s);
    const reach = Array.from(r.y.data).filter((v) => v !== 0).length;
    assert.equal(reach, wavenetField(n));
    assert.equal(reach, 2 ** n);
    assert.match(notice, new RegExp(`sees ${2 ** n} positions`));
    assert.equal(Array.from(r.y.data).reduce((a, v) => a + v, 0), 2 ** n, 'kernel [1, 1]: each layer doubles the impulse’s mass');
  }
});

test('animation: output positions (1-D, 3-D, pooling), input positions (transposed)', () => {
  let s = stateOf('op=conv3d');
  let r = deriveResult(cp, s);
  assert.equal(animTotal(s, r), 18);
  assert.deepEqual(deriveAnimFrame(cp, s, r, 10).self, { testid: 'output-cell', c: 0, h: 0, w: 0, d: 1 });
  s = stateOf('op=max_pool2d');
  r = deriveResult(cp, s);
  assert.equal(animTotal(s, r), 4);
  s = stateOf('op=conv_transpose1d&x=1,2,3&w=1,1&stride=2');
  r = deriveResult(cp, s);
  assert.equal(animTotal(s, r), 3);
  const f = deriveAnimFrame(cp, s, r, 2);
  assert.deepEqual(f.self, { testid: 'input-cell', c: 0, h: 0, w: 1 });
  assert.deepEqual(Array.from(f.partial.data), [1, 1, 2, 2, 0, 0], 'the scatter of the first two inputs');
  const before = cloneState(s);
  deriveAnimFrame(cp, s, r, 3);
  assert.ok(equalStates(before, s), 'the animation leaves the state alone');
});

test('conv_transpose1d with padding: the cropped cells come from the same op with less padding', () => {
  const s = stateOf('op=conv_transpose1d&x=1,2,3&w=1,2,3&stride=2&padding=2');
  const r = deriveResult(cp, s);
  const full = cp.convTranspose1d(cp.tensor([[1, 2, 3]]), cp.tensor([[[1, 2, 3]]]), null, { stride: 2 });
  assert.deepEqual(r.frame.margins, [0, 2]);
  assert.deepEqual(Array.from(r.yFrame.data), Array.from(full.data), 'padding 2 − 2 = the full scatter');
  assert.deepEqual(Array.from(r.y.data), Array.from(full.data).slice(2, -2));
  const hl = deriveHighlight(s, r, { focus: { testid: 'input-cell', c: 0, h: 0, w: 0 }, highlight: null });
  assert.deepEqual(hl.refs.filter((q) => q.testid === 'cropped-cell').map((q) => q.w), [-2, -1], 'x[0] scatters into two cropped cells');
  const f = deriveAnimFrame(cp, s, r, 1);
  assert.deepEqual(Array.from(f.partialFrame.data), [1, 2, 3, 0, 0, 0, 0]);
});

test('conv3d padding cells: a reflected cell names and lights the cell it copies, in its slice', () => {
  const s = stateOf('op=conv3d&x=1,2;3,4/5,6;7,8&w=1/1&padding=0,1,1&padding_mode=reflect');
  const r = deriveResult(cp, s);
  const hl = deriveHighlight(s, r, { focus: { testid: 'ghost-cell', c: 0, d: 1, h: -1, w: -1 }, highlight: null });
  assert.deepEqual(hl.explain, { kind: 'ghost3d', c: 0, d: 1, i: -1, j: -1, value: 8, src: [1, 1, 1] });
  assert.deepEqual(hl.refs, [{ testid: 'input-cell', c: 0, d: 1, h: 1, w: 1, via: 'copy' }]);
  // Its output: y[0, 0, 0, 0] sums x_pad over both slices at (−1, −1): 4 + 8.
  const out = deriveHighlight(s, r, { focus: { testid: 'output-cell', c: 0, d: 0, h: 0, w: 0 }, highlight: null });
  assert.equal(out.explain.y, 12);
  assert.deepEqual(out.explain.terms.map((q) => q.x), [4, 8]);
});

test('conv3d depth padding: a padding slice’s cell is F.pad’s (reflect: the slice it mirrors)', () => {
  const s = stateOf('op=conv3d&x=1,2;3,4/5,6;7,8&w=1/1&padding=1,0,1&padding_mode=reflect');
  const r = deriveResult(cp, s);
  const hl = deriveHighlight(s, r, { focus: { testid: 'ghost-cell', c: 0, d: -1, h: 0, w: -1 }, highlight: null });
  assert.deepEqual(hl.explain.src, [1, 0, 1]);
  assert.equal(hl.explain.value, 6);
  const out = deriveHighlight(s, r, { focus: { testid: 'output-cell', c: 0, d: 0, h: 0, w: 0 }, highlight: null });
  assert.ok(out.refs.some((q) => q.testid === 'ghost-cell' && q.d === -1 && q.h === 0 && q.w === -1), 'the padding slice’s cell is lit');
  assert.equal(out.explain.y, 8);
});

test('conv_transpose3d with padding: the depth slices, rows and columns it crops come from the same op with less padding', () => {
  const s = stateOf('op=conv_transpose3d&x=1,2;3,4/5,6;7,8&w=1,1;1,1/1,-1;-1,1&stride=2&padding=1');
  const r = deriveResult(cp, s);
  const full = cp.convTranspose3d(r.x, r.w, null, { stride: 2, padding: [0, 0, 0] });
  assert.deepEqual(r.frame.margins, [1, 1]);
  assert.equal(r.frame.depth, 1);
  assert.deepEqual(r.yFrame.shape, full.shape);
  assert.deepEqual(Array.from(r.yFrame.data), Array.from(full.data));
  const [K, OD, OH, OW] = r.shape, FD = OD + 2, FH = OH + 2, FW = OW + 2;
  for (let o = 0; o < K; o++) for (let d = 0; d < OD; d++) {
    for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) assert.equal(r.y.data[((o * OD + d) * OH + i) * OW + j], full.data[((o * FD + d + 1) * FH + i + 1) * FW + j + 1]);
  }
  // Depth padding 9: 8 slices (margin()) drawn each side, from the op with padding 1 in depth.
  const t = stateOf('op=conv_transpose3d&x=1,2;3,4/5,6;7,8&w=1,1;1,1/1,-1;-1,1&stride=20,1,1&padding=9,0,0');
  const q = deriveResult(cp, t);
  assert.equal(q.frame.depth, 8);
  assert.deepEqual(q.yFrame.shape, cp.convTranspose3d(q.x, q.w, null, { stride: [20, 1, 1], padding: [1, 0, 0] }).shape);
});
