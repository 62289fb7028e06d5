#ifndef CLMKERNELS_H
#define CLMKERNELS_H
#include <stddef.h>

/// Single-precision products of a weight matrix that stays fixed over many calls (the LSTM's
/// recurrent weights, used once per time step) with a narrow matrix (one column per sequence).
///
/// The weights are copied once into a panel layout (`lmk_pack`) and multiplied from there at
/// every step (`lmk_packed_gemm`), instead of being re-packed by a general GEMM at every call.
/// Panel p holds rows 32p … 32p+31 of the m × k matrix A; for each k its 32 values are contiguous
/// (rows past m are zero), so the kernel reads each panel as one sequential stream.
///
/// Every element of C is computed in the same order whatever n, the column's position and the
/// panel range: c ← c (or 0), then c ← fma(a[i, k], b[k, j], c) for k = 0, 1, …, K − 1. Results
/// therefore do not depend on the batch width or on how panels are shared between threads.

/// Rows per panel.
#define LMK_PANEL_ROWS 32

/// Floats needed to pack an m × k matrix.
size_t lmk_packed_count(int m, int k);

/// Number of panels of an m-row matrix.
int lmk_panel_count(int m);

/// Packs the column-major m × k matrix `a` (leading dimension lda) into `packed`
/// (`lmk_packed_count(m, k)` floats).
void lmk_pack(int m, int k, const float *a, int lda, float *packed);

/// Packs the transpose: `packed` holds the k × m matrix aᵀ of the column-major m × k matrix `a`
/// (so lmk_packed_gemm with rows = k multiplies by aᵀ).
void lmk_pack_transposed(int m, int k, const float *a, int lda, float *packed);

/// Rows [32·panelBegin, min(m, 32·panelEnd)) of C ← A·B (+ C when accumulate ≠ 0), for the
/// packed m × k matrix A, the column-major k × n matrix b (ldb) and the column-major m × n
/// matrix c (ldc).
void lmk_packed_gemm(int m, int n, int k, const float *packed, const float *b, int ldb, int accumulate,
                     float *c, int ldc, int panelBegin, int panelEnd);

/// 1 when this CPU runs the AVX-512 kernel, 0 when the portable loops run instead (slow: callers
/// should then prefer BLAS).
int lmk_has_fast_kernel(void);

#endif
