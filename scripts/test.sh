#!/usr/bin/env bash
# Builds everything and runs every test: the native doctest suites (SIMD and scalar
# kernels, golden vectors, errors) under ctest, the WASM module under Node (twice: without and
# with relaxed SIMD, so the relaxed-SIMD build runs the Node suite too), and the
# classic script and the page in headless Chromium, and a smoke run of the benchmark (every
# peer's output checked against convplay's, memory checks, no timing assertion), and the
# core under ASan/UBSan/LSan with a bounded libFuzzer run (scripts/sanitize.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

# The sanitizer build compiles at the lowest CPU priority while the tests below run, so it takes
# only the CPU time they leave idle (the browser tests wait for frames and pages much of the
# time) and the suite stays within 15 minutes on a 2-core machine; the sanitized suites and the
# fuzzer run at the end. setsid: its own process group, stopped with it if a test fails.
setsid nice -n 19 bash scripts/sanitize.sh --build >build/sanitize-build.log 2>&1 &
sanitize_build=$!
trap 'kill -- -$sanitize_build 2>/dev/null || true' EXIT

ctest --test-dir build/native --output-on-failure
node --test tests/node/*.test.mjs tests/browser/*.test.mjs
# The Node suite again with relaxed SIMD on (Node 22+ has it by default): load() then runs the
# relaxed-SIMD build, held to the same tolerance; golden and ops tests run all three builds,
# tests/node/relaxed.test.mjs checks its kernels fuse (about 10 s).
node --experimental-wasm-relaxed-simd --test tests/node/*.test.mjs
bash bench/run.sh --smoke
if ! wait "$sanitize_build"; then
  cat build/sanitize-build.log >&2
  echo "test: the sanitizer build failed" >&2
  exit 1
fi
FUZZ_SECONDS=${FUZZ_SECONDS:-60} bash scripts/sanitize.sh
