#include <assert.h>
#include "kws_conv1d_f32.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define KWS_TARGET_AVX512F __attribute__((target("avx512f")))
#define KWS_INLINE static inline __attribute__((always_inline))

enum { ROWS_MAX = 8, VECTORS_MAX = 4, LANES = 16 };

/// Rows per tile for `vectors` accumulator columns: as many as fit in 32 zmm registers with room for the
/// weight vectors and one broadcast (8 x 2 = 16, 6 x 4 = 24 accumulators).
KWS_INLINE size_t rows_per_tile(size_t vectors) { return vectors <= 2 ? 8 : 6; }

/// One `rows x (16 * vectors)` output tile. Called with constant `rows`/`vectors` so the compiler unrolls
/// every loop and keeps `acc` in registers.
KWS_INLINE KWS_TARGET_AVX512F void conv_tile(
    const size_t rows, const size_t vectors, const float* x, size_t input_step, size_t depth,
    const float* w, size_t weight_row, const float* bias, const float* residual, float* y, size_t output_row,
    __mmask16 last_mask, bool relu) {
    __m512 acc[ROWS_MAX][VECTORS_MAX];
    for (size_t v = 0; v < vectors; v++) {
        const __m512 b = _mm512_loadu_ps(bias + v * LANES);
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    for (size_t q = 0; q < depth; q++) {
        __m512 wq[VECTORS_MAX];
        for (size_t v = 0; v < vectors; v++) wq[v] = _mm512_loadu_ps(w + q * weight_row + v * LANES);
        for (size_t m = 0; m < rows; m++) {
            const __m512 xq = _mm512_set1_ps(x[m * input_step + q]);
            for (size_t v = 0; v < vectors; v++) acc[m][v] = _mm512_fmadd_ps(xq, wq[v], acc[m][v]);
        }
    }
    const __m512 zero = _mm512_setzero_ps();
    for (size_t m = 0; m < rows; m++) {
        for (size_t v = 0; v < vectors; v++) {
            const __mmask16 mask = v + 1 == vectors ? last_mask : (__mmask16)0xFFFF;
            __m512 out = acc[m][v];
            if (residual != NULL) {
                out = _mm512_add_ps(out, _mm512_maskz_loadu_ps(mask, residual + m * output_row + v * LANES));
            }
            if (relu) out = _mm512_max_ps(out, zero);
            _mm512_mask_storeu_ps(y + m * output_row + v * LANES, mask, out);
        }
    }
}

#define KWS_TILE_CASE(ROWS, VECTORS)                                                                     \
    case (ROWS) * 8 + (VECTORS):                                                                         \
        conv_tile(ROWS, VECTORS, x, input_step, depth, w, weight_row, b, r, y, channels, last_mask, relu); \
        break;
#define KWS_TILE_CASES(ROWS) \
    KWS_TILE_CASE(ROWS, 1) KWS_TILE_CASE(ROWS, 2) KWS_TILE_CASE(ROWS, 3) KWS_TILE_CASE(ROWS, 4)

KWS_TARGET_AVX512F
void kws_conv1d_f32_6x64__avx512f(const kws_conv1d_f32_shape* shape, const float* input,
                                  const float* packed_weights, const float* packed_bias,
                                  const float* residual, float* output, bool relu) {
    assert(shape != NULL && input != NULL && packed_weights != NULL && packed_bias != NULL && output != NULL);
    assert(shape->input_channels > 0 && shape->output_channels > 0);
    assert(shape->kernel_size > 0 && shape->stride > 0);
    const size_t channels = shape->output_channels;
    const size_t depth = shape->kernel_size * shape->input_channels;
    const size_t input_step = shape->stride * shape->input_channels;
    const size_t weight_row = kws_conv1d_f32_packed_channels(channels);

    for (size_t c = 0; c < channels; c += VECTORS_MAX * LANES) {
        const size_t remaining = channels - c;
        const size_t vectors = remaining >= VECTORS_MAX * LANES ? VECTORS_MAX : (remaining + LANES - 1) / LANES;
        const size_t last_lanes = remaining - (vectors - 1) * LANES;
        const __mmask16 last_mask = last_lanes >= LANES ? (__mmask16)0xFFFF : (__mmask16)((1u << last_lanes) - 1);
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

#else
void kws_conv1d_f32_6x64__avx512f(const kws_conv1d_f32_shape* shape, const float* input,
                                  const float* packed_weights, const float* packed_bias,
                                  const float* residual, float* output, bool relu) {
    kws_conv1d_f32_1x1__scalar(shape, input, packed_weights, packed_bias, residual, output, relu);
}
#endif
