#!/usr/bin/env bash
# Builds everything and runs every test: the native doctest suites (SIMD and scalar
# kernels, golden vectors, errors) under ctest, the WASM module under Node, and the
# classic script and the page in headless Chromium, and a smoke run of the benchmark (every
# peer's output checked against convplay's, memory checks, no timing assertion), and the
# core under ASan/UBSan/LSan with a bounded libFuzzer run (scripts/sanitize.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

ctest --test-dir build/native --output-on-failure
node --test tests/node/*.test.mjs tests/browser/*.test.mjs
bash bench/run.sh --smoke
FUZZ_SECONDS=${FUZZ_SECONDS:-150} bash scripts/sanitize.sh
