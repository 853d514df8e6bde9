// The JavaScript API of convplay: PyTorch-shaped calls on { shape, data } tensors.
// It checks and normalises arguments (types, defaults, IntPair), copies inputs into the
// WASM heap, calls the Embind binding (wasm/bindings.cpp) and copies the result out.
// Everything PyTorch would reject is rejected by the C++ core with a message naming the
// parameter; this layer only adds the checks C++ cannot see (JS types, data lengths).
import createConvplayCore from 'convplay-core';

const VERSION = '0.2.0';
const MAX_ELEMENTS = 2 ** 26; // core/include/convplay/options.hpp kMaxElements
const MAX_RANK = 8;
const INT32_MAX = 2 ** 31 - 1;
const MAX_MEMORY_MIB = 2048; // the link's -sMAXIMUM_MEMORY=2GB (CMakeLists.txt)

function describe(v) {
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (v === null) return 'null';
  if (typeof v === 'object') return Object.prototype.toString.call(v).slice(8, -1);
  return String(v);
}

function fail(op, message) {
  throw new Error(`${op}: ${message}`);
}

function checkInt(op, name, v) {
  if (typeof v !== 'number' || !Number.isInteger(v))
    fail(op, `${name}=${describe(v)} must be an integer`);
  if (Math.abs(v) > INT32_MAX) fail(op, `${name}=${v} is out of range`);
  return v;
}

// IntPair = number | [h, w]; undefined gives the default.
function pair(op, name, v, fallback) {
  if (v === undefined) return [fallback, fallback];
  if (typeof v === 'number') {
    checkInt(op, name, v);
    return [v, v];
  }
  if (Array.isArray(v) && v.length === 2) {
    v.forEach((e) => checkInt(op, name, e));
    if (!v.every((e) => Number.isInteger(e))) fail(op, `${name}=${describe(v)} must hold integers`);
    return [v[0], v[1]];
  }
  fail(op, `${name}=${describe(v)} must be an integer or a pair of integers [h, w]`);
}

function optionsObject(op, options, known) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options))
    fail(op, `options=${describe(options)} must be an object like { ${known.join(', ')} }`);
  for (const key of Object.keys(options))
    if (options[key] !== undefined && !known.includes(key))
      fail(op, `unknown option '${key}'; the options are ${known.join(', ')}`);
  return options;
}

function stringOption(op, name, v, fallback) {
  if (v === undefined) return fallback;
  if (typeof v !== 'string') fail(op, `${name}=${describe(v)} must be a string`);
  return v;
}

// The parameter words every call passes after the shapes, in wasm/bindings.cpp's Params
// order. String options stay strings here and become codes in _run.
const PARAM_WORDS = ['strideH', 'strideW', 'padding', 'paddingH', 'paddingW', 'dilationH',
  'dilationW', 'outputPaddingH', 'outputPaddingW', 'kernelH', 'kernelW', 'outputH', 'outputW',
  'groups', 'mode', 'padLeft', 'padRight', 'padTop', 'padBottom', 'value',
  'strideD', 'paddingD', 'dilationD', 'outputPaddingD', 'ceilMode', 'countIncludePad',
  'hasDivisor', 'divisor'];
// Kinds of option strings for the binding's parseOption.
const STRING_KIND = { padding: 0, paddingMode: 1, padMode: 2 };

function baseParams() {
  return {
    strideH: 1, strideW: 1, padding: '', paddingH: 0, paddingW: 0, dilationH: 1, dilationW: 1,
    outputPaddingH: 0, outputPaddingW: 0, kernelH: 1, kernelW: 1, outputH: 1, outputW: 1,
    groups: 1, mode: 'zeros', modeKind: STRING_KIND.paddingMode, value: 0,
    padLeft: 0, padRight: 0, padTop: 0, padBottom: 0,
    strideD: 1, paddingD: 0, dilationD: 1, outputPaddingD: 0, ceilMode: 0, countIncludePad: 1,
    hasDivisor: 0, divisor: 0,
  };
}

function shapeSize(shape) {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

// Nested arrays ([[1, 2], [3, 4]]) -> { shape, data }.
export function tensor(nested) {
  const shape = [];
  let level = nested;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  const data = new Float32Array(shapeSize(shape));
  let i = 0;
  const walk = (v, depth) => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new Error(`tensor: element ${describe(v)} at flat index ${i} is not a number`);
      data[i++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth])
      throw new Error(`tensor: ragged nested array: expected ${shape[depth]} elements at depth ${depth}, got ${describe(v)}`);
    for (const e of v) walk(e, depth + 1);
  };
  walk(nested, 0);
  return { shape, data };
}

