// URL state: query-string syntax after '#', a fixed contract (tests outside the project use it).
//   op=conv1d|conv_transpose1d|conv2d|conv_transpose2d|conv3d|conv_transpose3d|max_pool2d|avg_pool2d
//   (1-D and 3-D tensors and parameters: url-ops.js)
//   x=  input rows separated by ';', values by ',', channels by '|'
//   w=  kernels in the same row syntax, separated by '|', in (out, in) order for conv2d and
//       (in, out) order for conv_transpose2d
//   b=  comma list (present = bias on)
//   stride, padding, dilation, output_padding: '2' or '2,1'; padding=same|valid
//   groups, padding_mode
//   pooling: kernel_size, stride (default: kernel_size), padding, dilation (max), ceil_mode=1,
//     count_include_pad=0, divisor_override=N (avg); conv1d: causal=1
// Optional (written only when they cannot be derived): out_channels, kernel_size.
//   grad=1, g=  the gradient view (grad-state.js)
// in_channels comes from x, out_channels from the number of kernels in w (and groups).
// parseHash never throws: each malformed key yields a message and that key's default.

import { parseNum, parseInt10, shortF32, f32 } from './numfmt.js';
import { defaultState, defaultStateFor, weightLayout, pairKey, setKernelSize, setOutChannels, deltaKernel, LIMITS,
  OPS, opDims, isPool, isTransposed, kernelSize } from './state.js';
import { keyRule, parseParam, formatParam, paramIsDefault, parseBlocks3d, blockStr, parseFlag } from './url-ops.js';
import { GRAD_KEYS, parseGradKeys, serialiseGrad } from './grad-state.js';

const MODES = ['zeros', 'reflect', 'replicate', 'circular'];
const KNOWN = new Set(['op', 'x', 'w', 'b', 'stride', 'padding', 'dilation', 'output_padding', 'groups',
  'padding_mode', 'out_channels', 'kernel_size', 'in_channels', 'ceil_mode', 'count_include_pad', 'divisor_override',
  'causal', 'lang', 'panels', ...GRAD_KEYS]);
// Keys that belong to the page around the state (language, embedded panels), not to the state.
const PAGE_KEYS = new Set(['lang', 'panels']);

function splitPairs(hash) {
  const out = [];
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (part === '') continue;
    const i = part.indexOf('=');
    let k = i < 0 ? part : part.slice(0, i);
    let v = i < 0 ? '' : part.slice(i + 1);
    try { k = decodeURIComponent(k); v = decodeURIComponent(v.replace(/\+/g, '%2B')); } catch { /* keep raw */ }
    out.push([k.trim(), v.trim()]);
  }
  return out;
}

// "1,2;3,4|5,6;7,8" -> [[rows...], ...] per block; throws a readable Error.
export function parseBlocks(text, what) {
  if (text === '') throw new Error(`${what} is empty`);
  const blocks = text.split('|');
  let H = -1, W = -1;
  const data = blocks.map((block, bi) => {
    const rows = block.split(';');
    if (H < 0) H = rows.length;
    else if (rows.length !== H) throw new Error(`${what}: block ${bi} has ${rows.length} rows, block 0 has ${H}`);
    const flat = [];
    rows.forEach((row, ri) => {
      const vals = row.split(',');
      if (W < 0) W = vals.length;
      else if (vals.length !== W) throw new Error(`${what}: row ${ri} of block ${bi} has ${vals.length} values, row 0 of block 0 has ${W}`);
      vals.forEach((t, ci) => {
        const v = parseNum(t);
        if (v === undefined) throw new Error(`${what}: "${t.slice(0, 16)}" (block ${bi}, row ${ri}, column ${ci}) is not a number`);
        flat.push(v);
      });
    });
    return flat;
  });
  return { blocks: data, H, W };
}

function parsePairValue(v, key) {
  const parts = v.split(',');
  if (parts.length < 1 || parts.length > 2) throw new Error(`${key}="${v}" must be one integer or two ("2" or "2,1")`);
  const n = parts.map((p) => parseInt10(p));
  if (n.some((x) => x === undefined || Math.abs(x) > 1000)) throw new Error(`${key}="${v.slice(0, 20)}" must be one integer or two ("2" or "2,1")`);
  return n.length === 1 ? [n[0], n[0]] : n;
}

