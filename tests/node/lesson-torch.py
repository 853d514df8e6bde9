# The lesson questions' answers computed by PyTorch 1.13 (tests/node/lesson-format.test.mjs):
# for each case, the output shape, y at the asked cell, and the input cells that feed it (the
# non-zero entries of d y[cell] / d x with every weight set to 1, so no zero weight hides a tap;
# reflect / replicate / circular padding copies pass their gradient back to the cell they copy).
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
        if c['op'] == 'conv2d':
            t, bt, l, r = c['pads']
            mode = c['mode']
            xp = F.pad(x, (l, r, t, bt), mode='constant' if mode == 'zeros' else mode) if (t or bt or l or r) else x
            return F.conv2d(xp, w, b, stride=c['stride'], dilation=c['dilation'], groups=c['groups'])
        return F.conv_transpose2d(x, w, b, stride=c['stride'], padding=c['padding'], output_padding=c['outputPadding'],
                                  groups=c['groups'], dilation=c['dilation'])

    y = run(x, w)
    res = {'shape': list(y.shape)}
    if c['cell'] is not None:
        o, i, j = c['cell']
        res['value'] = float(y[0, o, i, j])
        xg = x.clone().requires_grad_(True)
        run(xg, torch.ones_like(w))[0, o, i, j].backward()
        g = xg.grad[0]
        res['cells'] = [f'input-cell:{a},{p},{q}' for a, p, q in (g != 0).nonzero().tolist()]
    out.append(res)
json.dump(out, sys.stdout)
