#!/usr/bin/python3
"""Golden-vector generator for convplay.

Produces JSON test vectors computed with PyTorch (Debian python3-torch 1.13)
for the C++/WASM convolution library.  Run with the system interpreter:

    /usr/bin/python3 tests/golden/gen.py

Files written next to this script:

    conv2d.json            torch.nn.Conv2d / F.conv2d
    conv_transpose2d.json  F.conv_transpose2d
    unfold.json            F.unfold
    fold.json              F.fold
    pad.json               F.pad
    kernel_matrix.json     dense matrix M with conv(x).flatten() == M @ x.flatten()
    bilinear_kernel.json   d2l's bilinear_kernel (FCN upsampling initialiser)
    errors.json            invalid arguments and the exact message torch raises
    conv1d.json, conv_transpose1d.json, conv3d.json, conv_transpose3d.json
                           nn.Conv1d / nn.ConvTranspose1d / nn.Conv3d / nn.ConvTranspose3d
    conv2d_backward.json, conv_transpose2d_backward.json
                           torch.autograd of nn.Conv2d / nn.ConvTranspose2d with a bias
    max_pool2d.json, avg_pool2d.json
                           F.max_pool2d (with indices) / F.avg_pool2d

Encoding
--------
* Tensor:  {"shape": [d0, d1, ...], "data": [flat row-major float32 values]}
* Every float is written as the shortest decimal that round-trips to the same
  float32 (numpy's float32 repr).  NaN / +Inf / -Inf are the strings
  "nan", "inf", "-inf".
* One case per line so that diffs stay readable.

Determinism
-----------
Tensor data comes from a fixed NumPy Generator; torch.manual_seed is set as
well, torch runs single-threaded with deterministic algorithms.  Most random
tensors hold multiples of 1/16 in [-2, 2]: every product is then a multiple
of 1/256 and every sum in these small shapes is exactly representable in
float32, so those outputs are exact regardless of summation order.  Cases
whose name contains "float" use full-precision uniform values instead and
need a tolerance (~1e-5 relative) on the C++ side.

Self-check
----------
Every torch result is compared against an independent float64 NumPy
reference implemented at the bottom of this file (including the NaN/Inf
pattern).  The script aborts if they disagree.
"""

import json
import os
import sys
import warnings

# nn.Conv2d's padding_mode error message prints a Python set whose order
# depends on string hashing; pin the hash seed so errors.json is reproducible.
if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
SEED = 20240611

torch.manual_seed(SEED)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
RNG = np.random.default_rng(SEED)

# 'same' padding with even kernels warns about an extra padded copy; harmless.
warnings.filterwarnings("ignore", message=".*padding='same'.*")

NAN, INF = float("nan"), float("inf")


# ---------------------------------------------------------------------------
# Helpers: data, option normalisation, JSON encoding
# ---------------------------------------------------------------------------

def rand(*shape):
    """Random float32 multiples of 1/16 in [-2, 2] (exact arithmetic)."""
    return (RNG.integers(-32, 33, size=shape) / 16.0).astype(np.float32)


def rand_float(*shape):
    """Random full-precision float32 values in [-1, 1)."""
    return RNG.uniform(-1.0, 1.0, size=shape).astype(np.float32)


def arange(n, *shape, start=0.0):
    return (np.arange(n, dtype=np.float32) + start).reshape(shape)


def pair(v):
    """int -> [v, v]; (a, b) -> [a, b]; strings pass through."""
    if isinstance(v, str):
        return v
    if isinstance(v, int):
        return [v, v]
    return [int(a) for a in v]


def tt(a):
    """NumPy array -> float32 torch tensor."""
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))


class Tensor:
    """Wraps a float32 array for the custom JSON writer."""

    def __init__(self, a):
        if isinstance(a, torch.Tensor):
            a = a.detach().cpu().numpy()
        self.a = np.ascontiguousarray(a, dtype=np.float32)


def fmt_float(v):
    v = np.float32(v)
    if np.isnan(v):
        return '"nan"'
    if np.isinf(v):
        return '"inf"' if v > 0 else '"-inf"'
    return str(v)  # shortest repr that round-trips float32


def dump(o):
    """Compact JSON with float32-aware number formatting."""
    if isinstance(o, Tensor):
        return ('{"shape":[%s],"data":[%s]}'
                % (",".join(str(d) for d in o.a.shape),
                   ",".join(fmt_float(v) for v in o.a.ravel())))
    if isinstance(o, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dump(v) for k, v in o.items()) + "}"
    if isinstance(o, (list, tuple)):
        return "[" + ",".join(dump(v) for v in o) + "]"
    if isinstance(o, bool) or o is None or isinstance(o, (str, int, np.integer)):
        return json.dumps(o if not isinstance(o, np.integer) else int(o))
    if isinstance(o, float):
        return fmt_float(o)
    raise TypeError(type(o))


def write_file(fname, cases):
    names = [c.get("name") for c in cases if "name" in c]
    assert len(names) == len(set(names)), "duplicate case names in " + fname
    text = ('{"torch_version":%s,"cases":[\n%s\n]}\n'
            % (json.dumps(torch.__version__), ",\n".join(dump(c) for c in cases)))
    path = os.path.join(OUT_DIR, fname)
    with open(path, "w") as f:
        f.write(text)
    return path


# ---------------------------------------------------------------------------
# Torch wrappers (the goldens)
# ---------------------------------------------------------------------------

def torch_conv2d(x, w, b, o):
    """Conv2d with PyTorch semantics, options in JSON layout.

    zeros padding -> F.conv2d (identical to nn.Conv2d).  Other padding modes
    -> a real nn.Conv2d(padding_mode=...) with weight/bias copied in, so the
    (possibly asymmetric 'same') padding split is exactly PyTorch's.
    """
    mode = o["paddingMode"]
    if mode == "zeros":
        return F.conv2d(x, w, b, o["stride"], o["padding"], o["dilation"], o["groups"])
    g = o["groups"]
    m = nn.Conv2d(w.shape[1] * g, w.shape[0], tuple(w.shape[2:]), stride=o["stride"],
                  padding=o["padding"] if isinstance(o["padding"], str) else tuple(o["padding"]),
                  dilation=o["dilation"], groups=g, bias=b is not None, padding_mode=mode)
    with torch.no_grad():
        m.weight = nn.Parameter(w)
        if b is not None:
            m.bias = nn.Parameter(b)
        if mode == "circular" and x.dim() == 3:
            # torch 1.13 bug: circular F.pad rejects unbatched [C,H,W] input
            # ("Invalid padding size, expected 2 but got 4").  torch >= 2.0
            # accepts it; semantics are those of a batch of one.
            return m(x.unsqueeze(0)).squeeze(0)
        return m(x)


def torch_conv_transpose2d(x, w, b, o):
    return F.conv_transpose2d(x, w, b, o["stride"], o["padding"], o["outputPadding"],
                              o["groups"], o["dilation"])


def torch_unfold(x, o):
    return F.unfold(x, o["kernelSize"], o["dilation"], o["padding"], o["stride"])


def torch_fold(x, o):
    return F.fold(x, o["outputSize"], o["kernelSize"], o["dilation"], o["padding"], o["stride"])


def torch_pad(x, o):
    if o["mode"] == "constant":
        return F.pad(x, o["pad"], mode="constant", value=o["value"])
    if o["mode"] == "circular" and x.dim() == 3:
        # Same torch 1.13 limitation as above: circular treats 3-D input as
        # batched 1-D ([N,C,W]) and rejects a 4-element pad.
        return F.pad(x.unsqueeze(0), o["pad"], mode="circular").squeeze(0)
    # Non-constant modes reject a non-zero `value` argument, so omit it.
    return F.pad(x, o["pad"], mode=o["mode"])


def bilinear_kernel(in_channels, out_channels, kernel_size):
    """d2l.ai (13.11 Fully Convolutional Networks) bilinear upsampling init."""
    factor = (kernel_size + 1) // 2
    if kernel_size % 2 == 1:
        center = factor - 1
    else:
        center = factor - 0.5
    og = (torch.arange(kernel_size).reshape(-1, 1),
          torch.arange(kernel_size).reshape(1, -1))
    filt = (1 - torch.abs(og[0] - center) / factor) * \
           (1 - torch.abs(og[1] - center) / factor)
    weight = torch.zeros((in_channels, out_channels, kernel_size, kernel_size))
    weight[range(in_channels), range(out_channels), :, :] = filt
    return weight


# ---------------------------------------------------------------------------
# 1. conv2d.json
# ---------------------------------------------------------------------------

CONV = []


def conv(name, x, w, bias=True, stride=1, padding=0, dilation=1, groups=1, mode="zeros",
         expect=None):
    """Add a conv2d case.  x/w may be shapes (random data) or arrays."""
    x = rand(*x) if isinstance(x, tuple) else np.asarray(x, np.float32)
    w = rand(*w) if isinstance(w, tuple) else np.asarray(w, np.float32)
    if bias is True:
        b = rand(w.shape[0])
    elif bias is False or bias is None:
        b = None
    else:
        b = np.asarray(bias, np.float32)
    o = {"stride": pair(stride), "padding": pair(padding), "dilation": pair(dilation),
         "groups": groups, "paddingMode": mode}
    y = torch_conv2d(tt(x), tt(w), None if b is None else tt(b), o).numpy()
    check(name, y, ref_conv2d(x, w, b, o))
    if expect is not None:
        check(name + " (hand value)", y, np.asarray(expect, np.float64))
    CONV.append({"name": name, "input": Tensor(x), "weight": Tensor(w),
                 "bias": None if b is None else Tensor(b), "options": o, "output": Tensor(y)})


