// The browser benchmark page (dist/bench.html): convplay's three builds (relaxed SIMD where the
// browser runs it, SIMD, scalar) vs plain JavaScript loops, on the visitor's machine. Classic
// script (the page must work from file://), using the globals of convplay.js, convplay-scalar.js
// (convplay.js adds convplay-relaxed.js itself where relaxed SIMD validates),
// bench-cases.js, bench-naive.js and bench-ceiling.js.
// Query flags: ?quick=1 runs at once with one call per measurement (the smoke test's mode),
// ?autorun=1 runs at once with the selected effort, ?cases=P1,T0 limits the shapes.
(function () {
  'use strict';

  var params = new URLSearchParams(window.location.search);
  var QUICK = params.get('quick') === '1';
  var AUTORUN = QUICK || params.get('autorun') === '1';
  var ONLY = params.get('cases') ? params.get('cases').split(',') : null;
  var EFFORTS = {
    test: { minMs: 0, rounds: 1, warm: 0, ceilingMs: 5, ceilingRounds: 1 },
    quick: { minMs: 15, rounds: 3, warm: 1, ceilingMs: 30, ceilingRounds: 3 },
    normal: { minMs: 60, rounds: 5, warm: 2, ceilingMs: 80, ceilingRounds: 5 },
    thorough: { minMs: 150, rounds: 9, warm: 3, ceilingMs: 150, ceilingRounds: 9 },
  };
  var TOLERANCE = 1e-3;

  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    run: $('run'), effort: $('effort'), withJs: $('with-js'), copy: $('copy'),
    progress: $('progress'), status: $('status'), env: $('env'), rows: $('rows'), ceiling: $('ceiling'),
  };
  var libs = null;
  var lastResults = null;
  var cases = window.convplayBenchCases.cases.filter(function (c) { return !ONLY || ONLY.indexOf(c.id) >= 0; });

  function setState(state) { document.body.dataset.state = state; }
  function status(text) { ui.status.textContent = text; }
  function pause() { return new Promise(function (resolve) { setTimeout(resolve, 0); }); }
  function now() { return performance.now(); }

  function fmtTime(ms) {
    if (ms == null || !isFinite(ms)) return '–';
    if (ms === 0) return '< timer';
    if (ms < 1) return (ms * 1000).toPrecision(3) + ' µs';
    if (ms < 1000) return ms.toPrecision(3) + ' ms';
    return (ms / 1000).toPrecision(3) + ' s';
  }
  function fmtG(g) { return g == null || !isFinite(g) ? '–' : g >= 10 ? g.toFixed(1) : g.toPrecision(2); }
  function fmtX(x) { return x == null || !isFinite(x) ? '–' : x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2) + '×'; }

  function median(values) {
    var s = values.slice().sort(function (a, b) { return a - b; });
    var m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  function cell(text, className, title) {
    var td = document.createElement('td');
    if (className) td.className = className;
    if (title) td.title = title;
    td.textContent = text;
    return td;
  }

  // One table row per case, filled in as measurements arrive.
  function makeRow(c) {
    var tr = document.createElement('tr');
    tr.id = 'row-' + c.id;
    tr.appendChild(cell(c.id, 'id', c.label));
    tr.appendChild(cell(c.shape, 'shape'));
    tr.appendChild(cell((c.flops / 1e6).toPrecision(3), 'num'));
    ['relaxed', 'ceil-fused', 'simd', 'ceil', 'scalar', 'js', 'vs-simd', 'vs-scalar', 'vs-js'].forEach(function (k) {
      var td = cell('', 'num pending');
      td.dataset.k = k;
      tr.appendChild(td);
    });
    var check = cell('', 'check pending');
    check.dataset.k = 'check';
    tr.appendChild(check);
    return tr;
  }
  function setCell(c, k, html, title, className) {
    var td = document.querySelector('#row-' + c.id + ' [data-k="' + k + '"]');
    td.classList.remove('pending');
    if (className) td.classList.add(className);
    td.textContent = '';
    if (Array.isArray(html)) {
      html.forEach(function (part) {
        var span = document.createElement('span');
        span.className = part[0];
        span.textContent = part[1];
        td.appendChild(span);
      });
    } else {
      td.textContent = html;
    }
    if (title) td.title = title;
  }
  function timeCell(c, k, r, why) {
    if (!r) return setCell(c, k, why || 'skipped', why ? 'this browser does not run relaxed SIMD' : 'plain JS is off', 'muted');
    setCell(c, k, [['t', fmtTime(r.medianMs)], ['g', fmtG(r.gflops)]],
      'fastest ' + fmtTime(r.minMs) + ', slowest ' + fmtTime(r.maxMs) + ' over ' + r.rounds +
      ' round(s) of ' + r.calls + ' call(s)');
  }

  // Warm-up, calibration to effort.minMs per round, then rounds: { medianMs, minMs, maxMs }.
  async function measure(call, effort, flops, tick) {
    for (var i = 0; i < effort.warm; ++i) call();
    var calls = 1;
    if (effort.minMs > 0) {
      for (var k = 0; k < 4; ++k) {
        var t0 = now();
        for (var j = 0; j < calls; ++j) call();
        var ms = now() - t0;
        if (ms >= effort.minMs * 0.8) break;
        calls = Math.min(1e6, Math.max(calls + 1, Math.ceil(calls * effort.minMs * 1.1 / Math.max(ms, 0.05))));
      }
      await pause();
    }
    var per = [];
    for (var r = 0; r < effort.rounds; ++r) {
      var t1 = now();
      for (var n = 0; n < calls; ++n) call();
      per.push((now() - t1) / calls);
      tick();
      await pause();
    }
    var m = median(per);
    return {
      medianMs: m, minMs: Math.min.apply(null, per), maxMs: Math.max.apply(null, per),
      rounds: per.length, calls: calls, gflops: flops / (m * 1e6),
    };
  }

  function runner(lib, c, x, w) {
    var xt = { shape: c.xShape, data: x };
    var wt = { shape: c.wShape, data: w };
    return c.transposed
      ? function () { return lib.convTranspose2d(xt, wt, null, c.options).data; }
      : function () { return lib.conv2d(xt, wt, null, c.options).data; };
  }
  function jsRunner(c, x, w) {
    var f = c.transposed ? window.convplayNaive.convTranspose2d : window.convplayNaive.conv2d;
    return function () { return f(x, c.xShape, w, c.wShape, c.options).data; };
  }

  function markdown(res) {
    var lines = ['convplay benchmark in ' + res.userAgent, '',
      'Ceiling (WASM SIMD, 13 f32x4 chains): mul+add ' + fmtG(res.ceiling) + ' GFLOP/s, relaxed_madd ' +
        (res.ceilingFused ? fmtG(res.ceilingFused) + ' GFLOP/s' : 'not supported'), '',
      '| case | shape | relaxed SIMD | % fused ceiling | convplay SIMD | % ceiling | scalar | plain JS | relaxed vs SIMD | SIMD vs scalar | SIMD vs JS |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
    res.cases.forEach(function (r) {
      var t = function (m) { return m ? fmtTime(m.medianMs) + ' (' + fmtG(m.gflops) + ')' : '–'; };
      var pct = function (p) { return p ? p.toFixed(0) + '%' : '–'; };
      lines.push('| ' + r.id + ' | ' + r.shape + ' | ' + t(r.relaxed) + ' | ' + pct(r.pctFusedCeiling) + ' | ' + t(r.simd) +
        ' | ' + pct(r.pctCeiling) + ' | ' + t(r.scalar) + ' | ' + t(r.js) + ' | ' + fmtX(r.vsSimd) + ' | ' + fmtX(r.vsScalar) +
        ' | ' + fmtX(r.vsJs) + ' |');
    });
    return lines.join('\n') + '\n';
  }

  async function run() {
    var effortName = QUICK ? 'test' : ui.effort.value;
    var effort = EFFORTS[effortName];
    var withJs = ui.withJs.checked;
    ui.run.disabled = true;
    ui.copy.disabled = true;
    setState('running');
    ui.rows.textContent = '';
    cases.forEach(function (c) { ui.rows.appendChild(makeRow(c)); });
    var contenders = (withJs ? 3 : 2) + (libs.relaxed ? 1 : 0);
    var total = 1 + cases.length * (1 + contenders * effort.rounds);
    var done = 0;
    var tick = function () { ui.progress.value = ++done / total; };
    ui.progress.value = 0;
    var results = {
      userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency || null, effort: effortName,
      withJs: withJs, ceiling: null, ceilingFused: null, relaxedBackend: libs.relaxed ? libs.relaxed.backend : null,
      cases: [], ok: true, errors: [],
    };
    try {
      status('Measuring the WebAssembly SIMD ceiling…');
      await pause();
      var ceil = window.convplayCeiling.measure({ minMs: effort.ceilingMs, rounds: effort.ceilingRounds });
      results.ceiling = ceil.median;
      // The relaxed build's ceiling: the same chains as one f32x4.relaxed_madd per step.
      var fused = libs.relaxed && window.convplayCeiling.fusedSupported()
        ? window.convplayCeiling.measure({ minMs: effort.ceilingMs, rounds: effort.ceilingRounds, fused: true }) : null;
      results.ceilingFused = fused ? fused.median : null;
      ui.ceiling.textContent = 'Ceiling on this machine: ' + fmtG(ceil.median) + ' GFLOP/s (WebAssembly SIMD, ' +
        ceil.chains + ' independent f32x4 mul+add chains on one core; best round ' + fmtG(ceil.max) + ')' +
        (fused ? '; ' + fmtG(fused.median) + ' GFLOP/s with relaxed SIMD\'s fused multiply-add (the same chains as ' +
          'f32x4.relaxed_madd; best round ' + fmtG(fused.max) + ').' : '; this browser does not run relaxed SIMD.');
      tick();

      for (var i = 0; i < cases.length; ++i) {
        var c = cases[i];
        var step = '(' + (i + 1) + '/' + cases.length + ') ' + c.id + ' ' + c.shape;
        var x = window.convplayBenchCases.randomData(c.C * c.H * c.W, 1000 + 2 * i);
        var w = window.convplayBenchCases.randomData(c.wShape.reduce(function (a, b) { return a * b; }, 1), 1001 + 2 * i);
        var relaxed = libs.relaxed ? runner(libs.relaxed, c, x, w) : null;
        var simd = runner(libs.simd, c, x, w);
        var scalar = runner(libs.scalar, c, x, w);
        var js = withJs ? jsRunner(c, x, w) : null;

        status(step + ': checking results…');
        await pause();
        var ySimd = simd();
        var yScalar = scalar();
        var tJs = now();
        var ref = js ? js() : ySimd;
        tJs = now() - tJs;
        var e1 = window.convplayNaive.maxError(ySimd, ref).error;
        var e2 = window.convplayNaive.maxError(yScalar, ref).error;
        var e3 = relaxed ? window.convplayNaive.maxError(relaxed(), ref).error : 0;
        var err = Math.max(e1, e2, e3);
        var ok = err <= TOLERANCE && ySimd.length === c.yShape.reduce(function (a, b) { return a * b; }, 1);
        if (!ok) {
          results.ok = false;
          results.errors.push(c.id + ': max error ' + err);
        }
        setCell(c, 'check', ok ? '✓ ' + err.toExponential(0) : '✗ ' + err.toExponential(1),
          'max |a−b|/(1+|b|): SIMD ' + e1.toExponential(2) + ', scalar ' + e2.toExponential(2) +
          (relaxed ? ', relaxed SIMD ' + e3.toExponential(2) : '') +
          ' vs ' + (js ? 'plain JS' : 'the SIMD build'), ok ? 'ok' : 'bad');
        tick();

        var row = { id: c.id, shape: c.shape, flops: c.flops, maxError: err, ok: ok };
        if (relaxed) {
          status(step + ': convplay relaxed SIMD…');
          row.relaxed = await measure(relaxed, effort, c.flops, tick);
          if (results.ceilingFused) row.pctFusedCeiling = 100 * row.relaxed.gflops / results.ceilingFused;
        }
        timeCell(c, 'relaxed', row.relaxed || null, relaxed ? null : 'not supported');
        setCell(c, 'ceil-fused', row.pctFusedCeiling ? row.pctFusedCeiling.toFixed(0) + '%' : '–');
        status(step + ': convplay SIMD…');
        row.simd = await measure(simd, effort, c.flops, tick);
        row.pctCeiling = 100 * row.simd.gflops / results.ceiling;
        timeCell(c, 'simd', row.simd);
        setCell(c, 'ceil', row.pctCeiling.toFixed(0) + '%');
        status(step + ': convplay scalar…');
        row.scalar = await measure(scalar, effort, c.flops, tick);
        timeCell(c, 'scalar', row.scalar);
        row.vsScalar = row.scalar.medianMs / row.simd.medianMs;
        setCell(c, 'vs-scalar', fmtX(row.vsScalar));
        if (row.relaxed) row.vsSimd = row.simd.medianMs / row.relaxed.medianMs;
        setCell(c, 'vs-simd', row.vsSimd ? fmtX(row.vsSimd) : '–');
        if (js) {
          status(step + ': plain JS…');
          if (effort.minMs === 0) {
            // one-call mode (?quick=1): the check above was that call
            row.js = { medianMs: tJs, minMs: tJs, maxMs: tJs, rounds: 1, calls: 1, gflops: c.flops / (tJs * 1e6) };
            tick();
          } else {
            // no warm-up beyond the check above: plain JS is slow on the big shapes
            row.js = await measure(js, { minMs: effort.minMs, rounds: effort.rounds, warm: 0 }, c.flops, tick);
          }
          row.vsJs = row.js.medianMs / row.simd.medianMs;
        }
        timeCell(c, 'js', row.js || null);
        setCell(c, 'vs-js', row.vsJs ? fmtX(row.vsJs) : '–');
        results.cases.push(row);
      }
      ui.progress.value = 1;
      status(results.ok ? 'Done: every result checked out.' : 'Done, but some results were wrong: ' + results.errors.join('; '));
      lastResults = results;
      window.benchResults = results;
      document.body.dataset.ok = String(results.ok);
      setState('done');
    } catch (e) {
      status('Error: ' + (e && e.message ? e.message : String(e)));
      document.body.dataset.error = String(e && e.message ? e.message : e);
      setState('error');
    } finally {
      ui.run.disabled = false;
      ui.copy.disabled = !lastResults;
    }
  }

  function copyMarkdown() {
    if (!lastResults) return;
    var text = markdown(lastResults);
    var done = function () { status('Copied the results as Markdown.'); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text, done); });
    } else {
      fallbackCopy(text, done);
    }
  }
  function fallbackCopy(text, done) {
    var area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try {
      document.execCommand('copy');
      done();
    } catch (e) {
      status('Could not copy: ' + e.message);
    }
    document.body.removeChild(area);
  }

  function describeEnv() {
    var ua = navigator.userAgent;
    var m = ua.match(/(Firefox|Edg|OPR|Chrome|Chromium|Version)\/[\d.]+/g);
    var browser = m ? m[m.length - 1].replace('Version', 'Safari') : ua;
    ui.env.textContent = 'convplay ' + libs.simd.version + ' (' + (libs.relaxed ? libs.relaxed.backend + ', ' : '') +
      libs.simd.backend + ' and ' + libs.scalar.backend + ' builds' + (libs.relaxed ? '' : '; no relaxed SIMD here') + ') · ' + browser + ' · ' + (navigator.hardwareConcurrency || '?') + ' logical cores (one is used)' +
      (window.crossOriginIsolated ? '' : ' · coarse timer: rounds are calibrated long enough for it');
  }

  ui.run.addEventListener('click', run);
  ui.copy.addEventListener('click', copyMarkdown);
  if (QUICK) ui.effort.value = 'quick';

  // load() gives the relaxed-SIMD build where the browser runs it (else the SIMD build again).
  Promise.all([window.convplay.load(), window.convplay.load({ relaxed: false }), window.convplayScalar.load()]).then(function (loaded) {
    libs = { relaxed: loaded[0].backend === 'wasm-relaxed-simd' ? loaded[0] : null, simd: loaded[1], scalar: loaded[2] };
    describeEnv();
    ui.run.disabled = false;
    setState('ready');
    status('Ready. The run takes a while; the page stays responsive between measurements.');
    if (AUTORUN) run();
  }, function (e) {
    status('Could not load convplay: ' + (e && e.message ? e.message : String(e)));
    setState('error');
  });
})();
