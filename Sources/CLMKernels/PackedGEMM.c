// Packed-panel SGEMM for fixed weights (see CLMKernels.h). The AVX-512 kernel keeps a
// 32-row × up to 8-column block of C in 16 registers and streams one panel of A. (Measured on
// Zen 4 at 3072 × 32 × 768: 8 columns ≈ 100 GFLOP/s per core; 12 columns spill and run at half
// that; blocking k for L1 made it slower.)
#include "CLMKernels.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define LMK_X86 1
#endif

size_t lmk_packed_count(int m, int k) { return (size_t)lmk_panel_count(m) * LMK_PANEL_ROWS * (size_t)k; }

int lmk_panel_count(int m) { return (m + LMK_PANEL_ROWS - 1) / LMK_PANEL_ROWS; }

void lmk_pack(int m, int k, const float *a, int lda, float *packed) {
    int panels = lmk_panel_count(m);
    for (int p = 0; p < panels; p++) {
        float *dst = packed + (size_t)p * LMK_PANEL_ROWS * k;
        int r0 = p * LMK_PANEL_ROWS, rows = m - r0 < LMK_PANEL_ROWS ? m - r0 : LMK_PANEL_ROWS;
        for (int kk = 0; kk < k; kk++) {
            float *d = dst + (size_t)kk * LMK_PANEL_ROWS;
            memcpy(d, a + r0 + (size_t)kk * lda, sizeof(float) * rows);
            for (int r = rows; r < LMK_PANEL_ROWS; r++) d[r] = 0;
        }
    }
}

void lmk_pack_transposed(int m, int k, const float *a, int lda, float *packed) {
    // aᵀ is k × m: its row i is column i of a, its column j is row j of a.
    int panels = lmk_panel_count(k);
    for (int p = 0; p < panels; p++) {
        float *dst = packed + (size_t)p * LMK_PANEL_ROWS * m;
        int r0 = p * LMK_PANEL_ROWS, rows = k - r0 < LMK_PANEL_ROWS ? k - r0 : LMK_PANEL_ROWS;
        for (int j = 0; j < m; j++) {
            float *d = dst + (size_t)j * LMK_PANEL_ROWS;
            for (int r = 0; r < rows; r++) d[r] = a[j + (size_t)(r0 + r) * lda];
            for (int r = rows; r < LMK_PANEL_ROWS; r++) d[r] = 0;
        }
    }
}

/// Portable kernel: the same order of operations as the AVX-512 one (fma per k, in k order).
static void panel_portable(int rows, int n, int k, const float *pa, const float *b, int ldb, int accumulate,
                           float *c, int ldc) {
    for (int j = 0; j < n; j++) {
        float acc[LMK_PANEL_ROWS];
        for (int r = 0; r < LMK_PANEL_ROWS; r++) acc[r] = accumulate && r < rows ? c[r + (size_t)j * ldc] : 0.0f;
        const float *bj = b + (size_t)j * ldb;
        for (int kk = 0; kk < k; kk++) {
            const float *a = pa + (size_t)kk * LMK_PANEL_ROWS;
            float bv = bj[kk];
            for (int r = 0; r < LMK_PANEL_ROWS; r++) acc[r] = __builtin_fmaf(a[r], bv, acc[r]);
        }
        for (int r = 0; r < rows; r++) c[r + (size_t)j * ldc] = acc[r];
    }
}

#if LMK_X86
#define LMK_AVX512 __attribute__((target("avx512f")))

/// One 32 × NC block of C (NC ≤ 8) from one panel: acc[j] (2 registers) ← c or 0, then Σ_k a_k·b[k, j].
static inline __attribute__((always_inline)) LMK_AVX512 void
block_avx512(const int NC, int rows, int k, const float *pa, const float *b, int ldb, int accumulate, float *c, int ldc) {
    __m512 lo[8], hi[8];
    __mmask16 mlo = rows >= 16 ? 0xFFFF : (__mmask16)((1u << rows) - 1);
    __mmask16 mhi = rows >= 32 ? 0xFFFF : rows <= 16 ? 0 : (__mmask16)((1u << (rows - 16)) - 1);
    for (int j = 0; j < NC; j++) {
        if (accumulate) {
            lo[j] = _mm512_maskz_loadu_ps(mlo, c + (size_t)j * ldc);
            hi[j] = _mm512_maskz_loadu_ps(mhi, c + (size_t)j * ldc + 16);
        } else {
            lo[j] = _mm512_setzero_ps();
            hi[j] = _mm512_setzero_ps();
        }
    }
    for (int kk = 0; kk < k; kk++) {
        __m512 a0 = _mm512_loadu_ps(pa + (size_t)kk * LMK_PANEL_ROWS);
        __m512 a1 = _mm512_loadu_ps(pa + (size_t)kk * LMK_PANEL_ROWS + 16);
        for (int j = 0; j < NC; j++) {
            __m512 bv = _mm512_set1_ps(b[kk + (size_t)j * ldb]);
            lo[j] = _mm512_fmadd_ps(a0, bv, lo[j]);
            hi[j] = _mm512_fmadd_ps(a1, bv, hi[j]);
        }
    }
    for (int j = 0; j < NC; j++) {
        _mm512_mask_storeu_ps(c + (size_t)j * ldc, mlo, lo[j]);
        _mm512_mask_storeu_ps(c + (size_t)j * ldc + 16, mhi, hi[j]);
    }
}

#define LMK_BLOCK(NC) case NC: block_avx512(NC, rows, k, pa, b, ldb, accumulate, c, ldc); break;

static LMK_AVX512 void panel_avx512(int rows, int n, int k, const float *pa, const float *b, int ldb, int accumulate,
                                    float *c, int ldc) {
    for (int j0 = 0; j0 < n; j0 += 8) {
        int nc = n - j0 < 8 ? n - j0 : 8;
        const float *bb = b + (size_t)j0 * ldb;
        float *cc = c + (size_t)j0 * ldc;
        {
            const float *b = bb; float *c = cc;
            switch (nc) {
                LMK_BLOCK(1) LMK_BLOCK(2) LMK_BLOCK(3) LMK_BLOCK(4)
                LMK_BLOCK(5) LMK_BLOCK(6) LMK_BLOCK(7) LMK_BLOCK(8)
            }
        }
    }
}
#endif

int lmk_has_fast_kernel(void) {
#if LMK_X86
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
#else
    return 0;
#endif
}

void lmk_packed_gemm(int m, int n, int k, const float *packed, const float *b, int ldb, int accumulate,
                     float *c, int ldc, int panelBegin, int panelEnd) {
    int fast = lmk_has_fast_kernel();
    for (int p = panelBegin; p < panelEnd; p++) {
        int r0 = p * LMK_PANEL_ROWS;
        if (r0 >= m) break;
        int rows = m - r0 < LMK_PANEL_ROWS ? m - r0 : LMK_PANEL_ROWS;
        const float *pa = packed + (size_t)p * LMK_PANEL_ROWS * k;
#if LMK_X86
        if (fast) { panel_avx512(rows, n, k, pa, b, ldb, accumulate, c + r0, ldc); continue; }
#endif
        (void)fast;
        panel_portable(rows, n, k, pa, b, ldb, accumulate, c + r0, ldc);
    }
}