def build_conv2d():
    # --- seed / textbook examples (exact hand-checked values) ----------------
    conv("seed004_conv", arange(9, 1, 1, 3, 3, start=1), np.ones((1, 1, 2, 2)), bias=False,
         expect=[[[[12, 16], [24, 28]]]])
    conv("seed002_dilation1", arange(25, 1, 1, 5, 5), np.ones((1, 1, 3, 3)), bias=False,
         expect=[[[[54, 63, 72], [99, 108, 117], [144, 153, 162]]]])
    conv("seed002_dilation2", arange(25, 1, 1, 5, 5), np.ones((1, 1, 3, 3)), bias=False,
         dilation=2, expect=[[[[108]]]])
    conv("d2l_corr2d", arange(9, 1, 1, 3, 3), [[[[0, 1], [2, 3]]]], bias=False,
         expect=[[[[19, 25], [37, 43]]]])
    edge = np.ones((1, 1, 6, 8), np.float32)
    edge[..., 2:6] = 0
    conv("d2l_edge_detect_1x2", edge, [[[[1, -1]]]], bias=False)
    conv("d2l_multi_in_channel", np.stack([arange(9, 3, 3), arange(9, 3, 3, start=1)])[None],
         np.stack([[[0, 1], [2, 3]], [[1, 2], [3, 4]]])[None], bias=False,
         expect=[[[[56, 72], [104, 120]]]])

    # --- integer padding -----------------------------------------------------
    for p in (0, 1, 2, 3):
        conv(f"pad_int{p}_k3_7x9", (1, 3, 7, 9), (4, 3, 3, 3), bias=p % 2 == 0, padding=p)
    conv("pad_int2_k5_6x6", (2, 2, 6, 6), (3, 2, 5, 5), padding=2)
    conv("pad_int4_k3_larger_than_kernel", (1, 1, 3, 3), (1, 1, 3, 3), padding=4)

    # --- pair padding --------------------------------------------------------
    for ph, pw in ((0, 1), (1, 0), (2, 1), (1, 3)):
        conv(f"pad_pair{ph}_{pw}_k3x5", (1, 2, 6, 7), (3, 2, 3, 5), padding=(ph, pw),
             bias=ph != 1)

    # --- padding='same' (stride 1; extra padding goes bottom/right) ----------
    same = [  # name, x, w, dilation
        ("k3", (1, 3, 7, 9), (4, 3, 3, 3), 1),
        ("k5", (1, 2, 6, 6), (3, 2, 5, 5), 1),
        ("k1", (1, 3, 4, 5), (2, 3, 1, 1), 1),
        ("k2_even", (1, 2, 5, 6), (3, 2, 2, 2), 1),
        ("k4_even", (1, 2, 6, 7), (2, 2, 4, 4), 1),
        ("k2x3", (1, 1, 5, 5), (2, 1, 2, 3), 1),
        ("k4x3", (1, 3, 6, 5), (2, 3, 4, 3), 1),
        ("k2x5", (1, 2, 4, 7), (3, 2, 2, 5), 1),
        ("k3_dil2", (1, 2, 7, 8), (3, 2, 3, 3), 2),
        ("k2_dil3_asym", (1, 2, 7, 7), (2, 2, 2, 2), 3),
        ("k2x4_dil2x1", (1, 1, 6, 9), (2, 1, 2, 4), (2, 1)),
        ("k4_dil2", (1, 1, 8, 8), (1, 1, 4, 4), 2),
        ("k3_input1x1", (1, 2, 1, 1), (3, 2, 3, 3), 1),
        ("k4_input2x3", (1, 1, 2, 3), (2, 1, 4, 4), 1),
        ("k3_batch2", (2, 3, 5, 6), (4, 3, 3, 3), 1),
        ("k4_unbatched", (3, 5, 5), (2, 3, 4, 4), 1),
    ]
    for n, x, w, d in same:
        conv(f"same_{n}", x, w, dilation=d, padding="same", bias=n != "k4_even")
    conv("same_k4_groups2", (1, 4, 5, 6), (6, 2, 4, 4), padding="same", groups=2)

    # --- padding='valid' -----------------------------------------------------
    conv("valid_k3_5x7", (1, 3, 5, 7), (2, 3, 3, 3), padding="valid")
    conv("valid_k2x5", (1, 2, 4, 6), (2, 2, 2, 5), padding="valid", bias=False)
    conv("valid_kernel_eq_input", (1, 2, 4, 4), (3, 2, 4, 4), padding="valid")
    conv("valid_stride2_dil2", (2, 1, 9, 8), (2, 1, 3, 3), padding="valid", stride=2,
         dilation=2)

    # --- strides -------------------------------------------------------------
    for sh, sw in ((2, 2), (3, 3), (1, 2), (2, 1), (3, 1), (1, 3), (2, 3), (3, 2)):
        conv(f"stride{sh}_{sw}_k3_p1_9x10", (1, 3, 9, 10), (2, 3, 3, 3), stride=(sh, sw),
             padding=1, bias=sh != sw)
    conv("stride2_nondividing_8x8", (1, 1, 8, 8), (1, 1, 3, 3), stride=2)
    conv("stride3_nondividing_10x11_p1", (1, 2, 10, 11), (3, 2, 3, 3), stride=3, padding=1)
    conv("stride3_gt_kernel2", (1, 2, 8, 9), (2, 2, 2, 2), stride=3)
    conv("stride2_dil2_p2", (1, 2, 9, 9), (2, 2, 3, 3), stride=2, dilation=2, padding=2)
    conv("stride2_k1_subsample", (1, 3, 5, 6), (4, 3, 1, 1), stride=2)

    # --- dilation ------------------------------------------------------------
    for dh, dw in ((2, 2), (3, 3), (1, 2), (2, 1), (3, 2), (1, 3)):
        conv(f"dil{dh}_{dw}_k3_9x11", (1, 2, 9, 11), (3, 2, 3, 3), dilation=(dh, dw),
             bias=dh >= dw)
    conv("dil2_p2_preserve_size", (1, 2, 6, 7), (2, 2, 3, 3), dilation=2, padding=2)
    conv("dil3_k2x3_p_pair", (1, 1, 8, 10), (2, 1, 2, 3), dilation=3, padding=(1, 3))

    # --- groups --------------------------------------------------------------
    conv("groups2_c4_k6", (1, 4, 5, 6), (6, 2, 3, 3), groups=2, padding=1)
    conv("groups2_c4_k2", (1, 4, 5, 5), (2, 2, 3, 3), groups=2, bias=False)
    conv("depthwise_c4", (1, 4, 6, 6), (4, 1, 3, 3), groups=4, padding=1)
    conv("depthwise_c3_k5_p2", (2, 3, 7, 5), (3, 1, 5, 5), groups=3, padding=2, bias=False)
    conv("depthwise_c7_stride2", (1, 7, 9, 9), (7, 1, 3, 3), groups=7, stride=2, padding=1)
    conv("multiplier2_c3_k6", (1, 3, 5, 6), (6, 1, 3, 3), groups=3, padding=1)
    conv("multiplier2_c5_k10_stride2", (1, 5, 7, 7), (10, 1, 3, 3), groups=5, stride=2)
    conv("groups3_c6_k9", (1, 6, 5, 5), (9, 2, 3, 3), groups=3)
    conv("groups2_c6_k6_dil2", (1, 6, 7, 7), (6, 3, 3, 3), groups=2, dilation=2, padding=1,
         bias=False)
    conv("groups2_unbatched", (4, 5, 5), (4, 2, 3, 3), groups=2, padding=1)
    conv("groups2_batch3", (3, 4, 4, 5), (2, 2, 2, 2), groups=2)
    conv("groups2_k1x1", (1, 6, 3, 4), (4, 3, 1, 1), groups=2)

    # --- non-zeros padding modes (nn.Conv2d(padding_mode=...)) ---------------
    for mode in ("reflect", "replicate", "circular"):
        m = mode[:4]
        conv(f"{m}_pad1_5x7", (1, 2, 5, 7), (3, 2, 3, 3), padding=1, mode=mode)
        conv(f"{m}_pad2_5x7", (1, 2, 5, 7), (3, 2, 3, 3), padding=2, mode=mode, bias=False)
        conv(f"{m}_pad1_2_6x4", (1, 1, 6, 4), (2, 1, 3, 3), padding=(1, 2), mode=mode)
        conv(f"{m}_pad2_0_stride2", (1, 2, 5, 8), (2, 2, 3, 3), padding=(2, 0), stride=2,
             mode=mode)
        conv(f"{m}_pad2_dil2", (1, 1, 5, 6), (2, 1, 3, 3), padding=2, dilation=2, mode=mode)
        conv(f"{m}_pad1_batch2", (2, 3, 4, 5), (2, 3, 3, 3), padding=1, mode=mode)
        conv(f"{m}_pad1_unbatched", (2, 4, 6), (3, 2, 3, 3), padding=1, mode=mode)
        conv(f"{m}_same_k4_asym", (1, 2, 5, 6), (2, 2, 4, 4), padding="same", mode=mode)
        conv(f"{m}_same_k3_dil2", (1, 1, 6, 7), (2, 1, 3, 3), padding="same", dilation=2,
             mode=mode)
        conv(f"{m}_pad1_groups2", (1, 4, 5, 5), (4, 2, 3, 3), padding=1, groups=2, mode=mode)
        conv(f"{m}_pad2_1_k1x3", (1, 2, 4, 5), (2, 2, 1, 3), padding=(2, 1), mode=mode)
    conv("refl_pad0_noop", (1, 2, 4, 4), (2, 2, 3, 3), padding=0, mode="reflect")
    conv("refl_pad_max_size_minus1", (1, 1, 3, 4), (1, 1, 3, 3), padding=2, mode="reflect")
    conv("circ_pad_eq_size", (1, 1, 3, 4), (1, 1, 3, 3), padding=3, mode="circular")
    conv("repl_pad_gt_size", (1, 1, 2, 3), (2, 1, 3, 3), padding=4, mode="replicate")
    conv("refl_valid", (1, 2, 5, 5), (2, 2, 3, 3), padding="valid", mode="reflect")
    conv("refl_batch0", (0, 2, 5, 5), (3, 2, 3, 3), padding=1, mode="reflect")

    # --- batching ------------------------------------------------------------
    conv("batch1_c3", (1, 3, 5, 5), (2, 3, 3, 3), padding=1)
    conv("batch2_c3", (2, 3, 5, 5), (2, 3, 3, 3), padding=1)
    conv("batch3_c5_stride2", (3, 5, 6, 7), (3, 5, 3, 3), stride=2, bias=False)
    conv("unbatched_c3", (3, 5, 5), (2, 3, 3, 3), padding=1)
    conv("unbatched_c7_k1", (7, 4, 3), (5, 7, 1, 1), bias=False)
    conv("unbatched_dil2_stride2", (2, 9, 8), (3, 2, 3, 3), stride=2, dilation=2, padding=1)
    conv("batch0_c3", (0, 3, 5, 5), (2, 3, 3, 3))
    conv("batch0_pad1_stride2", (0, 2, 6, 7), (4, 2, 3, 3), padding=1, stride=2, bias=False)

    # --- channels not multiples of 4, odd sizes, special kernel shapes -------
    conv("c5_k7_3x3", (1, 5, 6, 6), (7, 5, 3, 3), padding=1)
    conv("c7_k3_5x5", (1, 7, 5, 5), (3, 7, 5, 5), padding=2, bias=False)
    conv("pointwise_c7_k5", (2, 7, 3, 4), (5, 7, 1, 1))
    conv("odd_7x9_c3_k5", (1, 3, 7, 9), (5, 3, 3, 3))
    conv("input1x1_k1", (1, 3, 1, 1), (2, 3, 1, 1))
    conv("input1x1_k3_p1", (1, 2, 1, 1), (2, 2, 3, 3), padding=1)
    conv("input1x1_k1_stride2", (1, 1, 1, 1), (1, 1, 1, 1), stride=2)
    conv("kernel_eq_input_5x5", (1, 3, 5, 5), (2, 3, 5, 5))
    conv("kernel_eq_input_4x6", (2, 2, 4, 6), (3, 2, 4, 6), bias=False)
    conv("kernel_eq_padded_input", (1, 1, 3, 3), (1, 1, 5, 5), padding=1)
    conv("rect_k1x3", (1, 2, 5, 6), (3, 2, 1, 3), padding=(0, 1))
    conv("rect_k3x1", (1, 2, 5, 6), (3, 2, 3, 1), padding=(1, 0))
    conv("rect_k2x5", (1, 3, 6, 8), (2, 3, 2, 5))
    conv("rect_k5x2_stride2_1", (1, 1, 9, 5), (2, 1, 5, 2), stride=(2, 1), padding=(2, 0))
    conv("rect_k1x7_p3", (1, 1, 3, 10), (1, 1, 1, 7), padding=(0, 3), bias=False)
    conv("tall_input_12x2", (1, 2, 12, 2), (2, 2, 3, 2))

    # --- full-precision values (compare with a tolerance) --------------------
    def fconv(name, xs, ws, **kw):
        conv(name, rand_float(*xs), rand_float(*ws), bias=rand_float(ws[0]), **kw)
    fconv("float_c8_16x16_k3_p1", (2, 8, 16, 16), (8, 8, 3, 3), padding=1)
    fconv("float_c16_8x8_k3", (1, 16, 8, 8), (16, 16, 3, 3))
    fconv("float_c3_12x12_k5_s2_p2", (1, 3, 12, 12), (6, 3, 5, 5), stride=2, padding=2)
    fconv("float_depthwise_c6", (1, 6, 7, 7), (6, 1, 3, 3), groups=6, padding=1)
    fconv("float_reflect_same", (1, 3, 9, 9), (4, 3, 3, 3), padding="same", mode="reflect")

    # --- NaN / Inf propagation -----------------------------------------------
    x = rand(1, 1, 5, 5)
    x[0, 0, 0, 0] = INF  # corner inf; zero padding around it
    w = rand(1, 1, 3, 3)
    w[0, 0, 1, 1] = 0.0  # inf * 0 -> nan where the zero tap hits the inf
    conv("nan_inf_input_zeropad_zero_tap", x, w, bias=False, padding=1)
    x = rand(1, 1, 4, 4)
    x[0, 0, 1, 2] = INF
    conv("nan_inf_input_zeropad_ones", x, np.ones((1, 1, 3, 3)), bias=[0.5], padding=1)
    x = rand(1, 1, 4, 4)
    x[0, 0, 0, 0], x[0, 0, 0, 2] = INF, -INF  # +inf + -inf -> nan where both seen
    conv("nan_inf_plus_minus_input", x, np.ones((1, 1, 2, 3)), bias=False)
    x = rand(1, 1, 4, 5)
    x[0, 0, 1, 1] = NAN
    conv("nan_input_nan", x, (1, 1, 2, 2), padding=1)
    w = rand(2, 2, 3, 3)
    w[1, 0, 2, 2] = NAN  # poisons every output of channel 1 only
    conv("nan_weight_nan", (1, 2, 4, 4), w, padding=1)
    conv("nan_bias_minus_inf", (1, 2, 4, 4), (3, 2, 3, 3), bias=[0.25, -INF, 1.0])
    x = rand(1, 1, 4, 4)
    x[0, 0, 0, 1] = INF
    conv("nan_inf_input_reflect", x, np.ones((1, 1, 3, 3)), bias=False, padding=1,
         mode="reflect")
    x = rand(1, 2, 3, 3)
    x[0, 0, 2, 2] = INF
    conv("nan_inf_input_depthwise", x, (2, 1, 2, 2), groups=2, bias=False)


# ---------------------------------------------------------------------------
# 2. conv_transpose2d.json
# ---------------------------------------------------------------------------

CONVT = []


def convt(name, x, w, bias=True, stride=1, padding=0, output_padding=0, dilation=1,
          groups=1, expect=None):
    """Add a conv_transpose2d case.  Weight layout [Cin, Cout/groups, kh, kw]."""
    x = rand(*x) if isinstance(x, tuple) else np.asarray(x, np.float32)
    w = rand(*w) if isinstance(w, tuple) else np.asarray(w, np.float32)
    cout = w.shape[1] * groups
    if bias is True:
        b = rand(cout)
    elif bias is False or bias is None:
        b = None
    else:
        b = np.asarray(bias, np.float32)
    o = {"stride": pair(stride), "padding": pair(padding),
         "outputPadding": pair(output_padding), "dilation": pair(dilation), "groups": groups}
    y = torch_conv_transpose2d(tt(x), tt(w), None if b is None else tt(b), o).numpy()
    check(name, y, ref_conv_transpose2d(x, w, b, o))
    if expect is not None:
        check(name + " (hand value)", y, np.asarray(expect, np.float64))
    CONVT.append({"name": name, "input": Tensor(x), "weight": Tensor(w),
                  "bias": None if b is None else Tensor(b), "options": o, "output": Tensor(y)})


