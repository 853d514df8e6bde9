// "Copy as PyTorch" / "Copy as NumPy" for the ops beyond conv2d / conv_transpose2d (export.js
// does those two and hands the others here): conv1d (causal: F.pad, then conv1d, as the page
// shows it), conv_transpose1d, conv3d, conv_transpose3d, max_pool2d (with its indices) and
// avg_pool2d. Same contract: self-contained scripts with the exact tensors that print the
// output's shape and values (tests/node/export-ops.test.mjs runs them with PyTorch and NumPy).

import { convPads, depthPads, opDims, isPool, isTransposed } from './state.js';

// Parameters in the op's dimensions, as Python tuples: (w,) for 1-D, (d, h, w) for 3-D.
function tupleOf(s, pair, depth) {
  const dims = opDims(s.op);
  const v = dims === 1 ? [pair[1]] : dims === 3 ? [depth, pair[0], pair[1]] : pair;
  return `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;
}
const py = (b) => (b ? 'True' : 'False');

// Padding per spatial axis, ((lo, hi), ...) in the op's order, as conv applies it.
function padPairs(s) {
  const [pt, pb, pl, pr] = convPads(s);
  const dims = opDims(s.op);
  if (dims === 1) return [[pl, pr]];
  if (dims === 3) return [depthPads(s), [pt, pb], [pl, pr]];
  return [[pt, pb], [pl, pr]];
}

export function header(s, r, lib) {
  const w = isPool(s.op) ? '' : ` with a weight [${r.w.shape.join(', ')}]${r.b ? ' and a bias' : ''}`;
  return [`# convplay: ${s.op}${s.causal ? ' (causal)' : ''} of an input [${r.x.shape.join(', ')}]${w}, in ${lib}.`,
    '# Prints the output shape, then its values as float32 numbers (channel, then each spatial index in order).'];
}

// The PyTorch call producing y (and, for max_pool2d, idx) from x [C, ...], w, b.
export function torchCall(s) {
  const t = (pair, depth) => tupleOf(s, pair, depth);
  const nd = `${opDims(s.op)}d`;
  if (s.op === 'max_pool2d') {
    return [`y, idx = F.max_pool2d(x.unsqueeze(0), kernel_size=(${s.kh}, ${s.kw}), stride=(${s.stride.join(', ')}), padding=(${s.padding.join(', ')}), dilation=(${s.dilation.join(', ')}), ceil_mode=${py(s.ceilMode)}, return_indices=True)`,
      'y, idx = y[0], idx[0]'];
  }
  if (s.op === 'avg_pool2d') {
    return [`y = F.avg_pool2d(x.unsqueeze(0), kernel_size=(${s.kh}, ${s.kw}), stride=(${s.stride.join(', ')}), padding=(${s.padding.join(', ')}), ceil_mode=${py(s.ceilMode)}, count_include_pad=${py(s.countIncludePad)}, divisor_override=${s.divisorOverride === null ? 'None' : s.divisorOverride})[0]`];
  }
  const common = `stride=${t(s.stride, s.strideD)}, dilation=${t(s.dilation, s.dilationD)}, groups=${s.groups}`;
  if (isTransposed(s.op)) {
    return [`y = F.conv_transpose${nd}(x.unsqueeze(0), w, b, padding=${t(s.padding, s.paddingD)}, output_padding=${t(s.outputPadding, s.outputPaddingD)}, ${common})[0]`];
  }
  if (s.causal && s.op === 'conv1d') {
    return [`# causal: (k − 1)·dilation = ${convPads(s)[2]} zeros on the left only, then conv1d without padding`,
      `xp = F.pad(x.unsqueeze(0), (${convPads(s)[2]}, 0))`, `y = F.conv1d(xp, w, b, ${common})[0]`];
  }
  if (s.paddingMode !== 'zeros') {
    const flat = padPairs(s).reverse().flat(); // F.pad: last axis first
    return [`# padding_mode='${s.paddingMode}': nn.Conv${nd} pads with F.pad (last axis first), then convolves unpadded`,
      `xp = F.pad(x.unsqueeze(0), (${flat.join(', ')}), mode='${s.paddingMode}')`, `y = F.conv${nd}(xp, w, b, ${common})[0]`];
  }
  const pad = s.paddingKind === 'num' ? t(s.padding, s.paddingD) : `'${s.paddingKind}'`;
  return [`y = F.conv${nd}(x.unsqueeze(0), w, b, padding=${pad}, ${common})[0]`];
}