// { shape, data } -> nested arrays (a 0-D tensor gives its number).
export function toNested(t) {
  const { shape, data } = t;
  let i = 0;
  const build = (depth) => {
    if (depth === shape.length) return data[i++];
    const out = new Array(shape[depth]);
    for (let k = 0; k < shape[depth]; ++k) out[k] = build(depth + 1);
    return out;
  };
  return build(0);
}

// Checks a Tensor argument; nested arrays are accepted too. Returns { shape, data }.
function tensorArg(op, name, t) {
  if (Array.isArray(t)) t = tensor(t);
  if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || t.data == null)
    fail(op, `${name} must be a tensor { shape: number[], data: Float32Array }, but got ${describe(t)}`);
  const { shape } = t;
  if (shape.length > MAX_RANK) fail(op, `${name} of shape ${describe(shape)} has more than ${MAX_RANK} dimensions`);
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      fail(op, `${name}.shape ${describe(shape)} must hold non-negative integers`);
    n *= d;
  }
  if (n > MAX_ELEMENTS)
    fail(op, `${name} of shape [${shape.join(', ')}] has more than ${MAX_ELEMENTS} elements (the size limit)`);
  const length = t.data.length;
  if (typeof length !== 'number' || !(t.data instanceof Float32Array || ArrayBuffer.isView(t.data) || Array.isArray(t.data)))
    fail(op, `${name}.data must be a Float32Array (or an array of numbers)`);
  if (length !== n)
    fail(op, `${name}.data has ${length} elements, but ${name}.shape [${shape.join(', ')}] needs ${n}`);
  return { shape, data: t.data };
}

// A result's own copy of heap[start, start + length) (a Float32Array or Int32Array like
// `heap`): the one copy out of the WASM heap every fresh result makes. new TypedArray(view)
// allocates without zeroing and copies once; slice() zero-fills first, then copies (V8): for a
// 3 MB image result that fill was 0.13 ms, 10% of a depthwise 3x3. Below ~16 KB slice() is the
// quicker call (measured: 0.78 against 0.87 us for 64 floats). From 50,000 to 800,000 floats
// new Float32Array(view), new Float32Array(n) + set and slice() measured within +-10% of each
// other, the noise (bench/fresh-result.mjs); what a fresh result costs beyond the copy is the
// allocator's fresh pages (bench/README.md, "The cost of a fresh result").
function freshCopy(heap, start, length) {
  const view = heap.subarray(start, start + length);
  return length < 4096 ? view.slice() : new heap.constructor(view);
}

class Convplay {
  constructor(core) {
    this._core = core;
    this._info = core.resultInfo() >> 2; // int32 index of [address, length, rank, dims...]
    this._codes = [new Map(), new Map(), new Map()]; // option string -> code, per STRING_KIND
    if (core.paramWords() !== PARAM_WORDS.length) throw new Error('convplay: JS and WASM builds do not match');
    this.backend = core.backend();
    this.version = VERSION;
  }

  // Code of an option string, asking the core once per distinct string (the core owns the
  // list of valid names and the message for a wrong one).
  _code(op, kind, name) {
    const cache = this._codes[kind];
    let code = cache.get(name);
    if (code === undefined) {
      code = this._core.parseOption(kind, name);
      if (code < 0) {
        const message = this._core.lastError();
        throw new Error(message.startsWith(`${op}: `) ? message : `${op}: ${message}`);
      }
      if (cache.size < 64) cache.set(name, code);
    }
    return code;
  }