def build_conv_transpose2d():
    # --- seed / d2l examples -------------------------------------------------
    X = [[[[0, 1], [2, 3]]]]
    convt("seed001_convT_basic", X, X, bias=False,
          expect=[[[[0, 0, 1], [0, 4, 6], [4, 12, 9]]]])
    convt("seed001_convT_pad1", X, X, bias=False, padding=1, expect=[[[[4]]]])
    convt("seed001_convT_stride2", X, X, bias=False, stride=2,
          expect=[[[[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]]]])
    convt("seed004_convT_3x3ones", [[[[12, 16], [24, 28]]]], np.ones((1, 1, 3, 3)),
          bias=False, expect=[[[[12, 28, 28, 16], [36, 80, 80, 44],
                                [36, 80, 80, 44], [24, 52, 52, 28]]]])
    convt("d2l_convT_multichannel_k5_p0", (1, 10, 4, 4), (10, 20, 5, 5), bias=False)
    convt("d2l_convT_shape_roundtrip_s2_p3_k5", (1, 3, 8, 8), (3, 10, 5, 5), stride=2,
          padding=3, output_padding=1)  # conv(k5,p3,s2) maps 16x16 -> 8x8 -> back to 16x16

    # --- FCN bilinear upsampling ---------------------------------------------
    img = rand(1, 3, 3, 4)
    convt("fcn_bilinear_k4_s2_p1", img, bilinear_kernel(3, 3, 4).numpy(), bias=False,
          stride=2, padding=1)
    convt("fcn_bilinear_k4_s2_p1_1ch_arange", arange(6, 1, 1, 2, 3),
          bilinear_kernel(1, 1, 4).numpy(), bias=False, stride=2, padding=1)
    convt("fcn_bilinear_k8_s4_p2", rand(1, 2, 2, 3), bilinear_kernel(2, 2, 8).numpy(),
          bias=False, stride=4, padding=2)
    convt("k8_s4_p2_random", (1, 2, 3, 3), (2, 3, 8, 8), stride=4, padding=2)

    # --- strides -------------------------------------------------------------
    for sh, sw in ((1, 1), (2, 2), (3, 3), (1, 2), (2, 1), (3, 2), (2, 3), (1, 3)):
        convt(f"stride{sh}_{sw}_k3", (1, 2, 3, 4), (2, 3, 3, 3), stride=(sh, sw),
              bias=sh != sw)
    convt("stride3_gt_kernel2_gaps", (1, 1, 3, 3), (1, 2, 2, 2), stride=3)
    convt("stride2_gt_kernel1_gaps", (1, 2, 3, 4), (2, 2, 1, 1), stride=2)
    convt("stride_4_3_gt_kernel_2x2_gaps", (1, 1, 2, 3), (1, 1, 2, 2), stride=(4, 3),
          bias=False)

    # --- padding (crops the full output) -------------------------------------
    for p in (1, 2):
        convt(f"pad{p}_k3_s1", (1, 2, 5, 5), (2, 2, 3, 3), padding=p)
    convt("pad3_k5_s1_crop_to_smaller", (1, 1, 6, 7), (1, 2, 5, 5), padding=3)
    convt("pad_pair0_1_k3_s2", (1, 2, 4, 4), (2, 2, 3, 3), stride=2, padding=(0, 1))
    convt("pad_pair2_0_k4x3_s2", (1, 2, 4, 5), (2, 1, 4, 3), stride=2, padding=(2, 0))
    convt("pad1_k4_s2_exact2x", (1, 3, 4, 5), (3, 2, 4, 4), stride=2, padding=1)
    convt("pad_crop_to_1x1", (1, 2, 1, 1), (2, 1, 3, 3), padding=1)
    convt("pad2_k3_s2_crop", (1, 1, 4, 4), (1, 1, 3, 3), stride=2, padding=2)

    # --- output_padding (op < stride or op < dilation, per dimension) --------
    convt("outpad1_s2", (1, 2, 3, 3), (2, 2, 3, 3), stride=2, output_padding=1)
    convt("outpad2_s3", (1, 1, 3, 4), (1, 2, 3, 3), stride=3, output_padding=2)
    convt("outpad1_2_s2_3", (1, 2, 3, 3), (2, 1, 3, 3), stride=(2, 3), output_padding=(1, 2))
    convt("outpad1_0_s2_p1", (1, 2, 4, 4), (2, 2, 3, 3), stride=2, padding=1,
          output_padding=(1, 0))
    convt("outpad1_s1_dil2", (1, 1, 3, 3), (1, 2, 3, 3), dilation=2, output_padding=1)
    convt("outpad2_s2_dil3", (1, 2, 3, 3), (2, 1, 2, 2), stride=2, dilation=3,
          output_padding=2)
    convt("outpad_0_1_s1_dil_1_2", (1, 1, 4, 4), (1, 1, 3, 3), dilation=(1, 2),
          output_padding=(0, 1))
    convt("outpad1_s2_p1_k3_bias_only_row", (1, 1, 2, 2), (1, 1, 3, 3), stride=2,
          padding=1, output_padding=1)
    convt("outpad2_s3_p1_k4", (2, 2, 3, 3), (2, 2, 4, 4), stride=3, padding=1,
          output_padding=2, bias=False)

    # --- dilation ------------------------------------------------------------
    for dh, dw in ((2, 2), (3, 3), (1, 2), (2, 1), (3, 2)):
        convt(f"dil{dh}_{dw}_k3", (1, 2, 4, 5), (2, 2, 3, 3), dilation=(dh, dw), bias=dh == dw)
    convt("dil2_s2_p2", (1, 1, 4, 4), (1, 2, 3, 3), dilation=2, stride=2, padding=2)
    convt("dil3_k2x3_s_1_2", (1, 2, 3, 3), (2, 1, 2, 3), dilation=3, stride=(1, 2))

    # --- groups --------------------------------------------------------------
    convt("groups2_cin4_cout6", (1, 4, 3, 3), (4, 3, 3, 3), groups=2)
    convt("groups2_cin4_cout2_s2", (1, 4, 3, 4), (4, 1, 3, 3), groups=2, stride=2, bias=False)
    convt("depthwise_c3", (1, 3, 4, 4), (3, 1, 3, 3), groups=3, padding=1)
    convt("depthwise_c4_s2_k4_p1", (2, 4, 3, 3), (4, 1, 4, 4), groups=4, stride=2, padding=1)
    convt("groups3_cin6_cout9_dil2", (1, 6, 3, 3), (6, 3, 2, 2), groups=3, dilation=2)
    convt("groups3_multiplier2_c3_cout6", (1, 3, 3, 3), (3, 2, 3, 3), groups=3, stride=2,
          output_padding=1)
    convt("groups2_unbatched", (4, 3, 3), (4, 2, 2, 2), groups=2, stride=2)
    convt("groups2_batch3_rect", (3, 2, 2, 3), (2, 2, 1, 3), groups=2, stride=(2, 1))

    # --- batching ------------------------------------------------------------
    convt("batch1", (1, 3, 3, 3), (3, 2, 3, 3))
    convt("batch2", (2, 3, 3, 3), (3, 2, 3, 3), stride=2, padding=1)
    convt("batch3_c5", (3, 5, 2, 3), (5, 3, 2, 2), stride=2, bias=False)
    convt("unbatched", (3, 3, 4), (3, 2, 3, 3), stride=2, padding=1, output_padding=1)
    convt("unbatched_c7_k1", (7, 2, 3), (7, 5, 1, 1))
    convt("unbatched_dil2", (2, 3, 3), (2, 3, 2, 2), dilation=2, bias=False)
    convt("batch0", (0, 3, 4, 4), (3, 2, 3, 3), stride=2)
    convt("batch0_unbiased_p1", (0, 2, 3, 5), (2, 4, 3, 3), padding=1, bias=False)

    # --- channels / sizes / kernel shapes ------------------------------------
    convt("c5_cout7", (1, 5, 3, 3), (5, 7, 3, 3), padding=1)
    convt("c7_cout3_s2", (1, 7, 3, 2), (7, 3, 3, 3), stride=2)
    convt("c3_cout5_odd_7x9_input", (1, 3, 7, 9), (3, 5, 3, 3), padding=1)
    convt("input1x1_k1", (1, 3, 1, 1), (3, 2, 1, 1))
    convt("input1x1_k3", (1, 2, 1, 1), (2, 2, 3, 3))
    convt("input1x1_k2_s3_op2", (1, 1, 1, 1), (1, 1, 2, 2), stride=3, output_padding=2)
    convt("k1_s1_pointwise", (2, 4, 3, 3), (4, 3, 1, 1))
    convt("rect_k1x3", (1, 2, 3, 4), (2, 2, 1, 3))
    convt("rect_k3x1_s2", (1, 2, 3, 4), (2, 2, 3, 1), stride=2)
    convt("rect_k2x5_p_0_2", (1, 1, 4, 4), (1, 3, 2, 5), padding=(0, 2))
    convt("rect_k5x2_s_3_1", (1, 2, 2, 5), (2, 1, 5, 2), stride=(3, 1))
    convt("kernel_eq_input_3x3", (1, 2, 3, 3), (2, 2, 3, 3))
    convt("tall_input_6x1", (1, 2, 6, 1), (2, 2, 3, 3), stride=(1, 2))

    # --- combinations --------------------------------------------------------
    combos = [  # stride, padding, output_padding, dilation, kernel
        ((2, 2), (1, 1), (1, 1), (1, 1), (3, 3)),
        ((3, 2), (1, 0), (2, 1), (1, 1), (3, 3)),
        ((2, 3), (2, 1), (1, 0), (2, 1), (3, 2)),
        ((3, 3), (0, 0), (0, 2), (2, 2), (2, 2)),
        ((1, 2), (1, 1), (1, 1), (2, 2), (3, 3)),
        ((2, 2), (3, 3), (0, 0), (2, 2), (4, 4)),
        ((3, 1), (2, 0), (0, 0), (1, 3), (5, 2)),
        ((2, 2), (0, 1), (1, 1), (3, 1), (2, 4)),
    ]
    for i, (s, p, op, d, k) in enumerate(combos):
        convt(f"combo{i}_s{s[0]}x{s[1]}_p{p[0]}x{p[1]}_op{op[0]}x{op[1]}_d{d[0]}x{d[1]}",
              (1, 2, 3, 4), (2, 2) + k, stride=s, padding=p, output_padding=op, dilation=d,
              bias=i % 2 == 0)

    # --- systematic stride x kernel x padding grid (output_padding = stride - 1) ---
    for s in (1, 2, 3):
        for k in (2, 3, 4):
            for p in (0, 1):
                convt(f"grid_s{s}_k{k}_p{p}_op{s - 1}", (1, 2, 3, 3), (2, 2, k, k), stride=s,
                      padding=p, output_padding=s - 1, bias=(s + k + p) % 2 == 0)
    convt("outpad_1_1_s_1_2_d_2_1", (1, 1, 3, 3), (1, 1, 3, 3), stride=(1, 2),
          dilation=(2, 1), output_padding=(1, 1))
    convt("depthwise_c5_unbatched_s2_op1", (5, 3, 2), (5, 1, 3, 3), groups=5, stride=2,
          output_padding=1)
    convt("groups2_batch0", (0, 4, 3, 3), (4, 2, 2, 2), groups=2, stride=2)
    convt("c3_cout7_k5_s2_p2_op1_unbiased", (1, 3, 4, 4), (3, 7, 5, 5), stride=2, padding=2,
          output_padding=1, bias=False)
    convt("upsample_x3_k3_s3", (1, 2, 2, 3), (2, 2, 3, 3), stride=3)
    convt("upsample_x2_k2_s2_non_overlapping", (1, 3, 3, 3), (3, 2, 2, 2), stride=2)
    convt("pad_eq_kernel_minus1_k3_p2_s2_op1", (1, 1, 4, 4), (1, 1, 3, 3), stride=2,
          padding=2, output_padding=1)
    convt("large_c8_k3_s1_p1_8x8", (2, 8, 8, 8), (8, 8, 3, 3), padding=1)

    # --- full-precision values -----------------------------------------------
    def fconvt(name, xs, ws, groups=1, **kw):
        convt(name, rand_float(*xs), rand_float(*ws), bias=rand_float(ws[1] * groups),
              groups=groups, **kw)
    fconvt("float_c8_k4_s2_p1", (2, 8, 6, 6), (8, 8, 4, 4), stride=2, padding=1)
    fconvt("float_c16_k3_s1", (1, 16, 5, 5), (16, 8, 3, 3))
    fconvt("float_c4_k5_s3_p2_op1", (1, 4, 4, 5), (4, 6, 5, 5), stride=3, padding=2,
           output_padding=1)
    fconvt("float_depthwise_c6_k3_s2", (1, 6, 4, 4), (6, 1, 3, 3), stride=2, groups=6)

    # --- NaN / Inf -----------------------------------------------------------
    x = rand(1, 1, 3, 3)
    x[0, 0, 1, 1] = INF
    w = rand(1, 1, 3, 3)
    w[0, 0, 0, 2] = 0.0  # inf * 0 -> nan at that tap only
    convt("nan_inf_input_zero_tap", x, w, bias=False)
    x = rand(1, 1, 2, 2)
    x[0, 0, 0, 0] = INF
    convt("nan_inf_input_stride3_gaps_stay_finite", x, np.ones((1, 1, 2, 2)), stride=3,
          bias=[0.5])
    x = rand(1, 1, 3, 3)
    x[0, 0, 0, 0], x[0, 0, 0, 1] = INF, -INF
    convt("nan_inf_plus_minus_overlap", x, np.ones((1, 1, 2, 2)), bias=False)
    x = rand(1, 2, 3, 3)
    x[0, 1, 2, 0] = NAN
    convt("nan_input_nan_p1", x, (2, 2, 3, 3), padding=1)
    w = rand(2, 3, 3, 3)
    w[0, 2, 1, 1] = NAN
    convt("nan_weight_nan_s2", (1, 2, 2, 2), w, stride=2)
    convt("nan_bias_minus_inf", (1, 2, 3, 3), (2, 2, 2, 2), bias=[-INF, 0.75], stride=2)
    x = rand(1, 1, 3, 3)
    x[0, 0, 0, 0] = INF
    convt("nan_inf_input_cropped_by_padding", x, np.ones((1, 1, 3, 3)), padding=1, bias=False)


# ---------------------------------------------------------------------------
# 3. unfold.json / 4. fold.json
# ---------------------------------------------------------------------------

UNFOLD, FOLD = [], []


def unfold(name, x, k, dilation=1, padding=0, stride=1):
    x = rand(*x) if isinstance(x, tuple) else np.asarray(x, np.float32)
    o = {"kernelSize": pair(k), "dilation": pair(dilation), "padding": pair(padding),
         "stride": pair(stride)}
    y = torch_unfold(tt(x), o).numpy()
    check(name, y, ref_unfold(x, o))
    UNFOLD.append({"name": name, "input": Tensor(x), "options": o, "output": Tensor(y)})


def build_unfold():
    unfold("seed000_unfold", (2, 5, 3, 4), (2, 3))
    unfold("arange_1x1x4x4_k2", arange(16, 1, 1, 4, 4), 2)
    unfold("arange_1x2x3x3_k2", arange(18, 1, 2, 3, 3), 2)
    for k in (1, 2, 3, (1, 3), (3, 1), (2, 4)):
        kk = pair(k)
        unfold(f"k{kk[0]}x{kk[1]}_1x3x5x6", (1, 3, 5, 6), k)
    for s in ((2, 2), (3, 3), (1, 2), (2, 1), (3, 2)):
        unfold(f"stride{s[0]}x{s[1]}_k2", (1, 2, 6, 7), 2, stride=s)
    for p in ((1, 1), (2, 2), (0, 1), (2, 0)):
        unfold(f"pad{p[0]}x{p[1]}_k3", (1, 2, 4, 5), 3, padding=p)
    for d in ((2, 2), (3, 3), (1, 2), (3, 1)):
        unfold(f"dil{d[0]}x{d[1]}_k2", (1, 1, 7, 7), 2, dilation=d)
    unfold("all_opts_k3_d2_p2_s2", (2, 3, 7, 8), 3, dilation=2, padding=2, stride=2)
    unfold("all_opts_k2x3_d_2_1_p_1_2_s_3_2", (1, 2, 6, 9), (2, 3), dilation=(2, 1),
           padding=(1, 2), stride=(3, 2))
    unfold("kernel_eq_input", (1, 3, 3, 4), (3, 4))
    unfold("kernel_eq_padded_input", (1, 2, 2, 2), 4, padding=1)
    unfold("input1x1_k1", (2, 3, 1, 1), 1)
    unfold("input1x1_k3_p1", (1, 2, 1, 1), 3, padding=1)
    unfold("pad_gt_kernel", (1, 1, 2, 2), 2, padding=3)
    unfold("batch3_c5", (3, 5, 4, 4), 2, stride=2)
    unfold("c7_odd_5x7", (1, 7, 5, 7), 3, padding=1, stride=2)
    unfold("batch0", (0, 2, 4, 4), 2)
    # torch 1.13 treats 3-D input as unbatched [C,H,W] -> output [C*kh*kw, L]
    unfold("unbatched_seed_shape", (5, 3, 4), (2, 3))
    unfold("unbatched_k3_p1_s2", (2, 5, 5), 3, padding=1, stride=2)
    unfold("unbatched_dil2", (3, 6, 6), 2, dilation=2)
    unfold("unbatched_c1_k1", (1, 2, 3), 1)
    x = rand(1, 1, 3, 3)
    x[0, 0, 1, 1] = NAN
    x[0, 0, 0, 2] = -INF
    unfold("nan_inf_passthrough_p1", x, 2, padding=1)
    unfold("float_values_c4_k3", rand_float(1, 4, 5, 5), 3, padding=1)


