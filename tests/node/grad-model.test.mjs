// The gradient view's state and model under Node (web/src/grad-state.js, web/src/grad-model.js):
// grad= and g= parsed and written back, grad_output fitted when the output's shape changes, the
// JavaScript output shape against the core's, the gradients against PyTorch autograd (run by
// /usr/bin/python3, torch 1.13), the identity and correlation checks, and the terms of each
// dL/dx cell summing to the core's value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { distModule, close } from './helpers.mjs';
import { parseHash, serialiseState } from '../../web/src/url-state.js';
import { ACTIONS } from '../../web/src/actions.js';
import { cloneState, convPads } from '../../web/src/state.js';
import { deriveResult } from '../../web/src/model.js';
import { gradOutputShape, fitGradOutput } from '../../web/src/grad-state.js';
import { deriveGrad, gradInputTerms, ghostFlows } from '../../web/src/grad-model.js';

const { load } = await import(distModule);
const cp = await load();
const PYTHON = process.env.PYTHON || '/usr/bin/python3';
const stateOf = (hash) => parseHash(hash).state;

// Deterministic values with 2 decimals (float32 rounding matters).
function prng(seed) {
  let a = seed >>> 0;
  return () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 4294967296; };
}
const ar = (n) => Array.from({ length: n }, (_, i) => i);
const vals = (r, n) => ar(n).map(() => Math.round((r() * 2 - 1) * 300) / 100);
const rows = (flat, W) => ar(flat.length / W).map((i) => flat.slice(i * W, i * W + W).join(',')).join(';');
const chans = (r, C, H, W) => ar(C).map(() => rows(vals(r, H * W), W)).join('|');

// The configurations of the gradient view's tests (the browser test uses the same kinds).
function cases() {
  const r = prng(20);
  return [
    ['conv2d zeros, bias', `op=conv2d&x=${chans(r, 1, 5, 5)}&w=${chans(r, 1, 3, 3)}&b=0.5`],
    ['conv2d stride 2, padding 1', `op=conv2d&x=${chans(r, 1, 6, 7)}&w=${chans(r, 1, 3, 3)}&stride=2&padding=1`],
    ['conv2d dilation 2, padding 2,1', `op=conv2d&x=${chans(r, 2, 7, 6)}&w=${chans(r, 2, 3, 2)}&dilation=2&padding=2,1`],
    ['conv2d groups 2, 2 -> 4', `op=conv2d&x=${chans(r, 2, 5, 5)}&w=${chans(r, 4, 2, 2)}&groups=2&stride=2,1&b=1,-1,0.5,0`],
    ['conv2d reflect padding 2, stride 2', `op=conv2d&x=${chans(r, 2, 5, 6)}&w=${chans(r, 2, 3, 3)}&padding=2&padding_mode=reflect&stride=2`],
    ['conv2d replicate same, dilation 2', `op=conv2d&x=${chans(r, 1, 6, 6)}&w=${chans(r, 1, 2, 3)}&padding=same&dilation=2&padding_mode=replicate`],
    ['conv2d circular padding 1, 2 groups', `op=conv2d&x=${chans(r, 2, 4, 5)}&w=${chans(r, 2, 3, 3)}&groups=2&padding=1&padding_mode=circular`],
    ['conv2d zeros same (asymmetric)', `op=conv2d&x=${chans(r, 1, 5, 5)}&w=${chans(r, 1, 2, 2)}&padding=same`],
    ['convT stride 2, padding 1, output_padding 1', `op=conv_transpose2d&x=${chans(r, 1, 4, 4)}&w=${chans(r, 1, 3, 3)}&stride=2&padding=1&output_padding=1&b=0.25`],
    ['convT groups 2, 2 -> 4, dilation 2', `op=conv_transpose2d&x=${chans(r, 2, 3, 4)}&w=${chans(r, 4, 2, 3)}&groups=2&dilation=2&stride=3,2`],
    ['convT output_padding 2 ≥ stride (dilation 3)', `op=conv_transpose2d&x=${chans(r, 1, 3, 3)}&w=${chans(r, 1, 2, 2)}&dilation=3&output_padding=2`],
  ].map(([name, hash]) => {
    // A typed grad_output: random values of the output's shape.
    const s = stateOf(hash);
    const [K, OH, OW] = gradOutputShape(s);
    return { name, hash: `${hash}&grad=1&g=${chans(r, K, OH, OW)}` };
  });
}