  // Copies tensors (data, or shapes only) and the parameters into one heap block ("frame",
  // see wasm/bindings.cpp), runs call(addresses, frameAddress), frees the block, and
  // returns the result tensor (or throws).
  _run(op, tensors, params, call, withData = true) {
    const core = this._core;
    const paddingCode = params.padding === '' ? 0 : this._code(op, STRING_KIND.padding, params.padding);
    const modeCode = this._code(op, params.modeKind, params.mode);
    let floats = 0;
    let ints = PARAM_WORDS.length;
    for (const t of tensors) {
      if (t && withData) floats += t.data.length;
      ints += t ? 1 + t.shape.length : 1;
    }
    const bytes = 4 * (floats + ints);
    const block = core._malloc(Math.max(bytes, 4));
    // malloc returns 0 once the heap cannot grow any more (it grows to MAX_MEMORY_MIB).
    if (!block) {
      throw new Error(`${op}: out of memory: the WebAssembly heap could not hold the inputs `
        + `(${bytes} bytes; the heap grows to at most ${MAX_MEMORY_MIB} MiB, shared with everything else)`);
    }
    try {
      const addresses = [];
      let f = block >> 2;
      const heapF32 = core.HEAPF32; // read after malloc: memory growth replaces the buffer
      const heap32 = core.HEAP32;
      for (const t of tensors) {
        addresses.push(t && withData ? f * 4 : 0);
        if (t && withData) {
          heapF32.set(t.data, f);
          f += t.data.length;
        }
      }
      const shapes = f;
      for (const t of tensors) {
        if (!t) heap32[f++] = -1;
        else {
          heap32[f++] = t.shape.length;
          for (const d of t.shape) heap32[f++] = d;
        }
      }
      heap32[f] = params.strideH; heap32[f + 1] = params.strideW;
      heap32[f + 2] = paddingCode; heap32[f + 3] = params.paddingH; heap32[f + 4] = params.paddingW;
      heap32[f + 5] = params.dilationH; heap32[f + 6] = params.dilationW;
      heap32[f + 7] = params.outputPaddingH; heap32[f + 8] = params.outputPaddingW;
      heap32[f + 9] = params.kernelH; heap32[f + 10] = params.kernelW;
      heap32[f + 11] = params.outputH; heap32[f + 12] = params.outputW;
      heap32[f + 13] = params.groups; heap32[f + 14] = modeCode;
      heap32[f + 15] = params.padLeft; heap32[f + 16] = params.padRight;
      heap32[f + 17] = params.padTop; heap32[f + 18] = params.padBottom;
      heapF32[f + 19] = params.value;
      heap32[f + 20] = params.strideD; heap32[f + 21] = params.paddingD;
      heap32[f + 22] = params.dilationD; heap32[f + 23] = params.outputPaddingD;
      heap32[f + 24] = params.ceilMode; heap32[f + 25] = params.countIncludePad;
      heap32[f + 26] = params.hasDivisor; heap32[f + 27] = params.divisor;
      if (!call(addresses, shapes * 4)) throw new Error(core.lastError());
      if (params.collect) return params.collect();
      return this._result(withData, op, params.out);
    } finally {
      core._free(block);
    }
  }

  _result(withData, op, out = null) {
    const heap32 = this._core.HEAP32;
    const i = this._info;
    const address = heap32[i];
    const length = heap32[i + 1];
    const rank = heap32[i + 2];
    const shape = new Array(rank);
    for (let d = 0; d < rank; ++d) shape[d] = heap32[i + 3 + d];
    if (!withData) return { shape };
    const start = address >> 2;
    if (out) {
      if (out.length !== length)
        fail(op, `out has ${out.length} elements but the output [${shape.join(', ')}] has ${length} `
          + '(out must hold exactly the output)');
      out.set(this._core.HEAPF32.subarray(start, start + length));
      return { shape, data: out };
    }
    return { shape, data: freshCopy(this._core.HEAPF32, start, length) };
  }

  conv2d(input, weight, bias = null, options = {}) {
    const op = 'conv2d';
    const x = tensorArg(op, 'input', input);
    const w = tensorArg(op, 'weight', weight);
    const b = bias == null ? null : tensorArg(op, 'bias', bias);
    const p = conv2dParams(op, options);
    return this._run(op, [x, w, b], p, ([xa, wa, ba], s) => this._core.conv2d(xa, wa, ba, s));
  }

  convTranspose2d(input, weight, bias = null, options = {}) {
    const op = 'conv_transpose2d';
    const x = tensorArg(op, 'input', input);
    const w = tensorArg(op, 'weight', weight);
    const b = bias == null ? null : tensorArg(op, 'bias', bias);
    const p = convTranspose2dParams(op, options);
    return this._run(op, [x, w, b], p, ([xa, wa, ba], s) => this._core.convTranspose2d(xa, wa, ba, s));
  }

  unfold(input, options = {}) {
    const op = 'unfold';
    const x = tensorArg(op, 'input', input);
    const o = optionsObject(op, options, ['kernelSize', 'dilation', 'padding', 'stride']);
    if (o.kernelSize === undefined) fail(op, 'kernelSize is required');
    const p = slidingParams(op, o);
    return this._run(op, [x], p, ([xa], s) => this._core.unfold(xa, s));
  }

  fold(input, options = {}) {
    const op = 'fold';
    const x = tensorArg(op, 'input', input);
    const o = optionsObject(op, options, ['outputSize', 'kernelSize', 'dilation', 'padding', 'stride']);
    if (o.outputSize === undefined) fail(op, 'outputSize is required');
    if (o.kernelSize === undefined) fail(op, 'kernelSize is required');
    const p = slidingParams(op, o);
    [p.outputH, p.outputW] = pair(op, 'outputSize', o.outputSize, 1);
    return this._run(op, [x], p, ([xa], s) => this._core.fold(xa, s));
  }