def fold(name, x, output_size, k, dilation=1, padding=0, stride=1):
    x = rand(*x) if isinstance(x, tuple) else np.asarray(x, np.float32)
    o = {"outputSize": pair(output_size), "kernelSize": pair(k), "dilation": pair(dilation),
         "padding": pair(padding), "stride": pair(stride)}
    y = torch_fold(tt(x), o).numpy()
    check(name, y, ref_fold(x, o))
    FOLD.append({"name": name, "input": Tensor(x), "options": o, "output": Tensor(y)})


def n_blocks(size, k, d, p, s):
    return [(size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2)]


def build_fold():
    def fold_auto(name, n, c, out, k, dilation=1, padding=0, stride=1, data=None):
        """Shape the input from the options; n=None -> unbatched 2-D input."""
        kk, d, p, s = pair(k), pair(dilation), pair(padding), pair(stride)
        bh, bw = n_blocks(pair(out), kk, d, p, s)
        shape = (c * kk[0] * kk[1], bh * bw)
        if n is not None:
            shape = (n,) + shape
        x = data(shape) if data else rand(*shape)
        fold(name, x, out, k, dilation, padding, stride)

    ones = lambda shape: np.ones(shape, np.float32)
    fold_auto("seed_fold_inverse_of_unfold_shape", 2, 5, (3, 4), (2, 3))
    fold_auto("ones_overlap_count_k2_4x4", 1, 1, (4, 4), 2, data=ones)
    fold_auto("ones_overlap_count_k3_p1_5x5", 1, 1, (5, 5), 3, padding=1, data=ones)
    fold_auto("ones_overlap_count_k3_s2_7x7", 1, 1, (7, 7), 3, stride=2, data=ones)
    fold_auto("ones_overlap_count_k2_d2_6x6", 1, 1, (6, 6), 2, dilation=2, data=ones)
    for k in (1, 2, 3, (1, 3), (3, 1), (2, 4)):
        kk = pair(k)
        fold_auto(f"k{kk[0]}x{kk[1]}_out5x6", 1, 2, (5, 6), k)
    for s in ((2, 2), (3, 3), (1, 2), (2, 1), (2, 3)):
        fold_auto(f"stride{s[0]}x{s[1]}_k3_out7x8", 1, 2, (7, 8), 3, stride=s)
    fold_auto("stride3_gt_kernel2_gaps", 1, 1, (8, 8), 2, stride=3)
    for p in ((1, 1), (2, 2), (0, 1), (2, 0)):
        fold_auto(f"pad{p[0]}x{p[1]}_k3_out4x5", 1, 2, (4, 5), 3, padding=p)
    for d in ((2, 2), (3, 3), (1, 2), (3, 1)):
        fold_auto(f"dil{d[0]}x{d[1]}_k2_out7x7", 1, 1, (7, 7), 2, dilation=d)
    fold_auto("all_opts_k3_d2_p2_s2", 2, 3, (7, 8), 3, dilation=2, padding=2, stride=2)
    fold_auto("all_opts_k2x3_d_2_1_p_1_2_s_3_2", 1, 2, (6, 9), (2, 3), dilation=(2, 1),
              padding=(1, 2), stride=(3, 2))
    fold_auto("stride_leaves_uncovered_edge", 1, 1, (6, 6), 2, stride=3)
    fold_auto("kernel_eq_output", 1, 3, (3, 4), (3, 4))
    fold_auto("pad_gt_kernel", 1, 1, (2, 2), 2, padding=3)
    fold_auto("output1x1_k1", 2, 3, (1, 1), 1)
    fold_auto("batch3_c5", 3, 5, (4, 4), 2)
    fold_auto("c7_odd_5x7_s2_p1", 1, 7, (5, 7), 3, padding=1, stride=2)
    fold_auto("batch0", 0, 2, (4, 4), 2)
    fold_auto("unbatched_seed_shape", None, 5, (3, 4), (2, 3))
    fold_auto("unbatched_k3_p1_s2", None, 2, (5, 5), 3, padding=1, stride=2)
    fold_auto("unbatched_ones_k2", None, 1, (3, 3), 2, data=ones)
    fold_auto("unbatched_dil2", None, 3, (6, 6), 2, dilation=2)

    def nan_data(shape):
        a = rand(*shape)
        a.flat[3] = NAN
        a.flat[7] = INF
        return a
    fold_auto("nan_inf_accumulate", 1, 1, (4, 4), 2, data=nan_data)
    fold_auto("float_values_c4_k3_p1", 1, 4, (5, 5), 3, padding=1,
              data=lambda s: rand_float(*s))


# ---------------------------------------------------------------------------
# 5. pad.json
# ---------------------------------------------------------------------------

PAD = []


def pad(name, x, p, mode="constant", value=0.0):
    x = rand(*x) if isinstance(x, tuple) else np.asarray(x, np.float32)
    o = {"pad": list(p), "mode": mode, "value": float(value)}
    y = torch_pad(tt(x), o).numpy()
    check(name, y, ref_pad(x, o))
    PAD.append({"name": name, "input": Tensor(x), "options": o, "output": Tensor(y)})


def build_pad():
    a44 = arange(16, 1, 1, 4, 4)  # the 4x4 arange from padding-mode tutorials
    for mode in ("constant", "reflect", "replicate", "circular"):
        pad(f"arange4x4_{mode}_1", a44, (1, 1, 1, 1), mode)
        pad(f"arange4x4_{mode}_2", a44, (2, 2, 2, 2), mode)
        pad(f"arange4x4_{mode}_asym_1_2_0_3", a44, (1, 2, 0, 3), mode)
        pad(f"rand_2x3x3x5_{mode}_2_1_1_2", (2, 3, 3, 5), (2, 1, 1, 2), mode)
        pad(f"unbatched_3d_{mode}_1_0_2_1", (2, 3, 4), (1, 0, 2, 1), mode)
    pad("arange4x4_reflect_max_3", a44, (3, 3, 3, 3), "reflect")
    pad("arange4x4_circular_eq_size_4", a44, (4, 4, 4, 4), "circular")
    pad("arange4x4_replicate_gt_size_6", a44, (6, 0, 0, 6), "replicate")
    pad("reflect_width_only", (1, 2, 3, 4), (2, 2, 0, 0), "reflect")
    pad("reflect_height_only", (1, 1, 5, 2), (0, 0, 3, 1), "reflect")
    pad("circular_left_only", (1, 1, 3, 4), (3, 0, 0, 0), "circular")
    pad("replicate_bottom_only", (1, 2, 2, 3), (0, 0, 0, 2), "replicate")
    pad("all_zero_pad", (1, 2, 3, 3), (0, 0, 0, 0), "reflect")
    pad("constant_value_1p5", a44, (1, 2, 2, 1), "constant", 1.5)
    pad("constant_value_neg2", (1, 2, 3, 3), (1, 1, 1, 1), "constant", -2.0)
    pad("constant_value_neg_inf", (1, 1, 2, 2), (1, 0, 0, 1), "constant", -INF)
    pad("constant_value_nan", (1, 1, 2, 2), (0, 1, 1, 0), "constant", NAN)
    pad("constant_neg_crop_all_sides", a44, (-1, -1, -1, -1))
    pad("constant_neg_mixed", a44, (-1, 2, 0, -2), "constant", 9.0)
    pad("constant_neg_to_empty_width", a44, (-2, -2, 0, 0))
    pad("constant_neg_unbatched", (2, 5, 5), (0, -3, -1, 1))
    pad("constant_1x1_input", (1, 1, 1, 1), (2, 1, 0, 3), "constant", 0.5)
    pad("replicate_1x1_input", (1, 1, 1, 1), (2, 1, 0, 3), "replicate")
    pad("circular_1x1_input", (1, 1, 1, 1), (1, 1, 1, 0), "circular")
    x = rand(1, 1, 3, 3)
    x[0, 0, 0, 0], x[0, 0, 2, 1] = INF, NAN
    pad("reflect_nan_inf_copied", x, (2, 1, 1, 2), "reflect")


# ---------------------------------------------------------------------------
# 6. kernel_matrix.json
# ---------------------------------------------------------------------------

KMAT = []


def kernel_matrix(name, kernel, input_size, stride=1, padding=0, dilation=1):
    k = rand(*kernel) if isinstance(kernel, tuple) else np.asarray(kernel, np.float32)
    H, W = input_size
    o = {"stride": pair(stride), "padding": pair(padding), "dilation": pair(dilation)}
    kt = tt(k)[None, None]
    cols = []
    for j in range(H * W):
        e = torch.zeros(H * W)
        e[j] = 1.0
        cols.append(F.conv2d(e.reshape(1, 1, H, W), kt, None, o["stride"], o["padding"],
                             o["dilation"]).flatten())
    M = torch.stack(cols, dim=1).numpy()
    check(name, M, ref_kernel_matrix(k, (H, W), o))
    KMAT.append({"name": name, "kernel": Tensor(k), "inputSize": [H, W], "options": o,
                 "output": Tensor(M)})


def build_kernel_matrix():
    kernel_matrix("seed000_kernel_matrix", arange(9, 3, 3, start=1), (4, 4))
    kernel_matrix("d2l_2x2_on_3x3", [[1, 2], [3, 4]], (3, 3))
    kernel_matrix("k3_on_5x5", (3, 3), (5, 5))
    kernel_matrix("k3_on_4x6", (3, 3), (4, 6))
    kernel_matrix("k2x3_on_4x5", (2, 3), (4, 5))
    kernel_matrix("k1x3_on_3x4", (1, 3), (3, 4))
    kernel_matrix("k3x1_on_4x3", (3, 1), (4, 3))
    kernel_matrix("k1_on_3x3_identity", [[2.5]], (3, 3))
    kernel_matrix("k3_p1_on_4x4", (3, 3), (4, 4), padding=1)
    kernel_matrix("k3_p_0_1_on_3x5", (3, 3), (3, 5), padding=(0, 1))
    kernel_matrix("k3_s2_on_5x5", (3, 3), (5, 5), stride=2)
    kernel_matrix("k2_s_1_2_on_4x6", (2, 2), (4, 6), stride=(1, 2))
    kernel_matrix("k3_s2_p1_on_6x6", (3, 3), (6, 6), stride=2, padding=1)
    kernel_matrix("k2_d2_on_5x5", (2, 2), (5, 5), dilation=2)
    kernel_matrix("k3_d2_p2_on_5x5", (3, 3), (5, 5), dilation=2, padding=2)
    kernel_matrix("k2_d_1_3_on_4x6", (2, 2), (4, 6), dilation=(1, 3))
    kernel_matrix("k3_eq_input_3x3", (3, 3), (3, 3))
    kernel_matrix("k3_on_1x1_p1", (3, 3), (1, 1), padding=1)
    kernel_matrix("k2_s3_gt_kernel_on_7x7", (2, 2), (7, 7), stride=3)
    kernel_matrix("all_opts_k2x3_s2_p1_d2_on_6x7", (2, 3), (6, 7), stride=2, padding=1,
                  dilation=2)
    # conv2d's string paddings: 'same' (the extra element of an odd total bottom/right) and
    # 'valid'. Appended last: the RNG draws of the cases above stay as they were.
    kernel_matrix("same_k3_on_4x5", (3, 3), (4, 5), padding="same")
    kernel_matrix("same_k2_even_on_4x4", (2, 2), (4, 4), padding="same")
    kernel_matrix("same_k4x2_even_on_5x3", (4, 2), (5, 3), padding="same")
    kernel_matrix("same_k1x4_even_on_3x6", (1, 4), (3, 6), padding="same")
    kernel_matrix("same_k3_d2_on_5x6", (3, 3), (5, 6), padding="same", dilation=2)
    kernel_matrix("same_k2_d3_odd_total_on_6x5", (2, 2), (6, 5), padding="same", dilation=3)
    kernel_matrix("same_k2x3_d_2_1_on_4x5", (2, 3), (4, 5), padding="same", dilation=(2, 1))
    kernel_matrix("same_k5_larger_than_input_3x3", (5, 5), (3, 3), padding="same")
    kernel_matrix("valid_k3_on_5x5", (3, 3), (5, 5), padding="valid")
    kernel_matrix("valid_k2_s2_on_5x6", (2, 2), (5, 6), padding="valid", stride=2)
    kernel_matrix("valid_k2x3_d2_on_6x7", (2, 3), (6, 7), padding="valid", dilation=2)


# ---------------------------------------------------------------------------
# 7. bilinear_kernel.json
# ---------------------------------------------------------------------------

BILIN = []


def build_bilinear():
    for k in (1, 2, 3, 4, 5, 8):
        for c in (1, 2, 3):
            w = bilinear_kernel(c, c, k).numpy()
            check(f"bilinear c{c} k{k}", w, ref_bilinear(c, k))
            BILIN.append({"in": c, "out": c, "k": k, "output": Tensor(w)})


# ---------------------------------------------------------------------------
# 8. errors.json
# ---------------------------------------------------------------------------

ERRORS = []


