#include <assert.h>
#include <string.h>
#include "kws_conv1d_hw.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"
#include "kws_conv1d_u8s8_avx2_epilogue.h"
#include "kws_conv1d_u8s8_sizes.h"

enum { ROWS = 4, VECTORS_MAX = 3, LANES = 8 };

/// Sign-extends the low `bits` bits of every byte (already masked): (v ^ 2^(bits-1)) - 2^(bits-1).
KWS_INLINE KWS_TARGET_AVX2 __m256i sign_extend(__m256i v, int bits) {
    const __m256i sign = _mm256_set1_epi8((char)(1 << (bits - 1)));
    return _mm256_sub_epi8(_mm256_xor_si256(v, sign), sign);
}

KWS_TARGET_AVX2
void kws_hw_unpack__avx2(int bits, size_t blocks, const uint8_t* packed, int8_t* codes) {
    assert(bits == 2 || bits == 4);
    const int parts = 8 / bits;
    const __m256i mask = _mm256_set1_epi8((char)((1 << bits) - 1));
    for (size_t b = 0; b < blocks; b++) {
        const __m256i v = _mm256_loadu_si256((const __m256i*)(packed + b * KWS_HW_BLOCK_BYTES));
        int8_t* out = codes + b * KWS_HW_BLOCK_BYTES * parts;
        // A 16-bit shift moves the neighbour byte's bits in from above; the mask keeps only this byte's.
        for (int part = 0; part < parts; part++) {
            const __m256i raw = _mm256_and_si256(_mm256_srli_epi16(v, bits * part), mask);
            _mm256_storeu_si256((__m256i*)(out + part * KWS_HW_BLOCK_BYTES), sign_extend(raw, bits));
        }
    }
}

KWS_TARGET_AVX2
void kws_hw_requantize_u8__avx2(size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                                const uint8_t* input, uint8_t* output) {
    assert(multiplier < (1u << 23) && shift <= 31u);
    const __m256i m = _mm256_set1_epi32((int)multiplier);
    const __m256i r = _mm256_set1_epi32(shift > 0 ? (int)(1u << (shift - 1)) : 0);
    const __m128i n = _mm_cvtsi32_si128((int)shift);
    const __m256i top = _mm256_set1_epi32(maximum);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256i x = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i*)(input + i)));
        // x * m + r < 2^31 + 2^30: no u32 lane wraps (the shift and min are unsigned).
        const __m256i v = _mm256_min_epu32(_mm256_srl_epi32(_mm256_add_epi32(_mm256_mullo_epi32(x, m), r), n), top);
        const __m128i packed16 = _mm_packus_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        _mm_storel_epi64((__m128i*)(output + i), _mm_packus_epi16(packed16, packed16));
    }
    if (i < count) kws_hw_requantize_u8__scalar(count - i, multiplier, shift, maximum, input + i, output + i);
}

/// One `rows x 8*vectors` tile: quads of u8 inputs times s8 weight quads by `vpmaddubsw` (two exact pair
/// sums per channel in s16), added in s16 for up to KWS_CONV1D_HW_S16_GROUPS groups, then widened and
/// summed per channel by `vpmaddwd` against ones.
KWS_INLINE KWS_TARGET_AVX2 void conv_tile(
    const size_t rows, const size_t vectors, const uint8_t* x, size_t input_step, size_t groups,
    const int8_t* w, size_t row, const kws_conv1d_u8s8_params* params, size_t c, size_t live,
    const uint8_t* residual, uint8_t* y, size_t output_row) {
    __m256i acc[ROWS][VECTORS_MAX];
    for (size_t v = 0; v < vectors; v++) {
        const __m256i b = _mm256_loadu_si256((const __m256i*)(params->bias + c + v * LANES));
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    const __m256i ones = _mm256_set1_epi16(1);
    for (size_t g0 = 0; g0 < groups; g0 += KWS_CONV1D_HW_S16_GROUPS) {
        const size_t g1 = groups - g0 < KWS_CONV1D_HW_S16_GROUPS ? groups : g0 + KWS_CONV1D_HW_S16_GROUPS;
        __m256i part[ROWS][VECTORS_MAX];
        for (size_t m = 0; m < rows; m++)
            for (size_t v = 0; v < vectors; v++) part[m][v] = _mm256_setzero_si256();
        for (size_t g = g0; g < g1; g++) {
            const int8_t* wg = w + g * row * 4;
            __m256i wv[VECTORS_MAX];
            for (size_t v = 0; v < vectors; v++) wv[v] = _mm256_loadu_si256((const __m256i*)(wg + v * LANES * 4));
            for (size_t m = 0; m < rows; m++) {
                int32_t quad;
                memcpy(&quad, x + m * input_step + 4 * g, sizeof quad);
                const __m256i xv = _mm256_set1_epi32(quad);
                for (size_t v = 0; v < vectors; v++) part[m][v] = _mm256_add_epi16(part[m][v], _mm256_maddubs_epi16(xv, wv[v]));
            }
        }
        for (size_t m = 0; m < rows; m++)
            for (size_t v = 0; v < vectors; v++) acc[m][v] = _mm256_add_epi32(acc[m][v], _mm256_madd_epi16(part[m][v], ones));
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
        conv_tile(ROWS_, VECTORS, x, input_step, groups, w, row, params, c, live, r, y, channels);         \
        break;
#define KWS_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1) KWS_TILE_CASE(ROWS_, 2) KWS_TILE_CASE(ROWS_, 3)

KWS_TARGET_AVX2
void kws_conv1d_hw_4x24__avx2(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                              const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, groups = sizes.depth / 4, input_step = sizes.input_step;
    const size_t row = sizes.row;
    kws_column_walk blocks = kws_column_blocks(channels, LANES, VECTORS_MAX);
    for (kws_column_block block; kws_next_column_block(&blocks, &block);) {
        const size_t c = block.c, vectors = block.vectors, live = block.live;
        const int8_t* w = params->weights_s8 + c * 4;
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
    }
}

#endif