test('grad= and g=: parsed, written back only when not the default, bad values named', () => {
  const base = 'op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1';
  let p = parseHash(`${base}&grad=1&g=1,2;3,4`);
  assert.deepEqual(p.messages, []);
  assert.equal(p.state.grad, true);
  assert.equal(serialiseState(p.state), `${base}&grad=1&g=1,2;3,4`);
  p = parseHash(`${base}&grad=1&g=1,1;1,1`);
  assert.equal(serialiseState(p.state), `${base}&grad=1`, 'all ones is the default: not written');
  p = parseHash(`${base}&g=1,2,3`);
  assert.deepEqual(p.messages, ["g: grad_output must have the output's shape 1×2×2, got 1×1×3 — using the default"]);
  assert.equal(serialiseState(p.state), base);
  p = parseHash(`${base}&grad=yes&g=1,x;1,1`);
  assert.match(p.messages[0], /^grad: "yes" must be 1/);
  assert.match(p.messages[1], /^g: grad_output: "x" \(block 0, row 0, column 1\) is not a number/);
  assert.equal(parseHash('op=conv2d&x=1,2;3,4&w=1,1,1;1,1,1;1,1,1&g=1').messages[0], 'g: grad_output needs a valid conv2d or conv_transpose2d output to take its shape from — using the default');
  // Both ops; grad_output of conv_transpose2d has its (larger) output's shape.
  p = parseHash('op=conv_transpose2d&x=1,2;3,4&w=1,1;1,1&stride=2&grad=1&g=1,1,1,1;1,1,1,1;1,1,1,1;1,1,1,2');
  assert.deepEqual([p.messages, p.state.gradOut.shape], [[], [1, 4, 4]]);
});

test('grad_output edits are named actions; a new output shape keeps the typed values that fit', () => {
  let s = stateOf('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&grad=1');
  const before = cloneState(s);
  ACTIONS.setCell(s, { testid: 'grad-output-cell', c: 0, h: 1, w: 0, value: 5 });
  assert.equal(before.gradOut, undefined, 'the copy the store keeps is not changed');
  assert.match(serialiseState(s), /&grad=1&g=1,1;5,1$/);
  ACTIONS.setParam(s, { param: 'kernel-h', value: 1 }); // output 3×2: row 1 kept, row 2 new (ones)
  assert.deepEqual(Array.from(fitGradOutput(s, gradOutputShape(s))), [1, 1, 5, 1, 1, 1]);
  assert.match(serialiseState(s), /&g=1,1;5,1;1,1$/);
  ACTIONS.setParam(s, { param: 'kernel-h', value: 3 }); // output 1×2: the 5 no longer fits
  assert.doesNotMatch(serialiseState(s), /g=/);
  ACTIONS.setParam(s, { param: 'kernel-h', value: 2 }); // back: the typed 5 comes back
  assert.match(serialiseState(s), /&g=1,1;5,1$/);
  ACTIONS.resetGradOutput(s);
  assert.doesNotMatch(serialiseState(s), /g=/);
  ACTIONS.setGrad(s, { on: false });
  assert.doesNotMatch(serialiseState(s), /grad=/);
  s = stateOf(serialiseState(s));
  assert.equal(!!s.grad, false);
});