def err(op, name, param, input_shape, options, weight_shape=None, bias_shape=None):
    """Record the message torch raises for an invalid call (zeros tensors)."""
    x = torch.zeros(input_shape)
    try:
        if op == "conv2d":
            w = torch.zeros(weight_shape)
            b = None if bias_shape is None else torch.zeros(bias_shape)
            o = dict({"stride": [1, 1], "padding": [0, 0], "dilation": [1, 1], "groups": 1,
                      "paddingMode": "zeros"}, **options)
            options = o
            torch_conv2d(x, w, b, o)
        elif op == "conv_transpose2d":
            w = torch.zeros(weight_shape)
            b = None if bias_shape is None else torch.zeros(bias_shape)
            o = dict({"stride": [1, 1], "padding": [0, 0], "outputPadding": [0, 0],
                      "dilation": [1, 1], "groups": 1}, **options)
            options = o
            torch_conv_transpose2d(x, w, b, o)
        elif op == "unfold":
            o = dict({"kernelSize": [2, 2], "dilation": [1, 1], "padding": [0, 0],
                      "stride": [1, 1]}, **options)
            options = o
            torch_unfold(x, o)
        elif op == "fold":
            o = dict({"outputSize": [4, 4], "kernelSize": [2, 2], "dilation": [1, 1],
                      "padding": [0, 0], "stride": [1, 1]}, **options)
            options = o
            torch_fold(x, o)
        elif op == "pad":
            o = dict({"mode": "constant", "value": 0.0}, **options)
            options = o
            torch_pad(x, o)
        elif op == "kernel_matrix":
            # input_shape is the [H, W] plane; the matrix is conv2d's on it
            o = dict({"stride": [1, 1], "padding": [0, 0], "dilation": [1, 1]}, **options)
            options = o
            F.conv2d(torch.zeros(1, 1, *input_shape), torch.zeros(1, 1, *weight_shape), None,
                     o["stride"], o["padding"], o["dilation"])
        else:
            raise AssertionError(op)
    except Exception as e:  # noqa: BLE001 - we want torch's message, whatever the type
        case = {"op": op, "name": f"{op}_{name}", "input_shape": list(input_shape)}
        if op in ("conv2d", "conv_transpose2d"):
            case["weight_shape"] = list(weight_shape)
            case["bias_shape"] = None if bias_shape is None else list(bias_shape)
        if op == "kernel_matrix":
            case["kernel_shape"] = list(weight_shape)
        case.update({"options": options, "param": param, "torch_message": str(e),
                     "torch_exception": type(e).__name__})
        ERRORS.append(case)
        return
    print(f"WARNING: torch accepted error case {op}/{name}; skipped", file=sys.stderr)


def err_module(name, param, in_ch, out_ch, k, options, input_shape, weight_shape, bias_shape):
    """nn.Conv2d constructor-only checks (e.g. unknown padding_mode)."""
    o = dict({"stride": [1, 1], "padding": [0, 0], "dilation": [1, 1], "groups": 1,
              "paddingMode": "zeros"}, **options)
    try:
        nn.Conv2d(in_ch, out_ch, k, o["stride"], o["padding"], o["dilation"], o["groups"],
                  bias_shape is not None, o["paddingMode"])
    except Exception as e:  # noqa: BLE001
        ERRORS.append({"op": "conv2d", "name": f"conv2d_{name}",
                       "input_shape": list(input_shape),
                       "weight_shape": list(weight_shape),
                       "bias_shape": None if bias_shape is None else list(bias_shape),
                       "options": o, "param": param, "torch_message": str(e),
                       "torch_exception": type(e).__name__})
        return
    print(f"WARNING: nn.Conv2d accepted error case {name}; skipped", file=sys.stderr)


def build_errors():
    X, Wt = (1, 3, 5, 5), (4, 3, 3, 3)
    c = lambda n, p, o, x=X, w=Wt, b=(4,): err("conv2d", n, p, x, o, w, b)
    c("stride_zero", "stride", {"stride": [0, 0]})
    c("stride_negative", "stride", {"stride": [-1, -1]})
    c("stride_zero_width_only", "stride", {"stride": [1, 0]})
    c("padding_negative", "padding", {"padding": [-1, -1]})
    c("padding_negative_width_only", "padding", {"padding": [0, -1]})
    c("dilation_zero", "dilation", {"dilation": [0, 0]})
    c("dilation_negative", "dilation", {"dilation": [-1, 2]})
    c("groups_zero", "groups", {"groups": 0})
    c("groups_negative", "groups", {"groups": -1})
    c("groups_not_dividing_in_channels", "groups", {"groups": 2}, w=(4, 1, 3, 3))
    c("groups_not_dividing_out_channels", "groups", {"groups": 2}, x=(1, 4, 5, 5),
      w=(3, 2, 3, 3), b=(3,))
    c("in_channels_mismatch", "input", {}, w=(4, 2, 3, 3))
    c("in_channels_mismatch_grouped", "input", {"groups": 2}, x=(1, 6, 5, 5), w=(4, 2, 3, 3))
    c("bias_wrong_length", "bias", {}, b=(5,))
    c("bias_2d", "bias", {}, b=(4, 1))
    c("kernel_larger_than_input", "weight", {}, x=(1, 3, 2, 2))
    c("kernel_larger_than_padded_input", "weight", {"padding": [1, 1]}, x=(1, 3, 2, 2),
      w=(4, 3, 5, 5))
    c("dilated_kernel_larger_than_input", "dilation", {"dilation": [3, 3]}, x=(1, 3, 6, 6))
    c("same_with_stride2", "padding", {"padding": "same", "stride": [2, 2]})
    c("same_with_stride_1_2", "padding", {"padding": "same", "stride": [1, 2]})
    c("unknown_padding_string_full", "padding", {"padding": "full"})
    c("reflect_padding_eq_width", "padding", {"padding": [1, 5], "paddingMode": "reflect"})
    c("reflect_padding_gt_height", "padding", {"padding": [6, 1], "paddingMode": "reflect"})
    c("circular_padding_gt_size", "padding", {"padding": [6, 6], "paddingMode": "circular"})
    c("reflect_padding_unbatched_too_large", "padding",
      {"padding": [3, 3], "paddingMode": "reflect"}, x=(3, 3, 3))
    c("input_2d", "input", {}, x=(5, 5))
    c("input_5d", "input", {}, x=(1, 1, 3, 5, 5))
    c("input_zero_channels", "input", {}, x=(1, 0, 5, 5))
    c("weight_3d", "weight", {}, w=(4, 3, 3))
    c("weight_5d", "weight", {}, w=(4, 3, 1, 3, 3))
    c("weight_zero_out_channels", "weight", {}, w=(0, 3, 3, 3), b=None)
    c("weight_zero_kernel", "weight", {}, w=(4, 3, 0, 3))
    err_module("unknown_padding_mode_foo", "paddingMode", 3, 4, 3, {"paddingMode": "foo"},
               X, Wt, (4,))
    # nn.Conv2d validates groups in its constructor with different wording
    err_module("module_groups_not_dividing_in_channels", "groups", 3, 4, 3, {"groups": 2},
               X, (4, 1, 3, 3), (4,))
    err_module("module_groups_not_dividing_out_channels", "groups", 4, 3, 3, {"groups": 2},
               (1, 4, 5, 5), (3, 2, 3, 3), (3,))
    err_module("module_same_with_stride2", "padding", 3, 4, 3,
               {"padding": "same", "stride": [2, 2]}, X, Wt, (4,))
    err_module("module_unknown_padding_string_full", "padding", 3, 4, 3, {"padding": "full"},
               X, Wt, (4,))

    Xt, Wtt = (1, 3, 5, 5), (3, 4, 3, 3)
    t = lambda n, p, o, x=Xt, w=Wtt, b=(4,): err("conv_transpose2d", n, p, x, o, w, b)
    t("output_padding_ge_stride_and_dilation", "outputPadding",
      {"stride": [2, 2], "outputPadding": [2, 2]})
    t("output_padding_stride1_dilation1", "outputPadding", {"outputPadding": [1, 1]})
    t("output_padding_width_ge_stride", "outputPadding",
      {"stride": [2, 2], "outputPadding": [1, 2]})
    t("output_padding_negative", "outputPadding", {"outputPadding": [-1, 0]})
    t("negative_output_size", "padding", {"padding": [3, 3]}, x=(1, 3, 1, 1))
    t("zero_output_size", "padding", {"padding": [1, 1]}, x=(1, 3, 1, 1), w=(3, 4, 2, 2))
    t("in_channels_mismatch", "input", {}, x=(1, 2, 5, 5))
    t("bias_wrong_length_cin", "bias", {}, b=(3,))
    t("bias_wrong_length_cout_times_groups", "bias", {"groups": 1}, b=(12,))
    t("groups_not_dividing_in_channels", "groups", {"groups": 2})
    t("stride_zero", "stride", {"stride": [0, 1]})
    t("padding_negative", "padding", {"padding": [-1, -1]})
    t("dilation_zero", "dilation", {"dilation": [0, 0]})
    t("groups_zero", "groups", {"groups": 0})
    t("input_2d", "input", {}, x=(5, 5))
    t("input_5d", "input", {}, x=(1, 1, 3, 5, 5))
    t("weight_3d", "weight", {}, w=(3, 4, 3))
    t("padding_string_same", "padding", {"padding": "same"})

    u = lambda n, p, o, x=(1, 3, 5, 5): err("unfold", n, p, x, o)
    u("kernel_zero", "kernelSize", {"kernelSize": [0, 2]})
    u("kernel_larger_than_input", "kernelSize", {"kernelSize": [6, 2]})
    u("blocks_lt_1_due_to_dilation", "dilation", {"kernelSize": [3, 3], "dilation": [3, 3]})
    u("stride_zero", "stride", {"stride": [0, 0]})
    u("dilation_zero", "dilation", {"dilation": [0, 0]})
    u("padding_negative", "padding", {"padding": [-1, -1]})
    u("input_2d", "input", {}, x=(5, 5))
    u("input_5d", "input", {}, x=(1, 1, 5, 5, 5))
    u("input_zero_channels", "input", {}, x=(1, 0, 5, 5))

    f = lambda n, p, o, x=(1, 12, 6): err("fold", n, p, x, o)
    f("blocks_L_mismatch", "input", {"outputSize": [3, 4]}, x=(1, 12, 5))
    f("channels_not_divisible_by_kernel", "input", {"outputSize": [3, 4]}, x=(1, 13, 6))
    f("output_size_too_small", "outputSize", {"outputSize": [1, 1]})
    f("output_size_zero", "outputSize", {"outputSize": [0, 4]})
    f("kernel_zero", "kernelSize", {"outputSize": [3, 4], "kernelSize": [0, 2]})
    f("stride_zero", "stride", {"outputSize": [3, 4], "stride": [0, 0]})
    f("padding_negative", "padding", {"outputSize": [3, 4], "padding": [-1, -1]})
    f("dilation_zero", "dilation", {"outputSize": [3, 4], "dilation": [0, 0]})
    f("input_4d", "input", {"outputSize": [3, 4]}, x=(1, 1, 12, 6))
    f("input_1d", "input", {"outputSize": [3, 4]}, x=(12,))
    f("input_zero_channels", "input", {"outputSize": [3, 4]}, x=(1, 0, 6))

    P = (1, 1, 4, 4)
    p = lambda n, par, o, x=P: err("pad", n, par, x, o)
    p("reflect_pad_eq_width", "pad", {"pad": [4, 1, 1, 1], "mode": "reflect"})
    p("reflect_pad_eq_height", "pad", {"pad": [1, 1, 4, 1], "mode": "reflect"})
    p("circular_pad_gt_size", "pad", {"pad": [5, 1, 1, 1], "mode": "circular"})
    p("pad_wrong_length_3", "pad", {"pad": [1, 1, 1]})
    p("pad_wrong_length_1", "pad", {"pad": [1]})
    p("pad_too_long_10", "pad", {"pad": [1] * 10})
    p("unknown_mode_foo", "mode", {"pad": [1, 1, 1, 1], "mode": "foo"})
    p("reflect_2d_input", "input", {"pad": [1, 1, 1, 1], "mode": "reflect"}, x=(4, 4))
    p("replicate_empty_dim", "input", {"pad": [1, 1, 1, 1], "mode": "replicate"},
      x=(1, 1, 0, 4))
    p("constant_negative_crop_beyond_size", "pad", {"pad": [-3, -3, 0, 0]})

    # kernel_matrix takes conv2d's padding, with conv2d's rules (input_shape: the [H, W] plane)
    km = lambda n, par, o, size=(5, 5), k=(3, 3): err("kernel_matrix", n, par, size, o, k)
    km("same_with_stride2", "padding", {"padding": "same", "stride": [2, 2]})
    km("same_with_stride_1_2", "padding", {"padding": "same", "stride": [1, 2]})
    km("unknown_padding_string_full", "padding", {"padding": "full"})
    km("valid_kernel_larger_than_input", "kernel", {"padding": "valid"}, size=(2, 5))
    km("padding_negative", "padding", {"padding": [-1, 0]})


# ---------------------------------------------------------------------------
# 9. Issue 19's operations: conv1d.json, conv_transpose1d.json, conv3d.json,
#    conv_transpose3d.json, conv2d_backward.json, conv_transpose2d_backward.json,
#    max_pool2d.json, avg_pool2d.json, and their error rules appended to errors.json.
#    Their data comes from a generator of their own (RNG2), so adding cases here never
#    changes the files above. Each torch result is the module's own (nn.Conv1d / nn.Conv3d
#    with the padding mode, autograd for the backward passes); the C++ reference kernels
#    are checked against these files (tests/core/test_golden_ops.cpp).
# ---------------------------------------------------------------------------

RNG2 = np.random.default_rng(SEED + 19)


def rand2(*shape):
    return (RNG2.integers(-32, 33, size=shape) / 16.0).astype(np.float32)


def rand2_float(*shape):
    return RNG2.uniform(-1.0, 1.0, size=shape).astype(np.float32)


def data2(spec, name):
    if not isinstance(spec, tuple):
        return np.asarray(spec, np.float32)
    return rand2_float(*spec) if "float" in name else rand2(*spec)


def triple(v):
    if isinstance(v, str):
        return v
    if isinstance(v, int):
        return [v, v, v]
    return [int(a) for a in v]


def conv_module(dims, x, w, b, o, transposed=False):
    """nn.ConvNd / nn.ConvTransposeNd with the tensors copied in (PyTorch's own padding split)."""
    g = o["groups"]
    if transposed:
        cls = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}[dims]
        m = cls(w.shape[0], w.shape[1] * g, tuple(w.shape[2:]), stride=o["stride"],
                padding=o["padding"], output_padding=o["outputPadding"], groups=g,
                bias=b is not None, dilation=o["dilation"])
    else:
        cls = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}[dims]
        m = cls(w.shape[1] * g, w.shape[0], tuple(w.shape[2:]), stride=o["stride"],
                padding=o["padding"], dilation=o["dilation"], groups=g, bias=b is not None,
                padding_mode=o.get("paddingMode", "zeros"))
    with torch.no_grad():
        m.weight = nn.Parameter(w)
        if b is not None:
            m.bias = nn.Parameter(b)
    return m


def run_module(m, x, unbatched_rank, mode):
    if mode == "circular" and x.dim() == unbatched_rank:
        # torch 1.13's circular F.pad rejects unbatched input; conv2d.json's convention
        # (a batch of one, torch >= 2.0's semantics) applies.
        return m(x.unsqueeze(0)).squeeze(0)
    return m(x)


