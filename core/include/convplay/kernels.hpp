// Raw-pointer entry points: one reference kernel (the executable spec) and one optimized
// operator per operation. Arrays are dense row-major float32; `bias` may be null.
// The caller plans the call first (geometry.hpp) and owns every buffer; outputs are
// fully overwritten.
#pragma once

#include <cstdint>

#include "convplay/geometry.hpp"

namespace convplay {

// --- reference: direct loops, obviously correct, slow -----------------------------------
namespace reference {
void conv2d(const Conv2dGeometry& g, const float* x, const float* w, const float* bias, float* y);
void conv_transpose2d(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                      const float* bias, float* y);
void unfold(const UnfoldGeometry& g, const float* x, float* y);
void fold(const FoldGeometry& g, const float* x, float* y);
void pad(const PadGeometry& g, const float* x, float* y);
void kernel_matrix(const KernelMatrixGeometry& g, const float* kernel, float* m);
// conv1d / conv3d and (conv_transpose_nd) conv_transpose1d / 3d. The backward passes give the
// gradients of forward call g for gradOutput gy: gx (input's shape), gw (weight's shape), gb
// ([out_channels]). max_pool2d's indices may be null; otherwise each maximum's flat h * W + w
// in its plane.
void conv_nd(const ConvNdGeometry& g, const float* x, const float* w, const float* bias, float* y);
void conv_transpose_nd(const ConvNdGeometry& g, const float* x, const float* w, const float* bias,
                       float* y);
void conv2d_backward(const Conv2dGeometry& g, const float* x, const float* w, const float* gy,
                     float* gx, float* gw, float* gb);
void conv_transpose2d_backward(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                               const float* gy, float* gx, float* gw, float* gb);
void max_pool2d(const Pool2dGeometry& g, const float* x, float* y, int32_t* indices);
void avg_pool2d(const Pool2dGeometry& g, const float* x, float* y);
}  // namespace reference

// --- optimized: what the library runs (operators in core/src/ops choose micro-kernels) ----
void conv2d(const Conv2dGeometry& g, const float* x, const float* w, const float* bias, float* y);
void conv_transpose2d(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                      const float* bias, float* y);
void unfold(const UnfoldGeometry& g, const float* x, float* y);
void fold(const FoldGeometry& g, const float* x, float* y);
void pad(const PadGeometry& g, const float* x, float* y);
void kernel_matrix(const KernelMatrixGeometry& g, const float* kernel, float* m);
void conv_nd(const ConvNdGeometry& g, const float* x, const float* w, const float* bias, float* y);
void conv_transpose_nd(const ConvNdGeometry& g, const float* x, const float* w, const float* bias,
                       float* y);
void conv2d_backward(const Conv2dGeometry& g, const float* x, const float* w, const float* gy,
                     float* gx, float* gw, float* gb);
void conv_transpose2d_backward(const ConvTranspose2dGeometry& g, const float* x, const float* w,
                               const float* gy, float* gx, float* gw, float* gb);
void max_pool2d(const Pool2dGeometry& g, const float* x, float* y, int32_t* indices);
void avg_pool2d(const Pool2dGeometry& g, const float* x, float* y);

// The FCN bilinear-upsampling initialisation (d2l's bilinear_kernel): weight of shape
// [in, out, k, k], zero except weight[i, i] = the separable tent filter.
// Throws Error unless the sizes are valid (positive; in == out or one of them 1; size limit).
void check_bilinear_kernel(int64_t in_channels, int64_t out_channels, int64_t k);
void bilinear_kernel(int64_t in_channels, int64_t out_channels, int64_t k, float* weight);

// Which conv2d micro-kernel the optimized operator picks for g (for tests and benchmarks).
enum class Conv2dPath { Empty, Direct, Gemm };
Conv2dPath choose_conv2d_path(const Conv2dGeometry& g);

// Which conv_transpose2d path runs: stride phases as implicit GEMMs; GEMM + column-to-image
// through phase planes (strided kernels over many channels, and weights holding Inf or NaN,
// to keep PyTorch's NaN pattern); or GEMM + scatter tile by tile (non-finite weights with a
// column-to-image workspace too large).
enum class ConvTranspose2dPath { Empty, Phases, Col2im, Scatter };
ConvTranspose2dPath choose_conv_transpose2d_path(const ConvTranspose2dGeometry& g, const float* w);

// Name of the SIMD backend compiled in: "wasm-simd128", "sse2" or "scalar".
const char* simd_backend();

// Floats held by the optimized kernels' reusable scratch buffers (capacity, for limits
// tests), and a way to give that memory back.
int64_t workspace_floats();
void release_workspace();

}  // namespace convplay
