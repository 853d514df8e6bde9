// dist/embed.html: the playground in a compact layout for an <iframe>. The hash holds the state
// (the URL syntax of index.html) plus panels=grids,formula,... naming what to show. The page
// reports its content height to the embedding page with postMessage({type: 'convplay:height'}).

import { Playground } from './page.js';
import { hashParam } from './url-state.js';
import { initTheme, fail } from './boot.js';
import { t, setLang, getLang, initialLang } from './i18n.js';

function panelsFrom(hash) {
  const v = hashParam(hash, 'panels');
  return v ? v.split(',').map((x) => x.trim()).filter(Boolean) : ['grids', 'formula'];
}

function reportHeight() {
  let last = -1;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    if (window.parent && window.parent !== window) window.parent.postMessage({ type: 'convplay:height', height }, '*');
    document.documentElement.dataset.height = String(height);
  };
  new ResizeObserver(send).observe(document.body);
  send();
}

async function main() {
  initTheme();
  setLang(initialLang());
  document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
  if (typeof convplay === 'undefined' || !convplay.load) { fail(t('convplay.js did not load: keep embed.html and convplay.js together.')); return; }
  let cp;
  try { cp = await convplay.load(); } catch (e) { fail(t('The WebAssembly core failed to start: {m}', { m: e && e.message ? e.message : e })); return; }
  const root = document.getElementById('app');
  const hash = location.hash;
  const link = `index.html${hash.replace(/&?panels=[^&]*/, '')}`;
  const app = new Playground(cp, root, { mode: 'embed', panels: panelsFrom(hash), history: false, link });
  app.loadHash(hash, false);
  // Several hash changes in one task queue several hashchange events that all read the final
  // hash: load each hash once.
  let shown = hash;
  window.addEventListener('hashchange', () => {
    if (location.hash === shown) return;
    shown = location.hash;
    app.opts.panels = panelsFrom(location.hash);
    setLang(hashParam(location.hash, 'lang') || initialLang());
    app.build();
    app.loadHash(location.hash, false);
  });
  window.convplayApp = app;
  reportHeight();
  document.documentElement.dataset.ready = '1';
}

main();
