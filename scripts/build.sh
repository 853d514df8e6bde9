#!/usr/bin/env bash
# Builds everything: the native core (+ tests) in build/native, the WebAssembly module and
# dist/convplay.{mjs,js,d.ts} in build/wasm, and the playground page into dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native

emcmake cmake -S . -B build/wasm -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm   # also bundles dist/convplay.{mjs,js,d.ts}

node web/build.mjs          # dist/index.html and the page's scripts and styles
node bench/build-page.mjs   # dist/bench.html: the in-browser benchmark
