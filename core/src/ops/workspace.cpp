#include "ops/workspace.hpp"

#include <algorithm>

#include "convplay/kernels.hpp"
#include "kernels/gemm_mx8.hpp"
#include "kernels/simd.hpp"

namespace convplay {
namespace detail {

Workspace& workspace() {
#if defined(__wasm__) && !defined(__wasm_atomics__)
  // Single-threaded WebAssembly: thread_local would need the atomics feature once bulk memory
  // is on (wasm-ld refuses thread-local storage without it), and there is one thread anyway.
  static Workspace ws;
#else
  static thread_local Workspace ws;
#endif
  return ws;
}

int64_t column_block(int64_t depth, int64_t columns) {
  const int64_t nr = kernels::kGemmNR;
  int64_t nc = kPanelBlockFloats / std::max<int64_t>(depth, 1) / nr * nr;
  nc = std::max(nc, nr);
  return std::min(nc, (columns + nr - 1) / nr * nr);
}

}  // namespace detail

const char* simd_backend() { return simd::kBackend; }

int64_t workspace_floats() {
  auto& ws = detail::workspace();
  return static_cast<int64_t>(ws.panels.capacity() + ws.rows.capacity() + ws.padded.capacity() + ws.tile.capacity() +
                              ws.weights.capacity() + ws.offsets.capacity() + ws.a_panels.capacity() +
                              ws.nd_input.capacity() + ws.nd_output.capacity() + ws.nd_weights.capacity());
}

void release_workspace() {
  auto& ws = detail::workspace();
  std::vector<float>().swap(ws.panels);
  std::vector<float>().swap(ws.rows);
  std::vector<float>().swap(ws.padded);
  std::vector<float>().swap(ws.tile);
  std::vector<float>().swap(ws.weights);
  std::vector<float>().swap(ws.offsets);
  std::vector<float>().swap(ws.a_panels);
  std::vector<float>().swap(ws.nd_input);
  std::vector<float>().swap(ws.nd_output);
  std::vector<float>().swap(ws.nd_weights);
}

}  // namespace convplay