NEW = {k: [] for k in ("conv1d", "conv_transpose1d", "conv3d", "conv_transpose3d",
                       "conv2d_backward", "conv_transpose2d_backward", "max_pool2d",
                       "avg_pool2d")}


def convnd(op, name, x, w, bias=True, **kw):
    dims = 1 if op.endswith("1d") else 3
    transposed = "transpose" in op
    x, w = data2(x, name), data2(w, name)
    K = w.shape[1] * kw.get("groups", 1) if transposed else w.shape[0]
    b = rand2(K) if bias else None
    norm = (lambda v: v) if dims == 1 else triple
    o = {"stride": norm(kw.get("stride", 1)), "padding": norm(kw.get("padding", 0))}
    if transposed:
        o["outputPadding"] = norm(kw.get("output_padding", 0))
    o["dilation"] = norm(kw.get("dilation", 1))
    o["groups"] = kw.get("groups", 1)
    if not transposed:
        o["paddingMode"] = kw.get("mode", "zeros")
    conv_o = dict(o)
    if dims == 3:
        for key in ("stride", "padding", "dilation", "outputPadding"):
            if key in conv_o and not isinstance(conv_o[key], str):
                conv_o[key] = tuple(conv_o[key])
    m = conv_module(dims, tt(x), tt(w), None if b is None else tt(b), conv_o, transposed)
    with torch.no_grad():
        y = run_module(m, tt(x), dims + 1, o.get("paddingMode", "zeros")).numpy()
    NEW[op].append({"name": name, "input": Tensor(x), "weight": Tensor(w),
                    "bias": None if b is None else Tensor(b), "options": o, "output": Tensor(y)})


def build_conv1d():
    c = lambda *a, **k: convnd("conv1d", *a, **k)
    c("k3", (1, 2, 7), (3, 2, 3))
    c("k3_stride2", (2, 3, 9), (4, 3, 3), stride=2)
    c("k3_padding2", (1, 2, 6), (2, 2, 3), padding=2)
    c("k3_dilation2_p2", (1, 2, 9), (3, 2, 3), dilation=2, padding=2)
    c("groups2", (1, 4, 8), (6, 2, 3), groups=2, padding=1)
    c("depthwise_k5", (1, 3, 10), (3, 1, 5), groups=3, padding=2)
    c("same_odd_k3", (1, 2, 7), (3, 2, 3), padding="same")
    c("same_even_k4", (1, 2, 7), (2, 2, 4), padding="same")
    c("same_k2_dilation3", (1, 1, 8), (2, 1, 2), padding="same", dilation=3)
    c("valid_k4_stride3", (1, 2, 11), (2, 2, 4), padding="valid", stride=3)
    c("reflect_p2", (1, 2, 6), (2, 2, 3), padding=2, mode="reflect")
    c("replicate_p3", (1, 2, 5), (2, 2, 4), padding=3, mode="replicate")
    c("circular_p2", (2, 2, 5), (3, 2, 3), padding=2, mode="circular")
    c("reflect_same_even_k4", (1, 2, 7), (2, 2, 4), padding="same", mode="reflect")
    c("circular_same_k5", (1, 1, 6), (1, 1, 5), padding="same", mode="circular")
    c("unbatched", (2, 6), (3, 2, 3), padding=1)
    c("unbatched_reflect", (2, 6), (3, 2, 3), padding=1, mode="reflect")
    c("unbatched_circular", (2, 6), (3, 2, 3), padding=1, mode="circular")
    c("no_bias", (1, 2, 5), (2, 2, 2), bias=False)
    c("batch0", (0, 2, 5), (3, 2, 3))
    c("long_k1", (1, 3, 40), (5, 3, 1))
    c("float_c8_k3_p1", (2, 8, 33), (8, 8, 3), padding=1)
    c("float_c16_k5_s2", (1, 16, 30), (12, 16, 5), stride=2, padding=2)
    inf_w = rand2(1, 1, 3)
    inf_w[0, 0, 0] = INF
    c("inf_weight_over_zero_padding_is_nan", (1, 1, 4), inf_w, padding=1)
    nan_x = rand2(1, 1, 6)
    nan_x[0, 0, 2] = NAN
    c("nan_input", nan_x, (2, 1, 3))


def build_conv_transpose1d():
    c = lambda *a, **k: convnd("conv_transpose1d", *a, **k)
    c("k3", (1, 2, 5), (2, 3, 3))
    c("k3_stride2", (1, 2, 5), (2, 3, 3), stride=2)
    c("k3_stride2_op1", (2, 2, 4), (2, 2, 3), stride=2, output_padding=1)
    c("k4_stride2_p1", (1, 3, 6), (3, 2, 4), stride=2, padding=1)
    c("dilation2", (1, 2, 5), (2, 2, 3), dilation=2)
    c("dilation2_op1", (1, 2, 5), (2, 2, 3), dilation=2, output_padding=1)
    c("groups2", (1, 4, 5), (4, 3, 3), groups=2, stride=2)
    c("stride3_gt_kernel", (1, 2, 4), (2, 2, 2), stride=3)
    c("unbatched", (2, 5), (2, 3, 3), stride=2, padding=1)
    c("no_bias", (1, 2, 5), (2, 1, 2), bias=False)
    c("batch0", (0, 2, 5), (2, 3, 3))
    c("float_c8_k4_s2_p1", (1, 8, 20), (8, 6, 4), stride=2, padding=1)
    inf_w = rand2(1, 1, 3)
    inf_w[0, 0, 1] = INF
    c("inf_weight", (1, 1, 4), inf_w, stride=2)


def build_conv3d():
    c = lambda *a, **k: convnd("conv3d", *a, **k)
    c("k3_p1", (1, 2, 4, 5, 6), (3, 2, 3, 3, 3), padding=1)
    c("k2", (1, 2, 3, 4, 4), (2, 2, 2, 2, 2))
    c("stride_1_2_2", (1, 2, 5, 6, 7), (2, 2, 3, 3, 3), stride=(1, 2, 2), padding=1)
    c("stride2_depth", (1, 1, 7, 4, 4), (2, 1, 3, 2, 2), stride=(2, 1, 1))
    c("dilation_2_1_1", (1, 2, 6, 4, 4), (2, 2, 2, 3, 3), dilation=(2, 1, 1), padding=(1, 1, 1))
    c("groups2", (1, 4, 3, 4, 4), (4, 2, 2, 3, 3), groups=2, padding=(0, 1, 1))
    c("same_odd", (1, 2, 4, 5, 5), (2, 2, 3, 3, 3), padding="same")
    c("same_even", (1, 2, 4, 5, 4), (2, 2, 2, 4, 2), padding="same")
    c("same_dilation2", (1, 1, 5, 5, 5), (1, 1, 2, 3, 2), padding="same", dilation=2)
    c("valid", (1, 2, 4, 5, 6), (2, 2, 3, 2, 3), padding="valid")
    c("reflect_p1", (1, 2, 3, 4, 5), (2, 2, 3, 3, 3), padding=1, mode="reflect")
    c("replicate_p2", (1, 1, 3, 3, 4), (2, 1, 3, 3, 3), padding=2, mode="replicate")
    c("circular_p_1_2_1", (2, 1, 3, 4, 3), (2, 1, 3, 3, 3), padding=(1, 2, 1), mode="circular")
    c("reflect_same_even", (1, 1, 4, 4, 4), (1, 1, 2, 2, 4), padding="same", mode="reflect")
    c("unbatched", (2, 3, 4, 5), (2, 2, 2, 3, 3), padding=1)
    c("unbatched_replicate", (2, 3, 4, 5), (2, 2, 2, 3, 3), padding=1, mode="replicate")
    c("unbatched_circular", (1, 3, 4, 4), (1, 1, 3, 3, 3), padding=1, mode="circular")
    c("kd1", (1, 2, 3, 5, 5), (2, 2, 1, 3, 3), padding=(0, 1, 1))
    c("depth1_input", (1, 2, 1, 5, 5), (2, 2, 1, 3, 3))
    c("rect_kernel_2_3_1", (1, 2, 4, 5, 3), (3, 2, 2, 3, 1))
    c("no_bias", (1, 2, 3, 3, 3), (1, 2, 2, 2, 2), bias=False)
    c("batch0", (0, 2, 3, 3, 3), (1, 2, 2, 2, 2))
    c("float_c8_k3_p1", (1, 8, 5, 6, 6), (8, 8, 3, 3, 3), padding=1)
    inf_w = rand2(1, 1, 3, 1, 1)
    inf_w[0, 0, 0, 0, 0] = INF
    c("inf_weight_over_depth_padding_is_nan", (1, 1, 3, 2, 2), inf_w, padding=(1, 0, 0))


def build_conv_transpose3d():
    c = lambda *a, **k: convnd("conv_transpose3d", *a, **k)
    c("k3", (1, 2, 3, 3, 4), (2, 2, 3, 3, 3))
    c("k4_s2_p1", (1, 3, 3, 4, 4), (3, 2, 4, 4, 4), stride=2, padding=1)
    c("k3_s2_op_1_0_1", (1, 2, 3, 3, 3), (2, 2, 3, 3, 3), stride=2, output_padding=(1, 0, 1))
    c("stride_2_1_1", (1, 2, 3, 3, 3), (2, 3, 3, 2, 2), stride=(2, 1, 1))
    c("dilation_2_1_1", (1, 2, 3, 3, 3), (2, 2, 2, 2, 2), dilation=(2, 1, 1))
    c("groups2", (1, 4, 2, 3, 3), (4, 2, 2, 2, 2), groups=2, stride=(1, 2, 2))
    c("stride3_gt_kernel_depth", (1, 2, 3, 2, 2), (2, 2, 2, 2, 2), stride=(3, 1, 1))
    c("padding_2_1_0", (1, 2, 4, 4, 4), (2, 2, 3, 3, 3), padding=(2, 1, 0))
    c("unbatched", (2, 3, 3, 3), (2, 2, 3, 3, 3), stride=2, padding=1)
    c("no_bias", (1, 2, 2, 2, 2), (2, 1, 2, 2, 2), bias=False)
    c("batch0", (0, 2, 2, 2, 2), (2, 1, 2, 2, 2))
    c("float_c8_k4_s2_p1", (1, 8, 4, 5, 5), (8, 4, 4, 4, 4), stride=2, padding=1)
    inf_w = rand2(1, 1, 2, 2, 2)
    inf_w[0, 0, 1, 0, 0] = INF
    c("inf_weight", (1, 1, 2, 2, 2), inf_w, stride=2)


def backward_case(op, name, x, w, **kw):
    transposed = op == "conv_transpose2d_backward"
    x, w = data2(x, name), data2(w, name)
    o = {"stride": pair(kw.get("stride", 1)), "padding": pair(kw.get("padding", 0))}
    if transposed:
        o["outputPadding"] = pair(kw.get("output_padding", 0))
    o["dilation"] = pair(kw.get("dilation", 1))
    o["groups"] = kw.get("groups", 1)
    if not transposed:
        o["paddingMode"] = kw.get("mode", "zeros")
    K = w.shape[1] * o["groups"] if transposed else w.shape[0]
    m_o = {k: (tuple(v) if isinstance(v, list) else v) for k, v in o.items()}
    m = conv_module(2, tt(x), tt(w), tt(rand2(K)), m_o, transposed)
    xt_ = tt(x).requires_grad_(True)
    y = run_module(m, xt_, 3, o.get("paddingMode", "zeros"))
    gy = data2(tuple(y.shape), name)
    y.backward(tt(gy))
    NEW[op].append({"name": name, "input": Tensor(x), "weight": Tensor(w),
                    "gradOutput": Tensor(gy), "options": o,
                    "gradInput": Tensor(xt_.grad), "gradWeight": Tensor(m.weight.grad),
                    "gradBias": Tensor(m.bias.grad)})


def build_conv2d_backward():
    c = lambda *a, **k: backward_case("conv2d_backward", *a, **k)
    c("k3", (1, 2, 5, 5), (3, 2, 3, 3))
    c("k3_stride2_p1", (2, 2, 7, 7), (3, 2, 3, 3), stride=2, padding=1)
    c("k3_stride2_unused_last_row", (1, 1, 6, 6), (2, 1, 3, 3), stride=2)
    c("k2_padding_1_2", (1, 2, 4, 5), (2, 2, 2, 2), padding=(1, 2))
    c("dilation2", (1, 2, 7, 7), (2, 2, 3, 3), dilation=2, padding=1)
    c("groups2", (1, 4, 5, 5), (6, 2, 3, 3), groups=2, padding=1)
    c("depthwise", (1, 3, 6, 6), (3, 1, 3, 3), groups=3, padding=1)
    c("same_odd_k3", (1, 2, 5, 6), (2, 2, 3, 3), padding="same")
    c("same_even_k4_asymmetric", (1, 2, 6, 5), (2, 2, 4, 2), padding="same")
    c("same_k2_dilation3", (1, 1, 7, 7), (2, 1, 2, 2), padding="same", dilation=3)
    c("valid", (1, 2, 5, 6), (2, 2, 3, 2), padding="valid")
    c("reflect_p1", (1, 2, 5, 5), (2, 2, 3, 3), padding=1, mode="reflect")
    c("reflect_p2_stride2", (1, 1, 6, 7), (2, 1, 3, 3), padding=2, stride=2, mode="reflect")
    c("replicate_p2", (1, 2, 4, 4), (2, 2, 3, 3), padding=2, mode="replicate")
    c("circular_p_1_2", (2, 1, 4, 5), (2, 1, 3, 3), padding=(1, 2), mode="circular")
    c("reflect_same_even", (1, 1, 5, 5), (1, 1, 4, 4), padding="same", mode="reflect")
    c("circular_same", (1, 2, 5, 5), (2, 2, 3, 2), padding="same", mode="circular")
    c("unbatched", (2, 5, 5), (3, 2, 3, 3), padding=1)
    c("unbatched_reflect", (2, 5, 5), (3, 2, 3, 3), padding=1, mode="reflect")
    c("float_c8_k3_p1", (2, 8, 9, 9), (8, 8, 3, 3), padding=1)
    c("float_c6_k5_s2_p2", (1, 6, 11, 10), (4, 6, 5, 5), stride=2, padding=2)


