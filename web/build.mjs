// Builds the playground page into dist/: app.js (classic IIFE script bundled by esbuild from
// web/src/main.js), app.css and index.html. dist/convplay.js comes from the core build
// (scripts/build.sh). Usage: node web/build.mjs [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'info',
};

await esbuild.build({ ...common, entryPoints: [join(here, 'src/main.js')], outfile: join(dist, 'app.js') });
await esbuild.build({ ...common, entryPoints: [join(here, 'src/embed-main.js')], outfile: join(dist, 'embed.js') });
await esbuild.build({ ...common, entryPoints: [join(here, 'src/docs-main.js')], outfile: join(dist, 'docs.js') });
// learn.html: the course, its lessons (web/lessons/*.json) bundled in (file:// cannot fetch them).
await esbuild.build({ ...common, entryPoints: [join(here, 'src/learn-main.js')], outfile: join(dist, 'learn.js') });
await esbuild.build({ ...common, entryPoints: [join(here, 'learn.css')], outfile: join(dist, 'learn.css'), format: undefined });
await esbuild.build({ ...common, entryPoints: [join(here, 'styles.css')], outfile: join(dist, 'app.css'), format: undefined });
await esbuild.build({ ...common, entryPoints: [join(here, 'src/image-worker.js')], outfile: join(dist, 'image-worker.js') });
// The image mode's sample photo (CC0, see web/assets/README.md), also as a data: URL script.
mkdirSync(join(dist, 'assets'), { recursive: true });
copyFileSync(join(here, 'assets/chelsea.png'), join(dist, 'assets/chelsea.png'));
writeFileSync(join(dist, 'assets/chelsea.js'), `// "Chelsea the cat", Stefan van der Walt, CC0 (scikit-image sample data).\nwindow.CONVPLAY_SAMPLE = "data:image/png;base64,${readFileSync(join(here, 'assets/chelsea.png')).toString('base64')}";\n`);
for (const f of ['index.html', 'embed.html', 'learn.html', 'docs.html', 'docs.css', 'favicon.svg']) copyFileSync(join(here, f), join(dist, f));

// The web component: the page's styles rewritten for a shadow root (:root -> :host, the body's
// font and colours on the component's root), bundled with the component code, appended to the
// WebAssembly core so that one classic <script> is enough.
const css = (await esbuild.transform(readFileSync(join(here, 'styles.css'), 'utf8'), { loader: 'css', minify: true })).code
  .replace(/:root\[data-theme="?dark"?\]/g, ':host([theme="dark"])')
  .replace(/:root/g, ':host')
  .replace(/(^|[},])body\{/g, '$1.app{')
  .replace(/(^|[},])html\{/g, '$1.app{');
const component = await esbuild.build({ ...common, entryPoints: [join(here, 'src/component.js')], write: false, logLevel: 'warning',
  define: { __COMPONENT_CSS__: JSON.stringify(`:host{display:block}.app{font:15px/1.45 var(--font);color:var(--text);background:var(--bg);padding:10px}${css}`) } });
const core = existsSync(join(dist, 'convplay.js')) ? readFileSync(join(dist, 'convplay.js'), 'utf8') : '';
writeFileSync(join(dist, 'conv-playground.js'), `${core}\n;${component.outputFiles[0].text}`);

if (!existsSync(join(dist, 'convplay.js'))) {
  console.warn('warning: dist/convplay.js is missing; run scripts/build.sh to build the WebAssembly core.');
}
