// Entry point (bundled by web/build.mjs into dist/app.js, a classic script).
// dist/convplay.js, loaded before it, defines the global `convplay`.

import { Playground } from './page.js';
import { fail, initTheme } from './boot.js';
import { t, setLang, initialLang } from './i18n.js';

async function main() {
  initTheme();
  setLang(initialLang());
  if (typeof convplay === 'undefined' || !convplay.load) {
    fail(t('convplay.js did not load: keep index.html, convplay.js and app.js together in one folder.'));
    return;
  }
  let cp;
  try {
    // ?simd=0 forces the scalar engine (engines without WebAssembly SIMD get it anyway), ?relaxed=0
    // the bit-reproducible SIMD one instead of relaxed SIMD's fused multiply-adds.
    const query = new URLSearchParams(location.search);
    cp = await convplay.load(query.get('simd') === '0' ? { simd: false } : query.get('relaxed') === '0' ? { relaxed: false } : {});
  } catch (e) {
    fail(t('The WebAssembly core failed to start: {m}', { m: e && e.message ? e.message : e }));
    return;
  }
  const app = new Playground(cp, document.getElementById('app'));
  app.loadHash(location.hash, false);
  window.convplayApp = app; // for tests and the console
  document.documentElement.dataset.ready = '1';
}

main();
