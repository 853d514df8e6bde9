// A panel of the page as a standalone SVG figure (for slides and papers, issue 21). It measures
// the laid-out DOM instead of laying anything out again: every element's box (its background,
// borders and highlight rings, figure-paint.js) and every line of text (a <text> at the
// position the browser put it, in the computed font and colour) is written where
// getBoundingClientRect puts it. A grid's cell colours live on a canvas behind the cells
// (grid.js): they become one rounded rectangle per cell. So any panel, including ones added
// later, exports as it looks, in the current theme; nothing in the file refers to anything
// outside it (no fonts, no images by URL), so it renders alone and draws onto a canvas
// untainted (the PNG export).

import { gridOf } from './grid.js';
import { esc, num, fillAttrs, parseColour, outerShadows, insetShadows, background, borders, gradientDef, radiusOf, roundRectPath } from './figure-paint.js';
import { textAttrs, textMarkup, transformed, textLines, pseudo, summaryMarker, listMarker, selectText } from './figure-text.js';

// Not part of a figure: the export buttons themselves and anything marked so.
const SKIP = '[data-figure-skip], script, style, template, noscript, input, textarea';

class Writer {
  constructor(x0, y0) {
    this.x0 = x0; this.y0 = y0;
    this.parts = [];
    this.defs = [];
    this.clips = new Map();
    this.grads = new Map();
  }

  // A page rectangle -> the figure's coordinates.
  box(r) { return { x: r.left - this.x0, y: r.top - this.y0, w: r.width, h: r.height }; }

  gradient(css) {
    if (this.grads.has(css)) return this.grads.get(css);
    const id = `g${this.grads.size}`;
    const def = gradientDef(css, id);
    this.grads.set(css, def ? id : null);
    if (def) this.defs.push(def);
    return def ? id : null;
  }

  // Adds shapes whose bounding box is b, clipped to the clip rectangle in force: left out when
  // wholly outside it, wrapped in a clip path only when they cross its edge.
  add(markup, b, clip) {
    if (!markup.length) return;
    if (clip) {
      if (b.x >= clip.x + clip.w || b.y >= clip.y + clip.h || b.x + b.w <= clip.x || b.y + b.h <= clip.y) return;
      const inside = b.x >= clip.x - 0.5 && b.y >= clip.y - 0.5 && b.x + b.w <= clip.x + clip.w + 0.5 && b.y + b.h <= clip.y + clip.h + 0.5;
      if (!inside) {
        const key = [clip.x, clip.y, clip.w, clip.h].map(num).join(',');
        let id = this.clips.get(key);
        if (!id) {
          id = `c${this.clips.size}`;
          this.clips.set(key, id);
          this.defs.push(`<clipPath id="${id}"><rect x="${num(clip.x)}" y="${num(clip.y)}" width="${num(clip.w)}" height="${num(clip.h)}"/></clipPath>`);
        }
        this.parts.push(`<g clip-path="url(#${id})">${markup.join('')}</g>`);
        return;
      }
    }
    this.parts.push(...markup);
  }
}

const intersect = (a, b) => {
  if (!a) return b;
  const x = Math.max(a.x, b.x), y = Math.max(a.y, b.y);
  return { x, y, w: Math.max(0, Math.min(a.x + a.w, b.x + b.w) - x), h: Math.max(0, Math.min(a.y + a.h, b.y + b.h) - y) };
};

// A grid's background canvas (grid.js): a rounded rectangle of each cell's colour, at the cell.
function gridCanvas(w, canvas, opacity, clip) {
  const g = gridOf(canvas);
  if (!g) return false;
  const each = (el, colour) => {
    if (!el || !colour) return;
    const fill = fillAttrs(colour, opacity);
    if (!fill) return;
    const b = w.box(el.getBoundingClientRect());
    const r = Math.min(4, b.w / 6);
    w.add([`<rect x="${num(b.x)}" y="${num(b.y)}" width="${num(b.w)}" height="${num(b.h)}" rx="${num(r)}" ${fill}/>`], b, clip);
  };
  g.cells.forEach((el, i) => each(el, g.bg[i]));
  for (const [key, colour] of g.ghostBg) each(g.ghosts.get(key), colour);
  return true;
}