  // F.pad on the last two dimensions: pad = [left, right] or [left, right, top, bottom].
  pad(input, options = {}) {
    const op = 'pad';
    const x = tensorArg(op, 'input', input);
    const o = optionsObject(op, options, ['pad', 'mode', 'value']);
    const p = baseParams();
    const pads = o.pad;
    if (!Array.isArray(pads) || (pads.length !== 2 && pads.length !== 4))
      fail(op, `pad=${describe(pads)} must be a list [left, right] or [left, right, top, bottom]`);
    pads.forEach((v) => checkInt(op, 'pad', v));
    [p.padLeft, p.padRight, p.padTop = 0, p.padBottom = 0] = pads;
    p.mode = stringOption(op, 'mode', o.mode, 'constant');
    p.modeKind = STRING_KIND.padMode;
    if (o.value !== undefined && typeof o.value !== 'number') fail(op, `value=${describe(o.value)} must be a number`);
    p.value = o.value ?? 0;
    return this._run(op, [x], p, ([xa], s) => this._core.pad(xa, s));
  }

  kernelMatrix(kernel2d, inputSize, options = {}) {
    const op = 'kernel_matrix';
    const k = tensorArg(op, 'kernel', kernel2d);
    const o = optionsObject(op, options, ['stride', 'padding', 'dilation']);
    const p = baseParams();
    [p.outputH, p.outputW] = pair(op, 'inputSize', inputSize, 1);
    [p.strideH, p.strideW] = pair(op, 'stride', o.stride, 1);
    // conv2d's padding: an int, a pair, 'same' or 'valid' (the core validates the string)
    if (typeof o.padding === 'string') p.padding = o.padding;
    else [p.paddingH, p.paddingW] = pair(op, 'padding', o.padding, 0);
    [p.dilationH, p.dilationW] = pair(op, 'dilation', o.dilation, 1);
    return this._run(op, [k], p, ([ka], s) => this._core.kernelMatrix(ka, s));
  }

  bilinearKernel(inChannels, outChannels, kernelSize) {
    const op = 'bilinear_kernel';
    checkInt(op, 'inChannels', inChannels);
    checkInt(op, 'outChannels', outChannels);
    checkInt(op, 'kernelSize', kernelSize);
    if (!this._core.bilinearKernel(inChannels, outChannels, kernelSize)) throw new Error(this._core.lastError());
    return this._result(true);
  }

  // { ok, shape, error }: the output shape of a configuration, or why it is invalid.
  conv2dOutputShape(inputShape, weightShape, options = {}, biasShape = null) {
    return this._shapeCheck('conv2d', inputShape, weightShape, biasShape,
      () => conv2dParams('conv2d', options), (s) => this._core.conv2dOutputShape(s));
  }

  convTranspose2dOutputShape(inputShape, weightShape, options = {}, biasShape = null) {
    return this._shapeCheck('conv_transpose2d', inputShape, weightShape, biasShape,
      () => convTranspose2dParams('conv_transpose2d', options),
      (s) => this._core.convTranspose2dOutputShape(s));
  }