export function parseHash(hash) {
  let s = defaultState();
  const messages = [];
  const pairs = splitPairs(hash || '');
  if (pairs.length === 0) return { state: s, messages };
  const get = new Map();
  for (const [k, v] of pairs) {
    if (!KNOWN.has(k)) { messages.push(`unknown key "${k.slice(0, 24)}" ignored`); continue; }
    if (PAGE_KEYS.has(k)) continue;
    get.set(k, v);
  }
  const bad = (key, msg) => messages.push(`${key}: ${msg} — using the default`);

  if (get.has('op')) {
    const op = get.get('op');
    if (OPS.includes(op)) s = defaultStateFor(op);
    else bad('op', `"${op.slice(0, 24)}" is not one of ${OPS.join(', ')}`);
  }
  const dims = opDims(s.op), pool = isPool(s.op);
  for (const key of [...get.keys()]) {
    const rule = keyRule(s.op, key);
    if (rule) { messages.push(rule); get.delete(key); }
  }
  // A parameter in the op's syntax: [h, w] and (3-D) the depth component.
  const param = (key, field, depthField) => {
    if (!get.has(key)) return false;
    try {
      const { pair, depth } = parseParam(get.get(key), key, dims);
      s[field] = dims === 1 ? [s[field][0], pair[1]] : pair;
      if (dims === 3) s[depthField] = depth;
      return true;
    } catch (e) { bad(key, e.message); return false; }
  };
  for (const [key, field, depthField] of [['stride', 'stride', 'strideD'], ['dilation', 'dilation', 'dilationD'], ['output_padding', 'outputPadding', 'outputPaddingD']]) {
    if (dims === 2) {
      if (!get.has(key)) continue;
      try { s[field] = parsePairValue(get.get(key), key); } catch (e) { bad(key, e.message); }
    } else param(key, field, depthField);
  }
  if (get.has('padding')) {
    const v = get.get('padding');
    if ((v === 'same' || v === 'valid') && !pool && (dims === 2 || !isTransposed(s.op))) s.paddingKind = v;
    else if (dims !== 2) {
      const before = s.paddingKind;
      s.paddingKind = 'num';
      if (!param('padding', 'padding', 'paddingD')) s.paddingKind = before;
    } else {
      try { s.padding = parsePairValue(v, 'padding'); s.paddingKind = 'num'; } catch (e) { bad('padding', e.message + (pool ? '' : ', or same / valid')); }
    }
  }
  for (const [key, field] of [['ceil_mode', 'ceilMode'], ['count_include_pad', 'countIncludePad'], ['causal', 'causal']]) {
    if (!get.has(key)) continue;
    try { s[field] = parseFlag(get.get(key), key); } catch (e) { bad(key, e.message); }
  }
  if (get.has('divisor_override')) {
    const d = parseInt10(get.get('divisor_override'));
    if (d === undefined || Math.abs(d) > 1000000) bad('divisor_override', `"${get.get('divisor_override').slice(0, 16)}" is not an integer`);
    else s.divisorOverride = d;
  }
  if (s.causal && s.paddingKind === 'num' && s.padding[1] !== 0) {
    messages.push('padding: causal=1 pads (k − 1)·dilation on the left itself — padding ignored');
    s.padding = [0, 0];
  }
  if (s.causal && s.paddingKind !== 'num') { messages.push(`padding: causal=1 pads (k − 1)·dilation on the left itself — padding=${s.paddingKind} ignored`); s.paddingKind = 'num'; }
  if (get.has('groups')) {
    const g = parseInt10(get.get('groups'));
    if (g === undefined || Math.abs(g) > 1000) bad('groups', `"${get.get('groups').slice(0, 16)}" is not an integer`);
    else s.groups = g;
  }
  if (get.has('padding_mode')) {
    const m = get.get('padding_mode');
    if (s.causal && m !== 'zeros') bad('padding_mode', 'causal=1 pads with zeros (F.pad)');
    else if (MODES.includes(m)) s.paddingMode = m;
    else bad('padding_mode', `"${m.slice(0, 24)}" is not one of ${MODES.join(', ')}`);
  }

  // Input.
  if (get.has('x')) {
    try {
      const { blocks, D, H, W } = parseTensor(get.get('x'), 'x', dims);
      if (blocks.length > LIMITS.channels || H > LIMITS.size || W > LIMITS.size || D > LIMITS.depth) {
        throw new Error(`${blocks.length}×${dims === 3 ? D + '×' : ''}${H}×${W} is larger than the page draws (${LIMITS.channels} channels, ${dims === 3 ? LIMITS.depth + '×' : ''}${LIMITS.size}×${LIMITS.size})`);
      }
      s.x = blocks; s.C = blocks.length; s.D = D; s.H = H; s.W = W;
    } catch (e) { bad('x', e.message); }
  }

  // Weights (pooling: only kernel_size).
  let kernels = null, kh = s.kh, kw = s.kw, kd = s.kd;
  if (get.has('w')) {
    try {
      const r = parseTensor(get.get('w'), 'w', dims);
      if (r.H > LIMITS.kernel || r.W > LIMITS.kernel || r.D > LIMITS.depth) throw new Error(`kernels of ${dims === 3 ? r.D + '×' : ''}${r.H}×${r.W} are larger than ${dims === 3 ? LIMITS.depth + '×' : ''}${LIMITS.kernel}×${LIMITS.kernel}`);
      kernels = r.blocks; kh = r.H; kw = r.W; kd = r.D;
    } catch (e) { bad('w', e.message); }
  }
  if (get.has('kernel_size')) {
    try {
      if (dims === 2) [kh, kw] = parsePairValue(get.get('kernel_size'), 'kernel_size');
      else { const { pair, depth } = parseParam(get.get('kernel_size'), 'kernel_size', dims); kw = pair[1]; if (dims === 3) { kh = pair[0]; kd = depth; } }
    } catch (e) { bad('kernel_size', e.message); }
  }
  if (pool) {
    // No weights: kernel_size is the window; stride defaults to it (PyTorch's stride=None).
    s.kh = Math.max(0, Math.min(LIMITS.kernel, kh)); s.kw = Math.max(0, Math.min(LIMITS.kernel, kw));
    if (!get.has('stride')) s.stride = [s.kh, s.kw];
    s.K = s.C; s.bias = new Array(s.C).fill(0);
    parseGradKeys(get, s, parseBlocks, bad); // grad=1 keeps the panel open (it says which ops it covers)
    return { state: s, messages };
  }
  const g = Math.max(1, s.groups | 0);
  let K = null;
  if (get.has('out_channels')) {
    const k = parseInt10(get.get('out_channels'));
    if (k === undefined || k < 0 || k > LIMITS.channels) bad('out_channels', `"${get.get('out_channels').slice(0, 16)}" must be an integer from 0 to ${LIMITS.channels}`);
    else K = k;
  }
  if (kernels) {
    const n = kernels.length;
    if (isTransposed(s.op)) {
      if (n % Math.max(1, s.C) !== 0) {
        bad('w', `${n} kernels is not a multiple of in_channels=${s.C} (${s.op} weight is [in, out/groups, ${kernelLetters(dims)}])`);
        kernels = null;
      } else if (K === null) K = (n / Math.max(1, s.C)) * g;
    } else {
      const Cg = Math.max(1, Math.floor(s.C / g));
      if (n % Cg !== 0) {
        bad('w', `${n} kernels is not a multiple of in_channels/groups=${Cg} (${s.op} weight is [out, in/groups, ${kernelLetters(dims)}])`);
        kernels = null;
      } else if (K === null) K = n / Cg;
    }
    if (K !== null && K > LIMITS.channels) { bad('w', `${K} output channels is more than ${LIMITS.channels}`); kernels = null; K = null; }
  }
  // Default kernels were made for the default size; rebuild them for the parsed size.
  s.kernels.clear();
  s.kh = kh; s.kw = kw; s.kd = kd;
  const def = defaultStateFor(s.op);
  if (!kernels) {
    // No usable w: the op's default kernel size (ones) unless kernel_size says otherwise.
    if (K === null) K = def.K;
    if (!get.has('kernel_size')) { s.kh = def.kh; s.kw = def.kw; s.kd = def.kd; }
  }
  setOutChannels(s, K === null ? 1 : K);
  const layout = weightLayout(s);
  if (kernels && layout.slots.length === kernels.length) {
    layout.slots.forEach((slot, n) => s.kernels.set(pairKey(slot.inC, slot.outC), kernels[n]));
  } else {
    const ones = s.kh === def.kh && s.kw === def.kw && s.kd === def.kd;
    for (const slot of layout.slots) s.kernels.set(pairKey(slot.inC, slot.outC), ones ? new Array(kernelSize(s)).fill(1) : deltaKernel(s.kh, s.kw, s.kd));
  }

  // Bias.
  if (get.has('b')) {
    const v = get.get('b');
    if (v === '') { s.useBias = true; s.bias = new Array(s.K).fill(0); }
    else {
      const vals = v.split(',').map(parseNum);
      const i = vals.indexOf(undefined);
      if (i >= 0) bad('b', `"${v.split(',')[i].slice(0, 16)}" is not a number`);
      else { s.useBias = true; s.bias = vals; }
    }
  }
  if (s.bias.length !== s.K && !s.useBias) s.bias = new Array(s.K).fill(0);
  parseGradKeys(get, s, parseBlocks, bad); // grad=, g= (grad-state.js)
  return { state: s, messages };
}

