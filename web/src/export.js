// "Copy as PyTorch" / "Copy as NumPy": self-contained scripts holding the exact current tensors
// (every float32 written as its shortest round-tripping decimal) and parameters, printing the
// output's shape and its values as full-precision Python floats (y.tolist()), so a pasted
// script prints the numbers on the page. With the gradient view open, the PyTorch script also
// runs y.backward(g) and prints x.grad, w.grad (and b.grad).

import { shortF32 } from './numfmt.js';
import { convPads, isPool, opDims } from './state.js';
import { GRAD_OPS, gradFits, fitGradOutput } from './grad-state.js';
import { header as headerOps, torchCall, numpyCall } from './export-ops.js';

const twoD = (s) => s.op === 'conv2d' || s.op === 'conv_transpose2d';

// The other ops' scripts: the same frame around export-ops.js's calls.
function pytorchOps(s, r) {
  const pool = isPool(s.op);
  const lines = [...headerOps(s, r, 'PyTorch'), 'import torch', 'import torch.nn.functional as F', '',
    `x = torch.tensor(${pyNested(r.x.data, r.x.shape, 17)}, dtype=torch.float32)  # [C, ${spatial(s)}], batch of 1 added below`];
  if (!pool) {
    lines.push(`w = torch.tensor(${pyNested(r.w.data, r.w.shape, 17)}, dtype=torch.float32)  # [${s.op.startsWith('conv_transpose') ? 'in, out/groups' : 'out, in/groups'}, kernel]`,
      `b = ${r.b ? `torch.tensor(${pyNested(r.b.data, r.b.shape)}, dtype=torch.float32)` : 'None'}`);
  }
  lines.push('', ...torchCall(s), '', 'torch.set_printoptions(precision=8)', 'print(tuple(y.shape))', 'print(y.tolist())');
  if (s.op === 'max_pool2d') lines.push('print(idx.tolist())  # the winning flat index h * W + w of each window');
  lines.push('');
  return lines.join('\n');
}

function numpyOps(s, r) {
  const pool = isPool(s.op);
  const { defs, call } = numpyCall(s);
  const lines = [...headerOps(s, r, 'NumPy (no PyTorch needed)'), 'import numpy as np', '', ...defs, '',
    `x = np.array(${pyNested(r.x.data, r.x.shape, 13)}, dtype=np.float32)  # [C, ${spatial(s)}]`];
  if (!pool) {
    lines.push(`w = np.array(${pyNested(r.w.data, r.w.shape, 13)}, dtype=np.float32)`,
      `b = ${r.b ? `np.array(${pyNested(r.b.data, r.b.shape)}, dtype=np.float32)` : 'None'}`);
  }
  lines.push('', call, '', 'print(y.shape)', 'print(y.tolist())');
  if (s.op === 'max_pool2d') lines.push('print(idx.tolist())');
  lines.push('');
  return lines.join('\n');
}

const spatial = (s) => (opDims(s.op) === 1 ? 'L' : opDims(s.op) === 3 ? 'D, H, W' : 'H, W');

function pyNum(v) {
  if (Number.isNaN(v)) return "float('nan')";
  if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "-float('inf')";
  const s = shortF32(v);
  return s.includes('.') || s.includes('e') ? s : `${s}.`;
}

// Nested Python list of a flat row-major array; the last dimension on one line.
export function pyNested(flat, dims, indent = 0) {
  if (dims.length === 0) return pyNum(flat[0]);
  if (dims.length === 1) return `[${Array.from(flat.slice(0, dims[0]), (v) => pyNum(v)).join(', ')}]`;
  const step = dims.slice(1).reduce((a, b) => a * b, 1);
  const parts = [];
  for (let i = 0; i < dims[0]; i++) parts.push(pyNested(flat.slice(i * step, (i + 1) * step), dims.slice(1), indent + 1));
  const sep = dims.length === 2 ? `,\n${' '.repeat(indent + 1)}` : `,\n\n${' '.repeat(indent + 1)}`;
  return `[${parts.join(sep)}]`;
}

const pair = (p) => (p[0] === p[1] ? String(p[0]) : `(${p[0]}, ${p[1]})`);
const tup = (p) => `(${p[0]}, ${p[1]})`;