  _shapeCheck(op, inputShape, weightShape, biasShape, params, call) {
    try {
      const asTensor = (name, shape) => {
        if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= INT32_MAX))
          fail(op, `${name} shape ${describe(shape)} must be a list of at most ${MAX_RANK} non-negative integers`);
        return { shape, data: null };
      };
      const tensors = [asTensor('input', inputShape), asTensor('weight', weightShape),
        biasShape == null ? null : asTensor('bias', biasShape)];
      const p = params();
      const { shape } = this._run(op, tensors, p, (_, s) => call(s), false);
      return { ok: true, shape, error: null };
    } catch (e) {
      return { ok: false, shape: null, error: e.message };
    }
  }

  // --- issue 19: conv1d, conv3d, their transposes, the backward passes, pooling ------------

  conv1d(input, weight, bias = null, options = {}) {
    return this._convNd(0, 'conv1d', input, weight, bias, convNdParams('conv1d', options, 1, false));
  }

  convTranspose1d(input, weight, bias = null, options = {}) {
    return this._convNd(1, 'conv_transpose1d', input, weight, bias, convNdParams('conv_transpose1d', options, 1, true));
  }

  conv3d(input, weight, bias = null, options = {}) {
    return this._convNd(2, 'conv3d', input, weight, bias, convNdParams('conv3d', options, 3, false));
  }

  convTranspose3d(input, weight, bias = null, options = {}) {
    return this._convNd(3, 'conv_transpose3d', input, weight, bias, convNdParams('conv_transpose3d', options, 3, true));
  }

  _convNd(code, op, input, weight, bias, p) {
    const x = tensorArg(op, 'input', input);
    const w = tensorArg(op, 'weight', weight);
    const b = bias == null ? null : tensorArg(op, 'bias', bias);
    return this._run(op, [x, w, b], p, ([xa, wa, ba], s) => this._core.convNd(code, xa, wa, ba, s));
  }

  // { gradInput, gradWeight, gradBias }: torch.autograd's gradients of nn.Conv2d with a bias.
  conv2dBackward(input, weight, gradOutput, options = {}) {
    return this._backward(0, 'conv2d_backward', input, weight, gradOutput,
      conv2dParams('conv2d_backward', options, false));
  }

  convTranspose2dBackward(input, weight, gradOutput, options = {}) {
    return this._backward(1, 'conv_transpose2d_backward', input, weight, gradOutput,
      convTranspose2dParams('conv_transpose2d_backward', options, false));
  }

  _backward(code, op, input, weight, gradOutput, p) {
    const x = tensorArg(op, 'input', input);
    const w = tensorArg(op, 'weight', weight);
    const gy = tensorArg(op, 'gradOutput', gradOutput);
    // The three gradients are one result [gradInput | gradWeight | gradBias] in the heap:
    // each is copied straight out of it (copying the whole result first, then cutting it,
    // copied everything twice).
    p.collect = () => {
      const heap32 = this._core.HEAP32, heapF32 = this._core.HEAPF32, i = this._info;
      const start = heap32[i] >> 2, length = heap32[i + 1];
      const nx = x.data.length, nw = w.data.length;
      return {
        gradInput: { shape: x.shape.slice(), data: freshCopy(heapF32, start, nx) },
        gradWeight: { shape: w.shape.slice(), data: freshCopy(heapF32, start + nx, nw) },
        gradBias: { shape: [length - nx - nw], data: freshCopy(heapF32, start + nx + nw, length - nx - nw) },
      };
    };
    return this._run(op, [x, w, gy], p, ([xa, wa, ga], s) => this._core.conv2dBackward(code, xa, wa, ga, s));
  }

  // A Tensor, or with returnIndices: true { output, indices } (indices: Int32Array, flat h * W + w per plane).
  maxPool2d(input, options = {}) {
    const op = 'max_pool2d';
    const x = tensorArg(op, 'input', input);
    const p = poolParams(op, options, true);
    const withIndices = p.returnIndices;
    if (withIndices) {
      p.collect = () => {
        const heap32 = this._core.HEAP32, i = this._info;
        const start = heap32[i] >> 2, n = heap32[i + 1] / 2;
        const shape = Array.from({ length: heap32[i + 2] }, (_, d) => heap32[i + 3 + d]);
        return {
          output: { shape, data: freshCopy(this._core.HEAPF32, start, n) },
          indices: { shape: shape.slice(), data: freshCopy(heap32, start + n, n) },
        };
      };
    }
    return this._run(op, [x], p, ([xa], s) => this._core.pool2d(withIndices ? 1 : 0, xa, s));
  }

  avgPool2d(input, options = {}) {
    const op = 'avg_pool2d';
    const x = tensorArg(op, 'input', input);
    const p = poolParams(op, options, false);
    return this._run(op, [x], p, ([xa], s) => this._core.pool2d(2, xa, s));
  }

  conv1dOutputShape(inputShape, weightShape, options = {}, biasShape = null) {
    return this._shapes('conv1d', [['input', inputShape], ['weight', weightShape], ['bias', biasShape]],
      () => convNdParams('conv1d', options, 1, false), (s) => this._core.convNdOutputShape(0, s));
  }

  convTranspose1dOutputShape(inputShape, weightShape, options = {}, biasShape = null) {
    return this._shapes('conv_transpose1d', [['input', inputShape], ['weight', weightShape], ['bias', biasShape]],
      () => convNdParams('conv_transpose1d', options, 1, true), (s) => this._core.convNdOutputShape(1, s));
  }

  conv3dOutputShape(inputShape, weightShape, options = {}, biasShape = null) {
    return this._shapes('conv3d', [['input', inputShape], ['weight', weightShape], ['bias', biasShape]],
      () => convNdParams('conv3d', options, 3, false), (s) => this._core.convNdOutputShape(2, s));
  }

  convTranspose3dOutputShape(inputShape, weightShape, options = {}, biasShape = null) {
    return this._shapes('conv_transpose3d', [['input', inputShape], ['weight', weightShape], ['bias', biasShape]],
      () => convNdParams('conv_transpose3d', options, 3, true), (s) => this._core.convNdOutputShape(3, s));
  }

  // The shape of gradInput (the input's) when the call is valid, or why it is not.
  conv2dBackwardOutputShape(inputShape, weightShape, gradOutputShape, options = {}) {
    return this._shapes('conv2d_backward', [['input', inputShape], ['weight', weightShape], ['gradOutput', gradOutputShape]],
      () => conv2dParams('conv2d_backward', options, false), (s) => this._core.conv2dBackwardOutputShape(0, s));
  }

  convTranspose2dBackwardOutputShape(inputShape, weightShape, gradOutputShape, options = {}) {
    return this._shapes('conv_transpose2d_backward',
      [['input', inputShape], ['weight', weightShape], ['gradOutput', gradOutputShape]],
      () => convTranspose2dParams('conv_transpose2d_backward', options, false),
      (s) => this._core.conv2dBackwardOutputShape(1, s));
  }

  maxPool2dOutputShape(inputShape, options = {}) {
    return this._shapes('max_pool2d', [['input', inputShape]], () => poolParams('max_pool2d', options, true),
      (s) => this._core.pool2dOutputShape(0, s));
  }

  avgPool2dOutputShape(inputShape, options = {}) {
    return this._shapes('avg_pool2d', [['input', inputShape]], () => poolParams('avg_pool2d', options, false),
      (s) => this._core.pool2dOutputShape(2, s));
  }

  // { ok, shape, error } for named shapes ([name, shape] pairs; a null shape is an absent bias).
  _shapes(op, named, params, call) {
    try {
      const tensors = named.map(([name, shape], i) => {
        if (shape == null && name === 'bias' && i > 0) return null;
        if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= INT32_MAX))
          fail(op, `${name} shape ${describe(shape)} must be a list of at most ${MAX_RANK} non-negative integers`);
        return { shape, data: null };
      });
      const p = params();
      delete p.collect;
      const { shape } = this._run(op, tensors, p, (_, s) => call(s), false);
      return { ok: true, shape, error: null };
    } catch (e) {
      return { ok: false, shape: null, error: e.message };
    }
  }

  tensor(nested) { return tensor(nested); }

  toNested(t) { return toNested(t); }

  // Bytes the WASM heap's allocator has handed out (leak checks), and a way to give back
  // the scratch memory kept between calls.
  heapInUse() { return this._core.heapInUse(); }

  stackPointer() { return this._core.stackSave(); }

  releaseMemory() { this._core.releaseMemory(); }
}