const pairStr = (p) => (p[0] === p[1] ? String(p[0]) : `${p[0]},${p[1]}`);
const kernelLetters = (dims) => (dims === 1 ? 'kL' : dims === 3 ? 'kD, kH, kW' : 'kH, kW');

// x or w in the op's syntax -> { blocks, D, H, W }; a 1-D tensor has one row per channel.
function parseTensor(text, what, dims) {
  if (dims === 3) return parseBlocks3d(text, what);
  const r = parseBlocks(text, what);
  if (dims === 1 && r.H !== 1) throw new Error(`a 1-D op takes one row of values per ${what === 'x' ? 'channel' : 'kernel'} (separated by |), not ${r.H} rows`);
  return { ...r, D: 1 };
}

function rowsStr(flat, H, W) {
  const rows = [];
  for (let r = 0; r < H; r++) {
    const vals = [];
    for (let c = 0; c < W; c++) vals.push(shortF32(flat[r * W + c]));
    rows.push(vals.join(','));
  }
  return rows.join(';');
}

export function serialiseState(s) {
  if (opDims(s.op) !== 2 || isPool(s.op)) return serialiseOps(s);
  const parts = [`op=${s.op}`];
  if (s.H > 0 && s.W > 0 && s.C > 0) parts.push(`x=${s.x.map((c) => rowsStr(c, s.H, s.W)).join('|')}`);
  const layout = weightLayout(s);
  if (s.kh > 0 && s.kw > 0 && layout.slots.length > 0) {
    const ks = layout.slots.map((slot) => rowsStr(s.kernels.get(pairKey(slot.inC, slot.outC)) || deltaKernel(s.kh, s.kw), s.kh, s.kw));
    parts.push(`w=${ks.join('|')}`);
  } else parts.push(`kernel_size=${s.kh},${s.kw}`);
  if (s.useBias) parts.push(`b=${s.bias.map((v) => shortF32(f32(v))).join(',')}`);
  if (s.stride[0] !== 1 || s.stride[1] !== 1) parts.push(`stride=${pairStr(s.stride)}`);
  if (s.paddingKind !== 'num') parts.push(`padding=${s.paddingKind}`);
  else if (s.padding[0] !== 0 || s.padding[1] !== 0) parts.push(`padding=${pairStr(s.padding)}`);
  if (s.dilation[0] !== 1 || s.dilation[1] !== 1) parts.push(`dilation=${pairStr(s.dilation)}`);
  if (s.groups !== 1) parts.push(`groups=${s.groups}`);
  if (s.paddingMode !== 'zeros') parts.push(`padding_mode=${s.paddingMode}`);
  if (s.op === 'conv_transpose2d' && (s.outputPadding[0] !== 0 || s.outputPadding[1] !== 0)) {
    parts.push(`output_padding=${pairStr(s.outputPadding)}`);
  }
  // out_channels only when the kernel count cannot give it back.
  const g = Math.max(1, s.groups | 0);
  const derived = s.op === 'conv_transpose2d'
    ? (layout.slots.length / Math.max(1, s.C)) * g
    : layout.slots.length / Math.max(1, Math.floor(s.C / g));
  if (derived !== s.K || layout.slots.length === 0) parts.push(`out_channels=${s.K}`);
  parts.push(...serialiseGrad(s));
  return parts.join('&');
}