test("gradOutputShape (index arithmetic) is the core's output shape", () => {
  const r = prng(3);
  let n = 0;
  for (let k = 0; k < 400; k++) {
    const op = r() < 0.5 ? 'conv2d' : 'conv_transpose2d';
    const H = 1 + Math.floor(r() * 9), W = 1 + Math.floor(r() * 9), kh = 1 + Math.floor(r() * 4), kw = 1 + Math.floor(r() * 4);
    const st = [1 + Math.floor(r() * 3), 1 + Math.floor(r() * 3)], d = [1 + Math.floor(r() * 3), 1 + Math.floor(r() * 2)];
    let hash = `op=${op}&x=${rows(ar(H * W), W)}&kernel_size=${kh},${kw}&stride=${st}&dilation=${d}`;
    if (op === 'conv2d') hash += r() < 0.3 && st[0] === 1 && st[1] === 1 ? '&padding=same' : `&padding=${Math.floor(r() * 3)},${Math.floor(r() * 3)}`;
    else hash += `&padding=${Math.floor(r() * 2)}&output_padding=${Math.floor(r() * 2)}`;
    const s = stateOf(hash);
    const res = deriveResult(cp, s);
    const js = gradOutputShape(s);
    if (res.ok) { n++; assert.deepEqual(js, res.shape, hash); } else assert.ok(js === null || !res.ok, hash);
  }
  assert.ok(n > 200, `${n} valid configurations compared`);
});

test('the gradients against PyTorch autograd; the identity and the correlation agree with the core', () => {
  const items = [];
  for (const { name, hash } of cases()) {
    const s = stateOf(hash);
    assert.deepEqual(parseHash(hash).messages, [], name);
    const r = deriveResult(cp, s);
    const g = deriveGrad(cp, s, r);
    assert.equal(g.status, 'ok', name);
    assert.equal(g.checkError, undefined, name);
    assert.ok(g.identity.diff <= 1e-4 * (1 + Math.max(...g.gradInput.data.map(Math.abs))), `${name}: identity diff ${g.identity.diff}`);
    assert.ok(g.weightCheck.diff <= 1e-4 * (1 + Math.max(...g.gradWeight.data.map(Math.abs))), `${name}: dW diff ${g.weightCheck.diff}`);
    // Every dL/dx cell: its terms sum to the core's value.
    for (let c = 0; c < s.C; c++) for (let i = 0; i < s.H; i++) for (let j = 0; j < s.W; j++) {
      const t = gradInputTerms(s, r, g, c, i, j);
      assert.equal(t.total, t.terms.length);
      const sum = t.terms.reduce((acc, q) => acc + q.g * q.w, 0);
      assert.ok(Math.abs(sum - t.value) <= 1e-4 * (1 + Math.abs(t.value)), `${name}: dL/dx[${c}, ${i}, ${j}] terms ${sum} vs ${t.value}`);
    }
    const pads = s.op === 'conv2d' ? convPads(s) : null;
    items.push({ name, op: s.op, x: Array.from(r.x.data), xs: r.x.shape, w: Array.from(r.w.data), ws: r.w.shape, b: r.b ? Array.from(r.b.data) : null,
      g: Array.from(g.g.data), gs: g.g.shape, stride: s.stride, dilation: s.dilation, groups: s.groups, padding: s.padding, op_: s.outputPadding,
      pads, mode: s.paddingMode, got: { dx: Array.from(g.gradInput.data), dw: Array.from(g.gradWeight.data), db: Array.from(g.gradBias.data) } });
  }
  const script = `
import json, sys, torch
import torch.nn.functional as F
out = []
for c in json.load(sys.stdin):
    x = torch.tensor(c['x'], dtype=torch.float32).reshape(c['xs']).unsqueeze(0).requires_grad_()
    w = torch.tensor(c['w'], dtype=torch.float32).reshape(c['ws']).requires_grad_()
    K = c['gs'][0]
    b = torch.tensor(c['b'] if c['b'] else [0.0] * K, dtype=torch.float32).requires_grad_()
    if c['op'] == 'conv2d':
        pt, pb, pl, pr = c['pads']
        mode = 'constant' if c['mode'] == 'zeros' else c['mode']
        y = F.conv2d(F.pad(x, (pl, pr, pt, pb), mode=mode), w, b, stride=c['stride'], dilation=c['dilation'], groups=c['groups'])
    else:
        y = F.conv_transpose2d(x, w, b, stride=c['stride'], padding=c['padding'], output_padding=c['op_'], dilation=c['dilation'], groups=c['groups'])
    g = torch.tensor(c['g'], dtype=torch.float32).reshape(c['gs']).unsqueeze(0)
    assert list(y.shape[1:]) == c['gs'], (c['name'], y.shape)
    y.backward(g)
    out.append({'dx': x.grad[0].flatten().tolist(), 'dw': w.grad.flatten().tolist(), 'db': b.grad.tolist()})
print(json.dumps(out))
`;
  const want = JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(items), maxBuffer: 1 << 26 }).toString());
  items.forEach((it, k) => {
    for (const key of ['dx', 'dw', 'db']) {
      assert.equal(it.got[key].length, want[k][key].length, `${it.name} ${key} size`);
      it.got[key].forEach((v, n) => assert.ok(close(v, want[k][key][n]), `${it.name}: ${key}[${n}] = ${v}, PyTorch ${want[k][key][n]}`));
    }
  });
});