// The `out` option: a Float32Array the result is written into instead of a new one (a page
// that re-renders every frame keeps its buffers; in Chromium a fresh 3 MB array costs about
// 2.4 ms, against 0.3 ms in Node). Its length is checked against the output once it is known.
function outOption(op, v) {
  if (v === undefined || v === null) return null;
  if (!(v instanceof Float32Array))
    fail(op, `out=${describe(v)} must be a Float32Array (the result is written into it)`);
  return v;
}

function conv2dParams(op, options, withOut = true) {
  const o = optionsObject(op, options, ['stride', 'padding', 'dilation', 'groups', 'paddingMode', ...(withOut ? ['out'] : [])]);
  const p = baseParams();
  [p.strideH, p.strideW] = pair(op, 'stride', o.stride, 1);
  if (typeof o.padding === 'string') p.padding = o.padding;
  else [p.paddingH, p.paddingW] = pair(op, 'padding', o.padding, 0);
  [p.dilationH, p.dilationW] = pair(op, 'dilation', o.dilation, 1);
  p.groups = o.groups === undefined ? 1 : checkInt(op, 'groups', o.groups);
  p.mode = stringOption(op, 'paddingMode', o.paddingMode, 'zeros');
  p.out = outOption(op, o.out);
  return p;
}

function convTranspose2dParams(op, options, withOut = true) {
  const o = optionsObject(op, options,
    ['stride', 'padding', 'outputPadding', 'dilation', 'groups', 'paddingMode', ...(withOut ? ['out'] : [])]);
  const p = baseParams();
  [p.strideH, p.strideW] = pair(op, 'stride', o.stride, 1);
  if (typeof o.padding === 'string') p.padding = o.padding;
  else [p.paddingH, p.paddingW] = pair(op, 'padding', o.padding, 0);
  [p.outputPaddingH, p.outputPaddingW] = pair(op, 'outputPadding', o.outputPadding, 0);
  [p.dilationH, p.dilationW] = pair(op, 'dilation', o.dilation, 1);
  p.groups = o.groups === undefined ? 1 : checkInt(op, 'groups', o.groups);
  p.mode = stringOption(op, 'paddingMode', o.paddingMode, 'zeros');
  p.out = outOption(op, o.out);
  return p;
}

