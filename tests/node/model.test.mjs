// The page's state → model half under Node, with no DOM (web/README.md): the store and its
// named actions, the UI actions, and the model derived from a state with the real core
// (web/src/model.js): outputs, errors, bands, the cells a focused cell lights and the terms of
// its sum.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distModule } from './helpers.mjs';
import { Store } from '../../web/src/store.js';
import { ACTIONS } from '../../web/src/actions.js';
import { UI_ACTIONS, initialUi } from '../../web/src/ui.js';
import { parseHash } from '../../web/src/url-state.js';
import { buildTensors, options } from '../../web/src/state.js';
import { deriveResult, deriveHighlight, finishBands, paddedValue } from '../../web/src/model.js';
import { deriveAnimFrame, animTotal } from '../../web/src/anim-model.js';
import { bandGeometry, runBand } from '../../web/src/banded-conv.js';

const { load } = await import(distModule);
const cp = await load();
const stateOf = (hash) => parseHash(hash).state;
const key = (r) => `${r.testid}:${r.c ?? ''}:${r.in ?? ''}:${r.out ?? ''}:${r.h},${r.w}${r.via ? `:${r.via}` : ''}`;

test('the store: named actions, one flush per burst of edits, UI changes flush the UI only', async () => {
  const flushes = [];
  const store = new Store({ history: false, onFlush: (kind) => flushes.push(kind) });
  store.load('op=conv2d&x=1,2;3,4&w=1');
  assert.deepEqual(flushes, ['doc'], 'a link is derived at once');
  store.dispatch('setCell', { testid: 'input-cell', c: 0, h: 0, w: 1, value: 7 });
  store.dispatch('setParam', { param: 'stride-w', value: 2 });
  store.dispatch('setBias', { on: true });
  await Promise.resolve();
  assert.deepEqual(flushes, ['doc', 'doc'], 'three edits in one task: one derivation');
  assert.equal(store.hash(), 'op=conv2d&x=1,7;3,4&w=1&b=0&stride=1,2');
  store.setUi('focus', { testid: 'output-cell', c: 0, h: 0, w: 0 });
  await Promise.resolve();
  assert.deepEqual(flushes, ['doc', 'doc', 'ui']);
  assert.throws(() => store.dispatch('noSuchAction', {}), /unknown action noSuchAction/);
  // An action that throws leaves the state as it was.
  const before = store.hash();
  assert.throws(() => store.dispatch('pasteInput', { matrix: { shape: [2, 3, 4, 5, 6], data: new Float32Array(720) }, c: 0, h: 0, w: 0 }));
  assert.equal(store.hash(), before);
});

test('actions: pastes, presets, the round trip, image demos change only what they name', () => {
  const s = stateOf('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  const note = ACTIONS.pasteInput(s, { matrix: { shape: [2, 2], data: Float32Array.from([9, 8, 7, 6]) }, c: 0, h: 1, w: 1 });
  assert.deepEqual(s.x[0], [1, 2, 3, 4, 9, 8, 7, 7, 6]);
  assert.match(note, /2×2 matrix at \(1, 1\) of channel 0/);
  ACTIONS.pasteWeight(s, { matrix: { shape: [3, 3], data: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]) }, in: 0, out: 0, h: 0, w: 0 });
  assert.equal(s.kh, 3);
  assert.throws(() => ACTIONS.pasteInput(s, { matrix: { shape: [65, 2], data: new Float32Array(130) }, c: 0, h: 0, w: 0 }), /65×2 is larger than 64×64/);
  const t = stateOf('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&stride=2');
  const r = deriveResult(cp, t);
  ACTIONS.roundTrip(t, { outputPadding: [1, 1], K: 1, FH: 1, FW: 1, y: r.y.data });
  assert.equal(t.op, 'conv_transpose2d');
  assert.deepEqual([t.C, t.H, t.W, t.K], [1, 1, 1, 1]);
  assert.deepEqual(deriveResult(cp, t).shape, [1, 3, 3], 'output_padding brings the 3×3 back');
  ACTIONS.imageDemo(t, { id: 'edges' });
  assert.deepEqual([t.op, t.kh, t.paddingMode, t.padding], ['conv2d', 3, 'replicate', [1, 1]]);
});

