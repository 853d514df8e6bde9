#!/usr/bin/env bash
# The core as other C++ projects use it: installed CMake package, and add_subdirectory.
# usage: tests/cmake_package.sh <source dir> <native build dir>
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
work=$build/cmake-package-test
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/examples/consumer" -B "$work/installed" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/installed" >/dev/null
"$work/installed/consumer" >/dev/null
# The core is compiled again from source here: at -O0 (what is checked is the CMake
# integration, not the code, which the other tests check at -O3), a third of the -O3 time.
cmake -S "$src/examples/consumer" -B "$work/subdir" -G Ninja -DCONVPLAY_SOURCE_DIR="$src" \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 >/dev/null
cmake --build "$work/subdir" >/dev/null
"$work/subdir/consumer" >/dev/null
echo "find_package and add_subdirectory consumers built and ran"