// NumPy reference functions of the op, written out (no PyTorch needed).
const NP_CONV = [
  'def conv(x, w, b, stride, pads, dilation, groups, padding_mode):',
  '    """PyTorch conv1d/conv3d (cross-correlation) of x [C, *S] with w [K, C/groups, *k]; pads = ((lo, hi), ...) per axis."""',
  "    modes = {'zeros': 'constant', 'reflect': 'reflect', 'replicate': 'edge', 'circular': 'wrap'}",
  '    xp = np.pad(x, ((0, 0),) + tuple(tuple(p) for p in pads), mode=modes[padding_mode])',
  '    K, Cg, ks = w.shape[0], w.shape[1], w.shape[2:]',
  '    out = tuple((xp.shape[1 + i] - dilation[i] * (ks[i] - 1) - 1) // stride[i] + 1 for i in range(len(ks)))',
  '    y = np.zeros((K,) + out, dtype=np.float32)',
  '    Kg = K // groups',
  '    for o in range(K):',
  '        g = o // Kg',
  '        for c in range(Cg):',
  '            for tap in np.ndindex(*ks):',
  '                sl = tuple(slice(tap[i] * dilation[i], tap[i] * dilation[i] + stride[i] * (out[i] - 1) + 1, stride[i]) for i in range(len(ks)))',
  '                y[o] += w[(o, c) + tap] * xp[(g * Cg + c,) + sl]',
  '    if b is not None:',
  '        y += b.reshape((-1,) + (1,) * len(ks))',
  '    return y',
];
const NP_CONVT = [
  'def conv_transpose(x, w, b, stride, padding, output_padding, dilation, groups):',
  '    """PyTorch conv_transpose1d/3d of x [C, *S] with w [C, K/groups, *k]: every input cell stamps its',
  '    scaled kernel into the output (scatter-add), then padding crops each side."""',
  '    C, S = x.shape[0], x.shape[1:]',
  '    Kg, ks = w.shape[1], w.shape[2:]',
  '    n = len(ks)',
  '    full = tuple((S[i] - 1) * stride[i] + dilation[i] * (ks[i] - 1) + 1 + output_padding[i] for i in range(n))',
  '    y = np.zeros((Kg * groups,) + full, dtype=np.float32)',
  '    Cg = C // groups',
  '    for c in range(C):',
  '        g = c // Cg',
  '        for ol in range(Kg):',
  '            for tap in np.ndindex(*ks):',
  '                sl = tuple(slice(tap[i] * dilation[i], tap[i] * dilation[i] + stride[i] * (S[i] - 1) + 1, stride[i]) for i in range(n))',
  '                y[(g * Kg + ol,) + sl] += w[(c, ol) + tap] * x[c]',
  '    y = y[(slice(None),) + tuple(slice(padding[i], full[i] - padding[i]) for i in range(n))]',
  '    if b is not None:',
  '        y = y + b.reshape((-1,) + (1,) * n)',
  '    return y',
];
const NP_POOL = [
  'def pool_size(n, k, s, p, d, ceil_mode):',
  '    """Output size; with ceil_mode the last window must start inside the input or the left padding."""',
  '    num = n + 2 * p - d * (k - 1) - 1',
  '    o = (-(-num // s) if ceil_mode else num // s) + 1',
  '    if ceil_mode and (o - 1) * s >= n + p:',
  '        o -= 1',
  '    return o',
  '',
  'def max_pool2d(x, k, s, p, d, ceil_mode):',
  '    """max over each window (padding is -inf); the index is the first maximum (h * W + w), NaN wins."""',
  '    C, H, W = x.shape',
  '    OH, OW = pool_size(H, k[0], s[0], p[0], d[0], ceil_mode), pool_size(W, k[1], s[1], p[1], d[1], ceil_mode)',
  '    y = np.zeros((C, OH, OW), dtype=np.float32)',
  '    idx = np.zeros((C, OH, OW), dtype=np.int64)',
  '    for c, i, j in np.ndindex(C, OH, OW):',
  '        cells = [(h, v) for h in range(i * s[0] - p[0], i * s[0] - p[0] + d[0] * (k[0] - 1) + 1, d[0]) if 0 <= h < H',
  '                 for v in range(j * s[1] - p[1], j * s[1] - p[1] + d[1] * (k[1] - 1) + 1, d[1]) if 0 <= v < W]',
  '        best, at = -np.inf, cells[0][0] * W + cells[0][1]',
  '        for h, v in cells:',
  '            if x[c, h, v] > best or np.isnan(x[c, h, v]):',
  '                best, at = x[c, h, v], h * W + v',
  '        y[c, i, j], idx[c, i, j] = best, at',
  '    return y, idx',
  '',
  'def avg_pool2d(x, k, s, p, ceil_mode, count_include_pad, divisor_override):',
  '    """mean over each window: the window clipped to input + padding counts padding, clipped to the input sums."""',
  '    C, H, W = x.shape',
  '    OH, OW = pool_size(H, k[0], s[0], p[0], 1, ceil_mode), pool_size(W, k[1], s[1], p[1], 1, ceil_mode)',
  '    y = np.zeros((C, OH, OW), dtype=np.float32)',
  '    for c, i, j in np.ndindex(C, OH, OW):',
  '        h0, w0 = i * s[0] - p[0], j * s[1] - p[1]',
  '        h1, w1 = min(h0 + k[0], H + p[0]), min(w0 + k[1], W + p[1])',
  '        pool = (h1 - h0) * (w1 - w0)',
  '        h0, w0, h1, w1 = max(h0, 0), max(w0, 0), min(h1, H), min(w1, W)',
  '        total = np.float32(x[c, h0:h1, w0:w1].sum(dtype=np.float32))',
  '        div = divisor_override if divisor_override is not None else (pool if count_include_pad else (h1 - h0) * (w1 - w0))',
  '        y[c, i, j] = total / np.float32(div)',
  '    return y',
];