test('UI actions: a tap pins, pointer moves leave a pin, keyboard focus and Escape take it back', () => {
  const a = { testid: 'output-cell', c: 0, h: 0, w: 0 }, b = { testid: 'input-cell', c: 0, h: 1, w: 1 };
  let ui = initialUi();
  ui = UI_ACTIONS.tap(ui, a);
  assert.equal(ui.pinned, true);
  assert.equal(UI_ACTIONS.focus(ui, b), ui, 'hover does not move a pin');
  assert.equal(UI_ACTIONS.blur(ui), ui, 'leaving the grids does not clear a pin');
  assert.deepEqual(UI_ACTIONS.tap(ui, a).focus, null, 'a second tap unpins');
  assert.deepEqual(UI_ACTIONS.keyboardFocus(ui, b).focus, b, 'the keyboard wins over a pin');
  assert.equal(UI_ACTIONS.unpin(ui).pinned, false);
});

test('the model: outputs are the core\'s, a broken rule is an error, huge outputs are planned in bands', () => {
  for (const hash of ['op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&padding=1&padding_mode=circular&b=0.5',
    'op=conv_transpose2d&x=0,1;2,3&w=0,1;2,3&stride=2&padding=1&output_padding=1',
    'op=conv2d&x=1,2,3,4;5,6,7,8;9,10,11,12;13,14,15,16|1,1,1,1;1,1,1,1;1,1,1,1;1,1,1,1&w=1,0;0,1|1,1;1,1|0,1;1,0|2,2;2,2&groups=2']) {
    const s = stateOf(hash);
    const r = deriveResult(cp, s);
    const { x, w, b } = buildTensors(s);
    const want = s.op === 'conv2d' ? cp.conv2d(x, w, b, options(s)) : cp.convTranspose2d(x, w, b, options(s));
    assert.equal(r.ok, true, hash);
    assert.deepEqual(Array.from(r.y.data), Array.from(want.data), hash);
  }
  const bad = deriveResult(cp, stateOf('op=conv2d&x=1,2;3,4&w=1,1,1;1,1,1;1,1,1'));
  assert.equal(bad.ok, false);
  assert.match(bad.error, /larger than the padded input size \(2, 2\)/);
  // 1 G multiply-adds: over the one-task budget, so planned in bands.
  const ones = (h, w) => Array(h).fill(Array(w).fill(1).join(',')).join(';');
  const huge = stateOf(`op=conv2d&x=${ones(4, 4)}&w=${ones(16, 16)}&padding=1000`);
  const r = deriveResult(cp, huge);
  assert.equal(r.pending, true);
  assert.ok(r.bands.length > 1);
  const geo = bandGeometry(huge.op, r.x.shape, r.w.shape, options(huge), r.shape);
  const data = new Float32Array(r.shape[0] * r.shape[1] * r.shape[2]);
  for (const band of r.bands) runBand(cp, geo, r.x.data, r.w.data, null, band, data);
  finishBands(r, data);
  const one = cp.conv2d(r.x, r.w, null, options(huge));
  assert.equal(r.pending, false);
  assert.equal(r.y.data.length, one.data.length);
  assert.ok(r.y.data.every((v, i) => v === one.data[i]));
});

