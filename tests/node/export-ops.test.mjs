// The "Copy as PyTorch" and "Copy as NumPy" scripts of conv1d (causal too), conv_transpose1d,
// conv3d, conv_transpose3d, max_pool2d and avg_pool2d, run with real PyTorch 1.13 and NumPy:
// they print the page's numbers (the core's output, within 1e-4 absolute + 1e-4 relative) and,
// for max_pool2d, the same indices. The browser test (page-ops.test.mjs) checks that the
// buttons produce these scripts.
// Run: node --test tests/node/export-ops.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '../../dist/convplay.mjs';
import { parseHash } from '../../web/src/url-state.js';
import { deriveResult } from '../../web/src/model.js';
import { pytorchCode, numpyCode } from '../../web/src/export.js';

const run = promisify(execFile);
const PYTHON = process.env.PYTHON || '/usr/bin/python3';
const cp = await load();

function prng(seed) {
  let a = seed >>> 0;
  return () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 4294967296; };
}
const r = prng(20);
const vals = (n) => Array.from({ length: n }, () => Math.round((r() * 2 - 1) * 400) / 100);
const row = (n) => vals(n).join(',');
const block = (D, H, W) => Array.from({ length: D }, () => Array.from({ length: H }, () => row(W)).join(';')).join('/');
const chans = (C, f) => Array.from({ length: C }, f).join('|');

export const EXPORT_OPS_CASES = [
  ['conv1d, 2 channels, stride 2, padding 1, reflect, bias', `op=conv1d&x=${chans(2, () => row(9))}&w=${chans(6, () => row(3))}&stride=2&padding=1&padding_mode=reflect&b=0.5,-1.25,2`],
  ['conv1d causal, dilation 2, 2 kernels', `op=conv1d&x=${row(10)}&w=${chans(2, () => row(3))}&dilation=2&causal=1`],
  ["conv1d padding='same', dilation 2, replicate, groups 2", `op=conv1d&x=${chans(2, () => row(8))}&w=${chans(4, () => row(4))}&padding=same&dilation=2&padding_mode=replicate&groups=2`],
  ['conv_transpose1d stride 2, padding 1, output_padding 1, groups 2, bias', `op=conv_transpose1d&x=${chans(2, () => row(5))}&w=${chans(4, () => row(3))}&stride=2&padding=1&output_padding=1&groups=2&b=1,2,3,4`],
  ['conv3d 2 channels, stride 1,2,1, padding 1, circular, bias', `op=conv3d&x=${chans(2, () => block(3, 4, 4))}&w=${chans(2, () => block(2, 2, 3))}&stride=1,2,1&padding=1&padding_mode=circular&b=0.25`],
  ["conv3d padding='same', dilation 1,2,1", `op=conv3d&x=${block(3, 5, 5)}&w=${block(2, 2, 2)}&padding=same&dilation=1,2,1`],
  ['conv_transpose3d stride 2, padding 0,1,1, output_padding 1, bias', `op=conv_transpose3d&x=${block(2, 3, 3)}&w=${chans(2, () => block(2, 3, 3))}&stride=2&padding=0,1,1&output_padding=1&b=0.5,-0.5`],
  ['max_pool2d k3 s2 p1, dilation 1,2, ceil_mode', `op=max_pool2d&x=${chans(2, () => block(1, 7, 8))}&kernel_size=3&stride=2&padding=1&dilation=1,2&ceil_mode=1`],
  ['max_pool2d ceil_mode drops the last window (n=5, k=2, s=2, p=1)', `op=max_pool2d&x=${block(1, 5, 5)}&kernel_size=2&padding=1&ceil_mode=1`],
  ['avg_pool2d k3 s2 p1 ceil_mode, count_include_pad=0', `op=avg_pool2d&x=${block(1, 7, 7)}&kernel_size=3&stride=2&padding=1&ceil_mode=1&count_include_pad=0`],
  ['avg_pool2d ceil_mode window clipped at the padded edge (count_include_pad)', `op=avg_pool2d&x=${block(1, 6, 6)}&kernel_size=3&stride=2&padding=1&ceil_mode=1`],
  ['avg_pool2d divisor_override=2, k 2, s 1, p 1', `op=avg_pool2d&x=${chans(2, () => block(1, 4, 5))}&kernel_size=2&stride=1&padding=1&divisor_override=2`],
];

const close = (a, b) => Math.abs(a - b) <= 1e-4 + 1e-4 * Math.abs(b);

test('exported PyTorch and NumPy scripts print the core’s values for every new op', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'convplay-export-ops-'));
  try {
    const files = [];
    const expect = [];
    for (const [name, hash] of EXPORT_OPS_CASES) {
      const { state, messages } = parseHash(hash);
      assert.deepEqual(messages, [], `${name}: the URL parses`);
      const res = deriveResult(cp, state);
      assert.ok(res.ok, `${name}: ${res.error}`);
      for (const [kind, code] of [['torch', pytorchCode(state, res)], ['numpy', numpyCode(state, res)]]) {
        if (kind === 'numpy') assert.ok(!code.includes('import torch'), 'the NumPy script needs no PyTorch');
        if (state.causal) assert.match(code, kind === 'torch' ? /F\.pad\(x\.unsqueeze\(0\), \(\d+, 0\)\)/ : /causal/, 'causal is exported as F.pad, then conv1d');
        const file = join(dir, `${files.length}.py`);
        await writeFile(file, code);
        files.push(file);
        expect.push({ name: `${name} (${kind})`, res });
      }
    }
    // One Python process runs every script (importing torch once).
    const driver = join(dir, 'driver.py');
    await writeFile(driver, 'import sys, runpy, io, contextlib\nfor f in sys.argv[1:]:\n    buf = io.StringIO()\n    with contextlib.redirect_stdout(buf):\n        runpy.run_path(f)\n    print("=====" + buf.getvalue())\n');
    const { stdout } = await run(PYTHON, [driver, ...files], { timeout: 180000, maxBuffer: 1 << 24 });
    const outs = stdout.split('=====').slice(1);
    assert.equal(outs.length, expect.length);
    outs.forEach((out, k) => {
      const { name, res } = expect[k];
      const lines = out.trim().split('\n');
      const shape = lines[0].replace(/[()\s]/g, '').split(',').filter(Boolean).map(Number);
      assert.deepEqual(shape, res.coreShape, `${name}: shape`);
      const got = JSON.parse(lines[1]).flat(Infinity);
      const want = Array.from(res.y.data);
      assert.equal(got.length, want.length, `${name}: value count`);
      got.forEach((v, i) => assert.ok(close(v, want[i]), `${name}: value ${i}: Python ${v}, page ${want[i]}`));
      if (res.indices) assert.deepEqual(JSON.parse(lines[2]).flat(Infinity), Array.from(res.indices), `${name}: max_pool2d indices`);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
