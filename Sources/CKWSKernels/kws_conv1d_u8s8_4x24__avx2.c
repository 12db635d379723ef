#include <assert.h>
#include <string.h>
#include "kws_conv1d_u8s8.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"
#include "kws_conv1d_u8s8_avx2_epilogue.h"

enum { ROWS = 4, VECTORS_MAX = 3, LANES = 8 };

/// One `rows x 8*vectors` tile. Each step of the depth loop takes a pair of inputs, zero-extended to
/// two s16 in one s32 lane, against s16 weight pairs: `vpmaddwd` adds both products exactly in s32.
KWS_INLINE KWS_TARGET_AVX2 void conv_tile(
    const size_t rows, const size_t vectors, const uint8_t* x, size_t input_step, size_t pairs,
    const int16_t* w, size_t row, const kws_conv1d_u8s8_params* params, size_t c, size_t live,
    const uint8_t* residual, uint8_t* y, size_t output_row) {
    __m256i acc[ROWS][VECTORS_MAX];
    for (size_t v = 0; v < vectors; v++) {
        const __m256i b = _mm256_loadu_si256((const __m256i*)(params->bias + c + v * LANES));
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    for (size_t p = 0; p < pairs; p++) {
        const int16_t* wp = w + p * row * 2;
        __m256i wv[VECTORS_MAX];
        for (size_t v = 0; v < vectors; v++) wv[v] = _mm256_loadu_si256((const __m256i*)(wp + v * LANES * 2));
        for (size_t m = 0; m < rows; m++) {
            const uint8_t* xp = x + m * input_step + 2 * p;
            const __m256i xv = _mm256_set1_epi32((int32_t)((uint32_t)xp[0] | (uint32_t)xp[1] << 16));
            for (size_t v = 0; v < vectors; v++) acc[m][v] = _mm256_add_epi32(acc[m][v], _mm256_madd_epi16(xv, wv[v]));
        }
    }
    for (size_t v = 0; v < vectors; v++) {
        const size_t lane0 = c + v * LANES;
        const size_t count = live - v * LANES < LANES ? live - v * LANES : LANES;
        for (size_t m = 0; m < rows; m++) {
            kws_u8s8_avx2_finish8(acc[m][v], params, lane0, residual != NULL ? residual + m * output_row + v * LANES : NULL,
                                  y + m * output_row + v * LANES, count);
        }
    }
}

#define KWS_TILE_CASE(ROWS_, VECTORS)                                                                       \
    case (ROWS_) * 4 + (VECTORS):                                                                           \
        conv_tile(ROWS_, VECTORS, x, input_step, pairs, w, row, params, c, live, r, y, channels);          \
        break;
#define KWS_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1) KWS_TILE_CASE(ROWS_, 2) KWS_TILE_CASE(ROWS_, 3)

KWS_TARGET_AVX2
void kws_conv1d_u8s8_4x24__avx2(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const size_t channels = shape->output_channels;
    const size_t pairs = kws_conv1d_u8s8_packed_depth(shape->kernel_size * shape->input_channels) / 2;
    const size_t input_step = shape->stride * shape->input_channels;
    const size_t row = kws_conv1d_u8s8_packed_channels(channels);
    // Only the 8-lane units that hold real channels are computed (24 channels: 3 units, not 4).
    const size_t units = (channels + LANES - 1) / LANES;
    const size_t blocks = (units + VECTORS_MAX - 1) / VECTORS_MAX;

    size_t unit = 0;
    for (size_t block = 0; block < blocks; block++) {
        const size_t vectors = (units - unit) / (blocks - block) + ((units - unit) % (blocks - block) != 0);
        const size_t c = unit * LANES;
        const size_t live = channels - c < vectors * LANES ? channels - c : vectors * LANES;
        const int16_t* w = params->weights_s16 + c * 2;
        for (size_t t = 0; t < shape->output_length; t += ROWS) {
            const size_t rows = shape->output_length - t < ROWS ? shape->output_length - t : ROWS;
            const uint8_t* x = input + t * input_step;
            const uint8_t* r = residual != NULL ? residual + t * channels + c : NULL;
            uint8_t* y = output + t * channels + c;
            switch (rows * 4 + vectors) {
                KWS_TILE_CASES(1) KWS_TILE_CASES(2) KWS_TILE_CASES(3) KWS_TILE_CASES(4)
                default: assert(0 && "tile shape out of range");
            }
        }
        unit += vectors;
    }
}

KWS_TARGET_AVX2
void kws_quantize_f32_u8__avx2(size_t length, size_t channels, const float* input, const float* inverse_scale,
                               const int32_t* zero_point, uint8_t* output) {
    const __m256 lo = _mm256_set1_ps(-256.0f), hi = _mm256_set1_ps(256.0f);
    for (size_t t = 0; t < length; t++) {
        const float* x = input + t * channels;
        uint8_t* y = output + t * channels;
        size_t c = 0;
        for (; c + 8 <= channels; c += 8) {
            __m256 v = _mm256_mul_ps(_mm256_loadu_ps(x + c), _mm256_loadu_ps(inverse_scale + c));
            // max(v, lo) returns lo for NaN v (the second operand), as the scalar variant does.
            v = _mm256_min_ps(_mm256_max_ps(v, lo), hi);
            __m256i q = _mm256_add_epi32(_mm256_cvtps_epi32(v), _mm256_loadu_si256((const __m256i*)(zero_point + c)));
            q = _mm256_min_epi32(_mm256_max_epi32(q, _mm256_setzero_si256()), _mm256_set1_epi32(255));
            const __m128i packed16 = _mm_packus_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
            _mm_storel_epi64((__m128i*)(y + c), _mm_packus_epi16(packed16, packed16));
        }
        if (c < channels) kws_quantize_f32_u8__scalar(1, channels - c, x + c, inverse_scale + c, zero_point + c, y + c);
    }
}

#endif
