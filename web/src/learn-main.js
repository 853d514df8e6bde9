// Entry point of learn.html (bundled by web/build.mjs into dist/learn.js, a classic script, so
// the course works from file://). The lessons are bundled too (web/lessons/*.json via
// lessons.js) and validated with the core before the first step is shown.

import { fail, initTheme } from './boot.js';
import { t, setLang, initialLang, missing } from './i18n.js';
import { validateLesson } from './lesson-format.js';
import { LESSONS } from './lessons.js';
import { LearnApp } from './learn-app.js';

async function main() {
  initTheme();
  setLang(initialLang());
  if (typeof convplay === 'undefined' || !convplay.load) { fail(t('convplay.js did not load: keep learn.html, convplay.js and learn.js together in one folder.')); return; }
  let cp;
  try { cp = await convplay.load(); } catch (e) { fail(t('The WebAssembly core failed to start: {m}', { m: e && e.message ? e.message : e })); return; }
  const lessons = [];
  for (const json of LESSONS) {
    const res = validateLesson(cp, json);
    if (!res.ok) { fail(`${json.id}: ${res.errors.join('; ')}`); return; }
    lessons.push(res.lesson);
  }
  const app = new LearnApp(cp, document.getElementById('app'), lessons);
  app.route();
  window.convplayLearn = app; // for tests and the console
  app.i18nMissing = missing; // labels with no 中文 entry (tests/browser/learn.test.mjs)
  document.documentElement.dataset.ready = '1';
}

main();
