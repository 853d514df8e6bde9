#include "ops/implicit_gemm.hpp"

#include <algorithm>

#include "kernels/gemm_mx8.hpp"
#include "kernels/gemm_pack_a.hpp"
#include "kernels/im2col_pack.hpp"
#include "kernels/simd.hpp"
#include "ops/workspace.hpp"

namespace convplay::detail {

namespace {
int64_t g_padded_input_limit = kPaddedInputMaxFloats;
}
int64_t padded_input_limit() { return g_padded_input_limit; }
void set_padded_input_limit(int64_t floats) { g_padded_input_limit = floats; }

float* implicit_gemm_pack_weights(const Conv2dGeometry& g, const float* w) {
  const int64_t depth = g.C * g.kh * g.kw;
  float* a_panels = Workspace::get(workspace().a_panels, kernels::gemm_a_strips(g.K) * kernels::kGemmMR * depth);
  kernels::pack_a_rows(w, g.K, depth, a_panels);
  return a_panels;
}

void implicit_gemm_conv(const Conv2dGeometry& g, const float* x, const float* a_panels, const GemmOutput& out) {
  using kernels::kGemmMR;
  using kernels::kGemmNR;
  const int64_t M = g.K, depth = g.C * g.kh * g.kw, P = g.OH * g.OW;
  const int64_t block = column_block(depth, P);
  auto& ws = workspace();
  float* panels = Workspace::get(ws.panels, depth * block + kGemmNR);  // + the packer's slack
  // The padded input when it is small enough (nearly always): packing without coordinate tests.
  const bool padded = kernels::padded_input_floats(g) <= padded_input_limit();
  kernels::PaddedInput xp;
  if (padded) xp = kernels::padded_input_build(g, x, Workspace::get(ws.padded, kernels::padded_input_floats(g)));
  float* tile = Workspace::get(ws.tile, kGemmMR * kGemmNR);
  const bool dense = out.col_step == 1 && out.row_step == g.OW;  // plain NCHW rows
  // Output offset of every column of the current block (i*row_step + j*col_step).
  // ptrdiff_t: 32-bit on wasm32 (offsets within one output plane block are below 2^26), where
  // int64 offsets cost a 64-bit load and a wrap per stored element.
  ptrdiff_t* col_offset = nullptr;
  if (!dense) {
    static_assert(sizeof(ptrdiff_t) % sizeof(float) == 0, "offsets are stored in a float buffer");
    constexpr int64_t kFloatsPerOffset = sizeof(ptrdiff_t) / sizeof(float);
    col_offset = reinterpret_cast<ptrdiff_t*>(Workspace::get(ws.offsets, kFloatsPerOffset * (block + kGemmNR)));
  }

  for (int64_t p0 = 0; p0 < P; p0 += block) {
    const int64_t count = std::min(block, P - p0);
    if (padded)
      kernels::im2col_pack_b_padded(g, xp, p0, count, panels);
    else
      kernels::im2col_pack_b(g, x, p0, count, panels);
    if (!dense)
      for (int64_t q = 0; q < count; ++q)
        col_offset[q] = static_cast<ptrdiff_t>(((p0 + q) / g.OW) * out.row_step + ((p0 + q) % g.OW) * out.col_step);
    for (int64_t m0 = 0; m0 < M; m0 += kGemmMR) {
      const int64_t mr = std::min(kGemmMR, M - m0);
      const float* a = a_panels + (m0 / kGemmMR) * depth * kGemmMR;
      // Full tiles skip the tile buffer: dense rows take the accumulators as they are; rows that
      // are adjacent in memory (consecutive column phases of a transposed convolution, e.g.
      // FCN's k64 s32) take them transposed, one 4-float store per column.
      const bool full_rows = mr == kGemmMR;
      bool adjacent = full_rows && !dense;
      for (int64_t r = 1; r < kGemmMR && adjacent; ++r) adjacent = out.row_offset[m0 + r] == out.row_offset[m0] + r;
      simd::f32x4 bias_row[kGemmMR] = {simd::zero(), simd::zero(), simd::zero(), simd::zero()};
      simd::f32x4 bias_col = simd::zero();
      if (out.row_bias && full_rows) {
        for (int64_t r = 0; r < kGemmMR; ++r) bias_row[r] = simd::splat(out.row_bias[m0 + r]);
        bias_col = simd::load(out.row_bias + m0);
      }
      for (int64_t q0 = 0; q0 < count; q0 += kGemmNR) {
        const kernels::Tile4x8 acc = kernels::f32_gemm_4x8_adjacent_rows(depth, a, kGemmMR, panels + q0 * depth);
        const int64_t nr = std::min(kGemmNR, count - q0), p = p0 + q0;
        if (nr == kGemmNR && full_rows && dense) {
          for (int64_t r = 0; r < kGemmMR; ++r) {
            float* dst = out.base + out.row_offset[m0 + r] + p;
            simd::store(dst, out.row_bias ? simd::add(acc.c[r][0], bias_row[r]) : acc.c[r][0]);
            simd::store(dst + 4, out.row_bias ? simd::add(acc.c[r][1], bias_row[r]) : acc.c[r][1]);
          }
          continue;
        }
        if (nr == kGemmNR && adjacent) {
          simd::f32x4 col[kGemmNR];
          for (int h = 0; h < 2; ++h) {
            for (int r = 0; r < 4; ++r) col[4 * h + r] = acc.c[r][h];
            simd::transpose4(col[4 * h], col[4 * h + 1], col[4 * h + 2], col[4 * h + 3]);
          }
          float* first = out.base + out.row_offset[m0];
          for (int64_t j = 0; j < kGemmNR; ++j)
            simd::store(first + col_offset[q0 + j], out.row_bias ? simd::add(col[j], bias_col) : col[j]);
          continue;
        }
        acc.store(tile);
        const ptrdiff_t n = static_cast<ptrdiff_t>(nr);  // 32-bit loop indices on wasm32
        for (int64_t r = 0; r < mr; ++r) {
          const float b = out.row_bias ? out.row_bias[m0 + r] : 0.0f;
          const float* t = tile + r * kGemmNR;
          float* row = out.base + out.row_offset[m0 + r];
          if (dense) {
            float* dst = row + p;
            if (out.row_bias)
              for (ptrdiff_t j = 0; j < n; ++j) dst[j] = t[j] + b;
            else
              for (ptrdiff_t j = 0; j < n; ++j) dst[j] = t[j];
          } else {
            const ptrdiff_t* offset = col_offset + q0;
            if (out.row_bias)
              for (ptrdiff_t j = 0; j < n; ++j) row[offset[j]] = t[j] + b;
            else
              for (ptrdiff_t j = 0; j < n; ++j) row[offset[j]] = t[j];
          }
        }
      }
    }
  }
}

}  // namespace convplay::detail