def build_conv_transpose2d_backward():
    c = lambda *a, **k: backward_case("conv_transpose2d_backward", *a, **k)
    c("k3", (1, 2, 4, 4), (2, 3, 3, 3))
    c("k3_stride2", (1, 2, 4, 4), (2, 3, 3, 3), stride=2)
    c("k3_stride2_op1_p1", (2, 2, 3, 4), (2, 2, 3, 3), stride=2, padding=1, output_padding=1)
    c("k4_stride2_p1", (1, 3, 4, 4), (3, 2, 4, 4), stride=2, padding=1)
    c("dilation2", (1, 2, 4, 4), (2, 2, 3, 3), dilation=2)
    c("groups2", (1, 4, 3, 3), (4, 2, 3, 3), groups=2, stride=2)
    c("stride3_gt_kernel", (1, 2, 3, 3), (2, 2, 2, 2), stride=3)
    c("unbatched", (2, 4, 4), (2, 3, 3, 3), stride=2, padding=1)
    c("float_c8_k4_s2_p1", (1, 8, 6, 6), (8, 6, 4, 4), stride=2, padding=1)


def pool_case(op, name, x, kernel, stride=None, padding=0, dilation=1, ceil_mode=False,
              count_include_pad=True, divisor_override=None):
    x = data2(x, name)
    o = {"kernelSize": pair(kernel)}
    if stride is not None:
        o["stride"] = pair(stride)
    o["padding"] = pair(padding)
    st = () if stride is None else tuple(pair(stride))
    if op == "max_pool2d":
        o["dilation"] = pair(dilation)
        o["ceilMode"] = ceil_mode
        y, idx = F.max_pool2d(tt(x), tuple(pair(kernel)), st, tuple(pair(padding)),
                              tuple(pair(dilation)), ceil_mode, return_indices=True)
        y2 = F.max_pool2d(tt(x), tuple(pair(kernel)), st, tuple(pair(padding)),
                          tuple(pair(dilation)), ceil_mode)
        assert np.array_equal(y.numpy(), y2.numpy(), equal_nan=True), name
        NEW[op].append({"name": name, "input": Tensor(x), "options": o, "output": Tensor(y),
                        "indices": [int(v) for v in idx.numpy().ravel()]})
    else:
        o["ceilMode"] = ceil_mode
        o["countIncludePad"] = count_include_pad
        if divisor_override is not None:
            o["divisorOverride"] = divisor_override
        y = F.avg_pool2d(tt(x), tuple(pair(kernel)), st, tuple(pair(padding)), ceil_mode,
                         count_include_pad, divisor_override)
        NEW[op].append({"name": name, "input": Tensor(x), "options": o, "output": Tensor(y)})


def build_max_pool2d():
    c = lambda *a, **k: pool_case("max_pool2d", *a, **k)
    c("k2", (1, 2, 4, 6), 2)
    c("k3_s2_p1", (1, 2, 7, 8), 3, stride=2, padding=1)
    c("k3_s1", (1, 1, 5, 5), 3, stride=1)
    c("k2_s1_p1", (1, 1, 4, 5), 2, stride=1, padding=1)
    c("rect_k_2_3_s_1_2", (1, 2, 5, 7), (2, 3), stride=(1, 2), padding=(1, 1))
    c("dilation2", (1, 1, 7, 7), 3, stride=1, dilation=2)
    c("dilation2_p1", (1, 2, 6, 6), 3, stride=2, padding=1, dilation=2)
    c("ceil_mode_extra_window", (1, 1, 5, 5), 2, stride=2, ceil_mode=True)
    c("ceil_mode_p1_last_window_dropped", (1, 1, 5, 5), 2, stride=2, padding=1, ceil_mode=True)
    c("ceil_mode_k3_s2_p1", (1, 2, 6, 6), 3, stride=2, padding=1, ceil_mode=True)
    c("ceil_mode_no_effect", (1, 1, 6, 6), 2, stride=2, ceil_mode=True)
    c("ceil_mode_dilation2", (1, 1, 8, 8), 2, stride=3, dilation=2, ceil_mode=True)
    c("unbatched", (3, 5, 5), 2, stride=2)
    c("batch2", (2, 3, 6, 5), 3, stride=2, padding=1)
    c("batch0", (0, 2, 4, 4), 2)
    c("ties_keep_first", np.zeros((1, 1, 4, 4), np.float32) + 1.0, 2)
    nan_x = rand2(1, 1, 4, 4)
    nan_x[0, 0, 0, 1] = NAN
    nan_x[0, 0, 1, 0] = NAN
    nan_x[0, 0, 2, 3] = NAN
    c("nan_propagates_last_nan_index", nan_x, 2)
    c("nan_k3_s1_p1", nan_x, 3, stride=1, padding=1)
    ninf = np.full((1, 1, 4, 4), -INF, np.float32)
    ninf[0, 0, 3, 3] = 1.0
    c("all_neg_inf_window_first_index", ninf, 2)
    c("neg_inf_with_padding", ninf, 3, stride=2, padding=1)
    c("float_c4_12x12_k3_s2_p1", (1, 4, 12, 12), 3, stride=2, padding=1)


def build_avg_pool2d():
    c = lambda *a, **k: pool_case("avg_pool2d", *a, **k)
    c("k2", (1, 2, 4, 6), 2)
    c("k3_s2_p1", (1, 2, 7, 8), 3, stride=2, padding=1)
    c("k3_s2_p1_exclude_pad", (1, 2, 7, 8), 3, stride=2, padding=1, count_include_pad=False)
    c("k3_s1", (1, 1, 5, 5), 3, stride=1)
    c("rect_k_2_3_p_1_1", (1, 1, 5, 7), (2, 3), stride=(1, 2), padding=(1, 1))
    c("ceil_mode", (1, 1, 5, 5), 2, stride=2, ceil_mode=True)
    c("ceil_mode_p1_include_pad", (1, 1, 6, 6), 3, stride=2, padding=1, ceil_mode=True)
    c("ceil_mode_p1_exclude_pad", (1, 1, 6, 6), 3, stride=2, padding=1, ceil_mode=True,
      count_include_pad=False)
    c("ceil_mode_window_past_padding", (1, 1, 5, 5), 3, stride=3, padding=1, ceil_mode=True)
    c("divisor_override_3", (1, 2, 5, 5), 3, stride=2, padding=1, divisor_override=3)
    c("divisor_override_negative", (1, 1, 4, 4), 2, divisor_override=-2)
    c("unbatched", (3, 5, 5), 2, stride=2)
    c("batch2", (2, 3, 6, 5), 3, stride=2, padding=1)
    c("batch0", (0, 2, 4, 4), 2)
    nan_x = rand2(1, 1, 4, 4)
    nan_x[0, 0, 0, 1] = NAN
    c("nan_input", nan_x, 2)
    c("float_c4_12x12_k3_s2_p1", (1, 4, 12, 12), 3, stride=2, padding=1)


def err2(op, name, param, fields, options, call):
    """Record torch's message for an invalid call of one of issue 19's ops."""
    try:
        call()
    except Exception as e:  # noqa: BLE001
        case = {"op": op, "name": f"{op}_{name}"}
        case.update(fields)
        case.update({"options": options, "param": param, "torch_message": str(e),
                     "torch_exception": type(e).__name__})
        ERRORS.append(case)
        return
    print(f"WARNING: torch accepted error case {op}/{name}; skipped", file=sys.stderr)


def err_conv_nd(op, name, param, x, w, b, options):
    dims = 1 if op.endswith("1d") else 3
    transposed = "transpose" in op
    norm = (lambda v: v) if dims == 1 else triple
    o = {"stride": norm(1), "padding": norm(0)}
    if transposed:
        o["outputPadding"] = norm(0)
    o.update({"dilation": norm(1), "groups": 1})
    if not transposed:
        o["paddingMode"] = "zeros"
    o.update(options)
    fields = {"input_shape": list(x), "weight_shape": list(w),
              "bias_shape": None if b is None else list(b)}

    def call():
        tup = lambda v: tuple(v) if isinstance(v, list) else v
        if transposed:
            fn = F.conv_transpose1d if dims == 1 else F.conv_transpose3d
            fn(torch.zeros(x), torch.zeros(w), None if b is None else torch.zeros(b),
               tup(o["stride"]), tup(o["padding"]), tup(o["outputPadding"]), o["groups"],
               tup(o["dilation"]))
            return
        if o["paddingMode"] == "zeros" and not (isinstance(o["padding"], str)
                                                and o["padding"] not in ("same", "valid")):
            fn = F.conv1d if dims == 1 else F.conv3d
            fn(torch.zeros(x), torch.zeros(w), None if b is None else torch.zeros(b),
               tup(o["stride"]), tup(o["padding"]), tup(o["dilation"]), o["groups"])
            return
        cls = nn.Conv1d if dims == 1 else nn.Conv3d
        m = cls(w[1] * o["groups"], w[0], tuple(w[2:]), tup(o["stride"]), tup(o["padding"]),
                tup(o["dilation"]), o["groups"], b is not None, o["paddingMode"])
        m(torch.zeros(x) if len(x) == dims + 2 else torch.zeros(x).unsqueeze(0))
    err2(op, name, param, fields, o, call)


def err_backward(op, name, param, x, w, gy, options):
    transposed = op == "conv_transpose2d_backward"
    o = {"stride": [1, 1], "padding": [0, 0]}
    if transposed:
        o["outputPadding"] = [0, 0]
    o.update({"dilation": [1, 1], "groups": 1})
    if not transposed:
        o["paddingMode"] = "zeros"
    o.update(options)
    fields = {"input_shape": list(x), "weight_shape": list(w), "grad_output_shape": list(gy)}

    def call():
        m_o = {k: (tuple(v) if isinstance(v, list) else v) for k, v in o.items()}
        K = w[1] * o["groups"] if transposed else w[0]
        m = conv_module(2, torch.zeros(x), torch.zeros(w), torch.zeros(K), m_o, transposed)
        xt_ = torch.zeros(x, requires_grad=True)
        m(xt_).backward(torch.zeros(gy))
    err2(op, name, param, fields, o, call)


def err_pool(op, name, param, x, options):
    o = {"kernelSize": [2, 2], "padding": [0, 0]}
    if op == "max_pool2d":
        o.update({"dilation": [1, 1], "ceilMode": False})
    else:
        o.update({"ceilMode": False, "countIncludePad": True})
    o.update(options)

    def call():
        st = tuple(o["stride"]) if "stride" in o else ()
        if op == "max_pool2d":
            F.max_pool2d(torch.zeros(x), tuple(o["kernelSize"]), st, tuple(o["padding"]),
                         tuple(o["dilation"]), o["ceilMode"])
        else:
            F.avg_pool2d(torch.zeros(x), tuple(o["kernelSize"]), st, tuple(o["padding"]),
                         o["ceilMode"], o["countIncludePad"], o.get("divisorOverride"))
    err2(op, name, param, {"input_shape": list(x)}, o, call)


def build_errors_ops():
    c1 = lambda n, p, o, x=(1, 2, 6), w=(3, 2, 3), b=(3,): err_conv_nd("conv1d", n, p, x, w, b, o)
    c1("stride_zero", "stride", {"stride": 0})
    c1("padding_negative", "padding", {"padding": -1})
    c1("dilation_zero", "dilation", {"dilation": 0})
    c1("groups_zero", "groups", {"groups": 0})
    c1("groups_not_dividing_in_channels", "groups", {"groups": 2}, x=(1, 3, 6), w=(4, 1, 3), b=(4,))
    c1("in_channels_mismatch", "input", {}, w=(3, 3, 3))
    c1("bias_wrong_length", "bias", {}, b=(4,))
    c1("kernel_larger_than_input", "weight", {}, x=(1, 2, 2))
    c1("same_with_stride2", "padding", {"padding": "same", "stride": 2})
    c1("unknown_padding_string_full", "padding", {"padding": "full"})
    c1("reflect_padding_eq_length", "padding", {"padding": 6, "paddingMode": "reflect"})
    c1("circular_padding_gt_length", "padding", {"padding": 7, "paddingMode": "circular"})
    c1("input_4d", "input", {}, x=(1, 2, 6, 6))
    c1("input_1d", "input", {}, x=(6,))
    c1("weight_4d", "weight", {}, w=(3, 2, 3, 3))
    c1("input_zero_channels", "input", {}, x=(1, 0, 6))
    X3, W3 = (1, 2, 4, 5, 5), (3, 2, 3, 3, 3)
    c3 = lambda n, p, o, x=X3, w=W3, b=(3,): err_conv_nd("conv3d", n, p, x, w, b, o)
    c3("stride_zero", "stride", {"stride": [1, 0, 1]})
    c3("padding_negative", "padding", {"padding": [0, -1, 0]})
    c3("dilation_zero", "dilation", {"dilation": [0, 1, 1]})
    c3("groups_not_dividing_out_channels", "groups", {"groups": 2}, x=(1, 4, 4, 5, 5),
       w=(3, 2, 3, 3, 3))
    c3("in_channels_mismatch", "input", {}, w=(3, 3, 3, 3, 3))
    c3("bias_2d", "bias", {}, b=(3, 1))
    c3("kernel_deeper_than_input", "weight", {}, x=(1, 2, 2, 5, 5))
    c3("same_with_stride_1_1_2", "padding", {"padding": "same", "stride": [1, 1, 2]})
    c3("reflect_padding_eq_depth", "padding", {"padding": [4, 1, 1], "paddingMode": "reflect"})
    c3("circular_padding_gt_width", "padding", {"padding": [1, 1, 6], "paddingMode": "circular"})
    c3("input_3d", "input", {}, x=(2, 5, 5))
    c3("weight_4d", "weight", {}, w=(3, 2, 3, 3))
    t1 = lambda n, p, o, x=(1, 2, 5), w=(2, 3, 3), b=(3,): err_conv_nd("conv_transpose1d", n, p, x, w, b, o)
    t1("output_padding_ge_stride_and_dilation", "outputPadding", {"stride": 2, "outputPadding": 2})
    t1("output_padding_stride1", "outputPadding", {"outputPadding": 1})
    t1("negative_output_size", "padding", {"padding": 4}, x=(1, 2, 1))
    t1("in_channels_mismatch", "input", {}, x=(1, 3, 5))
    t1("bias_wrong_length", "bias", {}, b=(2,))
    t1("stride_zero", "stride", {"stride": 0})
    t1("groups_not_dividing_in_channels", "groups", {"groups": 2}, x=(1, 3, 5), w=(3, 3, 3))
    t1("input_4d", "input", {}, x=(1, 2, 5, 5))
    t3 = lambda n, p, o, x=(1, 2, 3, 3, 3), w=(2, 3, 3, 3, 3), b=(3,): err_conv_nd("conv_transpose3d", n, p, x, w, b, o)
    t3("output_padding_ge_stride_and_dilation", "outputPadding",
       {"stride": [2, 2, 2], "outputPadding": [0, 2, 0]})
    t3("negative_output_size", "padding", {"padding": [3, 0, 0]}, x=(1, 2, 1, 3, 3))
    t3("in_channels_mismatch", "input", {}, x=(1, 4, 3, 3, 3))
    t3("dilation_zero", "dilation", {"dilation": [1, 1, 0]})
    t3("weight_4d", "weight", {}, w=(2, 3, 3, 3))
    b2 = lambda n, p, o, x=(1, 2, 5, 5), w=(3, 2, 3, 3), gy=(1, 3, 3, 3): err_backward("conv2d_backward", n, p, x, w, gy, o)
    b2("grad_output_wrong_spatial_shape", "gradOutput", {}, gy=(1, 3, 4, 4))
    b2("grad_output_wrong_channels", "gradOutput", {}, gy=(1, 2, 3, 3))
    b2("grad_output_wrong_batch", "gradOutput", {}, gy=(2, 3, 3, 3))
    b2("same_with_stride2", "padding", {"padding": "same", "stride": [2, 2]})
    b2("groups_not_dividing_in_channels", "groups", {"groups": 2}, x=(1, 3, 5, 5),
       w=(4, 1, 3, 3), gy=(1, 4, 3, 3))
    b2("reflect_padding_eq_size", "padding", {"padding": [5, 5], "paddingMode": "reflect"})
    bt = lambda n, p, o, x=(1, 2, 3, 3), w=(2, 3, 3, 3), gy=(1, 3, 5, 5): err_backward("conv_transpose2d_backward", n, p, x, w, gy, o)
    bt("grad_output_wrong_shape", "gradOutput", {}, gy=(1, 3, 4, 4))
    bt("output_padding_ge_stride", "outputPadding", {"outputPadding": [1, 1]})
    mp = lambda n, p, o, x=(1, 2, 5, 5): err_pool("max_pool2d", n, p, x, o)
    mp("kernel_zero", "kernelSize", {"kernelSize": [0, 2]})
    mp("stride_zero", "stride", {"stride": [0, 0]})
    mp("padding_gt_half_kernel", "padding", {"padding": [2, 0]})
    mp("padding_negative", "padding", {"padding": [-1, 0]})
    mp("dilation_zero", "dilation", {"dilation": [0, 1]})
    mp("output_too_small", "kernelSize", {"kernelSize": [6, 6]})
    mp("dilated_output_too_small", "dilation", {"kernelSize": [3, 3], "dilation": [3, 3]})
    mp("input_2d", "input", {}, x=(5, 5))
    mp("input_5d", "input", {}, x=(1, 1, 1, 5, 5))
    mp("input_zero_channels", "input", {}, x=(1, 0, 5, 5))
    ap = lambda n, p, o, x=(1, 2, 5, 5): err_pool("avg_pool2d", n, p, x, o)
    ap("divisor_override_zero", "divisorOverride", {"divisorOverride": 0})
    ap("kernel_zero", "kernelSize", {"kernelSize": [2, 0], "stride": [1, 1]})
    ap("stride_zero", "stride", {"stride": [1, 0]})
    ap("padding_gt_half_kernel", "padding", {"kernelSize": [3, 3], "padding": [2, 2]})
    ap("output_too_small", "kernelSize", {"kernelSize": [6, 2]})
    ap("input_2d", "input", {}, x=(5, 5))