// The 1-D, 3-D and pooling ops: the same keys in their own syntax (url-ops.js).
function serialiseOps(s) {
  const dims = opDims(s.op), pool = isPool(s.op);
  const parts = [`op=${s.op}`];
  if (s.H > 0 && s.W > 0 && s.C > 0 && s.D > 0) parts.push(`x=${s.x.map((c) => blockStr(c, s.D, s.H, s.W)).join('|')}`);
  const layout = weightLayout(s);
  if (pool) parts.push(`kernel_size=${pairStr([s.kh, s.kw])}`);
  else if (kernelSize(s) > 0 && layout.slots.length > 0) {
    const ks = layout.slots.map((slot) => blockStr(s.kernels.get(pairKey(slot.inC, slot.outC)) || deltaKernel(s.kh, s.kw, s.kd), s.kd, s.kh, s.kw));
    parts.push(`w=${ks.join('|')}`);
  } else parts.push(`kernel_size=${formatParam([s.kh, s.kw], s.kd, dims)}`);
  if (s.useBias && !pool) parts.push(`b=${s.bias.map((v) => shortF32(f32(v))).join(',')}`);
  const param = (key, pair, depth, def) => { if (!paramIsDefault(pair, depth, dims, def)) parts.push(`${key}=${formatParam(pair, depth, dims)}`); };
  if (pool) { if (s.stride[0] !== s.kh || s.stride[1] !== s.kw) parts.push(`stride=${pairStr(s.stride)}`); } else param('stride', s.stride, s.strideD, 1);
  if (s.paddingKind !== 'num') parts.push(`padding=${s.paddingKind}`);
  else param('padding', s.padding, s.paddingD, 0);
  if (s.op !== 'avg_pool2d') param('dilation', s.dilation, s.dilationD, 1);
  if (isTransposed(s.op)) param('output_padding', s.outputPadding, s.outputPaddingD, 0);
  if (pool) {
    if (s.ceilMode) parts.push('ceil_mode=1');
    if (s.op === 'avg_pool2d' && !s.countIncludePad) parts.push('count_include_pad=0');
    if (s.op === 'avg_pool2d' && s.divisorOverride !== null) parts.push(`divisor_override=${s.divisorOverride}`);
    if (s.grad) parts.push('grad=1');
    return parts.join('&');
  }
  if (s.causal) parts.push('causal=1');
  if (s.groups !== 1) parts.push(`groups=${s.groups}`);
  if (s.paddingMode !== 'zeros') parts.push(`padding_mode=${s.paddingMode}`);
  const g = Math.max(1, s.groups | 0);
  const derived = isTransposed(s.op) ? (layout.slots.length / Math.max(1, s.C)) * g : layout.slots.length / Math.max(1, Math.floor(s.C / g));
  if (derived !== s.K || layout.slots.length === 0) parts.push(`out_channels=${s.K}`);
  if (s.grad) parts.push('grad=1');
  return parts.join('&');
}

