// Plain JavaScript loops for conv2d and conv_transpose2d (NCHW, batch 1, zero padding):
// the independent reference the Node benchmark checks convplay against, and the "plain JS"
// contender of the browser benchmark page. Sums in float64, stores float32.
// A classic script (global `convplayNaive`) that Node can also import for its side effect.
(function (root) {
  'use strict';

  function pair(v, fallback) {
    if (v === undefined) return [fallback, fallback];
    return typeof v === 'number' ? [v, v] : v;
  }

  // x: Float32Array [C, H, W]; w: [K, C/g, kh, kw] -> { shape: [1, K, OH, OW], data }
  function conv2d(x, xShape, w, wShape, o) {
    o = o || {};
    var C = xShape[1], H = xShape[2], W = xShape[3];
    var K = wShape[0], Cg = wShape[1], kh = wShape[2], kw = wShape[3];
    var s = pair(o.stride, 1), p = pair(o.padding, 0), d = pair(o.dilation, 1);
    var groups = o.groups || 1, Kg = K / groups;
    var OH = Math.floor((H + 2 * p[0] - d[0] * (kh - 1) - 1) / s[0]) + 1;
    var OW = Math.floor((W + 2 * p[1] - d[1] * (kw - 1) - 1) / s[1]) + 1;
    var y = new Float32Array(K * OH * OW);
    for (var k = 0; k < K; ++k) {
      var c0 = Math.floor(k / Kg) * Cg;
      for (var oh = 0; oh < OH; ++oh) {
        for (var ow = 0; ow < OW; ++ow) {
          var sum = 0;
          for (var c = 0; c < Cg; ++c) {
            var xc = (c0 + c) * H * W, wc = (k * Cg + c) * kh * kw;
            for (var i = 0; i < kh; ++i) {
              var ih = oh * s[0] - p[0] + i * d[0];
              if (ih < 0 || ih >= H) continue;
              for (var j = 0; j < kw; ++j) {
                var iw = ow * s[1] - p[1] + j * d[1];
                if (iw < 0 || iw >= W) continue;
                sum += x[xc + ih * W + iw] * w[wc + i * kw + j];
              }
            }
          }
          y[(k * OH + oh) * OW + ow] = sum;
        }
      }
    }
    return { shape: [1, K, OH, OW], data: y };
  }

  // x: [C, H, W]; w: [C, K/g, kh, kw] -> { shape: [1, K, OH, OW], data } (scatter form)
  function convTranspose2d(x, xShape, w, wShape, o) {
    o = o || {};
    var C = xShape[1], H = xShape[2], W = xShape[3];
    var Kg = wShape[1], kh = wShape[2], kw = wShape[3];
    var s = pair(o.stride, 1), p = pair(o.padding, 0), d = pair(o.dilation, 1);
    var op = pair(o.outputPadding, 0);
    var groups = o.groups || 1, Cg = C / groups, K = Kg * groups;
    var OH = (H - 1) * s[0] - 2 * p[0] + d[0] * (kh - 1) + op[0] + 1;
    var OW = (W - 1) * s[1] - 2 * p[1] + d[1] * (kw - 1) + op[1] + 1;
    var acc = new Float64Array(K * OH * OW);
    for (var c = 0; c < C; ++c) {
      var k0 = Math.floor(c / Cg) * Kg;
      for (var ih = 0; ih < H; ++ih) {
        for (var iw = 0; iw < W; ++iw) {
          var v = x[(c * H + ih) * W + iw];
          for (var k = 0; k < Kg; ++k) {
            var wk = (c * Kg + k) * kh * kw, yk = (k0 + k) * OH * OW;
            for (var i = 0; i < kh; ++i) {
              var oh = ih * s[0] - p[0] + i * d[0];
              if (oh < 0 || oh >= OH) continue;
              for (var j = 0; j < kw; ++j) {
                var ow = iw * s[1] - p[1] + j * d[1];
                if (ow < 0 || ow >= OW) continue;
                acc[yk + oh * OW + ow] += v * w[wk + i * kw + j];
              }
            }
          }
        }
      }
    }
    return { shape: [1, K, OH, OW], data: Float32Array.from(acc) };
  }

  // Largest |a - b| / (1 + |b|), and where: the benchmark's tolerance measure.
  function maxError(a, b) {
    if (a.length !== b.length) return { error: Infinity, index: -1 };
    var worst = 0, at = -1;
    for (var i = 0; i < a.length; ++i) {
      var e = Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i]));
      if (!(e <= worst)) { worst = e; at = i; } // NaN counts as worst
      if (e !== e) { worst = Infinity; at = i; break; }
    }
    return { error: worst, index: at };
  }

  root.convplayNaive = { conv2d: conv2d, convTranspose2d: convTranspose2d, maxError: maxError };
})(typeof globalThis !== 'undefined' ? globalThis : this);
