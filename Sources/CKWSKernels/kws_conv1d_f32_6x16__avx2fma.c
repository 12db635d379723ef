#include <assert.h>
#include "kws_conv1d_f32_sizes.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"

enum { ROWS_MAX = 8, VECTORS_MAX = 2, LANES = 8 };

/// Rows per tile for `vectors` accumulator columns, so accumulators + weight vectors + one broadcast fit
/// in 16 ymm registers with a spare (8 x 1 or 6 x 2). A 4 x 3 tile needs all 16 and measured half as fast.
KWS_INLINE size_t rows_per_tile(size_t vectors) { return vectors == 1 ? 8 : 6; }

/// One `rows x (8 * vectors)` output tile; see the AVX-512 variant. Only the last vector of a row may be
/// partial, so only it uses the (slower) masked loads and stores.
KWS_INLINE KWS_TARGET_AVX2 void conv_tile(
    const size_t rows, const size_t vectors, const float* x, size_t input_step, size_t depth,
    const float* w, size_t weight_row, const float* bias, const float* residual, float* y, size_t output_row,
    __m256i last_mask, bool last_full, bool relu) {
    __m256 acc[ROWS_MAX][VECTORS_MAX];
    for (size_t v = 0; v < vectors; v++) {
        const __m256 b = _mm256_loadu_ps(bias + v * LANES);
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    for (size_t q = 0; q < depth; q++) {
        __m256 wq[VECTORS_MAX];
        for (size_t v = 0; v < vectors; v++) wq[v] = _mm256_loadu_ps(w + q * weight_row + v * LANES);
        for (size_t m = 0; m < rows; m++) {
            const __m256 xq = _mm256_broadcast_ss(x + m * input_step + q);
            for (size_t v = 0; v < vectors; v++) acc[m][v] = _mm256_fmadd_ps(xq, wq[v], acc[m][v]);
        }
    }
    const __m256 zero = _mm256_setzero_ps();
    for (size_t m = 0; m < rows; m++) {
        for (size_t v = 0; v < vectors; v++) {
            const bool partial = v + 1 == vectors && !last_full;
            float* out_ptr = y + m * output_row + v * LANES;
            __m256 out = acc[m][v];
            if (residual != NULL) {
                const float* r = residual + m * output_row + v * LANES;
                out = _mm256_add_ps(out, partial ? _mm256_maskload_ps(r, last_mask) : _mm256_loadu_ps(r));
            }
            if (relu) out = _mm256_max_ps(out, zero);
            if (partial) {
                _mm256_maskstore_ps(out_ptr, last_mask, out);
            } else {
                _mm256_storeu_ps(out_ptr, out);
            }
        }
    }
}

#define KWS_TILE_CASE(ROWS, VECTORS)                                                                      \
    case (ROWS) * 8 + (VECTORS):                                                                          \
        conv_tile(ROWS, VECTORS, x, input_step, depth, w, weight_row, b, r, y, channels, last_mask,       \
                  last_full, relu);                                                                       \
        break;
#define KWS_TILE_CASES(ROWS) KWS_TILE_CASE(ROWS, 1) KWS_TILE_CASE(ROWS, 2)

KWS_TARGET_AVX2
void kws_conv1d_f32_6x16__avx2fma(const kws_conv1d_f32_shape* shape, const float* input,
                                  const float* packed_weights, const float* packed_bias,
                                  const float* residual, float* output, bool relu) {
    const kws_conv1d_f32_sizes sizes = kws_conv1d_f32_sizes_of(shape, input, packed_weights, packed_bias, output);
    const size_t channels = sizes.channels, depth = sizes.depth, input_step = sizes.input_step;
    const size_t weight_row = sizes.weight_row;

    for (size_t c = 0; c < channels; c += VECTORS_MAX * LANES) {
        const size_t remaining = channels - c;
        const size_t vectors = remaining >= VECTORS_MAX * LANES ? VECTORS_MAX : (remaining + LANES - 1) / LANES;
        const size_t last_lanes = remaining - (vectors - 1) * LANES;
        const bool last_full = last_lanes >= LANES;
        const __m256i last_mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(last_full ? LANES : last_lanes)),
                                                     _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        const size_t tile_rows = rows_per_tile(vectors);
        const float* w = packed_weights + c;
        const float* b = packed_bias + c;
        for (size_t t = 0; t < shape->output_length; t += tile_rows) {
            const size_t rows = shape->output_length - t < tile_rows ? shape->output_length - t : tile_rows;
            const float* x = input + t * input_step;
            const float* r = residual != NULL ? residual + t * channels + c : NULL;
            float* y = output + t * channels + c;
            switch (rows * 8 + vectors) {
                KWS_TILE_CASES(1) KWS_TILE_CASES(2) KWS_TILE_CASES(3) KWS_TILE_CASES(4)
                KWS_TILE_CASES(5) KWS_TILE_CASES(6) KWS_TILE_CASES(7) KWS_TILE_CASES(8)
                default: assert(0 && "tile shape out of range");
            }
        }
    }
}

#endif
