// A tiny ONNX model writer: just enough protobuf to build a one-node Conv or ConvTranspose
// graph whose X, W (and B) are graph inputs, not initializers, so a model is a few hundred
// bytes and is made on the fly for each benchmark case.
//
// Field numbers are those of onnx/onnx.proto (proto2): ModelProto{ir_version=1,
// producer_name=2, graph=7, opset_import=8}, GraphProto{node=1, name=2, input=11, output=12},
// NodeProto{input=1, output=2, name=3, op_type=4, attribute=5}, AttributeProto{name=1, i=3,
// ints=8, type=20}, ValueInfoProto{name=1, type=2}, TypeProto{tensor_type=1},
// TypeProto.Tensor{elem_type=1, shape=2}, TensorShapeProto{dim=1}, Dimension{dim_value=1},
// OperatorSetIdProto{domain=1, version=2}.

const ATTR_INT = 2;
const ATTR_INTS = 7;
const FLOAT = 1;
const IR_VERSION = 8;
const OPSET = 17;

class Writer {
  constructor() {
    this.bytes = [];
  }

  varint(v) {
    let n = BigInt.asUintN(64, BigInt(v)); // negative int64 values take 10 bytes, as protobuf says
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n !== 0n) b |= 0x80;
      this.bytes.push(b);
    } while (n !== 0n);
    return this;
  }

  tag(field, wireType) {
    return this.varint((field << 3) | wireType);
  }

  int(field, v) {
    return this.tag(field, 0).varint(v);
  }

  bytesField(field, bytes) {
    this.tag(field, 2).varint(bytes.length);
    for (const b of bytes) this.bytes.push(b);
    return this;
  }

  string(field, s) {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  message(field, build) {
    const w = new Writer();
    build(w);
    return this.bytesField(field, w.bytes);
  }
}

function valueInfo(w, field, name, shape) {
  w.message(field, (vi) => {
    vi.string(1, name);
    vi.message(2, (type) =>
      type.message(1, (tensor) => {
        tensor.int(1, FLOAT);
        tensor.message(2, (s) => {
          for (const d of shape) s.message(1, (dim) => dim.int(1, d));
        });
      }));
  });
}

function attribute(w, name, value) {
  w.message(5, (a) => {
    a.string(1, name);
    if (Array.isArray(value)) {
      for (const v of value) a.int(8, v); // repeated int64, unpacked (proto2)
      a.int(20, ATTR_INTS);
    } else {
      a.int(3, value);
      a.int(20, ATTR_INT);
    }
  });
}

const pairOf = (v, fallback) => (v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : v);

/**
 * One-node ONNX model.
 * @param {object} spec
 *   op: 'Conv' | 'ConvTranspose'
 *   x: input shape [N, C, H, W]; w: weight shape (Conv [K, C/g, kh, kw], ConvTranspose
 *   [C, K/g, kh, kw]); b: true to add a bias input B of shape [K]; y: output shape
 *   stride, padding, dilation, outputPadding: number or [h, w] (PyTorch's meaning)
 *   groups: number
 * @returns {Uint8Array} the serialized ModelProto; graph inputs X, W[, B], output Y
 */
export function convModel(spec) {
  const { op, x, w: wShape, b = false, y, groups = 1 } = spec;
  const [sh, sw] = pairOf(spec.stride, 1);
  const [ph, pw] = pairOf(spec.padding, 0);
  const [dh, dw] = pairOf(spec.dilation, 1);
  const [oph, opw] = pairOf(spec.outputPadding, 0);
  const K = op === 'Conv' ? wShape[0] : wShape[1] * groups;
  const m = new Writer();
  m.int(1, IR_VERSION);
  m.string(2, 'convplay-bench');
  m.message(7, (g) => {
    g.message(1, (n) => {
      n.string(1, 'X');
      n.string(1, 'W');
      if (b) n.string(1, 'B');
      n.string(2, 'Y');
      n.string(3, op.toLowerCase());
      n.string(4, op);
      attribute(n, 'kernel_shape', [wShape[2], wShape[3]]);
      attribute(n, 'strides', [sh, sw]);
      attribute(n, 'pads', [ph, pw, ph, pw]); // [top, left, bottom, right]
      attribute(n, 'dilations', [dh, dw]);
      attribute(n, 'group', groups);
      if (op === 'ConvTranspose') attribute(n, 'output_padding', [oph, opw]);
    });
    g.string(2, `${op.toLowerCase()}_graph`);
    valueInfo(g, 11, 'X', x);
    valueInfo(g, 11, 'W', wShape);
    if (b) valueInfo(g, 11, 'B', [K]);
    valueInfo(g, 12, 'Y', y);
  });
  m.message(8, (o) => {
    o.string(1, '');
    o.int(2, OPSET);
  });
  return Uint8Array.from(m.bytes);
}

/**
 * One-node Conv / ConvTranspose model of any spatial rank (bench/bench-ops.mjs: 3-D).
 * @param {object} spec  op, x, w, y shapes; stride, padding, dilation, outputPadding as
 *   arrays of one value per spatial dimension; groups
 */
export function convModelNd(spec) {
  const { op, x, w: wShape, y, groups = 1 } = spec;
  const nd = wShape.length - 2;
  const fill = (v, f) => (v === undefined ? Array(nd).fill(f) : typeof v === 'number' ? Array(nd).fill(v) : v);
  const pads = fill(spec.padding, 0);
  const m = new Writer();
  m.int(1, IR_VERSION);
  m.string(2, 'convplay-bench');
  m.message(7, (g) => {
    g.message(1, (n) => {
      n.string(1, 'X');
      n.string(1, 'W');
      n.string(2, 'Y');
      n.string(3, op.toLowerCase());
      n.string(4, op);
      attribute(n, 'kernel_shape', wShape.slice(2));
      attribute(n, 'strides', fill(spec.stride, 1));
      attribute(n, 'pads', [...pads, ...pads]); // [begins..., ends...]
      attribute(n, 'dilations', fill(spec.dilation, 1));
      attribute(n, 'group', groups);
      if (op === 'ConvTranspose') attribute(n, 'output_padding', fill(spec.outputPadding, 0));
    });
    g.string(2, `${op.toLowerCase()}_graph`);
    valueInfo(g, 11, 'X', x);
    valueInfo(g, 11, 'W', wShape);
    valueInfo(g, 12, 'Y', y);
  });
  m.message(8, (o) => {
    o.string(1, '');
    o.int(2, OPSET);
  });
  return Uint8Array.from(m.bytes);
}
