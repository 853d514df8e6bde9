// Packs conv2d's im2col matrix straight into GEMM B panels, one column block at a time,
// so the full column matrix (Cg*kh*kw x OH*OW) is never materialised.
#pragma once

#include "convplay/geometry.hpp"
#include "kernels/padded_input.hpp"

namespace convplay::kernels {

// Columns p0 .. p0+count-1 of the im2col matrix of one group (xg points at the group's
// first input channel of one image) into panels of 8: panel q holds rows (c, a, b) x 8
// columns at out + q * rows * 8, where rows = Cg*kh*kw. Columns past `count` are zeros.
// Padding is applied on the fly with the geometry's padding mode.
void im2col_pack_b(const Conv2dGeometry& g, const float* xg, int64_t p0, int64_t count, float* out);

// The same panels from the padded input (padded_input.hpp): no coordinate tests. With stride 1
// along the width each panel row is one copy of 8 floats per run of columns that share an
// output row; the copies may write up to 8 floats past a panel row (the next row's copies
// overwrite them), so `out` needs kGemmNR floats of slack after the block. Columns past
// `count` hold whatever the copies left (never stored by the caller).
void im2col_pack_b_padded(const Conv2dGeometry& g, const PaddedInput& xp, int64_t p0, int64_t count,
                          float* out);

}  // namespace convplay::kernels