// conv1d: an integer (or [n]); conv3d: IntTriple = number | [d, h, w].
function single(op, name, v, fallback) {
  if (v === undefined) return fallback;
  if (typeof v === 'number') return checkInt(op, name, v);
  if (Array.isArray(v) && v.length === 1) return checkInt(op, name, v[0]);
  fail(op, `${name}=${describe(v)} must be an integer`);
}

function triple(op, name, v, fallback) {
  if (v === undefined) return [fallback, fallback, fallback];
  if (typeof v === 'number') {
    checkInt(op, name, v);
    return [v, v, v];
  }
  if (Array.isArray(v) && v.length === 3) {
    v.forEach((e) => checkInt(op, name, e));
    return [v[0], v[1], v[2]];
  }
  fail(op, `${name}=${describe(v)} must be an integer or a triple of integers [d, h, w]`);
}

function boolOption(op, name, v, fallback) {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') fail(op, `${name}=${describe(v)} must be true or false`);
  return v;
}

function convNdParams(op, options, dims, transposed) {
  const names = transposed ? ['stride', 'padding', 'outputPadding', 'dilation', 'groups', 'paddingMode', 'out']
    : ['stride', 'padding', 'dilation', 'groups', 'paddingMode', 'out'];
  const o = optionsObject(op, options, names);
  const p = baseParams();
  const set = (name, v, fallback, keys) => {
    if (dims === 1) p[keys[2]] = single(op, name, v, fallback);
    else [p[keys[0]], p[keys[1]], p[keys[2]]] = triple(op, name, v, fallback);
  };
  set('stride', o.stride, 1, ['strideD', 'strideH', 'strideW']);
  if (typeof o.padding === 'string') p.padding = o.padding;
  else set('padding', o.padding, 0, ['paddingD', 'paddingH', 'paddingW']);
  if (transposed) set('outputPadding', o.outputPadding, 0, ['outputPaddingD', 'outputPaddingH', 'outputPaddingW']);
  set('dilation', o.dilation, 1, ['dilationD', 'dilationH', 'dilationW']);
  p.groups = o.groups === undefined ? 1 : checkInt(op, 'groups', o.groups);
  p.mode = stringOption(op, 'paddingMode', o.paddingMode, 'zeros');
  p.out = outOption(op, o.out);
  return p;
}

function poolParams(op, options, isMax) {
  const names = isMax ? ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'returnIndices', 'out']
    : ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride', 'out'];
  const o = optionsObject(op, options, names);
  if (o.kernelSize === undefined) fail(op, 'kernelSize is required');
  const p = baseParams();
  [p.kernelH, p.kernelW] = pair(op, 'kernelSize', o.kernelSize, 1);
  // strideD marks a given stride; without one PyTorch uses the kernel size
  p.strideD = o.stride === undefined || o.stride === null ? 0 : 1;
  if (p.strideD) [p.strideH, p.strideW] = pair(op, 'stride', o.stride, 1);
  [p.paddingH, p.paddingW] = pair(op, 'padding', o.padding, 0);
  p.ceilMode = boolOption(op, 'ceilMode', o.ceilMode, false) ? 1 : 0;
  if (isMax) {
    [p.dilationH, p.dilationW] = pair(op, 'dilation', o.dilation, 1);
    p.returnIndices = boolOption(op, 'returnIndices', o.returnIndices, false);
    if (p.returnIndices && o.out != null) fail(op, 'out is not supported with returnIndices: true (the result is two arrays)');
  } else {
    p.countIncludePad = boolOption(op, 'countIncludePad', o.countIncludePad, true) ? 1 : 0;
    if (o.divisorOverride !== undefined && o.divisorOverride !== null) {
      p.hasDivisor = 1;
      p.divisor = checkInt(op, 'divisorOverride', o.divisorOverride);
    }
  }
  p.out = outOption(op, o.out);
  return p;
}

function slidingParams(op, o) {
  const p = baseParams();
  [p.kernelH, p.kernelW] = pair(op, 'kernelSize', o.kernelSize, 1);
  [p.dilationH, p.dilationW] = pair(op, 'dilation', o.dilation, 1);
  [p.paddingH, p.paddingW] = pair(op, 'padding', o.padding, 0);
  [p.strideH, p.strideW] = pair(op, 'stride', o.stride, 1);
  return p;
}

