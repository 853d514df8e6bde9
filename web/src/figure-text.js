// Text in a figure (figure-svg.js): font metrics, the <text> of each line a text node occupies
// (at the position the browser put it, in the computed font and colour), and the texts and
// marks the page draws without a text node: ::before / ::after contents, the disclosure
// triangle of a <summary>, list numbers and a <select>'s chosen option.

import { esc, num, fillAttrs, background, borders } from './figure-paint.js';

// Font metrics (ascent, descent) of a computed font, measured once per font.
const metrics = new Map();
let measureCtx = null;
export function fontMetrics(cs) {
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

export function textAttrs(cs, colour, opacity) {
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
export function textMarkup(w, text, r, cs, attrs) {
  const b = w.box(r);
  const m = fontMetrics(cs);
  const baseline = b.y + (b.h - (m.ascent + m.descent)) / 2 + m.ascent;
  // textLength holds the run to the width it has on the page, whatever font a viewer picks.
  const fit = text.length > 1 && b.w > 0 ? ` textLength="${num(b.w)}" lengthAdjust="spacingAndGlyphs"` : '';
  return { markup: `<text x="${num(b.x)}" y="${num(baseline)}"${fit} ${attrs}>${esc(text)}</text>`, b };
}

// The text as shown (CSS text-transform: the panels' titles are upper case).
export function transformed(text, tt) {
  if (tt === 'uppercase') return text.toUpperCase();
  if (tt === 'lowercase') return text.toLowerCase();
  if (tt === 'capitalize') return text.replace(/(^|\s)(\S)/g, (m, a, c) => a + c.toUpperCase());
  return text;
}

// The lines of a text node: [{ text, rect }], one per line box it occupies.
export function textLines(node) {
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

// ::before / ::after boxes and texts: an absolutely placed label (a padding cell's badge) or an
// empty inline square (the legend's swatches).
export function pseudo(w, el, which, elBox, opacity, clip) {
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
export function summaryMarker(w, el, cs, b, opacity, clip) {
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
export function listMarker(w, el, cs, b, opacity, clip) {
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
export function selectText(w, el, cs, b, opacity, clip) {
  const opt = el.options[el.selectedIndex];
  const text = opt ? opt.text.trim() : '';
  const attrs = text && textAttrs(cs, cs.color, opacity);
  if (!attrs) return;
  const m = fontMetrics(cs);
  const x = b.x + (parseFloat(cs.borderLeftWidth) || 0) + (parseFloat(cs.paddingLeft) || 0);
  const baseline = b.y + (b.h - (m.ascent + m.descent)) / 2 + m.ascent;
  w.add([`<text x="${num(x)}" y="${num(baseline)}" ${attrs}>${esc(text)}</text>`], b, clip);
}
