#include <assert.h>
#include <string.h>
#include "kws_conv1d_ol4.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"
#include "kws_conv1d_u8s8_avx2_epilogue.h"
#include "kws_conv1d_u8s8_sizes.h"

enum { ROWS = 4, WIDE_ROWS = 2, VECTORS_MAX = 3, LANES = 8 };

KWS_TARGET_AVX2
void kws_ol4_unpack_s4__avx2(size_t count, const uint8_t* packed, int8_t* codes) {
    assert(count % 64 == 0);
    const __m256i low = _mm256_set1_epi8(0x0F);
    const __m256i eight = _mm256_set1_epi8(8);
    for (size_t block = 0; block < count / 64; block++) {
        const __m256i p = _mm256_loadu_si256((const __m256i*)(packed + block * 32));
        const __m256i lo = _mm256_and_si256(p, low);
        const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(p, 4), low);
        _mm256_storeu_si256((__m256i*)(codes + block * 64), _mm256_sub_epi8(_mm256_xor_si256(lo, eight), eight));
        _mm256_storeu_si256((__m256i*)(codes + block * 64 + 32), _mm256_sub_epi8(_mm256_xor_si256(hi, eight), eight));
    }
}

/// One `rows x 8 * vectors` tile. `vpmaddubsw` multiplies the broadcast input quad (u8) by 8 channels' weight
/// quads (s8) into two s16 pair sums per channel; KWS_CONV1D_OL4_S16_GROUPS of them are added in s16 (exact,
/// see kws_conv1d_ol4.h) and then widened with `vpmaddwd` by ones into the s32 accumulators in `acc_out`.
/// `wide`: the input is full u8 (the stem), split into nibbles that go through the same path, the high one
/// shifted left by 4 when widened.
KWS_INLINE KWS_TARGET_AVX2 void dense_tile(const size_t rows, const size_t vectors, const bool wide, const uint8_t* x,
                                           size_t input_step, size_t groups, const int8_t* w, size_t row,
                                           const int32_t* bias, int32_t* acc_out) {
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256i low = _mm256_set1_epi8(0x0F);
    for (size_t m = 0; m < rows; m++) {
        for (size_t v = 0; v < vectors; v++) {
            _mm256_storeu_si256((__m256i*)(acc_out + m * row + v * LANES), _mm256_loadu_si256((const __m256i*)(bias + v * LANES)));
        }
    }
    for (size_t start = 0; start < groups; start += KWS_CONV1D_OL4_S16_GROUPS) {
        const size_t end = start + KWS_CONV1D_OL4_S16_GROUPS < groups ? start + KWS_CONV1D_OL4_S16_GROUPS : groups;
        __m256i lo[ROWS][VECTORS_MAX], hi[ROWS][VECTORS_MAX];
        for (size_t m = 0; m < rows; m++) {
            for (size_t v = 0; v < vectors; v++) {
                lo[m][v] = _mm256_setzero_si256();
                if (wide) hi[m][v] = _mm256_setzero_si256();
            }
        }
        for (size_t g = start; g < end; g++) {
            const int8_t* wg = w + g * row * 4;
            __m256i wv[VECTORS_MAX];
            for (size_t v = 0; v < vectors; v++) wv[v] = _mm256_loadu_si256((const __m256i*)(wg + v * LANES * 4));
            for (size_t m = 0; m < rows; m++) {
                int32_t quad;
                memcpy(&quad, x + m * input_step + 4 * g, sizeof quad);
                const __m256i xv = _mm256_set1_epi32(quad);
                if (wide) {
                    const __m256i xl = _mm256_and_si256(xv, low);
                    const __m256i xh = _mm256_and_si256(_mm256_srli_epi16(xv, 4), low);
                    for (size_t v = 0; v < vectors; v++) {
                        lo[m][v] = _mm256_add_epi16(lo[m][v], _mm256_maddubs_epi16(xl, wv[v]));
                        hi[m][v] = _mm256_add_epi16(hi[m][v], _mm256_maddubs_epi16(xh, wv[v]));
                    }
                } else {
                    for (size_t v = 0; v < vectors; v++) lo[m][v] = _mm256_add_epi16(lo[m][v], _mm256_maddubs_epi16(xv, wv[v]));
                }
            }
        }
        for (size_t m = 0; m < rows; m++) {
            for (size_t v = 0; v < vectors; v++) {
                __m256i* out = (__m256i*)(acc_out + m * row + v * LANES);
                __m256i sum = _mm256_add_epi32(_mm256_loadu_si256(out), _mm256_madd_epi16(lo[m][v], ones));
                if (wide) sum = _mm256_add_epi32(sum, _mm256_slli_epi32(_mm256_madd_epi16(hi[m][v], ones), 4));
                _mm256_storeu_si256(out, sum);
            }
        }
    }
}