test('the highlight of a focused cell: its receptive field, kernel taps and the sum that gives its value', () => {
  const s = stateOf('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,2;3,4&padding=1&padding_mode=reflect&b=0.5');
  const r = deriveResult(cp, s);
  const hl = deriveHighlight(s, r, { focus: { testid: 'output-cell', c: 0, h: 0, w: 0 }, highlight: null });
  const refs = hl.refs.map(key).sort();
  // y[0,0,0] reads padded (-1,-1), (-1,0), (0,-1), (0,0): three reflected copies and x[0,0,0].
  assert.deepEqual(refs, ['bias-cell:0:::0,0', 'ghost-cell:0:::-1,-1:pad', 'ghost-cell:0:::-1,0:pad', 'ghost-cell:0:::0,-1:pad',
    'input-cell:0:::0,0', 'input-cell:0:::0,1:copy', 'input-cell:0:::1,0:copy', 'input-cell:0:::1,1:copy',
    'weight-cell::0:0:0,0', 'weight-cell::0:0:0,1', 'weight-cell::0:0:1,0', 'weight-cell::0:0:1,1'].sort());
  const e = hl.explain;
  assert.equal(e.kind, 'output');
  const sum = e.terms.reduce((acc, q) => acc + q.x * q.w, 0) + e.bias;
  assert.equal(Math.fround(sum), e.y);
  assert.equal(e.y, r.y.data[0]);
  assert.deepEqual(e.terms.map((q) => q.x), [5, 4, 2, 1], 'the reflected values');
  assert.equal(paddedValue(s, r, 0, -1, -1), 5);
  // An input cell reaches the outputs whose windows hold it (directly or through a copy).
  const inHl = deriveHighlight(s, r, { focus: { testid: 'input-cell', c: 0, h: 2, w: 2 }, highlight: null });
  assert.equal(inHl.explain.outs, inHl.refs.filter((q) => q.testid === 'output-cell').length);
  // A teaching view's highlight adds its own marks to a focused cell's.
  const both = deriveHighlight(s, r, { focus: null, highlight: { focus: { testid: 'output-cell', c: 0, h: 0, w: 0 }, refs: [{ testid: 'input-cell', c: 0, h: 2, w: 2 }], note: null } });
  assert.equal(both.refs.length, hl.refs.length + 1);
  // Nothing to explain for an invalid state or while the output is computed in bands.
  assert.equal(deriveHighlight(s, { ok: false }, { focus: { testid: 'output-cell', c: 0, h: 0, w: 0 } }).explain.kind, 'invalid');
});

test('padding cells read the input by PyTorch\'s F.pad rule: the same values as the core\'s pad, every mode', () => {
  const x = Array.from({ length: 20 }, (_, i) => ((i * 7) % 11) - 5).join(',');
  const rows = [0, 1, 2, 3].map((r) => x.split(',').slice(r * 5, r * 5 + 5).join(',')).join(';');
  let checked = 0;
  for (const mode of ['zeros', 'reflect', 'replicate', 'circular']) {
    for (const [ph, pw] of [[1, 1], [2, 3], [3, 2]]) {
      const s = stateOf(`op=conv2d&x=${rows}|${rows}&w=1|1&padding=${ph},${pw}&padding_mode=${mode}`);
      const r = deriveResult(cp, s);
      assert.equal(r.ok, true, `${mode} ${ph},${pw}`);
      const PH = s.H + 2 * ph, PW = s.W + 2 * pw;
      for (let c = 0; c < 2; c++) for (let i = -ph; i < s.H + ph; i++) for (let j = -pw; j < s.W + pw; j++) {
        assert.equal(paddedValue(s, r, c, i, j), r.xPad.data[c * PH * PW + (i + ph) * PW + (j + pw)], `${mode} (${i}, ${j})`);
        checked++;
      }
    }
  }
  assert.ok(checked > 800);
});

test('the animation frame: conv2d steps through outputs, conv_transpose2d through input scatters', () => {
  const s = stateOf('op=conv_transpose2d&x=1,2;3,4&w=1,1;1,1');
  const r = deriveResult(cp, s);
  assert.equal(animTotal(s, r), 4);
  const f = deriveAnimFrame(cp, s, r, 2);
  assert.deepEqual(f.self, { testid: 'input-cell', c: 0, h: 0, w: 1 });
  // The partial output is the scatter of the first two inputs.
  assert.deepEqual(Array.from(f.partial.data), [1, 3, 2, 1, 3, 2, 0, 0, 0]);
  const c = stateOf('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1');
  const g = deriveAnimFrame(cp, c, deriveResult(cp, c), 99);
  assert.equal(g.step, 4, 'clamped to the last output');
  assert.deepEqual(g.self, { testid: 'output-cell', c: 0, h: 1, w: 1 });
  assert.equal(deriveAnimFrame(cp, c, { ok: false }, 1), null);
});
