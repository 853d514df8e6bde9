#!/usr/bin/env bash
# Installs what convplay needs on Debian 12 (run as root): the toolchain from Debian's
# packages, then the npm packages pinned by package-lock.json. Skips what is present.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: C++ toolchain, Emscripten (clang-14, frozen sysroot), header-only
# libraries, Chromium for the browser tests (driven by playwright-core, no download),
# clang-14's sanitizer and libFuzzer runtimes (scripts/sanitize.sh), and PyTorch and NumPy,
# which run the page's exported code in the tests.
packages=(cmake ninja-build g++ clang-14 libclang-rt-14-dev emscripten xtensor-dev doctest-dev
  nlohmann-json3-dev chromium python3-torch python3-numpy)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages (esbuild, playwright-core, and the benchmark peers), exactly as locked.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
