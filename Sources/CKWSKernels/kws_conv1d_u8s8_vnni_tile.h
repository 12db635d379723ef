#ifndef KWS_CONV1D_U8S8_VNNI_TILE_H
#define KWS_CONV1D_U8S8_VNNI_TILE_H
// Private to the AVX-512 VNNI kernels: the u8 x s8 -> s32 accumulation of one register tile, shared by the int8
// convolution (kws_conv1d_u8s8_8x48__avx512vnni.c) and the outlier dense pass (kws_conv1d_ol4__avx512vnni.c),
// which differ only in what they do with the accumulators. x86_64 only.
#include <immintrin.h>
#include <string.h>
#include "kws_simd_target.h"

/// Register tile: up to 8 rows x (3 zmm columns of 16 channels, or 2 zmm + a ymm tail of at most 8 channels).
enum { KWS_VNNI_ROWS = 8, KWS_VNNI_UNITS = 3, KWS_VNNI_LANES = 16, KWS_VNNI_TAIL_LANES = 8 };

/// One `rows x (16 * vectors + 8 * tail)` tile: `acc[m][v]` (and `acc_tail[m]` when `tail`) = bias + the sum over
/// `groups` quads of x * W. `x` points at the tile's first row, `w` and `bias` at the block's first channel (of
/// quad group 0). Constant `rows`/`vectors`/`tail` let the compiler keep all accumulators in registers.
KWS_INLINE KWS_TARGET_VNNI void kws_vnni_tile(const size_t rows, const size_t vectors, const bool tail,
                                              const uint8_t* x, size_t input_step, size_t groups, const int8_t* w,
                                              size_t row, const int32_t* bias,
                                              __m512i acc[KWS_VNNI_ROWS][KWS_VNNI_UNITS],
                                              __m256i acc_tail[KWS_VNNI_ROWS]) {
    for (size_t v = 0; v < vectors; v++) {
        const __m512i b = _mm512_loadu_si512(bias + v * KWS_VNNI_LANES);
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    if (tail) {
        const __m256i b = _mm256_loadu_si256((const __m256i*)(bias + vectors * KWS_VNNI_LANES));
        for (size_t m = 0; m < rows; m++) acc_tail[m] = b;
    }
    for (size_t g = 0; g < groups; g++) {
        const int8_t* wg = w + g * row * 4;
        __m512i wv[KWS_VNNI_UNITS];
        for (size_t v = 0; v < vectors; v++) wv[v] = _mm512_loadu_si512(wg + v * KWS_VNNI_LANES * 4);
        const __m256i wt =
            tail ? _mm256_loadu_si256((const __m256i*)(wg + vectors * KWS_VNNI_LANES * 4)) : _mm256_setzero_si256();
        for (size_t m = 0; m < rows; m++) {
            int32_t quad;
            memcpy(&quad, x + m * input_step + 4 * g, sizeof quad);
            const __m512i xv = _mm512_set1_epi32(quad);
            for (size_t v = 0; v < vectors; v++) acc[m][v] = _mm512_dpbusd_epi32(acc[m][v], xv, wv[v]);
            if (tail) acc_tail[m] = _mm256_dpbusd_epi32(acc_tail[m], _mm512_castsi512_si256(xv), wt);
        }
    }
}

#endif
