// The shapes of one element's box for a figure (figure-svg.js): its outer box shadows (the
// highlight rings), background colour or linear gradient, borders and inset shadows, as SVG
// markup in the figure's coordinates. Everything reads the computed style, so the page's
// colours (light or dark theme) are the figure's colours. Colours are written as #rrggbb plus an
// opacity (viewers that know no rgba() draw them too).

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]));
export { esc };

// Numbers in the markup: two decimals are finer than a device pixel at 2x.
export const num = (v) => String(Math.round(v * 100) / 100);

let probe = null;
// Any CSS colour -> { hex: '#rrggbb', a } (a = 0: nothing to draw). A canvas normalises names,
// hsl() and the like; computed styles already give rgb()/rgba().
export function parseColour(c) {
  if (!c || c === 'transparent' || c === 'none') return { hex: '#000000', a: 0 };
  let m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(c);
  if (!m) {
    probe = probe || document.createElement('canvas').getContext('2d');
    probe.fillStyle = '#000000';
    probe.fillStyle = c;
    const v = probe.fillStyle;
    if (v[0] === '#') return { hex: v, a: 1 };
    m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(v);
    if (!m) return { hex: '#000000', a: 0 };
  }
  const hx = (v) => Math.max(0, Math.min(255, Math.round(Number(v)))).toString(16).padStart(2, '0');
  let a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : Number(m[4]);
  if (!Number.isFinite(a)) a = 1;
  return { hex: `#${hx(m[1])}${hx(m[2])}${hx(m[3])}`, a };
}

// fill="…" (and fill-opacity) for a colour, or null when it is fully transparent.
export function fillAttrs(c, opacity = 1, prop = 'fill') {
  const { hex, a } = typeof c === 'string' ? parseColour(c) : c;
  const o = a * opacity;
  if (o <= 0.001) return null;
  return o < 0.999 ? `${prop}="${hex}" ${prop}-opacity="${num(o)}"` : `${prop}="${hex}"`;
}

// A rounded rectangle as path data (r clamped to half the shorter side).
export function roundRectPath(x, y, w, h, r) {
  r = Math.max(0, Math.min(r, w / 2, h / 2));
  if (r === 0) return `M${num(x)} ${num(y)}h${num(w)}v${num(h)}h${num(-w)}Z`;
  return `M${num(x + r)} ${num(y)}h${num(w - 2 * r)}a${num(r)} ${num(r)} 0 0 1 ${num(r)} ${num(r)}v${num(h - 2 * r)}a${num(r)} ${num(r)} 0 0 1 ${num(-r)} ${num(r)}h${num(-(w - 2 * r))}a${num(r)} ${num(r)} 0 0 1 ${num(-r)} ${num(-r)}v${num(-(h - 2 * r))}a${num(r)} ${num(r)} 0 0 1 ${num(r)} ${num(-r)}Z`;
}

export function rectMarkup(x, y, w, h, r, attrs) {
  return r > 0 ? `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="${num(Math.min(r, w / 2, h / 2))}" ${attrs}/>`
    : `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" ${attrs}/>`;
}

// The corner radius of a box (one radius for all corners: the page uses no other kind).
export function radiusOf(cs, w, h) {
  const v = cs.borderTopLeftRadius || '0px';
  const r = v.endsWith('%') ? (parseFloat(v) / 100) * Math.min(w, h) : parseFloat(v);
  return Math.max(0, Math.min(Number.isFinite(r) ? r : 0, w / 2, h / 2));
}

// Splits a CSS list at top-level commas ("rgb(1, 2, 3) 0px, rgb(…) 4px" -> two items).
export function splitTop(s) {
  const out = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) { out.push(s.slice(start, i).trim()); start = i + 1; }
  }
  out.push(s.slice(start).trim());
  return out.filter(Boolean);
}

