// Paste parser: turns text copied from anywhere into a dense array of numbers.
// Accepts whitespace / comma separated rows on lines (or separated by ';'), blank lines or '|'
// between channels, and printed tensors: `tensor([[1., 2.], [3., 4.]])`, numpy
// `array([[1, 2], [3, 4]], dtype=float32)`, nested Python lists.
// Returns {shape, data} (data row-major); throws an Error whose message says what is wrong.

import { parseNum } from './numfmt.js';

export function parseMatrixText(text) {
  const src = String(text).trim();
  if (src === '') throw new Error('nothing to paste');
  if (src.includes('[')) return parseBracketed(src);
  return parsePlain(src);
}

function parseBracketed(src) {
  const start = src.indexOf('[');
  const end = src.lastIndexOf(']');
  if (end < start) throw new Error('unbalanced brackets');
  const body = src.slice(start, end + 1);
  if (body.includes('...')) throw new Error('the printed tensor is summarised with "..."; print it in full (torch.set_printoptions(profile="full"))');
  // Tokens: brackets and numbers; commas / whitespace separate.
  const tokens = body.match(/\[|\]|[^\s,\[\]]+/g) || [];
  let pos = 0;
  function parseList() {
    // tokens[pos] === '['
    pos++;
    const items = [];
    while (pos < tokens.length && tokens[pos] !== ']') {
      if (tokens[pos] === '[') items.push(parseList());
      else {
        const v = parseNum(tokens[pos]);
        if (v === undefined) throw new Error(`"${tokens[pos].slice(0, 20)}" is not a number`);
        items.push(v);
        pos++;
      }
    }
    if (pos >= tokens.length) throw new Error('unbalanced brackets: a "]" is missing');
    pos++;
    return items;
  }
  const nested = parseList();
  if (pos !== tokens.length) throw new Error('unexpected text after the closing "]"');
  return fromNested(nested);
}

export function fromNested(nested) {
  const shape = [];
  let cur = nested;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) throw new Error('empty list');
    cur = cur[0];
  }
  const data = [];
  function walk(node, depth, path) {
    if (depth === shape.length) {
      if (Array.isArray(node)) throw new Error(`ragged: element ${path} is a list, expected a number`);
      data.push(node);
      return;
    }
    if (!Array.isArray(node)) throw new Error(`ragged: element ${path} is a number, expected a list`);
    if (node.length !== shape[depth]) {
      throw new Error(`ragged: ${path ? 'row ' + path : 'the outer list'} has ${node.length} entries, expected ${shape[depth]}`);
    }
    node.forEach((c, i) => walk(c, depth + 1, path ? `${path},${i}` : String(i)));
  }
  walk(nested, 0, '');
  return { shape, data };
}

function parsePlain(src) {
  // Channels: blank lines or '|'. Rows: newlines or ';'. Values: commas / whitespace.
  const blocks = src.split(/\n\s*\n|\|/).map((b) => b.trim()).filter((b) => b !== '');
  const channels = blocks.map((block, bi) => {
    const rows = block.split(/\r?\n|;/).map((r) => r.trim()).filter((r) => r !== '');
    return rows.map((row, ri) => row.split(/[\s,]+/).filter((t) => t !== '').map((t) => {
      const v = parseNum(t);
      if (v === undefined) throw new Error(`"${t.slice(0, 20)}" (row ${ri + 1}${blocks.length > 1 ? `, block ${bi + 1}` : ''}) is not a number`);
      return v;
    }));
  });
  const nested = channels.length === 1 ? channels[0] : channels;
  const res = fromNested(nested);
  // A single row pasted as plain text is a 1-D list.
  if (channels.length === 1 && res.shape[0] === 1) return { shape: [res.shape[1]], data: res.data };
  return res;
}

// Drop leading size-1 dimensions down to `rank` (e.g. a printed [1,1,3,3] tensor into a grid).
export function squeezeTo(t, rank) {
  const shape = t.shape.slice();
  while (shape.length > rank && shape[0] === 1) shape.shift();
  return { shape, data: t.data };
}
