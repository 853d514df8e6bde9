// "Save as SVG / PNG" for a panel (issue 21, figure export): two small buttons that every panel
// of the playground gets from shell.js (figureTools), so a panel added later has them by being
// a panel. The SVG is the panel as it is on screen (figure-svg.js); the PNG is that SVG drawn on
// a canvas at twice the panel's CSS size. Both are made in the page and saved as a download:
// nothing is sent anywhere, and it works from file:// (the SVG refers to nothing outside
// itself, so the canvas is never tainted).

import { h } from './dom.js';
import { t } from './i18n.js';
import { elementToSvg } from './figure-svg.js';

export const PNG_SCALE = 2;

// The state the figure shows, for the SVG's <desc> (the URL hash reproduces it in convplay).
const stateNote = () => (typeof location !== 'undefined' && location.hash ? `convplay ${location.hash}` : 'convplay');

export function panelSvg(panel, name) {
  return elementToSvg(panel, { title: `convplay: ${name}`, desc: stateNote() });
}

// SVG markup -> a PNG Blob of width*scale × height*scale pixels.
export async function svgToPng(svg, width, height, scale = PNG_SCALE) {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    await new Promise((ok, fail) => { img.onload = ok; img.onerror = () => fail(new Error('the SVG could not be drawn')); img.src = url; });
    const cv = document.createElement('canvas');
    cv.width = Math.round(width * scale); cv.height = Math.round(height * scale);
    const ctx = cv.getContext('2d');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise((ok, fail) => cv.toBlob((b) => (b ? ok(b) : fail(new Error('the canvas gave no PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

// Saves a Blob under this file name (an <a download> click: no server involved).
export function saveBlob(blob, filename, root = document.body) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  root.appendChild(a);
  a.click();
  a.remove();
  // The download has taken the blob once the click's task is over; free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// The toolbar for one panel. name: the panel's id in file names (convplay-<name>.svg);
// what: the panel in words for the buttons' accessible names ("the grids"); notify(msg): shows
// a message when an export fails; target(): the element to draw (default: the panel).
export function figureTools(panel, { name, what, notify = () => {}, target = () => panel }) {
  const run = async (kind) => {
    try {
      const el = target();
      const { svg, width, height } = panelSvg(el, name);
      const blob = kind === 'svg' ? new Blob([svg], { type: 'image/svg+xml' }) : await svgToPng(svg, width, height);
      saveBlob(blob, `convplay-${name}.${kind}`, panel);
    } catch (e) {
      notify(t('Saving the figure failed: {m}', { m: e && e.message ? e.message : String(e) }));
    }
  };
  const btn = (kind, label) => h('button', { type: 'button', class: 'btn fig-btn', 'data-testid': `export-${kind}`, 'data-panel': name,
    'aria-label': t(kind === 'svg' ? 'Save {what} as SVG' : 'Save {what} as PNG (2×)', { what }),
    title: t(kind === 'svg' ? 'Save {what} as SVG' : 'Save {what} as PNG (2×)', { what }), onclick: () => run(kind),
    // A mouse click leaves the focus where it is: the focused cell keeps its highlights and
    // explanation, which are then in the figure. (The keyboard moves the focus as usual.)
    onmousedown: (e) => e.preventDefault() }, label);
  return h('div', { class: 'fig-tools', role: 'group', 'aria-label': t('Save {what} as a figure', { what }), 'data-figure-skip': '' },
    btn('svg', 'SVG'), btn('png', 'PNG'));
}

// Puts the figure buttons in a panel: after a <details>' summary (shown when it is open), first
// in a panel (floated right, beside its title), or last in a row of panels (the grids). Any
// page (the playground's shell, a lesson) calls this for each panel it wants saved.
export function addFigureTools(el, name, what, notify) {
  const tools = figureTools(el, { name, what, notify });
  const summary = el.tagName === 'DETAILS' && el.querySelector(':scope > summary');
  if (summary) summary.after(tools);
  else if (el.classList.contains('panel')) el.prepend(tools);
  else el.append(tools);
  return tools;
}
