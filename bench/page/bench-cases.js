// The benchmark's shapes (issue 3), shared by the Node benchmark (bench/bench.mjs) and the
// browser page (bench/page/bench-page.js). NCHW, batch 1; conv2d weight [K, C/g, k, k],
// conv_transpose2d weight [C, K/g, k, k]. MACs: conv K*OH*OW*(C/g)*k*k, transposed
// C*H*W*(K/g)*k*k (every input pixel meets every kernel tap once).
// A classic script (global `convplayBenchCases`) that Node can also import for its side effect.
(function (root) {
  'use strict';
  var specs = [
    // id, label, op, C, H, W, K, k, stride, padding, outputPadding, groups
    ['P1', 'tiny', 'conv', 1, 8, 8, 1, 3, 1, 1, 0, 1],
    ['P2', 'small', 'conv', 3, 32, 32, 8, 3, 1, 1, 0, 1],
    ['P3', 'image, dense', 'conv', 3, 512, 512, 3, 3, 1, 1, 0, 1],
    ['P3dw', 'image, depthwise', 'conv', 3, 512, 512, 3, 3, 1, 1, 0, 3],
    ['P4', 'ResNet 3x3', 'conv', 64, 56, 56, 64, 3, 1, 1, 0, 1],
    ['P5', 'ResNet 3x3 s2', 'conv', 128, 28, 28, 256, 3, 2, 1, 0, 1],
    ['P6', '1x1', 'conv', 256, 14, 14, 256, 1, 1, 0, 0, 1],
    ['T1', 'convT k4 s2', 'convT', 64, 28, 28, 32, 4, 2, 1, 0, 1],
    ['P4t', 'convT 3x3', 'convT', 64, 56, 56, 64, 3, 1, 1, 0, 1],
    ['P5t', 'convT s2 op1', 'convT', 256, 14, 14, 128, 3, 2, 1, 1, 1],
    ['T2', 'FCN convT k64 s32', 'convT', 21, 10, 15, 21, 64, 32, 16, 0, 1],
    ['T0', 'tiny convT', 'convT', 1, 2, 2, 1, 2, 1, 0, 0, 1],
  ];

  function make(s) {
    var c = {
      id: s[0], label: s[1], op: s[2], C: s[3], H: s[4], W: s[5], K: s[6], k: s[7],
      stride: s[8], padding: s[9], outputPadding: s[10], groups: s[11],
    };
    c.transposed = c.op === 'convT';
    c.xShape = [1, c.C, c.H, c.W];
    if (c.transposed) {
      c.wShape = [c.C, c.K / c.groups, c.k, c.k];
      c.OH = (c.H - 1) * c.stride - 2 * c.padding + (c.k - 1) + c.outputPadding + 1;
      c.OW = (c.W - 1) * c.stride - 2 * c.padding + (c.k - 1) + c.outputPadding + 1;
      c.macs = c.C * c.H * c.W * (c.K / c.groups) * c.k * c.k;
      c.options = { stride: c.stride, padding: c.padding, outputPadding: c.outputPadding, groups: c.groups };
    } else {
      c.wShape = [c.K, c.C / c.groups, c.k, c.k];
      c.OH = Math.floor((c.H + 2 * c.padding - c.k) / c.stride) + 1;
      c.OW = Math.floor((c.W + 2 * c.padding - c.k) / c.stride) + 1;
      c.macs = c.K * c.OH * c.OW * (c.C / c.groups) * c.k * c.k;
      c.options = { stride: c.stride, padding: c.padding, groups: c.groups };
    }
    c.yShape = [1, c.K, c.OH, c.OW];
    c.flops = 2 * c.macs;
    c.shape = (c.transposed ? 'convT ' : '') + c.C + 'x' + c.H + 'x' + c.W + ' -> ' +
      (c.groups > 1 && c.groups === c.C && c.K === c.C ? c.K + ' (groups=' + c.groups + ')' : c.K) +
      ', k' + c.k + (c.stride > 1 ? ' s' + c.stride : '') + (c.padding ? ' p' + c.padding : '') +
      (c.outputPadding ? ' op' + c.outputPadding : '');
    // the spec string bench/native_bench.cpp reads
    c.nativeSpec = [c.id, c.op, c.C, c.H, c.W, c.K, c.k, c.stride, c.padding, c.outputPadding, c.groups].join(':');
    return c;
  }

  // Deterministic inputs: uniform in [-1, 1) from a small LCG, the same in Node and browsers.
  function randomData(n, seed) {
    var a = new Float32Array(n);
    var s = seed >>> 0 || 1;
    for (var i = 0; i < n; ++i) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      a[i] = s / 2147483648 - 1;
    }
    return a;
  }

  root.convplayBenchCases = { cases: specs.map(make), randomData: randomData };
})(typeof globalThis !== 'undefined' ? globalThis : this);
