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

// Font metrics (ascent, descent) of a computed font, measured once per font.
const metrics = new Map();
let measureCtx = null;
function fontMetrics(cs) {
  const font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  let m = metrics.get(font);
  if (!m) {
    measureCtx = measureCtx || document.createElement('canvas').getContext('2d');
    measureCtx.font = font;
    const t = measureCtx.measureText('0Hg');
    const size = parseFloat(cs.fontSize) || 16;
    m = { ascent: t.fontBoundingBoxAscent ?? size * 0.8, descent: t.fontBoundingBoxDescent ?? size * 0.2 };
    metrics.set(font, m);
  }
  return m;
}

function textAttrs(cs, colour, opacity) {
  const fill = fillAttrs(colour, opacity);
  if (!fill) return null;
  let a = `font-family="${esc(cs.fontFamily)}" font-size="${num(parseFloat(cs.fontSize))}" ${fill}`;
  if (cs.fontWeight !== '400' && cs.fontWeight !== 'normal') a += ` font-weight="${esc(cs.fontWeight)}"`;
  if (cs.fontStyle !== 'normal') a += ` font-style="${esc(cs.fontStyle)}"`;
  if (cs.textDecorationLine && cs.textDecorationLine !== 'none') a += ` text-decoration="${esc(cs.textDecorationLine)}"`;
  return a;
}

// One <text> for a run of text laid out in rectangle r (page coordinates) with this style. The
// baseline sits where the browser put it: the font's content area is centred in the run's box.
function textMarkup(w, text, r, cs, attrs) {
  const b = w.box(r);
  const m = fontMetrics(cs);
  const baseline = b.y + (b.h - (m.ascent + m.descent)) / 2 + m.ascent;
  // textLength holds the run to the width it has on the page, whatever font a viewer picks.
  const fit = text.length > 1 && b.w > 0 ? ` textLength="${num(b.w)}" lengthAdjust="spacingAndGlyphs"` : '';
  return { markup: `<text x="${num(b.x)}" y="${num(baseline)}"${fit} ${attrs}>${esc(text)}</text>`, b };
}

// The text as shown (CSS text-transform: the panels' titles are upper case).
function transformed(text, tt) {
  if (tt === 'uppercase') return text.toUpperCase();
  if (tt === 'lowercase') return text.toLowerCase();
  if (tt === 'capitalize') return text.replace(/(^|\s)(\S)/g, (m, a, c) => a + c.toUpperCase());
  return text;
}

// The lines of a text node: [{ text, rect }], one per line box it occupies.
function textLines(node) {
  const s = node.data;
  const range = document.createRange();
  range.selectNodeContents(node);
  const rects = range.getClientRects();
  if (rects.length === 0) return [];
  const trimmed = (a, b) => {
    while (a < b && /\s/.test(s[a])) a++;
    while (b > a && /\s/.test(s[b - 1])) b--;
    return [a, b];
  };
  if (rects.length === 1) {
    const [a, b] = trimmed(0, s.length);
    if (a === b) return [];
    range.setStart(node, a); range.setEnd(node, b);
    return [{ text: s.slice(a, b).replace(/\s+/g, ' '), rect: range.getBoundingClientRect() }];
  }
  // Wrapped text: group the characters by the line they are on.
  const lines = [];
  let cur = null;
  for (let i = 0; i < s.length; i++) {
    if (/\s/.test(s[i])) continue;
    range.setStart(node, i); range.setEnd(node, i + 1);
    const r = range.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (!cur || r.top >= cur.bottom - 1 || r.left < cur.lastLeft - 1) {
      cur = { a: i, b: i + 1, bottom: r.bottom, lastLeft: r.left };
      lines.push(cur);
    } else { cur.b = i + 1; cur.lastLeft = r.left; }
  }
  return lines.map((l) => {
    range.setStart(node, l.a); range.setEnd(node, l.b);
    return { text: s.slice(l.a, l.b).replace(/\s+/g, ' '), rect: range.getBoundingClientRect() };
  });
}

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

