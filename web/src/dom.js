// Tiny DOM helpers. Text goes through textContent only (never innerHTML), so user-controlled
// strings cannot inject markup; styles are set through classes or the CSSOM.

export function h(tag, attrs = null, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked') el.checked = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Replaces el's children with nodes unless they are equal to them (isEqualNode): an unchanged
// panel keeps its elements. A rebuilt subtree is new paint chunks, and new chunks make the next
// frame re-layerize the whole page (2-3 ms per edit on a page of 6,000 cells, measured with
// Chromium's trace). Listeners are not compared: use it for content whose listeners depend only
// on what it shows. Returns whether el changed.
export function replaceChildrenIfChanged(el, ...nodes) {
  const next = nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false)
    .map((n) => (typeof n === 'string' || typeof n === 'number' ? document.createTextNode(String(n)) : n));
  const now = el.childNodes;
  if (now.length === next.length && next.every((n, i) => n.isEqualNode(now[i]))) return false;
  el.replaceChildren(...next);
  return true;
}

export const $ = (sel, root = document) => root.querySelector(sel);

// The focused element in el's tree (a shadow root has its own activeElement).
export function activeIn(el) {
  const root = el && el.getRootNode ? el.getRootNode() : document;
  return (root && root.activeElement !== undefined ? root.activeElement : document.activeElement) || null;
}