function header(s, r, lib) {
  const what = s.op === 'conv2d' ? 'conv2d' : 'conv_transpose2d';
  return [`# convplay: ${what} of an input [${r.x.shape.join(', ')}] with a weight [${r.w.shape.join(', ')}]${r.b ? ' and a bias' : ''}, in ${lib}.`,
    '# Prints the output shape, then its values as float32 numbers (channel, row, column order).'];
}

export function pytorchCode(s, r) {
  if (!twoD(s)) return pytorchOps(s, r);
  const lines = [...header(s, r, 'PyTorch'), 'import torch', 'import torch.nn.functional as F', '',
    `x = torch.tensor(${pyNested(r.x.data, r.x.shape, 17)}, dtype=torch.float32)  # [C, H, W], batch of 1 added below`,
    `w = torch.tensor(${pyNested(r.w.data, r.w.shape, 17)}, dtype=torch.float32)  # ${s.op === 'conv2d' ? '[out, in/groups, kH, kW]' : '[in, out/groups, kH, kW]'}`,
    `b = ${r.b ? `torch.tensor(${pyNested(r.b.data, r.b.shape)}, dtype=torch.float32)` : 'None'}`, ''];
  if (s.op === 'conv2d') {
    const pad = s.paddingKind === 'num' ? pair(s.padding) : `'${s.paddingKind}'`;
    if (s.paddingMode === 'zeros') {
      lines.push(`y = F.conv2d(x.unsqueeze(0), w, b, stride=${pair(s.stride)}, padding=${pad}, dilation=${pair(s.dilation)}, groups=${s.groups})[0]`);
    } else {
      const [pt, pb, pl, pr] = convPads(s);
      lines.push(`# padding_mode='${s.paddingMode}': nn.Conv2d pads with F.pad (left, right, top, bottom), then convolves unpadded`,
        `xp = F.pad(x.unsqueeze(0), (${pl}, ${pr}, ${pt}, ${pb}), mode='${s.paddingMode}')`,
        `y = F.conv2d(xp, w, b, stride=${pair(s.stride)}, dilation=${pair(s.dilation)}, groups=${s.groups})[0]`);
    }
  } else {
    lines.push(`y = F.conv_transpose2d(x.unsqueeze(0), w, b, stride=${pair(s.stride)}, padding=${pair(s.padding)}, output_padding=${pair(s.outputPadding)}, groups=${s.groups}, dilation=${pair(s.dilation)})[0]`);
  }
  lines.push('', 'torch.set_printoptions(precision=8)', 'print(tuple(y.shape))', 'print(y.tolist())', '');
  if (withGrad(s, r)) lines.splice(lines.findIndex((l) => /^(y = |# padding_mode=)/.test(l)), 0, ...gradLines(s, r, 'pre'));
  if (withGrad(s, r)) lines.push(...gradLines(s, r, 'post'));
  return lines.join('\n');
}

// The gradient view is open (grad=1): the script also runs the backward pass for the page's
// grad_output g and prints dL/dx, dL/dW (and dL/db) after y, each on its own line.
const withGrad = (s, r) => s.grad && GRAD_OPS.includes(s.op) && r.ok && r.shape && gradFits(r.shape);

function gradLines(s, r, where) {
  if (where === 'pre') return ['# The gradient view is open: autograd gives dL/dx, dL/dW and dL/db for grad_output g below.', `x.requires_grad_()`, 'w.requires_grad_()', ...(r.b ? ['b.requires_grad_()'] : []), ''];
  return [`g = torch.tensor(${pyNested(fitGradOutput(s, r.shape), r.shape, 17)}, dtype=torch.float32)  # grad_output = dL/dy, y's shape`,
    'y.backward(g)', "print('dL/dx'); print(x.grad.tolist())", "print('dL/dW'); print(w.grad.tolist())", ...(r.b ? ["print('dL/db'); print(b.grad.tolist())"] : []), ''];
}

export function numpyCode(s, r) {
  if (!twoD(s)) return numpyOps(s, r);
  const lines = [...header(s, r, 'NumPy (no PyTorch needed)'), 'import numpy as np', ''];
  const conv = s.op === 'conv2d';
  if (conv) {
    lines.push(
      'def conv2d(x, w, b, stride, pads, dilation, groups, padding_mode):',
      '    """PyTorch conv2d (cross-correlation) of x [C, H, W] with w [K, C/groups, kH, kW]; pads = (top, bottom, left, right)."""',
      "    modes = {'zeros': 'constant', 'reflect': 'reflect', 'replicate': 'edge', 'circular': 'wrap'}",
      '    t, bo, l, r = pads',
      '    xp = np.pad(x, ((0, 0), (t, bo), (l, r)), mode=modes[padding_mode])',
      '    K, Cg, kh, kw = w.shape',
      '    (sh, sw), (dh, dw) = stride, dilation',
      '    OH = (xp.shape[1] - dh * (kh - 1) - 1) // sh + 1',
      '    OW = (xp.shape[2] - dw * (kw - 1) - 1) // sw + 1',
      '    Kg = K // groups',
      '    y = np.zeros((K, OH, OW), dtype=np.float32)',
      '    for o in range(K):',
      '        g = o // Kg',
      '        for c in range(Cg):',
      '            for a in range(kh):',
      '                for q in range(kw):',
      '                    patch = xp[g * Cg + c, a * dh:a * dh + sh * (OH - 1) + 1:sh, q * dw:q * dw + sw * (OW - 1) + 1:sw]',
      '                    y[o] += w[o, c, a, q] * patch',
      '    if b is not None:',
      '        y += b[:, None, None]',
      '    return y',
      '');
  } else {
    lines.push(
      'def conv_transpose2d(x, w, b, stride, padding, output_padding, dilation, groups):',
      '    """PyTorch conv_transpose2d of x [C, H, W] with w [C, K/groups, kH, kW]: every input cell',
      '    stamps its scaled kernel into the output (scatter-add), then padding crops each side."""',
      '    C, H, W = x.shape',
      '    _, Kg, kh, kw = w.shape',
      '    (sh, sw), (ph, pw), (oph, opw), (dh, dw) = stride, padding, output_padding, dilation',
      '    Cg = C // groups',
      '    FH = (H - 1) * sh + dh * (kh - 1) + 1 + oph',
      '    FW = (W - 1) * sw + dw * (kw - 1) + 1 + opw',
      '    full = np.zeros((Kg * groups, FH, FW), dtype=np.float32)',
      '    for c in range(C):',
      '        g = c // Cg',
      '        for ol in range(Kg):',
      '            for a in range(kh):',
      '                for q in range(kw):',
      '                    full[g * Kg + ol, a * dh:a * dh + sh * (H - 1) + 1:sh, q * dw:q * dw + sw * (W - 1) + 1:sw] += w[c, ol, a, q] * x[c]',
      '    y = full[:, ph:FH - ph, pw:FW - pw]',
      '    if b is not None:',
      '        y = y + b[:, None, None]',
      '    return y',
      '');
  }
  lines.push(
    `x = np.array(${pyNested(r.x.data, r.x.shape, 13)}, dtype=np.float32)  # [C, H, W]`,
    `w = np.array(${pyNested(r.w.data, r.w.shape, 13)}, dtype=np.float32)  # ${conv ? '[out, in/groups, kH, kW]' : '[in, out/groups, kH, kW]'}`,
    `b = ${r.b ? `np.array(${pyNested(r.b.data, r.b.shape)}, dtype=np.float32)` : 'None'}`, '');
  if (conv) {
    const [pt, pb, pl, pr] = convPads(s);
    lines.push(`y = conv2d(x, w, b, stride=${tup(s.stride)}, pads=(${pt}, ${pb}, ${pl}, ${pr}), dilation=${tup(s.dilation)}, groups=${s.groups}, padding_mode='${s.paddingMode}')`);
  } else {
    lines.push(`y = conv_transpose2d(x, w, b, stride=${tup(s.stride)}, padding=${tup(s.padding)}, output_padding=${tup(s.outputPadding)}, dilation=${tup(s.dilation)}, groups=${s.groups})`);
  }
  lines.push('', 'print(y.shape)', 'print(y.tolist())', '');
  return lines.join('\n');
}
