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

import { EXPORT_OPS_CASES } from './export-ops-cases.mjs';

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
