// The npm package as a consumer gets it: `npm pack` on this built checkout, the tarball
// installed offline into an empty temporary project, then `import ... from 'convplay'` by name
// under Node, the same import bundled for a browser with esbuild and run in headless Chromium,
// and a strict TypeScript consumer type-checked against the shipped declarations (plus a file
// with a deliberate type error that must be rejected, so the check can fail).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'convplay-pkg-'));
const project = join(work, 'consumer');
after(() => rmSync(work, { recursive: true, force: true }));

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// The consumer's program: the README's first example, a 1-D convolution and a pooling call.
const PROGRAM = `import { load } from 'convplay';
const cp = await load();
const y = cp.conv2d(cp.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]), cp.tensor([[[[1, 1], [1, 1]]]]));
const z = cp.conv1d([[[1, 2, 3, 4]]], [[[1, -1]]], null, { padding: 'same' });
const { indices } = cp.maxPool2d([[[[1, 5], [3, 2]]]], { kernelSize: 2, returnIndices: true });
export const result = JSON.stringify({ y: Array.from(y.data), z: Array.from(z.data), i: Array.from(indices.data), backend: cp.backend });
`;
const EXPECTED = { y: [12, 16, 24, 28], z: [-1, -1, -1, 4], i: [1], backend: 'wasm-simd128' };

let tarball = null;

test('npm pack produces the package: only what a consumer needs', () => {
  assert.ok(existsSync(join(root, 'dist', 'convplay.mjs')), 'build first (scripts/build.sh)');
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root));
  tarball = join(work, info.filename);
  assert.equal(info.name, 'convplay');
  assert.equal(info.version, '0.2.0');
  const files = info.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['CHANGELOG.md', 'README.md', 'dist/conv-playground.js', 'dist/convplay-relaxed.js',
    'dist/convplay-relaxed.mjs', 'dist/convplay-scalar.js', 'dist/convplay-scalar.mjs', 'dist/convplay.d.ts',
    'dist/convplay.js', 'dist/convplay.mjs', 'package.json']);
});

test('installed offline into an empty project, `convplay` imports by name under Node', () => {
  assert.ok(tarball, 'npm pack ran');
  run('mkdir', ['-p', project], work);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], project);
  const pkg = JSON.parse(readFileSync(join(project, 'node_modules', 'convplay', 'package.json'), 'utf8'));
  assert.equal(pkg.version, '0.2.0');
  writeFileSync(join(project, 'main.mjs'), `${PROGRAM}console.log(result);\n`);
  assert.deepEqual(JSON.parse(run('node', ['main.mjs'], project)), EXPECTED);
  // the subpaths resolve too
  const sub = run('node', ['--input-type=module', '-e',
    `import { load } from 'convplay/scalar'; const cp = await load(); console.log(cp.backend);
     console.log(typeof (await import('convplay/package.json', { with: { type: 'json' } })).default.version);`], project);
  assert.deepEqual(sub.trim().split('\n'), ['scalar', 'string']);
  // Where Node runs relaxed SIMD, the same import by name picks the relaxed-SIMD build beside it.
  const relaxed = JSON.parse(run('node', ['--experimental-wasm-relaxed-simd', 'main.mjs'], project));
  assert.deepEqual(relaxed, { ...EXPECTED, backend: 'wasm-relaxed-simd' });
});

test('bundled for a browser with esbuild, the import runs in Chromium', async () => {
  writeFileSync(join(project, 'browser.mjs'), `${PROGRAM}document.body.dataset.result = result;\n`);
  await build({ entryPoints: [join(project, 'browser.mjs')], bundle: true, format: 'esm', platform: 'browser',
    outfile: join(project, 'public', 'bundle.js'), absWorkingDir: project, logLevel: 'silent' });
  writeFileSync(join(project, 'public', 'index.html'), '<!doctype html><script type="module" src="bundle.js"></script>');
  const server = await serveStatic(join(project, 'public'));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.base);
    await page.waitForFunction(() => document.body && document.body.dataset.result, null, { timeout: 30000 });
    assert.deepEqual(JSON.parse(await page.evaluate(() => document.body.dataset.result)), EXPECTED);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test('a strict TypeScript consumer type-checks against the shipped declarations', () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
      lib: ['es2022', 'dom'], noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false },
    files: ['consumer.ts'] }));
  writeFileSync(join(project, 'consumer.ts'), `import load, { type Convplay, type Tensor, type ConvGradients, type IndexTensor } from 'convplay';
const cp: Convplay = await load();
const x: Tensor = { shape: [1, 2, 5, 5], data: new Float32Array(50) };
const w: Tensor = { shape: [3, 2, 3, 3], data: new Float32Array(54) };
const y: Tensor = cp.conv2d(x, w, null, { padding: 'same', paddingMode: 'reflect' });
const g: ConvGradients = cp.conv2dBackward(x, w, y, { padding: 'same' });
const gi: Float32Array = g.gradInput.data;
const pooled: { output: Tensor; indices: IndexTensor } = cp.maxPool2d(x, { kernelSize: 2, returnIndices: true });
const idx: Int32Array = pooled.indices.data;
const avg: Tensor = cp.avgPool2d(x, { kernelSize: [2, 3], countIncludePad: false, divisorOverride: 4 });
const v: Tensor = cp.conv3d({ shape: [1, 1, 3, 3, 3], data: new Float32Array(27) }, [[[[[1]]]]], null, { stride: [1, 2, 2] });
const t: Tensor = cp.convTranspose1d([[1, 2]], [[[1, 1]]], null, { stride: 2, outputPadding: 1 });
const s: number[] | null = cp.maxPool2dOutputShape([1, 1, 5, 5], { kernelSize: 2, ceilMode: true }).shape;
const m: Tensor = cp.kernelMatrix([[1, 2], [3, 4]], [4, 4], { padding: 'same' });
export const all = [gi, idx, avg, v, t, s, m];
`);
  run('node', [tsc, '-p', project], project);
  // the declarations are not `any`: a wrong option type is a compile error
  writeFileSync(join(project, 'consumer.ts'), `import load from 'convplay';
const cp = await load();
cp.conv1d([[1, 2, 3]], [[[1]]], null, { stride: 'two' });
`);
  let failed = null;
  try {
    run('node', [tsc, '-p', project], project);
  } catch (e) {
    failed = e;
  }
  assert.ok(failed, 'tsc accepted a string stride');
  assert.match(String(failed.stdout), /consumer\.ts\(3,\d+\): error TS2322/);
});