# ---------------------------------------------------------------------------
# Independent float64 NumPy reference (self-check only)
# ---------------------------------------------------------------------------

def check(name, got, want):
    """Shapes equal, NaN positions equal, infinities equal, finite values close."""
    got = np.asarray(got, np.float64)
    want = np.asarray(want, np.float64)
    if got.shape != want.shape:
        raise AssertionError(f"{name}: shape {got.shape} != reference {want.shape}")
    if not np.array_equal(np.isnan(got), np.isnan(want)):
        raise AssertionError(f"{name}: NaN pattern differs\n{got}\n{want}")
    fin = np.isfinite(want)
    if not np.array_equal(got[~fin & ~np.isnan(want)], want[~fin & ~np.isnan(want)]):
        raise AssertionError(f"{name}: Inf pattern differs\n{got}\n{want}")
    if not np.array_equal(np.isfinite(got), fin):
        raise AssertionError(f"{name}: finite pattern differs")
    scale = max(1.0, float(np.abs(want[fin]).max()) if fin.any() else 1.0)
    if not np.allclose(got[fin], want[fin], rtol=1e-5, atol=1e-5 * scale):
        raise AssertionError(f"{name}: values differ, max err "
                             f"{np.abs(got[fin] - want[fin]).max()}")


def ref_pad(x, o):
    l, r, t, b = o["pad"]
    a = np.asarray(x, np.float64)
    # negative pads crop (only exercised for constant mode here)
    H, W = a.shape[-2:]
    a = a[..., max(0, -t):H - max(0, -b), max(0, -l):W - max(0, -r)]
    widths = [(0, 0)] * (a.ndim - 2) + [(max(0, t), max(0, b)), (max(0, l), max(0, r))]
    np_mode = {"constant": "constant", "reflect": "reflect", "replicate": "edge",
               "circular": "wrap"}[o["mode"]]
    if np_mode == "constant":
        return np.pad(a, widths, mode="constant", constant_values=o["value"])
    return np.pad(a, widths, mode=np_mode)


def ref_conv2d(x, w, b, o):
    x = np.asarray(x, np.float64)
    w = np.asarray(w, np.float64)
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    K, Cg, kh, kw = w.shape
    (sh, sw), (dh, dw), g = o["stride"], o["dilation"], o["groups"]
    if o["padding"] == "valid":
        pads = (0, 0, 0, 0)
    elif o["padding"] == "same":
        th, tw = dh * (kh - 1), dw * (kw - 1)
        pads = (tw // 2, tw - tw // 2, th // 2, th - th // 2)  # extra goes right/bottom
    else:
        ph, pw = o["padding"]
        pads = (pw, pw, ph, ph)
    mode = "constant" if o["paddingMode"] == "zeros" else o["paddingMode"]
    xp = ref_pad(x, {"pad": pads, "mode": mode, "value": 0.0})
    N, C, Hp, Wp = xp.shape
    OH = (Hp - dh * (kh - 1) - 1) // sh + 1
    OW = (Wp - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((N, K, OH, OW))
    Kg = K // g
    with np.errstate(invalid="ignore"):
        for gi in range(g):
            xs = xp[:, gi * Cg:(gi + 1) * Cg]
            ws = w[gi * Kg:(gi + 1) * Kg]
            for i in range(kh):
                for j in range(kw):
                    patch = xs[:, :, i * dh:i * dh + sh * (OH - 1) + 1:sh,
                               j * dw:j * dw + sw * (OW - 1) + 1:sw]  # [N,Cg,OH,OW]
                    # explicit multiply-and-sum keeps IEEE inf*0 = nan semantics
                    out[:, gi * Kg:(gi + 1) * Kg] += (
                        patch[:, None] * ws[None, :, :, i, j, None, None]).sum(axis=2)
    if b is not None:
        out += np.asarray(b, np.float64)[None, :, None, None]
    return out[0] if unbatched else out


def ref_conv_transpose2d(x, w, b, o):
    x = np.asarray(x, np.float64)
    w = np.asarray(w, np.float64)
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    N, Cin, H, W = x.shape
    _, Cg, kh, kw = w.shape
    (sh, sw), (ph, pw) = o["stride"], o["padding"]
    (oph, opw), (dh, dw), g = o["outputPadding"], o["dilation"], o["groups"]
    full_h = (H - 1) * sh + dh * (kh - 1) + 1 + oph
    full_w = (W - 1) * sw + dw * (kw - 1) + 1 + opw
    full = np.zeros((N, Cg * g, full_h, full_w))
    Cin_g = Cin // g
    with np.errstate(invalid="ignore"):
        for gi in range(g):
            xs = x[:, gi * Cin_g:(gi + 1) * Cin_g]
            ws = w[gi * Cin_g:(gi + 1) * Cin_g]  # [Cin_g, Cg, kh, kw]
            for i in range(kh):
                for j in range(kw):
                    contrib = (xs[:, :, None] * ws[None, :, :, i, j, None, None]).sum(axis=1)
                    full[:, gi * Cg:(gi + 1) * Cg, i * dh:i * dh + sh * (H - 1) + 1:sh,
                         j * dw:j * dw + sw * (W - 1) + 1:sw] += contrib
    OH = (H - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1
    OW = (W - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1
    out = full[:, :, ph:ph + OH, pw:pw + OW]
    if b is not None:
        out = out + np.asarray(b, np.float64)[None, :, None, None]
    return out[0] if unbatched else out


def ref_unfold(x, o):
    x = np.asarray(x, np.float64)
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (o["kernelSize"], o["dilation"], o["padding"],
                                               o["stride"])
    xp = np.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)])
    N, C = x.shape[:2]
    bh, bw = n_blocks(x.shape[2:], (kh, kw), (dh, dw), (ph, pw), (sh, sw))
    out = np.zeros((N, C, kh, kw, bh, bw))
    for i in range(kh):
        for j in range(kw):
            out[:, :, i, j] = xp[:, :, i * dh:i * dh + sh * (bh - 1) + 1:sh,
                                 j * dw:j * dw + sw * (bw - 1) + 1:sw]
    out = out.reshape(N, C * kh * kw, bh * bw)
    return out[0] if unbatched else out


def ref_fold(x, o):
    x = np.asarray(x, np.float64)
    unbatched = x.ndim == 2
    if unbatched:
        x = x[None]
    (H, W), (kh, kw), (dh, dw) = o["outputSize"], o["kernelSize"], o["dilation"]
    (ph, pw), (sh, sw) = o["padding"], o["stride"]
    N = x.shape[0]
    C = x.shape[1] // (kh * kw)
    bh, bw = n_blocks((H, W), (kh, kw), (dh, dw), (ph, pw), (sh, sw))
    cols = x.reshape(N, C, kh, kw, bh, bw)
    buf = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    for i in range(kh):
        for j in range(kw):
            buf[:, :, i * dh:i * dh + sh * (bh - 1) + 1:sh,
                j * dw:j * dw + sw * (bw - 1) + 1:sw] += cols[:, :, i, j]
    out = buf[:, :, ph:ph + H, pw:pw + W]
    return out[0] if unbatched else out


def ref_kernel_matrix(k, size, o):
    kh, kw = k.shape
    H, W = size
    (sh, sw), (dh, dw) = o["stride"], o["dilation"]
    if o["padding"] == "valid":
        ph = pw = pb = pr = 0
    elif o["padding"] == "same":  # PyTorch's split: the odd extra element bottom/right
        th, tw = dh * (kh - 1), dw * (kw - 1)
        ph, pb, pw, pr = th // 2, th - th // 2, tw // 2, tw - tw // 2
    else:
        (ph, pw) = o["padding"]
        pb, pr = ph, pw
    OH = (H + ph + pb - dh * (kh - 1) - 1) // sh + 1
    OW = (W + pw + pr - dw * (kw - 1) - 1) // sw + 1
    M = np.zeros((OH * OW, H * W))
    for oh in range(OH):
        for ow in range(OW):
            for a in range(kh):
                for c in range(kw):
                    ih, iw = oh * sh - ph + a * dh, ow * sw - pw + c * dw
                    if 0 <= ih < H and 0 <= iw < W:
                        M[oh * OW + ow, ih * W + iw] += k[a, c]
    return M


def ref_bilinear(c, k):
    factor = (k + 1) // 2
    center = factor - 1 if k % 2 == 1 else factor - 0.5
    r = 1 - np.abs(np.arange(k) - center) / factor
    w = np.zeros((c, c, k, k))
    for i in range(c):
        w[i, i] = np.outer(r, r)
    return w


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def verify_file(path):
    """Reload a written file and check every tensor round-trips bit-exactly."""
    with open(path) as f:
        doc = json.load(f)

    def decode(v):
        return np.float32({"nan": NAN, "inf": INF, "-inf": -INF}.get(v, v)
                          if isinstance(v, str) else v)

    def walk(o):
        if isinstance(o, dict):
            if set(o) == {"shape", "data"}:
                a = np.array([decode(v) for v in o["data"]], np.float32)
                assert a.size == int(np.prod(o["shape"])), path
                return a
            return {k: walk(v) for k, v in o.items()}
        if isinstance(o, list):
            return [walk(v) for v in o]
        return o
    return walk(doc)


def main():
    builders = [
        ("conv2d.json", build_conv2d, CONV),
        ("conv_transpose2d.json", build_conv_transpose2d, CONVT),
        ("unfold.json", build_unfold, UNFOLD),
        ("fold.json", build_fold, FOLD),
        ("pad.json", build_pad, PAD),
        ("kernel_matrix.json", build_kernel_matrix, KMAT),
        ("bilinear_kernel.json", build_bilinear, BILIN),
        ("errors.json", lambda: (build_errors(), build_errors_ops()), ERRORS),
        ("conv1d.json", build_conv1d, NEW["conv1d"]),
        ("conv_transpose1d.json", build_conv_transpose1d, NEW["conv_transpose1d"]),
        ("conv3d.json", build_conv3d, NEW["conv3d"]),
        ("conv_transpose3d.json", build_conv_transpose3d, NEW["conv_transpose3d"]),
        ("conv2d_backward.json", build_conv2d_backward, NEW["conv2d_backward"]),
        ("conv_transpose2d_backward.json", build_conv_transpose2d_backward,
         NEW["conv_transpose2d_backward"]),
        ("max_pool2d.json", build_max_pool2d, NEW["max_pool2d"]),
        ("avg_pool2d.json", build_avg_pool2d, NEW["avg_pool2d"]),
    ]
    print(f"torch {torch.__version__}, numpy {np.__version__}")
    for fname, build, cases in builders:
        build()
        path = write_file(fname, cases)
        decoded = verify_file(path)
        # bit-exact float32 round trip of every output tensor
        for c, d in zip(cases, decoded["cases"]):
            for key, v in c.items():
                if isinstance(v, Tensor):
                    a, r = v.a.ravel(), d[key]
                    same_bits = a.view(np.uint32) == r.view(np.uint32)
                    assert np.all(same_bits | (np.isnan(a) & np.isnan(r))), (fname, key)
        size = os.path.getsize(path)
        print(f"  {fname:24s} {len(cases):4d} cases  {size / 1024:8.1f} KiB")
        assert size < 1.5e6, f"{fname} too large"


if __name__ == "__main__":
    main()