// ::before / ::after boxes and texts: an absolutely placed label (a padding cell's badge) or an
// empty inline square (the legend's swatches).
function pseudo(w, el, which, elBox, opacity, clip) {
  const cs = getComputedStyle(el, which);
  const content = cs.content;
  if (!content || content === 'none' || content === 'normal' || cs.display === 'none') return;
  let text = '';
  const str = /^"(.*)"$/.exec(content);
  const attr = /^attr\(([\w-]+)\)$/.exec(content);
  if (str) text = str[1];
  else if (attr) text = el.getAttribute(attr[1]) || '';
  else return;
  const pw = parseFloat(cs.width), ph = parseFloat(cs.height);
  if (!text && pw > 0 && ph > 0) {
    // An empty inline-block: at the element's start, centred on its line.
    const ml = parseFloat(cs.marginLeft) || 0;
    const b = { x: elBox.x + ml, y: elBox.y + (elBox.h - ph) / 2, w: pw, h: ph };
    const parts = [...background(cs, b, opacity, w), ...borders(cs, b, opacity)];
    w.add(parts, b, clip);
    return;
  }
  if (!text || cs.position !== 'absolute') return;
  const attrs = textAttrs(cs, cs.color, opacity);
  if (!attrs) return;
  measureCtx = measureCtx || document.createElement('canvas').getContext('2d');
  measureCtx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const tw = measureCtx.measureText(text).width;
  const pcs = getComputedStyle(el);
  const bl = parseFloat(pcs.borderLeftWidth) || 0, br = parseFloat(pcs.borderRightWidth) || 0;
  const bt = parseFloat(pcs.borderTopWidth) || 0, bb = parseFloat(pcs.borderBottomWidth) || 0;
  const lh = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.2;
  const x = cs.right !== 'auto' ? elBox.x + elBox.w - br - parseFloat(cs.right) - tw : elBox.x + bl + (parseFloat(cs.left) || 0);
  const y = cs.bottom !== 'auto' ? elBox.y + elBox.h - bb - parseFloat(cs.bottom) - lh : elBox.y + bt + (parseFloat(cs.top) || 0);
  const m = fontMetrics(cs);
  const baseline = y + (lh - (m.ascent + m.descent)) / 2 + m.ascent;
  const b = { x, y, w: tw, h: lh };
  w.add([`<text x="${num(x)}" y="${num(baseline)}" ${attrs}>${esc(text)}</text>`], b, clip);
}

// The disclosure triangle of a <summary> (a ::marker, which no script can measure): pointing
// down when its <details> is open, right when closed, at the start of its first line.
function summaryMarker(w, el, cs, b, opacity, clip) {
  const fill = fillAttrs(cs.color, opacity);
  if (!fill) return;
  const size = (parseFloat(cs.fontSize) || 15) * 0.55;
  const x = b.x + (parseFloat(cs.paddingLeft) || 0) + (parseFloat(cs.borderLeftWidth) || 0);
  const lh = parseFloat(cs.lineHeight) || (parseFloat(cs.fontSize) || 15) * 1.45;
  const cy = b.y + (parseFloat(cs.paddingTop) || 0) + lh / 2;
  const open = el.parentElement && el.parentElement.open;
  const d = open ? `M${num(x)} ${num(cy - size * 0.4)}h${num(size)}l${num(-size / 2)} ${num(size * 0.8)}Z`
    : `M${num(x + size * 0.1)} ${num(cy - size / 2)}l${num(size * 0.8)} ${num(size / 2)}l${num(-size * 0.8)} ${num(size / 2)}Z`;
  w.add([`<path d="${d}" ${fill}/>`], { x, y: cy - size / 2, w: size, h: size }, clip);
}

// A list item's number or bullet (a ::marker: not measurable either), right-aligned just
// before the item's box on its first line, as Chromium puts an "outside" marker.
function listMarker(w, el, cs, b, opacity, clip) {
  const type = cs.listStyleType;
  let text;
  if (type === 'decimal') {
    const list = el.parentElement;
    const start = list && list.tagName === 'OL' && list.hasAttribute('start') ? Number(list.getAttribute('start')) : 1;
    const items = list ? [...list.children].filter((c) => c.tagName === 'LI') : [el];
    text = `${start + items.indexOf(el)}.`;
  } else if (type === 'disc' || type === 'circle' || type === 'square') text = { disc: '•', circle: '◦', square: '▪' }[type];
  else return;
  const attrs = textAttrs(cs, cs.color, opacity);
  if (!attrs) return;
  measureCtx = measureCtx || document.createElement('canvas').getContext('2d');
  measureCtx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const tw = measureCtx.measureText(text).width, gap = measureCtx.measureText(' ').width;
  const m = fontMetrics(cs);
  const lh = parseFloat(cs.lineHeight) || (m.ascent + m.descent) * 1.2;
  const top = b.y + (parseFloat(cs.borderTopWidth) || 0) + (parseFloat(cs.paddingTop) || 0);
  const baseline = top + (lh - (m.ascent + m.descent)) / 2 + m.ascent;
  const x = b.x - gap - tw;
  w.add([`<text x="${num(x)}" y="${num(baseline)}" ${attrs}>${esc(text)}</text>`], { x, y: top, w: tw, h: lh }, clip);
}

// A <select> shows its chosen option's text (no text node of the page is where it is drawn).
function selectText(w, el, cs, b, opacity, clip) {
  const opt = el.options[el.selectedIndex];
  const text = opt ? opt.text.trim() : '';
  const attrs = text && textAttrs(cs, cs.color, opacity);
  if (!attrs) return;
  const m = fontMetrics(cs);
  const x = b.x + (parseFloat(cs.borderLeftWidth) || 0) + (parseFloat(cs.paddingLeft) || 0);
  const baseline = b.y + (b.h - (m.ascent + m.descent)) / 2 + m.ascent;
  w.add([`<text x="${num(x)}" y="${num(baseline)}" ${attrs}>${esc(text)}</text>`], b, clip);
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