// box-shadow -> [{ colour, x, y, blur, spread, inset }], the first one on top (as CSS paints).
export function parseShadows(v) {
  if (!v || v === 'none') return [];
  return splitTop(v).map((item) => {
    const colour = (/(rgba?\([^)]*\)|#[0-9a-f]{3,8})/i.exec(item) || [])[1] || 'rgb(0, 0, 0)';
    const lengths = item.replace(colour, '').replace('inset', '').trim().split(/\s+/).map(parseFloat).filter(Number.isFinite);
    const [x = 0, y = 0, blur = 0, spread = 0] = lengths;
    return { colour, x, y, blur, spread, inset: /\binset\b/.test(item) };
  });
}

// Outer shadows: rings around the border box (a blur widens the ring by half of it, an
// approximation good enough for the page's sharp rings). Drawn as a ring, never under the box:
// a grid cell's colour lies below it on the grid's canvas.
export function outerShadows(cs, b, opacity) {
  const parts = [];
  const r = radiusOf(cs, b.w, b.h);
  for (const s of parseShadows(cs.boxShadow).filter((q) => !q.inset).reverse()) {
    const e = s.spread + s.blur / 2;
    const fill = fillAttrs(s.colour, opacity);
    if (!fill || e <= 0) continue;
    const outer = roundRectPath(b.x + s.x - e, b.y + s.y - e, b.w + 2 * e, b.h + 2 * e, r > 0 ? r + e : 0);
    parts.push(`<path d="${outer}${roundRectPath(b.x, b.y, b.w, b.h, r)}" fill-rule="evenodd" ${fill}/>`);
  }
  return parts;
}

// Inset shadows: rings inside the padding box.
export function insetShadows(cs, b, opacity) {
  const parts = [];
  const bw = borderWidths(cs);
  const x = b.x + bw.l, y = b.y + bw.t, w = b.w - bw.l - bw.r, h = b.h - bw.t - bw.b;
  const r = Math.max(0, radiusOf(cs, b.w, b.h) - bw.t);
  for (const s of parseShadows(cs.boxShadow).filter((q) => q.inset).reverse()) {
    const e = s.spread + s.blur / 2;
    const fill = fillAttrs(s.colour, opacity);
    if (!fill || e <= 0 || w <= 2 * e || h <= 2 * e) continue;
    parts.push(`<path d="${roundRectPath(x, y, w, h, r)}${roundRectPath(x + e, y + e, w - 2 * e, h - 2 * e, Math.max(0, r - e))}" fill-rule="evenodd" ${fill}/>`);
  }
  return parts;
}

export function borderWidths(cs) {
  const w = (side) => (cs[`border${side}Style`] === 'none' || cs[`border${side}Style`] === 'hidden' ? 0 : parseFloat(cs[`border${side}Width`]) || 0);
  return { t: w('Top'), r: w('Right'), b: w('Bottom'), l: w('Left') };
}

// The background colour and a linear-gradient background image (the colour legends).
export function background(cs, b, opacity, defs) {
  const parts = [];
  const r = radiusOf(cs, b.w, b.h);
  const fill = fillAttrs(cs.backgroundColor, opacity);
  if (fill) parts.push(rectMarkup(b.x, b.y, b.w, b.h, r, fill));
  const img = cs.backgroundImage;
  if (img && img.startsWith('linear-gradient(')) {
    const id = defs.gradient(img);
    if (id) parts.push(rectMarkup(b.x, b.y, b.w, b.h, r, `fill="url(#${id})"${opacity < 1 ? ` opacity="${num(opacity)}"` : ''}`));
  }
  return parts;
}

// linear-gradient(…) -> <linearGradient> markup with this id, or null for a kind not handled.
export function gradientDef(css, id) {
  const inner = css.slice('linear-gradient('.length, css.lastIndexOf(')'));
  const items = splitTop(inner);
  let dir = 'to bottom';
  if (/^(to |-?[\d.]+deg)/.test(items[0])) dir = items.shift();
  const vec = { 'to right': [0, 0, 1, 0], 'to left': [1, 0, 0, 0], 'to bottom': [0, 0, 0, 1], 'to top': [0, 1, 0, 0], '90deg': [0, 0, 1, 0], '180deg': [0, 0, 0, 1] }[dir];
  if (!vec || !items.length) return null;
  const stops = items.map((it, i) => {
    const m = /^(.*?\))\s*([\d.]+%)?$/.exec(it) || /^(\S+)\s*([\d.]+%)?$/.exec(it);
    const c = parseColour(m ? m[1] : it);
    const off = m && m[2] ? m[2] : `${num((100 * i) / Math.max(1, items.length - 1))}%`;
    return `<stop offset="${off}" stop-color="${c.hex}"${c.a < 1 ? ` stop-opacity="${num(c.a)}"` : ''}/>`;
  });
  return `<linearGradient id="${id}" x1="${vec[0]}" y1="${vec[1]}" x2="${vec[2]}" y2="${vec[3]}">${stops.join('')}</linearGradient>`;
}

// Dash patterns close to Chromium's: dashes about three widths long, dots one width.
function dashAttr(style, w) {
  if (style === 'dashed') return ` stroke-dasharray="${num(3 * w)} ${num(2 * w)}"`;
  if (style === 'dotted') return ` stroke-dasharray="${num(w)} ${num(w)}"`;
  return '';
}

// Borders: one stroked rounded rectangle when the four sides agree, else a line per side.
export function borders(cs, b, opacity) {
  const bw = borderWidths(cs);
  const sides = [['Top', bw.t], ['Right', bw.r], ['Bottom', bw.b], ['Left', bw.l]];
  if (sides.every(([, w]) => w === 0)) return [];
  const same = sides.every(([s, w]) => w === bw.t && cs[`border${s}Color`] === cs.borderTopColor && cs[`border${s}Style`] === cs.borderTopStyle);
  if (same) {
    const stroke = fillAttrs(cs.borderTopColor, opacity, 'stroke');
    if (!stroke) return [];
    const w = bw.t, r = radiusOf(cs, b.w, b.h);
    return [rectMarkup(b.x + w / 2, b.y + w / 2, b.w - w, b.h - w, Math.max(0, r - w / 2), `fill="none" ${stroke} stroke-width="${num(w)}"${dashAttr(cs.borderTopStyle, w)}`)];
  }
  const parts = [];
  for (const [s, w] of sides) {
    const stroke = w > 0 && fillAttrs(cs[`border${s}Color`], opacity, 'stroke');
    if (!stroke) continue;
    const [x1, y1, x2, y2] = {
      Top: [b.x, b.y + w / 2, b.x + b.w, b.y + w / 2], Bottom: [b.x, b.y + b.h - w / 2, b.x + b.w, b.y + b.h - w / 2],
      Left: [b.x + w / 2, b.y, b.x + w / 2, b.y + b.h], Right: [b.x + b.w - w / 2, b.y, b.x + b.w - w / 2, b.y + b.h],
    }[s];
    parts.push(`<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ${stroke} stroke-width="${num(w)}"${dashAttr(cs[`border${s}Style`], w)}/>`);
  }
  return parts;
}