// Build-time constants (wasm/bundle.mjs): which core this bundle embeds, and its format.
/* global __CONVPLAY_VARIANT__, __CONVPLAY_FORMAT__ */
const VARIANT = typeof __CONVPLAY_VARIANT__ === 'string' ? __CONVPLAY_VARIANT__ : 'simd';
const FORMAT = typeof __CONVPLAY_FORMAT__ === 'string' ? __CONVPLAY_FORMAT__ : 'esm';

// The smallest module using a SIMD instruction (as wasm-feature-detect's simd test):
// engines without WebAssembly SIMD refuse to validate it. Feature detection, not sniffing.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

// The SIMD build also uses bulk memory (memory.copy/fill). Every engine with SIMD shipped bulk
// memory first, but an engine that has one without the other must still get the scalar build.
const BULK_MEMORY_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0,
  5, 3, 1, 0, 0, 10, 13, 1, 11, 0, 65, 0, 65, 0, 65, 0, 252, 11, 0, 11]);

// Whether this engine can run the SIMD build (WebAssembly SIMD and bulk memory).
export function simdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE) &&
      WebAssembly.validate(BULK_MEMORY_PROBE);
  } catch {
    return false;
  }
}

// f32x4.relaxed_madd (0xfd 0x105) on three i32x4.splat(0): engines without relaxed SIMD (or
// with only its 2021 prototype opcodes) refuse to validate it.
const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 19, 1, 17, 0, 65, 0, 253, 17, 65, 0, 253, 17, 65, 0, 253, 17, 253, 133, 2, 11]);

// Whether this engine can run the relaxed-SIMD build (the SIMD build's features and relaxed
// SIMD's fused multiply-add): Chromium 114+, Node 22+, Node 20 with --experimental-wasm-relaxed-simd.
export function relaxedSupported() {
  try {
    return simdSupported() && WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

// Where the classic script was loaded from, to find convplay-scalar.js and
// convplay-relaxed.js beside it.
const SCRIPT_URL = FORMAT === 'iife' && typeof document !== 'undefined' && document.currentScript
  ? document.currentScript.src : '';

// Another build's load(), fetched only when needed: imported beside this module, or (classic
// scripts, file:// included) added as a <script> beside this one. name: 'scalar' or 'relaxed'.
async function variantLoad(name, globalName, why) {
  if (FORMAT === 'esm') {
    const url = new URL(`./convplay-${name}.mjs`, import.meta.url).href;
    return (await import(/* @vite-ignore */ url)).load;
  }
  // A classic worker (dist/image-worker.js) has no currentScript: its builds sit beside it.
  if (!globalThis[globalName] && !SCRIPT_URL && typeof globalThis.importScripts === 'function' && globalThis.location)
    globalThis.importScripts(new URL(`convplay-${name}.js`, globalThis.location.href).href);
  if (!globalThis[globalName]) {
    if (!SCRIPT_URL || typeof document === 'undefined')
      throw new Error(`convplay: ${why}; load convplay-${name}.js as well`);
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = new URL(`convplay-${name}.js`, SCRIPT_URL).href;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`convplay: could not load ${script.src}`));
      document.head.appendChild(script);
    });
  }
  return globalThis[globalName].load;
}

// Instantiates the WebAssembly module and returns the API. Engines that validate relaxed SIMD
// get the relaxed-SIMD build (convplay-relaxed.*, loaded from beside this file; fused
// multiply-adds, so results differ from the other builds' in the last bits), others the SIMD
// build embedded here, and engines lacking WebAssembly SIMD the scalar build.
// { relaxed: false } forces the SIMD build (bit-reproducible: the same bits on every engine),
// { simd: false } the scalar one. If the relaxed build's file cannot be loaded, the SIMD build
// runs instead. Other options go to the Emscripten module.
export async function load(options = {}) {
  const { simd, relaxed, ...moduleOptions } = options || {};
  if (VARIANT === 'simd') {
    if (simd === false || !simdSupported()) {
      const loadScalar = await variantLoad('scalar', 'convplayScalar', 'this engine has no WebAssembly SIMD');
      return loadScalar(moduleOptions);
    }
    if (relaxed !== false && relaxedSupported()) {
      let loadRelaxed = null;
      try {
        loadRelaxed = await variantLoad('relaxed', 'convplayRelaxed', 'relaxed SIMD');
      } catch {
        // Missing beside this file (copied alone): the SIMD build below runs instead (the same
        // results up to rounding).
      }
      if (loadRelaxed) return loadRelaxed(moduleOptions);
    }
  }
  const core = await createConvplayCore(moduleOptions);
  return new Convplay(core);
}

export default load;
