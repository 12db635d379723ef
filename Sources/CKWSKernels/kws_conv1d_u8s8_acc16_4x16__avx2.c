#include <assert.h>
#include <string.h>
#include "kws_conv1d_u8s8.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"
#include "kws_conv1d_u8s8_avx2_epilogue.h"
#include "kws_conv1d_u8s8_sizes.h"

enum { ROWS = 4, LANES = 16 };

/// One `rows x 16` tile: per pair of inputs one `vpmaddubsw` (u8 x s8, pair sum saturated to s16) and one
/// saturating `vpaddsw` per row; every KWS_CONV1D_U8S8_ACC16_PAIRS pairs the s16 partial sums are widened
/// into s32. 4 rows need 8 s32 + 4 s16 accumulators: AVX2's 16 ymm registers allow no wider tile.
KWS_INLINE KWS_TARGET_AVX2 void conv_tile(
    const size_t rows, const uint8_t* x, size_t input_step, size_t pairs, const int8_t* w, size_t row,
    const kws_conv1d_u8s8_params* params, size_t c, size_t live, const uint8_t* residual, uint8_t* y,
    size_t output_row) {
    __m256i acc_lo[ROWS], acc_hi[ROWS];
    const __m256i b_lo = _mm256_loadu_si256((const __m256i*)(params->bias + c));
    const __m256i b_hi = _mm256_loadu_si256((const __m256i*)(params->bias + c + 8));
    for (size_t m = 0; m < rows; m++) { acc_lo[m] = b_lo; acc_hi[m] = b_hi; }
    for (size_t start = 0; start < pairs; start += KWS_CONV1D_U8S8_ACC16_PAIRS) {
        const size_t end = start + KWS_CONV1D_U8S8_ACC16_PAIRS < pairs ? start + KWS_CONV1D_U8S8_ACC16_PAIRS : pairs;
        __m256i partial[ROWS];
        for (size_t m = 0; m < rows; m++) partial[m] = _mm256_setzero_si256();
        for (size_t p = start; p < end; p++) {
            const __m256i wv = _mm256_loadu_si256((const __m256i*)(w + p * row * 2));
            for (size_t m = 0; m < rows; m++) {
                uint16_t pair;
                memcpy(&pair, x + m * input_step + 2 * p, sizeof pair);
                const __m256i xv = _mm256_set1_epi16((int16_t)pair);
                partial[m] = _mm256_adds_epi16(partial[m], _mm256_maddubs_epi16(xv, wv));
            }
        }
        for (size_t m = 0; m < rows; m++) {
            acc_lo[m] = _mm256_add_epi32(acc_lo[m], _mm256_cvtepi16_epi32(_mm256_castsi256_si128(partial[m])));
            acc_hi[m] = _mm256_add_epi32(acc_hi[m], _mm256_cvtepi16_epi32(_mm256_extracti128_si256(partial[m], 1)));
        }
    }
    for (size_t m = 0; m < rows; m++) {
        const uint8_t* r = residual != NULL ? residual + m * output_row : NULL;
        uint8_t* out = y + m * output_row;
        kws_u8s8_avx2_finish8(acc_lo[m], params, c, r, out, live < 8 ? live : 8);
        if (live > 8) kws_u8s8_avx2_finish8(acc_hi[m], params, c + 8, r != NULL ? r + 8 : NULL, out + 8, live - 8);
    }
}

KWS_TARGET_AVX2
void kws_conv1d_u8s8_acc16_4x16__avx2(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                      const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, pairs = sizes.depth / 2, input_step = sizes.input_step;
    const size_t row = sizes.row;
    for (size_t c = 0; c < channels; c += LANES) {
        const size_t live = channels - c < LANES ? channels - c : LANES;
        const int8_t* w = params->weights_pairs_s8 + c * 2;
        for (size_t t = 0; t < shape->output_length; t += ROWS) {
            const size_t rows = shape->output_length - t < ROWS ? shape->output_length - t : ROWS;
            const uint8_t* x = input + t * input_step;
            const uint8_t* r = residual != NULL ? residual + t * channels + c : NULL;
            uint8_t* y = output + t * channels + c;
            switch (rows) {
            case 1: conv_tile(1, x, input_step, pairs, w, row, params, c, live, r, y, channels); break;
            case 2: conv_tile(2, x, input_step, pairs, w, row, params, c, live, r, y, channels); break;
            case 3: conv_tile(3, x, input_step, pairs, w, row, params, c, live, r, y, channels); break;
            default: conv_tile(4, x, input_step, pairs, w, row, params, c, live, r, y, channels); break;
            }
        }
    }
}

#endif