test('ghost flows: each reflected, replicated or wrapped padding cell adds into the cell it copies', () => {
  const s = stateOf('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&padding=1&padding_mode=reflect&grad=1');
  const r = deriveResult(cp, s);
  const g = deriveGrad(cp, s, r);
  const flows = ghostFlows(s, g, 0);
  assert.equal(flows.length, 16, 'a 5×5 padded frame around 3×3: 16 ghost cells');
  const corner = flows.find((q) => q.i === -1 && q.j === -1);
  assert.deepEqual(corner.src, [1, 1], 'reflect: (−1, −1) copies (1, 1)');
  // dL/dx = the inner padded gradient + every ghost that copies the cell.
  const [, Hp, Wp] = g.padded.shape;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    let v = g.padded.data[(i + 1) * Wp + j + 1];
    for (const q of flows) if (q.src && q.src[0] === i && q.src[1] === j) v += q.value;
    assert.ok(close(g.gradInput.data[i * 3 + j], v), `dL/dx[0, ${i}, ${j}]`);
  }
  assert.equal(Hp, 5);
  const z = stateOf('op=conv2d&x=1,2,3;4,5,6;7,8,9&w=1,1;1,1&padding=1&grad=1');
  const gz = deriveGrad(cp, z, deriveResult(cp, z));
  assert.ok(ghostFlows(z, gz, 0).every((q) => q.src === null), 'zeros padding: ghost gradients are dropped');
  assert.equal(gz.identity.kind, 'direct');
});

test('deriveGrad: closed panel, other states', () => {
  const s = stateOf('op=conv2d&x=1,2;3,4&w=1');
  assert.equal(deriveGrad(cp, s, deriveResult(cp, s)).status, 'off');
  const bad = stateOf('op=conv2d&x=1,2;3,4&w=1,1,1;1,1,1;1,1,1&grad=1');
  assert.equal(deriveGrad(cp, bad, deriveResult(cp, bad)).status, 'invalid');
  const big = stateOf('op=conv_transpose2d&x=1,2;3,4&w=1&stride=100&grad=1');
  assert.equal(deriveGrad(cp, big, deriveResult(cp, big)).status, 'large');
  // 16 kernels of 16×16 × 16 channels: 65,536 dL/dW cells would be built in one task.
  const wide = stateOf(`op=conv2d&x=${Array(16).fill(Array(16).fill(Array(16).fill(1).join(',')).join(';')).join('|')}&kernel_size=16&out_channels=16&grad=1`);
  const gw = deriveGrad(cp, wide, deriveResult(cp, wide));
  assert.deepEqual([gw.status, gw.cells], ['large', 16 + 16 * 256 + 16 * 16 * 256]);
  const other = { ...stateOf('op=conv2d&x=1,2;3,4&w=1&grad=1'), op: 'max_pool2d' };
  assert.equal(deriveGrad(cp, other, { ok: true }).status, 'op');
});
