// The URL syntax of the ops beyond conv2d / conv_transpose2d (url-state.js holds the rest):
//   1-D tensors: channels by '|', each one row of ','-separated values; parameters one integer;
//   3-D tensors: channels by '|', depth slices by '/', rows by ';', values by ','; parameters
//     one integer or three ("2" or "2,1,1", PyTorch's (d, h, w) order);
//   which keys each op takes (a key another op owns gets a message naming the op).

import { parseNum, parseInt10, shortF32 } from './numfmt.js';
import { opDims, isPool, isTransposed } from './state.js';

// Keys only some ops take: key -> (op) => whether the op takes it.
const OWNERS = {
  w: (op) => !isPool(op), b: (op) => !isPool(op), groups: (op) => !isPool(op),
  out_channels: (op) => !isPool(op), padding_mode: (op) => !isPool(op),
  output_padding: (op) => isTransposed(op) || op === 'conv2d', // conv2d: accepted and unused, as before
  dilation: (op) => op !== 'avg_pool2d',
  ceil_mode: isPool, count_include_pad: (op) => op === 'avg_pool2d', divisor_override: (op) => op === 'avg_pool2d',
  causal: (op) => op === 'conv1d',
};
export const OP_KEYS = Object.keys(OWNERS);

// A message when op does not take key, else null.
export function keyRule(op, key) {
  const f = OWNERS[key];
  if (!f || f(op)) return null;
  if (isPool(op) && ['w', 'b', 'groups', 'out_channels'].includes(key)) return `${key}: ${op} has no weights, bias or groups — ignored`;
  return `${key}: ${op} does not take ${key} — ignored`;
}

// "2" / "2,1" / "2,1,1" -> { pair: [h, w], depth } for the op's dimensions; throws a readable Error.
export function parseParam(v, key, dims) {
  const parts = v.split(',');
  const n = parts.map((p) => parseInt10(p));
  const bad = n.some((x) => x === undefined || Math.abs(x) > 1000);
  if (dims === 1) {
    if (parts.length !== 1 || bad) throw new Error(`${key}="${v.slice(0, 20)}" must be one integer for a 1-D op ("2")`);
    return { pair: [null, n[0]], depth: null };
  }
  if (dims === 3) {
    if ((parts.length !== 1 && parts.length !== 3) || bad) throw new Error(`${key}="${v.slice(0, 20)}" must be one integer or three for a 3-D op ("2" or "2,1,1": depth, height, width)`);
    return parts.length === 1 ? { pair: [n[0], n[0]], depth: n[0] } : { pair: [n[1], n[2]], depth: n[0] };
  }
  if ((parts.length !== 1 && parts.length !== 2) || bad) throw new Error(`${key}="${v.slice(0, 20)}" must be one integer or two ("2" or "2,1")`);
  return { pair: n.length === 1 ? [n[0], n[0]] : n, depth: null };
}

// A parameter in the op's syntax (the shortest form that parses back to it).
export function formatParam(pair, depth, dims) {
  if (dims === 1) return String(pair[1]);
  if (dims === 3) return depth === pair[0] && depth === pair[1] ? String(depth) : `${depth},${pair[0]},${pair[1]}`;
  return pair[0] === pair[1] ? String(pair[0]) : `${pair[0]},${pair[1]}`;
}

// Whether a parameter is at its default (not written).
export const paramIsDefault = (pair, depth, dims, def) => (dims === 1 ? pair[1] === def : pair[0] === def && pair[1] === def && (dims !== 3 || depth === def));

// "1,2;3,4/5,6;7,8|..." -> { blocks: [flat D·H·W per channel], D, H, W }; throws a readable Error.
export function parseBlocks3d(text, what) {
  if (text === '') throw new Error(`${what} is empty`);
  let D = -1, H = -1, W = -1;
  const blocks = text.split('|').map((block, bi) => {
    const slices = block.split('/');
    if (D < 0) D = slices.length;
    else if (slices.length !== D) throw new Error(`${what}: block ${bi} has ${slices.length} depth slices, block 0 has ${D}`);
    const flat = [];
    slices.forEach((slice, di) => {
      const rows = slice.split(';');
      if (H < 0) H = rows.length;
      else if (rows.length !== H) throw new Error(`${what}: slice ${di} of block ${bi} has ${rows.length} rows, the first slice has ${H}`);
      rows.forEach((row, ri) => {
        const vals = row.split(',');
        if (W < 0) W = vals.length;
        else if (vals.length !== W) throw new Error(`${what}: row ${ri} of slice ${di} of block ${bi} has ${vals.length} values, the first row has ${W}`);
        for (const [ci, t] of vals.entries()) {
          const v = parseNum(t);
          if (v === undefined) throw new Error(`${what}: "${t.slice(0, 16)}" (block ${bi}, slice ${di}, row ${ri}, column ${ci}) is not a number`);
          flat.push(v);
        }
      });
    });
    return flat;
  });
  return { blocks, D, H, W };
}

// One channel or kernel as text: rows by ';', values by ',' and (3-D) depth slices by '/'.
export function blockStr(flat, D, H, W) {
  const slices = [];
  for (let d = 0; d < D; d++) {
    const rows = [];
    for (let r = 0; r < H; r++) {
      const vals = [];
      for (let c = 0; c < W; c++) vals.push(shortF32(flat[(d * H + r) * W + c]));
      rows.push(vals.join(','));
    }
    slices.push(rows.join(';'));
  }
  return slices.join('/');
}

// A 0/1 flag ("1", "0", "true", "false"); throws.
export function parseFlag(v, key) {
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new Error(`${key}="${v.slice(0, 16)}" must be 1 or 0`);
}

export { opDims };