#define KWS_TILE_CASE(ROWS_, VECTORS, WIDE)                                                               \
    case ((ROWS_) * 4 + (VECTORS)) * 2 + (WIDE):                                                          \
        dense_tile(ROWS_, VECTORS, WIDE, x, input_step, groups, w, row, bias + c, out);                   \
        break;
#define KWS_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1, 0) KWS_TILE_CASE(ROWS_, 2, 0) KWS_TILE_CASE(ROWS_, 3, 0)
#define KWS_WIDE_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1, 1) KWS_TILE_CASE(ROWS_, 2, 1) KWS_TILE_CASE(ROWS_, 3, 1)

KWS_TARGET_AVX2
void kws_conv1d_ol4_dense__avx2(const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                                const uint8_t* input, bool narrow_input, int32_t* acc) {
    assert(shape != NULL && weights != NULL && bias != NULL && input != NULL && acc != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, groups = sizes.depth / 4, input_step = sizes.input_step;
    const size_t row = sizes.row;
    const bool wide = !narrow_input;
    // The nibble split doubles the s16 accumulators, so wide tiles have half the rows.
    const size_t tile_rows = wide ? WIDE_ROWS : ROWS;
    kws_column_walk blocks = kws_column_blocks(channels, LANES, VECTORS_MAX);
    for (kws_column_block block; kws_next_column_block(&blocks, &block);) {
        const size_t c = block.c, vectors = block.vectors;
        const int8_t* w = weights + c * 4;
        for (size_t t = 0; t < shape->output_length; t += tile_rows) {
            const size_t rows = shape->output_length - t < tile_rows ? shape->output_length - t : tile_rows;
            const uint8_t* x = input + t * input_step;
            int32_t* out = acc + t * row + c;
            switch ((rows * 4 + vectors) * 2 + wide) {
                KWS_TILE_CASES(1) KWS_TILE_CASES(2) KWS_TILE_CASES(3) KWS_TILE_CASES(4)
                KWS_WIDE_TILE_CASES(1) KWS_WIDE_TILE_CASES(2)
                default: assert(0 && "tile shape out of range");
            }
        }
    }
}

KWS_TARGET_AVX2
void kws_conv1d_ol4_sparse__avx2(const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                                 const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                 size_t input_row_offset, const kws_ol4_outlier* residual_outliers,
                                 size_t residual_outlier_count, const int32_t* residual_multiplier,
                                 const int32_t* residual_shift, int32_t* acc) {
    const size_t row = kws_conv1d_u8s8_packed_channels(shape->output_channels);
    const size_t live = (shape->output_channels + LANES - 1) / LANES * LANES;
    // Outliers of one input row meet the same output rows at every tap: their products are summed in
    // registers and added to each accumulator row once, so consecutive outliers do not chain through memory.
    for (size_t first = 0, end = 0; first < input_outlier_count; first = end) {
        const size_t padded_row = input_outliers[first].row + input_row_offset;
        for (end = first + 1; end < input_outlier_count && input_outliers[end].row == input_outliers[first].row; end++) {}
        for (size_t tap = 0; tap < shape->kernel_size && tap <= padded_row; tap++) {
            const size_t distance = padded_row - tap;
            if (distance % shape->stride != 0 || distance / shape->stride >= shape->output_length) continue;
            int32_t* a = acc + distance / shape->stride * row;
            for (size_t o = 0; o < live; o += LANES) {
                __m256i sum = _mm256_setzero_si256();
                for (size_t k = first; k < end; k++) {
                    assert(input_outliers[k].channel < shape->input_channels);
                    const size_t q = tap * shape->input_channels + input_outliers[k].channel;
                    // Byte q % 4 of every quad: shifted to the top of its s32 lane, then arithmetically back down.
                    const __m128i left = _mm_cvtsi32_si128((int)(24 - 8 * (q % 4)));
                    const __m256i w = _mm256_loadu_si256((const __m256i*)(weights + (q / 4) * row * 4 + 4 * o));
                    const __m256i ws = _mm256_srai_epi32(_mm256_sll_epi32(w, left), 24);
                    sum = _mm256_add_epi32(sum, _mm256_mullo_epi32(ws, _mm256_set1_epi32(input_outliers[k].value)));
                }
                _mm256_storeu_si256((__m256i*)(a + o), _mm256_add_epi32(_mm256_loadu_si256((const __m256i*)(a + o)), sum));
            }
        }
    }
    for (size_t k = 0; k < residual_outlier_count; k++) {
        const kws_ol4_outlier outlier = residual_outliers[k];
        acc[outlier.row * row + outlier.channel] += (int32_t)kws_rescale_s64(
            outlier.value, residual_multiplier[outlier.channel], residual_shift[outlier.channel]);
    }
}

KWS_TARGET_AVX2
size_t kws_conv1d_ol4_epilogue__avx2(size_t length, size_t channels, const int32_t* acc,
                                     const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                                     kws_ol4_outlier* outliers) {
    const size_t row = kws_conv1d_u8s8_packed_channels(channels);
    const __m256i dense_max = _mm256_set1_epi32(KWS_CONV1D_OL4_DENSE_MAX);
    const __m256i lo = _mm256_setzero_si256(), hi = _mm256_set1_epi64x(params->code_max);
    size_t count = 0;
    for (size_t t = 0; t < length; t++) {
        for (size_t c = 0; c < channels; c += LANES) {
            const size_t n = channels - c < LANES ? channels - c : LANES;
            __m256i a = _mm256_loadu_si256((const __m256i*)(acc + t * row + c));
            if (residual != NULL) {
                __m128i r8;
                if (n == LANES) {
                    r8 = _mm_loadl_epi64((const __m128i*)(residual + t * channels + c));
                } else {
                    uint8_t bytes[16] = {0};
                    memcpy(bytes, residual + t * channels + c, n);
                    r8 = _mm_loadl_epi64((const __m128i*)bytes);
                }
                const __m256i r = _mm256_cvtepu8_epi32(r8);
                a = _mm256_add_epi32(a, kws_u8s8_avx2_rescale8(r, params->residual_multiplier + c, params->residual_shift + c,
                                                               _mm256_set1_epi64x(INT32_MIN), _mm256_set1_epi64x(INT32_MAX)));
            }
            const __m256i y = kws_u8s8_avx2_rescale8(a, params->multiplier + c, params->shift + c, lo, hi);
            const __m256i above = _mm256_cmpgt_epi32(y, dense_max);
            const __m256i dense = _mm256_andnot_si256(above, y);
            const __m128i packed16 = _mm_packus_epi32(_mm256_castsi256_si128(dense), _mm256_extracti128_si256(dense, 1));
            const __m128i packed8 = _mm_packus_epi16(packed16, packed16);
            if (n == LANES) {
                _mm_storel_epi64((__m128i*)(output + t * channels + c), packed8);
            } else {
                uint8_t bytes[16];
                _mm_storeu_si128((__m128i*)bytes, packed8);
                memcpy(output + t * channels + c, bytes, n);
            }
            unsigned big = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(above)) & ((1u << n) - 1);
            if (big == 0) continue;
            int32_t values[LANES];
            _mm256_storeu_si256((__m256i*)values, y);
            for (; big != 0; big &= big - 1) {
                const unsigned lane = (unsigned)__builtin_ctz(big);
                outliers[count++] = (kws_ol4_outlier){(uint32_t)t, (uint16_t)(c + lane), (uint16_t)values[lane]};
            }
        }
    }
    return count;
}

#endif
