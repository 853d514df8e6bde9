// The ceiling micro-benchmark: a hand-assembled WebAssembly SIMD module whose loop runs
// 13 independent f32x4 chains acc = acc * m + c (one mul and one add per chain and step, no
// FMA in baseline WASM SIMD). 13 chains hide the mul->add latency and fill both FP pipes, so
// the loop measures the peak 4-wide mul+add rate one core reaches from WebAssembly.
// The fused variant (measure({ fused: true }), issue 22) runs the same 13 chains as
// acc = f32x4.relaxed_madd(acc, m, c): one instruction per step and chain, the ceiling of the
// relaxed-SIMD build where the engine fuses it (13 chains also cover FMA's 4-cycle latency on
// two pipes); engines without relaxed SIMD cannot compile it (fusedSupported()).
// A classic script (global `convplayCeiling`) that Node can also import for its side effect.
(function (root) {
  'use strict';
  var CHAINS = 13;
  var UNROLL = 4;
  var FLOPS_PER_STEP = CHAINS * UNROLL * 4 * 2; // per loop trip: lanes x (mul + add)

  function uleb(n) {
    var out = [];
    do {
      var b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      out.push(b);
    } while (n !== 0);
    return out;
  }
  function section(id, body) { return [id].concat(uleb(body.length), body); }
  function f32x4Const(v) {
    var bytes = new Uint8Array(new Float32Array([v, v * 1.5, v * 0.5, v * 2]).buffer);
    return [0xfd, 0x0c].concat(Array.prototype.slice.call(bytes));
  }

  // (func (param $n i32) (result f32) (local $acc0..$acc12 $m $c v128) ...): returns the
  // sum of lane 0 of every chain so no chain is dead code.
  function moduleBytes(fused) {
    var M = CHAINS + 1, C = CHAINS + 2; // local indices; 0 is $n, 1..13 the chains
    var code = [];
    for (var i = 0; i < CHAINS; ++i) code = code.concat(f32x4Const(0.5 + i / 16), [0x21, 1 + i]);
    code = code.concat(f32x4Const(0.999), [0x21, M], f32x4Const(0.001), [0x21, C]);
    code.push(0x03, 0x40); // loop
    for (var u = 0; u < UNROLL; ++u) {
      for (i = 0; i < CHAINS; ++i) {
        if (fused) {
          code.push(0x20, 1 + i, 0x20, M, 0x20, C, 0xfd, 0x85, 0x02, 0x21, 1 + i); // f32x4.relaxed_madd
          continue;
        }
        code.push(0x20, 1 + i, 0x20, M, 0xfd, 0xe6, 0x01); // f32x4.mul
        code.push(0x20, C, 0xfd, 0xe4, 0x01, 0x21, 1 + i); // f32x4.add, local.set
      }
    }
    // $n = $n - 1; br_if 0 ($n != 0)
    code.push(0x20, 0, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b);
    code.push(0x20, 1, 0xfd, 0x1f, 0x00); // f32x4.extract_lane 0
    for (i = 1; i < CHAINS; ++i) code.push(0x20, 1 + i, 0xfd, 0x1f, 0x00, 0x92); // f32.add
    code.push(0x0b);
    var body = [0x01].concat(uleb(CHAINS + 2), [0x7b], code); // one local run: 15 x v128
    var bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    bytes = bytes.concat(section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7d]));
    bytes = bytes.concat(section(3, [0x01, 0x00]));
    var name = [0x63, 0x68, 0x61, 0x69, 0x6e, 0x73]; // "chains"
    bytes = bytes.concat(section(7, [0x01].concat(uleb(name.length), name, [0x00, 0x00])));
    bytes = bytes.concat(section(10, [0x01].concat(uleb(body.length), body)));
    return new Uint8Array(bytes);
  }

  var instances = {};
  function chains(fused) {
    var key = fused ? 'fused' : 'plain';
    if (!instances[key]) instances[key] = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(fused)), {});
    return instances[key].exports.chains;
  }
  function fusedSupported() {
    try { return WebAssembly.validate(moduleBytes(true)); } catch (e) { return false; }
  }

  // One timed call of `steps` loop trips: { ms, gflops }.
  function once(steps, fused) {
    var f = chains(fused);
    var now = root.performance ? function () { return root.performance.now(); } : Date.now;
    var t0 = now();
    var r = f(steps);
    var ms = now() - t0;
    if (!(r === r)) throw new Error('ceiling: chains produced NaN');
    return { ms: ms, gflops: (steps * FLOPS_PER_STEP) / (ms * 1e6) };
  }

  // Calibrates to about minMs per call, then `rounds` calls: median and best GFLOP/s.
  // options.fused: the relaxed_madd chains instead of mul+add.
  function measure(options) {
    var fused = !!(options && options.fused);
    var minMs = (options && options.minMs) || 50;
    var rounds = (options && options.rounds) || 7;
    var steps = 1000;
    for (;;) {
      var t = once(steps, fused);
      if (t.ms >= minMs / 2 || steps > 1e9) break;
      steps = Math.ceil(steps * Math.min(100, Math.max(2, minMs / Math.max(t.ms, 0.01))));
    }
    var all = [];
    for (var i = 0; i < rounds; ++i) all.push(once(steps, fused).gflops);
    var sorted = all.slice().sort(function (a, b) { return a - b; });
    return {
      chains: CHAINS, fused: fused, steps: steps, flopsPerStep: FLOPS_PER_STEP, rounds: all,
      median: sorted[sorted.length >> 1], min: sorted[0], max: sorted[sorted.length - 1],
    };
  }

  root.convplayCeiling = {
    moduleBytes: moduleBytes, measure: measure, once: once, fusedSupported: fusedSupported, CHAINS: CHAINS,
  };
})(typeof globalThis !== 'undefined' ? globalThis : this);
