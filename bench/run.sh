#!/usr/bin/env bash
# The benchmark in one command: convplay vs TensorFlow.js (WASM/XNNPACK) and ONNX Runtime Web
# (WASM), single-threaded, in Node; plus convplay's scalar and native builds and the WASM SIMD
# ceiling. Writes bench/results/latest.{md,json} (a --smoke run writes smoke.{md,json}).
#
#   bash bench/run.sh            full run (several minutes)
#   bash bench/run.sh --smoke    every correctness and memory check with tiny iteration counts,
#                                plus the browser page's smoke test and one round of the page
#                                benchmark, checking shapes only (CI; a minute or two)
#   bash bench/run.sh --page     the page benchmark (bench/page-latency/): what a user of the
#                                playground feels in headless Chromium; bench/results/page-latest.{md,json}
#   other arguments go to bench/bench.mjs: --rounds N, --min-ms N, --only P4,T2
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
page=0
rest=()
for a in "$@"; do
  if [[ $a == --page ]]; then page=1; else rest+=("$a"); fi
  [[ $a == --smoke ]] && smoke=1
done

# 1. The WebAssembly builds (dist/convplay{,-scalar}.mjs) and the native core.
if [[ ! -f dist/convplay.mjs || ! -f dist/convplay-scalar.mjs || ! -f build/native/CMakeCache.txt ]]; then
  bash scripts/build.sh
fi

# 2. The peers, as npm devDependencies pinned by package-lock.json.
if ! node -e '
  const pkg = require("./package.json");
  for (const name of ["@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm", "onnxruntime-web", "playwright-core"]) {
    const want = pkg.devDependencies[name];
    const have = require(`./node_modules/${name}/package.json`).version;
    if (have !== want) throw new Error(`${name} ${have} != ${want}`);
  }' 2>/dev/null; then
  echo "bench: installing the npm devDependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# The page benchmark alone (--page [--rounds N]): needs only dist/ and playwright-core.
if (( page )); then
  node bench/page-latency/latency.mjs "${rest[@]}"
  exit
fi

# 3. The native benchmark (target convplay_native_bench, bench/CMakeLists.txt).
native=build/native/bench/convplay_native_bench
cmake -S . -B build/native >/dev/null
cmake --build build/native --target convplay_native_bench >/dev/null

# 4. The browser page (dist/bench.html), then the benchmark itself.
node bench/build-page.mjs >/dev/null
node bench/bench.mjs --native "$native" "$@"

# Issue 19's operations (bench/bench-ops.mjs: conv1d, conv3d, convTranspose3d, conv2dBackward,
# pooling; bench/results/ops-latest.md). --smoke checks every peer's output only.
if (( smoke )); then
  node bench/bench-ops.mjs --smoke
elif [[ " $* " != *" --only "* ]]; then
  node bench/bench-ops.mjs
fi

# Issue 22's relaxed-SIMD build against the SIMD build and the peers (bench/bench-relaxed.mjs;
# bench/results/relaxed-latest.md). Node 20 needs the flag; --smoke checks outputs only.
if (( smoke )); then
  node --experimental-wasm-relaxed-simd bench/bench-relaxed.mjs --smoke
elif [[ " $* " != *" --only "* ]]; then
  node --experimental-wasm-relaxed-simd bench/bench-relaxed.mjs
fi

if (( smoke )); then
  node --test bench/page.test.mjs
  node bench/page-latency/latency.mjs --smoke
fi
