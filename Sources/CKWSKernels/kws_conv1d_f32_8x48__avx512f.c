#include <assert.h>
#include "kws_conv1d_f32_sizes.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"

// avx512f implies avx2 and fma, which the 8-lane tail uses.

enum { ROWS = 8, UNITS_MAX = 3, LANES = 16, TAIL_LANES = 8 };

/// One `rows x (16 * vectors + 8 * tail)` output tile: `vectors` zmm columns (the last one masked when
/// `last_mask` is partial) plus, when `tail`, one ymm column for a remainder of at most 8 channels, so a
/// 24-channel layer computes 24 lanes, not 32. Called with constant `rows`/`vectors`/`tail` so the
/// compiler unrolls every loop and keeps the (at most 24) accumulators in registers.
KWS_INLINE KWS_TARGET_AVX512F void conv_tile(
    const size_t rows, const size_t vectors, const bool tail, const float* x, size_t input_step, size_t depth,
    const float* w, size_t weight_row, const float* bias, const float* residual, float* y, size_t output_row,
    __mmask16 last_mask, __m256i tail_mask, bool relu) {
    __m512 acc[ROWS][UNITS_MAX];
    __m256 acc_tail[ROWS];
    for (size_t v = 0; v < vectors; v++) {
        const __m512 b = _mm512_loadu_ps(bias + v * LANES);
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    if (tail) {
        const __m256 b = _mm256_loadu_ps(bias + vectors * LANES);
        for (size_t m = 0; m < rows; m++) acc_tail[m] = b;
    }
    for (size_t q = 0; q < depth; q++) {
        const float* wq_row = w + q * weight_row;
        __m512 wq[UNITS_MAX];
        for (size_t v = 0; v < vectors; v++) wq[v] = _mm512_loadu_ps(wq_row + v * LANES);
        const __m256 wq_tail = tail ? _mm256_loadu_ps(wq_row + vectors * LANES) : _mm256_setzero_ps();
        for (size_t m = 0; m < rows; m++) {
            const __m512 xq = _mm512_set1_ps(x[m * input_step + q]);
            for (size_t v = 0; v < vectors; v++) acc[m][v] = _mm512_fmadd_ps(xq, wq[v], acc[m][v]);
            if (tail) acc_tail[m] = _mm256_fmadd_ps(_mm512_castps512_ps256(xq), wq_tail, acc_tail[m]);
        }
    }
    for (size_t m = 0; m < rows; m++) {
        for (size_t v = 0; v < vectors; v++) {
            const __mmask16 mask = v + 1 == vectors ? last_mask : (__mmask16)0xFFFF;
            __m512 out = acc[m][v];
            if (residual != NULL) {
                out = _mm512_add_ps(out, _mm512_maskz_loadu_ps(mask, residual + m * output_row + v * LANES));
            }
            // max(out, 0) returns 0 for NaN, as the scalar `out > 0 ? out : 0` does.
            if (relu) out = _mm512_max_ps(out, _mm512_setzero_ps());
            _mm512_mask_storeu_ps(y + m * output_row + v * LANES, mask, out);
        }
        if (tail) {
            __m256 out = acc_tail[m];
            if (residual != NULL) {
                out = _mm256_add_ps(out, _mm256_maskload_ps(residual + m * output_row + vectors * LANES, tail_mask));
            }
            if (relu) out = _mm256_max_ps(out, _mm256_setzero_ps());
            _mm256_maskstore_ps(y + m * output_row + vectors * LANES, tail_mask, out);
        }
    }
}

#define KWS_TILE_CASE(ROWS_, VECTORS, TAIL)                                                              \
    case (ROWS_) * 8 + (VECTORS) * 2 + (TAIL):                                                           \
        conv_tile(ROWS_, VECTORS, TAIL, x, input_step, depth, w, weight_row, b, r, y, channels, last_mask, \
                  tail_mask, relu);                                                                      \
        break;
#define KWS_TILE_CASES(ROWS_)                                                                          \
    KWS_TILE_CASE(ROWS_, 0, 1) KWS_TILE_CASE(ROWS_, 1, 0) KWS_TILE_CASE(ROWS_, 1, 1)                  \
    KWS_TILE_CASE(ROWS_, 2, 0) KWS_TILE_CASE(ROWS_, 2, 1) KWS_TILE_CASE(ROWS_, 3, 0)

KWS_TARGET_AVX512F
void kws_conv1d_f32_8x48__avx512f(const kws_conv1d_f32_shape* shape, const float* input,
                                  const float* packed_weights, const float* packed_bias,
                                  const float* residual, float* output, bool relu) {
    const kws_conv1d_f32_sizes sizes = kws_conv1d_f32_sizes_of(shape, input, packed_weights, packed_bias, output);
    const size_t channels = sizes.channels, depth = sizes.depth, input_step = sizes.input_step;
    const size_t weight_row = sizes.weight_row;

    // Columns are "units": whole zmm vectors, then the remainder as a masked zmm (> 8 channels) or a
    // ymm tail (1..8 channels). Units are spread evenly over blocks of at most 3 (64 → 2 + 2, 72 → 3 + 2).
    const size_t remainder = channels % LANES;
    const __mmask16 last_mask = remainder > TAIL_LANES ? (__mmask16)((1u << remainder) - 1) : (__mmask16)0xFFFF;
    const __m256i tail_mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)remainder), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));

    kws_unit_walk blocks = kws_unit_blocks(channels, LANES, TAIL_LANES, UNITS_MAX);
    for (kws_unit_block block; kws_next_unit_block(&blocks, &block);) {
        const size_t c = block.c, vectors = block.vectors, tail = (size_t)block.tail;
        const __mmask16 block_mask = block.last ? last_mask : (__mmask16)0xFFFF;
        const float* w = packed_weights + c;
        const float* b = packed_bias + c;
        for (size_t t = 0; t < shape->output_length; t += ROWS) {
            const size_t rows = shape->output_length - t < ROWS ? shape->output_length - t : ROWS;
            const float* x = input + t * input_step;
            const float* r = residual != NULL ? residual + t * channels + c : NULL;
            float* y = output + t * channels + c;
            const __mmask16 last_mask = block_mask;
            switch (rows * 8 + vectors * 2 + tail) {
                KWS_TILE_CASES(1) KWS_TILE_CASES(2) KWS_TILE_CASES(3) KWS_TILE_CASES(4)
                KWS_TILE_CASES(5) KWS_TILE_CASES(6) KWS_TILE_CASES(7) KWS_TILE_CASES(8)
                default: assert(0 && "tile shape out of range");
            }
        }
    }
}

#endif