// The value of a page key (lang, panels) in a hash, or null.
export function hashParam(hash, key) {
  for (const [k, v] of splitPairs(hash || '')) if (k === key) return v;
  return null;
}

// The state keys in URL order, as <conv-playground> attributes.
export const STATE_KEYS = ['op', 'x', 'w', 'b', 'stride', 'padding', 'dilation', 'output_padding', 'groups', 'padding_mode', 'out_channels', 'kernel_size', 'in_channels',
  'ceil_mode', 'count_include_pad', 'divisor_override', 'causal', ...GRAD_KEYS];

// A hash from element attributes (the same syntax as the URL).
export function hashFromAttributes(el) {
  return STATE_KEYS.filter((k) => el.hasAttribute(k)).map((k) => `${k}=${encodeURIComponent(el.getAttribute(k)).replace(/%2C/g, ',').replace(/%3B/g, ';').replace(/%7C/g, '|')}`).join('&');
}

const attrEscape = (v) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// The iframe and web-component snippets for a serialised state, relative to the page's folder.
export function embedSnippets(stateStr, panels, pageHref) {
  const dir = pageHref.replace(/#.*$/, '').replace(/\?.*$/, '').replace(/[^/]*$/, '');
  const p = panels.join(',');
  const iframe = `<iframe src="${attrEscape(`${dir}embed.html#${stateStr}&panels=${p}`)}" title="convplay" style="width:100%;border:0;height:420px" loading="lazy"></iframe>\n`
    + '<script>\n// convplay embeds report their content height; size each iframe to it.\n'
    + "addEventListener('message', (e) => { if (e.data && e.data.type === 'convplay:height') for (const f of document.querySelectorAll('iframe')) if (f.contentWindow === e.source) f.style.height = e.data.height + 'px'; });\n"
    + '</script>';
  const attrs = stateStr.split('&').filter(Boolean).map((kv) => { const i = kv.indexOf('='); return `${kv.slice(0, i)}="${attrEscape(kv.slice(i + 1))}"`; });
  const component = `<script src="${attrEscape(dir)}conv-playground.js"></script>\n<conv-playground ${attrs.join(' ')} panels="${p}"></conv-playground>`;
  return { iframe, component };
}
