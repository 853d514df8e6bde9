# PyTorch 1.13's answers for tests/browser/page-torch.test.mjs: one JSON list of configurations
# on stdin, one JSON list of results on stdout, in the same order. Each result is either
# {"error": "..."} (PyTorch raised) or {"shape": [...], "y": [...flat...]} (the unbatched output's
# shape and values in C order) with, for max_pool2d, "indices" (return_indices, flat h*W + w).
#
# How each op is run (the input is unbatched: a batch dimension of 1 is added, then dropped):
#   conv1d/2d/3d        torch.nn.ConvNd with the configuration's padding (ints or 'same' /
#                       'valid'), padding_mode, stride, dilation, groups, its weight and bias
#                       copied in (so non-zeros padding_mode is F.pad then the conv, as PyTorch
#                       does it; 'same' with a stride raises as PyTorch does)
#   conv1d causal=1     F.pad(x, ((k - 1) * dilation, 0)), then F.conv1d with padding 0
#   conv_transposeNd    F.conv_transposeNd(x, w, b, stride, padding, output_padding, groups, dilation)
#   max_pool2d          F.max_pool2d(..., return_indices=True)
#   avg_pool2d          F.avg_pool2d(..., count_include_pad, divisor_override)
import json
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

# 'same' with an even kernel warns that it may copy the input: expected here, not news.
warnings.filterwarnings('ignore', message='Using padding=.same. with even kernel')

DIMS = {'conv1d': 1, 'conv_transpose1d': 1, 'conv2d': 2, 'conv_transpose2d': 2, 'conv3d': 3, 'conv_transpose3d': 3,
        'max_pool2d': 2, 'avg_pool2d': 2}
CONV = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def run(c):
    op = c['op']
    x = torch.tensor(c['x'], dtype=torch.float32)[None]
    stride = tuple(c['stride']) if c['stride'] is not None else None  # pooling: None = kernel_size
    if op == 'max_pool2d':
        y, idx = F.max_pool2d(x, tuple(c['kernel_size']), stride=stride, padding=tuple(c['padding']),
                              dilation=tuple(c['dilation']), ceil_mode=c['ceil_mode'], return_indices=True)
        return y, idx
    if op == 'avg_pool2d':
        y = F.avg_pool2d(x, tuple(c['kernel_size']), stride=stride, padding=tuple(c['padding']),
                         ceil_mode=c['ceil_mode'], count_include_pad=c['count_include_pad'],
                         divisor_override=c['divisor_override'])
        return y, None
    dims = DIMS[op]
    w = torch.tensor(c['w'], dtype=torch.float32)
    b = torch.tensor(c['b'], dtype=torch.float32) if c['b'] is not None else None
    if op.startswith('conv_transpose'):
        y = CONV_T[dims](x, w, b, stride=tuple(c['stride']), padding=tuple(c['padding']),
                         output_padding=tuple(c['output_padding']), groups=c['groups'], dilation=tuple(c['dilation']))
        return y, None
    if c.get('causal'):
        k, d = w.shape[-1], c['dilation'][0]
        xp = F.pad(x, ((k - 1) * d, 0))
        return F.conv1d(xp, w, b, stride=tuple(c['stride']), padding=0, dilation=tuple(c['dilation']), groups=c['groups']), None
    padding = c['padding'] if isinstance(c['padding'], str) else tuple(c['padding'])
    m = CONV[dims](x.shape[1], w.shape[0], tuple(w.shape[2:]), stride=tuple(c['stride']), padding=padding,
                   dilation=tuple(c['dilation']), groups=c['groups'], bias=b is not None, padding_mode=c['padding_mode'])
    with torch.no_grad():
        m.weight.copy_(w)
        if b is not None:
            m.bias.copy_(b)
        return m(x), None


out = []
for c in json.load(sys.stdin):
    try:
        y, idx = run(c)
    except Exception as e:  # PyTorch refused the configuration: the page must refuse it too
        out.append({'error': f'{type(e).__name__}: {e}'.splitlines()[0]})
        continue
    res = {'shape': list(y.shape[1:]), 'y': y[0].flatten().tolist()}
    if idx is not None:
        res['indices'] = idx[0].flatten().tolist()
    out.append(res)
json.dump(out, sys.stdout)
