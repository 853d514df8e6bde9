// The README's examples run and print what README says they print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('examples/example.mjs', () => {
  const out = execFileSync(process.execPath, [join(root, 'examples', 'example.mjs')], { encoding: 'utf8' });
  assert.match(out, /\[ 1, 1, 2, 2 \] \[ \[ 12, 16 \], \[ 24, 28 \] \]/);
  assert.match(out, /\[ 12, 28, 28, 16 \]/);
  assert.match(out, /conv2d: groups=2 must divide out_channels=1/);
});
