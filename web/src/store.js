// The one state of a playground and the only ways it changes.
//
//   doc: what the URL holds (state.js), changed only by the named actions of actions.js
//        (store.dispatch('setCell', {...})) or by loading a URL (store.load(hash));
//   ui:  what the reader is looking at (ui.js: the focused or pinned cell, a teaching view's
//        highlight, the animation step), changed by store.setUi(name, payload).
//
// Edits are coalesced: each one bumps the generation and queues one flush (a microtask, so a
// burst of edits in one task is derived and drawn once, before anything reads the page). The
// listener (page.js) derives the model and renders the views. The store also keeps the URL's
// hash and the browser history in step with the doc.

import { cloneState } from './state.js';
import { parseHash, serialiseState, hashParam } from './url-state.js';
import { ACTIONS } from './actions.js';
import { UI_ACTIONS, initialUi } from './ui.js';
import { getLang } from './i18n.js';

const RANK = { 'replace-if-needed': 0, replace: 1, push: 2 };

export class Store {
  // opts: {history: bool (write the URL's hash), onFlush(kind): 'doc' | 'ui'}
  constructor(opts) {
    this.opts = opts;
    this.doc = null;
    this.ui = initialUi();
    this.urlMessages = [];
    this.notice = '';
    this.gen = 0;         // generation of the doc
    this.flushedGen = -1;
    this.uiDirty = false;
    this.flushQueued = false;
    this.pendingHistory = null;
    this.lastSource = null;
    this.langInUrl = false;
    this.currentHash = null;
  }

  // A named action on the doc. source: a key naming the control, so that a run of keystrokes in
  // one field becomes one history entry. Returns the action's notice, if any (errors throw and
  // leave the doc as it was).
  dispatch(name, payload = {}, source = null) {
    const action = ACTIONS[name];
    if (!action) throw new Error(`unknown action ${name}`);
    const s = cloneState(this.doc);
    const notice = action(s, payload);
    this.urlMessages = [];
    const mode = source && source === this.lastSource ? 'replace' : 'push';
    this.lastSource = source;
    this.setDoc(s, mode);
    return notice;
  }

  // A change of what the reader looks at; redraws highlights only.
  setUi(name, payload) {
    const next = UI_ACTIONS[name](this.ui, payload);
    if (next === this.ui) return;
    this.ui = next;
    this.uiDirty = true;
    this.queueFlush();
  }

  // Load a URL's hash (a link, a worked example, a history step): one edit, derived at once.
  // parsed: parseHash(hash), when the caller has it already.
  load(hash, push = false, parsed = null) {
    const { state, messages } = parsed || parseHash(hash);
    this.urlMessages = messages.map((m) => `URL: ${m}`);
    const lang = hashParam(hash, 'lang');
    this.langInUrl = lang === 'en' || lang === 'zh';
    this.notice = '';
    this.lastSource = null;
    this.pendingHistory = null;
    this.ui = UI_ACTIONS.reset(this.ui);
    // The URL as loaded is the one on screen (until the state is written back in its own form).
    this.currentHash = String(hash).replace(/^#/, '');
    this.setDoc(state, push ? 'push' : 'replace-if-needed');
    this.flush();
    return lang;
  }

  setDoc(s, historyMode) {
    this.doc = s;
    this.gen++;
    // One history entry for the coalesced edits: a new entry if any of them asked for one.
    if (this.pendingHistory === null || RANK[historyMode] > RANK[this.pendingHistory]) this.pendingHistory = historyMode;
    this.queueFlush();
  }

  queueFlush() {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => { this.flushQueued = false; this.flush(); });
  }

  // Derives and draws the newest doc (or ui), if it is not drawn yet.
  flush() {
    if (this.flushedGen !== this.gen) {
      this.flushedGen = this.gen;
      this.uiDirty = false;
      this.opts.onFlush('doc');
      const mode = this.pendingHistory;
      this.pendingHistory = null;
      this.writeHash(mode);
    } else if (this.uiDirty) {
      this.uiDirty = false;
      this.opts.onFlush('ui');
    }
  }

  setNotice(msg) { this.notice = msg; }

  // lang= goes into the hash for a language other than English, or when the link named one
  // (English links without lang= stay as they were).
  langSuffix() { return getLang() === 'en' && !this.langInUrl ? '' : `&lang=${getLang()}`; }

  hash() { return serialiseState(this.doc) + this.langSuffix(); }

  writeHash(mode) {
    // States of more than 1,000 values are written to the URL after a short pause so that typing
    // stays within a frame (serialising and history.replaceState cost 4-17 ms a keystroke at
    // 1,000-4,000 values: page benchmark); small ones at once.
    clearTimeout(this.hashTimer);
    const s = this.doc;
    const big = s.C * s.D * s.H * s.W + s.K * s.C * s.kd * s.kh * s.kw + (s.gradOut ? s.gradOut.data.length : 0) > 1000; // 3-D: depth counts too
    if (big && !(mode === 'replace-if-needed' && this.urlMessages.length)) {
      // (A loaded link too: serialising 65,536 values takes 25 ms; the URL catches up a moment later.)
      if (!this.pendingMode || RANK[mode] > RANK[this.pendingMode]) this.pendingMode = mode;
      this.hashTimer = setTimeout(() => { const m = this.pendingMode; this.pendingMode = null; this.writeHashNow(m); }, 250);
      return;
    }
    this.writeHashNow(mode);
  }

  writeHashNow(mode) {
    if (!this.opts.history) return;
    const str = this.hash();
    if (mode === 'replace-if-needed' && this.urlMessages.length) {
      // Keep a malformed link visible in the address bar until the user edits something.
      this.currentHash = location.hash.slice(1);
      return;
    }
    if (str === location.hash.slice(1)) { this.currentHash = str; return; }
    this.currentHash = str;
    const url = `#${str}`;
    try {
      if (mode === 'push' && location.hash) history.pushState(null, '', url);
      else history.replaceState(null, '', url);
    } catch {
      location.replace(url);
    }
  }
}
