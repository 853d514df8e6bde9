# The lesson questions' answers computed by PyTorch 1.13 (tests/node/lesson-format.test.mjs):
# for each case, the output shape, y at the asked cell, and the input cells that feed it (the
# non-zero entries of d y[cell] / d x with every weight set to 1, so no zero weight hides a tap;
# reflect / replicate / circular padding copies pass their gradient back to the cell they copy).
# conv1d (causal: F.pad (k - 1)*d zeros on the left, then conv1d) with cells named c,0,w; a
# 'grad-input-cell' is x.grad after y.backward(g), g = grad_output (ones unless given).
import json, sys
import torch
import torch.nn.functional as F

cases = json.load(sys.stdin)
out = []
for c in cases:
    x = torch.tensor(c['x'], dtype=torch.float32).reshape(c['xShape'])[None]
    w = torch.tensor(c['w'], dtype=torch.float32).reshape(c['wShape'])
    b = torch.tensor(c['b'], dtype=torch.float32) if c['b'] is not None else None

    def run(x, w):
        if c['op'] == 'conv1d':
            l, r = c['pads'][2], c['pads'][3]
            mode = c['mode']
            xp = F.pad(x, (l, r), mode='constant' if mode == 'zeros' else mode) if (l or r) else x
            return F.conv1d(xp, w, b, stride=c['stride'][1], dilation=c['dilation'][1], groups=c['groups'])
        if c['op'] == 'conv2d':
            t, bt, l, r = c['pads']
            mode = c['mode']
            xp = F.pad(x, (l, r, t, bt), mode='constant' if mode == 'zeros' else mode) if (t or bt or l or r) else x
            return F.conv2d(xp, w, b, stride=c['stride'], dilation=c['dilation'], groups=c['groups'])
        return F.conv_transpose2d(x, w, b, stride=c['stride'], padding=c['padding'], output_padding=c['outputPadding'],
                                  groups=c['groups'], dilation=c['dilation'])

    y = run(x, w)
    res = {'shape': list(y.shape)}
    lift = (lambda t: t[:, :, None, :]) if c['op'] == 'conv1d' else (lambda t: t)
    if c.get('gradCell') is not None:
        ci, i, j = c['gradCell']
        xg = x.clone().requires_grad_(True)
        yg = run(xg, w)
        g = torch.tensor(c['g'], dtype=torch.float32).reshape(yg.shape) if c.get('g') is not None else torch.ones_like(yg)
        yg.backward(g)
        res['value'] = float(lift(xg.grad)[0, ci, i, j])
    elif c['cell'] is not None:
        o, i, j = c['cell']
        res['value'] = float(lift(y)[0, o, i, j])
        xg = x.clone().requires_grad_(True)
        lift(run(xg, torch.ones_like(w)))[0, o, i, j].backward()
        g = lift(xg.grad)[0]
        res['cells'] = [f'input-cell:{a},{p},{q}' for a, p, q in (g != 0).nonzero().tolist()]
    out.append(res)
json.dump(out, sys.stdout)
