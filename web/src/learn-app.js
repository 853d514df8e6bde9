// learn.html: the course. The lesson index, the current step (views/lesson-step.js) with one
// live playground reused from step to step, progress (learn-progress.js), teacher files (a file
// picker, drag and drop, #src=URL over http), presenter mode and the step links:
//   learn.html#lesson=ID&step=N    N counts from 1
//   &present=1                     presenter mode: large type, one step per screen, keys step
//   &embed=1                       the step alone (the embed snippet's iframe)
//   &src=URL                       a teacher's lesson file from this site (http only)
//   &lang=en|zh

import { h, clear } from './dom.js';
import { t, LANGS, getLang, setLang, rememberLang } from './i18n.js';
import { hashParam } from './url-state.js';
import { Playground } from './page.js';
import { readLesson } from './lesson-format.js';
import { Progress } from './learn-progress.js';
import { pick } from './lesson-text.js';
import { StepView } from './views/lesson-step.js';
import { isStepKey } from './learn-keys.js';

export class LearnApp {
  // lessons: validated bundled lessons, in course order.
  constructor(cp, root, lessons) {
    this.cp = cp;
    this.root = root;
    this.lessons = lessons;
    this.fileLessons = new Map(); // id -> { lesson, src } loaded by a teacher
    this.progress = new Progress();
    this.step = null;
    this.liveRoot = h('div', { class: 'lesson-live' });
    this.app = new Playground(cp, this.liveRoot, { mode: 'embed', history: false, panels: ['grids'], onRender: () => this.step?.afterRender() });
    this.live = { app: this.app, root: this.liveRoot };
    this.wireLive();
    this.fileError = h('div', { class: 'error lesson-error', 'data-testid': 'lesson-error', role: 'alert', hidden: true });
    window.addEventListener('hashchange', () => this.route());
    document.addEventListener('keydown', (e) => this.onKey(e));
    document.addEventListener('dragover', (e) => { if (hasFiles(e)) { e.preventDefault(); document.documentElement.classList.add('dropping'); } });
    document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) document.documentElement.classList.remove('dropping'); });
    document.addEventListener('drop', (e) => {
      document.documentElement.classList.remove('dropping');
      if (!hasFiles(e)) return;
      e.preventDefault();
      this.openFile(e.dataTransfer.files[0]);
    });
  }

  // Picking cells for a cells question; the step's highlights come back when the pointer leaves.
  wireLive() {
    const cellOf = (e) => e.target.closest?.('[data-testid="input-cell"]');
    this.liveRoot.addEventListener('click', (e) => { const el = cellOf(e); if (el && this.step?.togglePick(el)) e.preventDefault(); });
    this.liveRoot.addEventListener('keydown', (e) => {
      const el = cellOf(e);
      if (el && e.key === ' ' && !el.classList.contains('editing') && this.step?.togglePick(el)) { e.preventDefault(); e.stopPropagation(); }
    }, true);
    this.liveRoot.addEventListener('mouseleave', () => setTimeout(() => { if (!this.liveRoot.contains(document.activeElement)) this.step?.rest(); }, 0));
  }

  get allLessons() { return [...this.lessons, ...[...this.fileLessons.values()].map((f) => f.lesson)]; }
  find(id) { return this.allLessons.find((l) => l.id === id) || null; }

  // The hash -> the page. Unknown lessons and steps fall back to the index with a message.
  route() {
    const hash = location.hash;
    const lang = hashParam(hash, 'lang');
    if (lang) setLang(lang);
    document.documentElement.lang = getLang() === 'zh' ? 'zh-CN' : 'en';
    this.present = hashParam(hash, 'present') === '1';
    this.embedded = hashParam(hash, 'embed') === '1';
    document.documentElement.classList.toggle('present', this.present);
    document.documentElement.classList.toggle('embedded', this.embedded);
    const src = hashParam(hash, 'src');
    if (src && !this.fileLessons.has(`src:${src}`)) { this.loadSrc(src); return; }
    const id = hashParam(hash, 'lesson');
    const lesson = src ? this.fileLessons.get(`src:${src}`).lesson : id ? this.find(id) : null;
    let index = Number.parseInt(hashParam(hash, 'step') || '1', 10) - 1;
    let note = '';
    if (id && !lesson) note = t('There is no lesson “{id}” here: pick one from the list.', { id });
    if (lesson && !(index >= 0 && index < lesson.steps.length)) {
      note = t('Lesson “{l}” has steps 1 to {n}: showing step 1.', { l: pick(lesson.title), n: lesson.steps.length });
      index = 0;
    }
    this.render(lesson, index, note);
  }

  render(lesson, index, note) {
    document.title = lesson ? `${pick(lesson.steps[index].title)} · ${pick(lesson.title)} · convplay` : t('convplay lessons: convolution, step by step');
    clear(this.root);
    this.step = null;
    const main = h('main', { class: 'learn-main', id: 'step' });
    if (note) main.append(h('p', { class: 'notice', role: 'status' }, note));
    main.append(this.fileError);
    if (lesson) {
      this.step = new StepView(this.live, lesson, index, {
        prev: () => this.go(lesson.id, index - 1),
        next: () => (index + 1 < lesson.steps.length ? this.go(lesson.id, index + 1) : this.go(null)),
        done: (i) => { this.progress.complete(lesson.id, i); this.updateIndex(); },
      }, this.links(lesson, index));
      main.append(this.step.el);
      this.progress.visit(lesson.id, index);
      if (!lesson.steps[index].question) this.progress.complete(lesson.id, index);
    } else main.append(this.intro());
    this.root.append(
      h('a', { class: 'skip-link', href: '#step', onclick: (e) => { e.preventDefault(); main.querySelector('h2, h1')?.focus(); } }, t('Skip to the lesson')),
      this.header(), h('div', { class: 'learn-layout' }, this.index(lesson, index), main));
    for (const hd of main.querySelectorAll('h2, h1')) hd.tabIndex = -1;
    if (this.step) this.step.show();
  }

  // The step's own link and its embed snippet (a bundled lesson, or a teacher file from src=).
  links(lesson, index) {
    const file = [...this.fileLessons.values()].find((f) => f.lesson === lesson);
    const src = file?.src;
    if (file && !src) return { step: null, embed: t('This lesson came from a file: share the file, or put it on your site and link learn.html#src=its-URL.') };
    const key = src ? `src=${encodeURIComponent(src)}&step=${index + 1}` : `lesson=${lesson.id}&step=${index + 1}`;
    const lang = getLang() === 'zh' ? '&lang=zh' : '';
    return { step: `#${key}${lang}`, embed: `<iframe src="learn.html#${key}&embed=1${lang}" title="${pick(lesson.title).replace(/["<&]/g, '')}" style="width:100%;height:760px;border:0" loading="lazy"></iframe>` };
  }

  go(id, index = 0) {
    this.hideFileError(); // a file's message belongs to the page it was shown on
    const keep = [this.present ? 'present=1' : '', getLang() === 'zh' ? 'lang=zh' : ''].filter(Boolean);
    const src = id && [...this.fileLessons.values()].find((f) => f.lesson.id === id)?.src;
    const base = id ? [src ? `src=${encodeURIComponent(src)}` : `lesson=${id}`, `step=${index + 1}`] : [];
    const hash = [...base, ...keep].join('&');
    if (location.hash.slice(1) === hash) this.route();
    else location.hash = hash;
  }

  header() {
    const langSel = h('select', { class: 'btn lang-select', 'data-testid': 'lang', 'aria-label': t('Language') }, LANGS.map(([id, name]) => h('option', { value: id, lang: id }, name)));
    langSel.value = getLang();
    langSel.addEventListener('change', () => {
      setLang(langSel.value); rememberLang(getLang());
      const hash = location.hash.slice(1).split('&').filter((kv) => kv && !kv.startsWith('lang=')).concat(getLang() === 'zh' ? ['lang=zh'] : []).join('&');
      history.replaceState(null, '', `#${hash}`);
      this.route();
      this.root.querySelector('[data-testid="lang"]')?.focus();
    });
    const file = h('input', { type: 'file', id: 'lesson-file', accept: '.json,application/json', 'data-testid': 'lesson-file', class: 'file-input' });
    file.addEventListener('change', () => { if (file.files[0]) this.openFile(file.files[0]); file.value = ''; });
    return h('header', { class: 'top learn-top' },
      h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), h('h1', null, h('a', { href: '#', 'data-testid': 'home' }, t('convplay lessons'))),
        h('span', { class: 'tagline' }, t('convolution, step by step: predict, then check'))),
      h('div', { class: 'top-actions' },
        file, h('label', { class: 'btn file-label', for: 'lesson-file' }, t('Open a lesson file…')),
        h('a', { class: 'btn', href: `learn.html#${this.step ? 'lesson=' + this.step.lesson.id + '&step=' + (this.step.index + 1) + '&' : ''}present=1${getLang() === 'zh' ? '&lang=zh' : ''}`, 'data-testid': 'present' }, t('Present')),
        h('a', { class: 'btn', href: 'index.html', 'data-testid': 'playground-link' }, t('The playground')),
        langSel));
  }

  index(current, index) {
    const list = h('ol', { class: 'lesson-list' }, this.allLessons.map((l) => {
      const p = this.progress.of(l.id);
      const done = p.done.filter((i) => i < l.steps.length).length;
      return h('li', { class: l === current ? 'current' : null },
        h('a', { href: `#lesson=${l.id}&step=${(l === current ? index : Math.min(p.last, l.steps.length - 1)) + 1}${getLang() === 'zh' ? '&lang=zh' : ''}`,
          'data-testid': 'lesson', 'data-id': l.id, 'aria-current': l === current ? 'page' : null,
          onclick: (e) => { e.preventDefault(); this.go(l.id, l === current ? index : Math.min(p.last, l.steps.length - 1)); } },
          h('span', { class: 'lesson-name' }, pick(l.title)),
          h('span', { class: 'lesson-progress', 'data-testid': 'lesson-progress' }, t('{k} of {n} steps done', { k: done, n: l.steps.length }))));
    }));
    this.indexEl = h('nav', { class: 'panel lesson-index', 'aria-label': t('Lessons') }, h('h2', null, t('Lessons')), list,
      h('p', { class: 'muted drop-hint' }, t('Teachers: drop a lesson file (.json) anywhere on this page to open it.')));
    return this.indexEl;
  }

  updateIndex() {
    const old = this.indexEl;
    if (!old) return;
    old.replaceWith(this.index(this.step?.lesson, this.step?.index ?? 0));
  }

  intro() {
    return h('section', { class: 'panel learn-intro' },
      h('h2', null, t('Learn convolution by predicting it')),
      h('p', null, t('Each lesson is a few short steps. A step shows the real playground with its numbers; most ask you to predict something first — a shape, a value, the cells that feed an output — and only then show the answer. Edit any grid: the answers follow what is on screen.')),
      h('p', null, t('Pick a lesson on the left. Your progress stays in this browser.')));
  }

  // ---- teacher files ---------------------------------------------------------------------
  async openFile(file) {
    if (!file) return;
    let text;
    try { text = await file.text(); } catch (e) { this.showFileError([`file: ${e.message}`]); return; }
    this.addLesson(text, null, file.name);
  }

  // src= over http, same origin only: the page requests nothing but its own site's files (its
  // privacy promise), and a lesson from elsewhere would put another site's text and links in
  // front of the learner under this page's name. From file:// a browser cannot read files by URL.
  async loadSrc(src) {
    let url;
    try { url = new URL(src, location.href); } catch { this.failSrc(t('src: “{s}” is not a URL.', { s: src })); return; }
    if (location.protocol === 'file:') { this.failSrc(t('src: a page opened from a file cannot read other files by URL; use “Open a lesson file…” instead.')); return; }
    if (url.origin !== location.origin) { this.failSrc(t('src: only lesson files from this site ({o}) can be opened by URL; download the file and open it instead.', { o: location.origin })); return; }
    let text;
    try {
      const res = await fetch(url.href, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
    } catch (e) { this.failSrc(t('src: {u} could not be read ({m}).', { u: url.pathname, m: e.message })); return; }
    const lesson = this.addLesson(text, src, url.pathname, false);
    if (!lesson) { this.failSrc(null); return; }
    this.route();
  }

  failSrc(message) {
    const hash = location.hash.slice(1).split('&').filter((kv) => kv && !kv.startsWith('src=') && !kv.startsWith('step=')).join('&');
    history.replaceState(null, '', `#${hash}`);
    this.route();
    if (message) this.showFileError([message]);
  }

  // A lesson file's text -> the lesson opened (or the validator's messages shown, nothing else
  // changed). Returns the lesson or null.
  addLesson(text, src, name, navigate = true) {
    const res = readLesson(this.cp, text);
    if (!res.ok) { this.showFileError(res.errors, name); return null; }
    if (this.lessons.some((l) => l.id === res.lesson.id)) {
      this.showFileError([`id: "${res.lesson.id}" is the id of a lesson of the course; give the file its own id`], name);
      return null;
    }
    this.fileLessons.set(src ? `src:${src}` : `file:${res.lesson.id}`, { lesson: res.lesson, src });
    this.hideFileError();
    if (navigate) this.go(res.lesson.id, 0);
    return res.lesson;
  }

  showFileError(errors, name = '') {
    clear(this.fileError);
    this.fileError.hidden = false;
    this.fileError.append(h('p', null, h('b', null, name ? t('{f} is not a lesson convplay can open:', { f: name }) : t('This lesson could not be opened:'))),
      h('ul', null, errors.slice(0, 20).map((m) => h('li', null, m))),
      errors.length > 20 ? h('p', null, t('… and {n} more.', { n: errors.length - 20 })) : null);
  }

  hideFileError() { this.fileError.hidden = true; clear(this.fileError); }

  // Presenter mode: arrows, PageDown / PageUp (a presentation clicker) step through the lesson,
  // unless the key is meant for a field, a grid or a button group; Escape leaves the mode.
  onKey(e) {
    if (!this.present || !this.step) return;
    if (e.key === 'Escape' && !e.target.closest?.('[role="grid"], input, textarea')) { this.present = false; this.go(this.step.lesson.id, this.step.index); return; }
    const dir = isStepKey(e);
    if (!dir) return;
    e.preventDefault();
    const { lesson, index } = this.step;
    if (dir > 0 && index + 1 < lesson.steps.length) this.go(lesson.id, index + 1);
    else if (dir < 0 && index > 0) this.go(lesson.id, index - 1);
  }
}

const hasFiles = (e) => !!e.dataTransfer && [...(e.dataTransfer.types || [])].includes('Files');