// Any other canvas, an <img> or an inline <svg>: embedded as a data: URL (raster, but inside
// the file).
function embedded(w, el, b, opacity, clip) {
  let href = null;
  try {
    if (el instanceof HTMLCanvasElement) href = el.toDataURL('image/png');
    else if (el instanceof SVGSVGElement) href = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(el))}`;
    else if (el instanceof HTMLImageElement && el.complete && el.naturalWidth) {
      const cv = document.createElement('canvas');
      cv.width = el.naturalWidth; cv.height = el.naturalHeight;
      cv.getContext('2d').drawImage(el, 0, 0);
      href = cv.toDataURL('image/png');
    }
  } catch { href = null; } // a cross-origin image cannot be read: it is left out
  if (!href) return;
  // The picture fills the content box (inside border and padding), with the box's rounded
  // corners and the page's scaling (pixelated: the image mode shows pixels as squares).
  const cs = getComputedStyle(el);
  const px = (p) => parseFloat(cs[p]) || 0;
  const l = px('borderLeftWidth') + px('paddingLeft'), t = px('borderTopWidth') + px('paddingTop');
  const c = { x: b.x + l, y: b.y + t, w: b.w - l - px('borderRightWidth') - px('paddingRight'), h: b.h - t - px('borderBottomWidth') - px('paddingBottom') };
  if (c.w <= 0 || c.h <= 0) return;
  const r = Math.max(0, radiusOf(cs, b.w, b.h) - px('borderTopWidth'));
  let clipAttr = '';
  if (r > 0) {
    const id = `i${w.defs.length}`;
    w.defs.push(`<clipPath id="${id}"><path d="${roundRectPath(c.x, c.y, c.w, c.h, r)}"/></clipPath>`);
    clipAttr = ` clip-path="url(#${id})"`;
  }
  const pixelated = /pixelated|crisp-edges/.test(cs.imageRendering) ? ' style="image-rendering:pixelated" image-rendering="optimizeSpeed"' : '';
  w.add([`<image x="${num(c.x)}" y="${num(c.y)}" width="${num(c.w)}" height="${num(c.h)}" preserveAspectRatio="none"${pixelated}${clipAttr} xlink:href="${esc(href)}"${opacity < 1 ? ` opacity="${num(opacity)}"` : ''}/>`], c, clip);
}

// Draws el and what it contains. state: { opacity, clip } inherited from the ancestors.
function walk(w, el, state, isRoot = false) {
  if (el.nodeType === 3) {
    const parent = el.parentElement;
    const cs = getComputedStyle(parent);
    if (cs.visibility !== 'visible' || !el.data.trim()) return;
    const attrs = textAttrs(cs, cs.webkitTextFillColor && cs.webkitTextFillColor !== cs.color ? cs.webkitTextFillColor : cs.color, state.opacity);
    if (!attrs) return; // transparent text is not shown on the page either
    for (const line of textLines(el)) {
      const { markup, b } = textMarkup(w, transformed(line.text, cs.textTransform), line.rect, cs, attrs);
      w.add([markup], b, state.clip);
    }
    return;
  }
  if (el.nodeType !== 1 || (!isRoot && el.matches(SKIP))) return;
  const cs = getComputedStyle(el);
  if (cs.display === 'none') return;
  if (el.tagName === 'DETAILS' && !el.open) {
    // A closed <details> shows its summary only.
    const s = el.querySelector(':scope > summary');
    if (s) walk(w, s, state);
    return;
  }
  const r = el.getBoundingClientRect();
  const b = w.box(r);
  // Scrolled out of view (most of a big matrix): an element that clips its contents is left
  // out whole, without reading its style or its text.
  const clipped = state.clip && r.width > 0 && (b.x >= state.clip.x + state.clip.w || b.y >= state.clip.y + state.clip.h || b.x + b.w <= state.clip.x || b.y + b.h <= state.clip.y);
  if (clipped && cs.overflowX !== 'visible' && cs.overflowY !== 'visible') return;
  // Hidden by a 1-pixel clip (screen-reader-only text).
  if (cs.position === 'absolute' && r.width <= 1 && r.height <= 1 && cs.overflow !== 'visible') return;
  const opacity = state.opacity * (parseFloat(cs.opacity) || 0);
  if (opacity <= 0.001) return;
  // A positioned element with a z-index above 1 (a lit or focused cell) paints after its
  // siblings: its markup goes to a layer drawn at the end of its stacking context.
  const z = cs.position !== 'static' && cs.zIndex !== 'auto' ? Number(cs.zIndex) : 0;
  const saved = w.parts;
  if (z > 1) w.parts = [];
  const visible = !clipped && cs.visibility === 'visible' && cs.display !== 'contents';
  if (visible && r.width > 0 && r.height > 0) {
    w.add([...outerShadows(cs, b, opacity), ...background(cs, b, opacity, w)], { x: b.x - 8, y: b.y - 8, w: b.w + 16, h: b.h + 16 }, state.clip);
    if (el instanceof HTMLCanvasElement && el.classList.contains('grid-bg')) gridCanvas(w, el, opacity, state.clip);
    else if (el instanceof HTMLCanvasElement || el instanceof HTMLImageElement || el instanceof SVGSVGElement) embedded(w, el, b, opacity, state.clip);
    w.add([...borders(cs, b, opacity), ...insetShadows(cs, b, opacity)], b, state.clip);
    pseudo(w, el, '::before', b, opacity, state.clip);
    if (el.tagName === 'SUMMARY' && cs.display === 'list-item' && cs.listStyleType !== 'none') summaryMarker(w, el, cs, b, opacity, state.clip);
    else if (cs.display === 'list-item' && cs.listStyleType !== 'none') listMarker(w, el, cs, b, opacity, state.clip);
  }
  let clip = state.clip;
  // Overflow clips the contents; so does paint containment (a grid's content-visibility:
  // auto), which on the page cuts a highlight ring at the grid's edge: so does the figure.
  const paintContained = cs.contentVisibility === 'auto' || /paint|strict|content/.test(cs.contain);
  if (!isRoot && (cs.overflowX !== 'visible' || cs.overflowY !== 'visible' || paintContained) && cs.display !== 'contents') clip = intersect(clip, b);
  const layers = w.layers;
  const context = isRoot || cs.contain !== 'none' || (z !== 0);
  if (context) w.layers = [];
  if (el instanceof HTMLSelectElement) selectText(w, el, cs, b, opacity, clip);
  else if (!(el instanceof SVGSVGElement)) for (const child of el.childNodes) walk(w, child, { opacity, clip });
  if (visible && r.width > 0 && r.height > 0) pseudo(w, el, '::after', b, opacity, state.clip);
  if (context) {
    // This stacking context's raised layers, lowest first.
    for (const l of w.layers.sort((p, q) => p.z - q.z)) w.parts.push(...l.parts);
    w.layers = layers;
  }
  if (z > 1) {
    const mine = w.parts;
    w.parts = saved;
    (w.layers || (w.layers = [])).push({ z, parts: mine });
  }
}

// The page background behind el (the first ancestor with a colour), for the figure's backdrop.
function backdropOf(el) {
  for (let e = el.parentElement || el.getRootNode().host; e; e = e.parentElement || (e.getRootNode && e.getRootNode().host)) {
    const c = getComputedStyle(e).backgroundColor;
    if (parseColour(c).a > 0) return c;
  }
  return getComputedStyle(document.documentElement).backgroundColor || '#ffffff';
}

// -> { svg: markup, width, height } for el as it is on screen. opts: { title, backdrop: bool }.
export function elementToSvg(el, opts = {}) {
  // Whole pixels around the panel: the figure's pixels are the screen's (a panel at a
  // fractional position keeps its sub-pixel offset inside the figure).
  const r = el.getBoundingClientRect();
  const x0 = Math.floor(r.left), y0 = Math.floor(r.top);
  const width = Math.ceil(r.right) - x0, height = Math.ceil(r.bottom) - y0;
  const w = new Writer(x0, y0);
  w.layers = [];
  if (opts.backdrop !== false) {
    const fill = fillAttrs(backdropOf(el));
    if (fill) w.parts.push(`<rect width="${width}" height="${height}" ${fill}/>`);
  }
  walk(w, el, { opacity: 1, clip: { x: 0, y: 0, w: width, h: height } }, true);
  const title = opts.title ? `<title>${esc(opts.title)}</title>` : '';
  const desc = opts.desc ? `<desc>${esc(opts.desc)}</desc>` : '';
  const svg = `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`
    + `${title}${desc}${w.defs.length ? `<defs>${w.defs.join('')}</defs>` : ''}${w.parts.join('\n')}</svg>\n`;
  return { svg, width, height };
}