export function numpyCall(s) {
  const t = (pair, depth) => tupleOf(s, pair, depth);
  if (s.op === 'max_pool2d') return { defs: NP_POOL, call: `y, idx = max_pool2d(x, (${s.kh}, ${s.kw}), (${s.stride.join(', ')}), (${s.padding.join(', ')}), (${s.dilation.join(', ')}), ${py(s.ceilMode)})` };
  if (s.op === 'avg_pool2d') return { defs: NP_POOL, call: `y = avg_pool2d(x, (${s.kh}, ${s.kw}), (${s.stride.join(', ')}), (${s.padding.join(', ')}), ${py(s.ceilMode)}, ${py(s.countIncludePad)}, ${s.divisorOverride === null ? 'None' : s.divisorOverride})` };
  if (isTransposed(s.op)) return { defs: NP_CONVT, call: `y = conv_transpose(x, w, b, stride=${t(s.stride, s.strideD)}, padding=${t(s.padding, s.paddingD)}, output_padding=${t(s.outputPadding, s.outputPaddingD)}, dilation=${t(s.dilation, s.dilationD)}, groups=${s.groups})` };
  const pads = `(${padPairs(s).map((p) => `(${p[0]}, ${p[1]})`).join(', ')}${opDims(s.op) === 1 ? ',' : ''})`;
  const causal = s.causal && s.op === 'conv1d' ? '  # causal: (k − 1)·dilation zeros on the left only' : '';
  return { defs: NP_CONV, call: `y = conv(x, w, b, stride=${t(s.stride, s.strideD)}, pads=${pads}, dilation=${t(s.dilation, s.dilationD)}, groups=${s.groups}, padding_mode='${s.paddingMode}')${causal}` };
}
