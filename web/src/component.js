// <conv-playground>: the playground as a web component, from one classic script
// (dist/conv-playground.js = the WebAssembly core + this bundle). Attributes use the URL syntax:
//   <conv-playground op="conv_transpose2d" x="0,1;2,3" w="0,1;2,3" stride="2" panels="grids,formula">
// Any number per page; each renders into its own shadow root, with the page's styles adopted as
// a constructed stylesheet (no <style> element, so a strict style-src CSP is fine).
// The element gets a `ready` attribute once it has computed.

import { Playground } from './page.js';
import { hashFromAttributes, STATE_KEYS } from './url-state.js';
import { t, setLang } from './i18n.js';

/* global __COMPONENT_CSS__ */
let sheet = null;
function styles() {
  if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(__COMPONENT_CSS__); }
  return sheet;
}

let core = null;
function loadCore() {
  if (!core) core = convplay.load();
  return core;
}

class ConvPlayground extends HTMLElement {
  static get observedAttributes() { return [...STATE_KEYS, 'panels', 'lang']; }

  connectedCallback() {
    if (this.shadowRoot) return;
    const shadow = this.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [styles()];
    this.rootEl = document.createElement('div');
    this.rootEl.className = 'app';
    this.rootEl.textContent = 'Loading convplay…';
    shadow.appendChild(this.rootEl);
    loadCore().then((cp) => {
      if (this.hasAttribute('lang')) setLang(this.getAttribute('lang'));
      this.rootEl.textContent = '';
      this.app = new Playground(cp, this.rootEl, { mode: 'embed', panels: this.panels(), history: false });
      this.app.loadHash(hashFromAttributes(this), false);
      this.setAttribute('ready', '');
      this.dispatchEvent(new CustomEvent('convplay-ready', { bubbles: true }));
    }, (e) => { this.rootEl.textContent = t('convplay failed to start: {m}', { m: e && e.message ? e.message : e }); });
  }

  panels() {
    const v = this.getAttribute('panels');
    return v ? v.split(',').map((x) => x.trim()).filter(Boolean) : ['grids', 'formula'];
  }

  attributeChangedCallback(name) {
    if (!this.app) return;
    if (name === 'panels') { this.app.opts.panels = this.panels(); this.app.build(); }
    // Attributes set one after another in a script make one state, loaded once at the end.
    if (this.loadQueued) return;
    this.loadQueued = true;
    queueMicrotask(() => { this.loadQueued = false; this.app.loadHash(hashFromAttributes(this), false); });
  }
}

if (!customElements.get('conv-playground')) customElements.define('conv-playground', ConvPlayground);
