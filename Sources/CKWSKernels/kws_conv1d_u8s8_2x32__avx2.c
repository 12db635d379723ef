#include <assert.h>
#include <string.h>
#include "kws_conv1d_u8s8.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"
#include "kws_conv1d_u8s8_avx2_epilogue.h"
#include "kws_conv1d_u8s8_sizes.h"

// 2 rows x 4 vectors: 8 accumulators, 4 weight vectors and the broadcast input stay in the 16 ymm registers
// (4 x 3 spilled), and every vpmaddwd pair of a row shares one broadcast. Measured on the TC-ResNet8 layers
// (Zen 5, AVX2 only): 2 x 4 86 G MAC/s, 3 x 3 83, 4 x 2 82, 4 x 3 67, against ~96 for two vpmaddwd per cycle.
enum { ROWS = 2, VECTORS_MAX = 4, LANES = 8 };

/*
 * Exact u8 x s8 on AVX2 with `vpmaddwd` (two s16 x s16 products added in s32: 255 * 127 * 2 never nears
 * 2^31, so nothing saturates, unlike `vpmaddubsw`'s s16 pair sums). Each row's four inputs of a depth quad
 * are broadcast with one `vpbroadcastd` load; `and 0x00ff00ff` leaves the even pair (x0, x2) and `srlw 8`
 * the odd pair (x1, x3) as zero-extended s16 pairs, so no scalar byte loads or shuffles feed the multiplies.
 * The weights are packed to match (`weights_s16` in KWS_U8S8_WEIGHTS_S16_QUAD_PAIRS order): per quad `g`,
 * pair row `2g` holds (w[4g], w[4g+2]) and pair row `2g+1` holds (w[4g+1], w[4g+3]) for every channel.
 *
 * The epilogue is the scalar one's arithmetic on 32-bit lanes wherever the result fits in them: the
 * requantized value always fits in s32 (multiplier < 2^31, shift >= 31), so only the product is 64-bit; the
 * per-channel constants are prepared once per column block, and the saturating packs (s32 -> s16 -> u8)
 * are the clamp to [0, 255].
 */

/// Per 8-channel vector: what the epilogue needs, computed once per column block.
typedef struct {
    __m256i m_even, m_odd;     // requantization multipliers in the low dword of each qword
    __m256i n_even, n_odd;     // shifts as qwords
    __m256i add_even, add_odd; // 2^62 + 2^(n-1): the offset that keeps the product non-negative, plus rounding
    __m256i fix;               // low dword of 2^(62-n) per channel: the offset after the shift
    __m256i rm_even, rm_odd, rn_even, rn_odd, radd_even, radd_odd; // residual rescale (residual >= 0, no offset)
} epilogue8;

static inline __attribute__((always_inline, target("avx2"))) void prepare8(
    epilogue8* e, const kws_conv1d_u8s8_params* params, size_t lane0, bool residual) {
    const __m256i one = _mm256_set1_epi64x(1), low = _mm256_set1_epi64x(0xFFFFFFFF);
    const __m256i offset = _mm256_set1_epi64x((int64_t)1 << 62);
    const __m256i m = _mm256_loadu_si256((const __m256i*)(params->multiplier + lane0));
    const __m256i n = _mm256_loadu_si256((const __m256i*)(params->shift + lane0));
    e->m_even = m;
    e->m_odd = _mm256_srli_epi64(m, 32);
    e->n_even = _mm256_and_si256(n, low);
    e->n_odd = _mm256_srli_epi64(n, 32);
    e->add_even = _mm256_add_epi64(offset, _mm256_sllv_epi64(one, _mm256_sub_epi64(e->n_even, one)));
    e->add_odd = _mm256_add_epi64(offset, _mm256_sllv_epi64(one, _mm256_sub_epi64(e->n_odd, one)));
    e->fix = _mm256_blend_epi32(_mm256_srlv_epi64(offset, e->n_even),
                                _mm256_slli_epi64(_mm256_srlv_epi64(offset, e->n_odd), 32), 0xAA);
    if (residual) {
        const __m256i rm = _mm256_loadu_si256((const __m256i*)(params->residual_multiplier + lane0));
        const __m256i rn = _mm256_loadu_si256((const __m256i*)(params->residual_shift + lane0));
        e->rm_even = rm;
        e->rm_odd = _mm256_srli_epi64(rm, 32);
        e->rn_even = _mm256_and_si256(rn, low);
        e->rn_odd = _mm256_srli_epi64(rn, 32);
        e->radd_even = _mm256_sllv_epi64(one, _mm256_sub_epi64(e->rn_even, one));
        e->radd_odd = _mm256_sllv_epi64(one, _mm256_sub_epi64(e->rn_odd, one));
    }
}

/// Residual, requantization and clamp of 8 accumulators; stores `count` (1…8) bytes at `y`.
static inline __attribute__((always_inline, target("avx2"))) void finish8(
    __m256i acc, const epilogue8* e, const uint8_t* residual, uint8_t* y, size_t count) {
    if (residual != NULL) {
        const __m128i r8 = kws_u8s8_load8(residual, count);
        // residual * multiplier is non-negative and below 2^39: an unsigned shift rounds it as the scalar one
        // does, and the loader guarantees the rescaled value fits in s32.
        const __m256i r = _mm256_cvtepu8_epi32(r8);
        const __m256i even = _mm256_srlv_epi64(_mm256_add_epi64(_mm256_mul_epu32(r, e->rm_even), e->radd_even), e->rn_even);
        const __m256i odd = _mm256_srlv_epi64(
            _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(r, 32), e->rm_odd), e->radd_odd), e->rn_odd);
        acc = _mm256_add_epi32(acc, _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA));
    }
    const __m256i even = _mm256_srlv_epi64(_mm256_add_epi64(_mm256_mul_epi32(acc, e->m_even), e->add_even), e->n_even);
    const __m256i odd = _mm256_srlv_epi64(
        _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(acc, 32), e->m_odd), e->add_odd), e->n_odd);
    // Each shifted qword is the result plus 2^(62-n) and fits in 32 bits once that is taken off: the low dwords
    // carry it, modulo 2^32.
    const __m256i q = _mm256_sub_epi32(_mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA), e->fix);
    // s32 -> s16 with signed saturation, then s16 -> u8 with unsigned saturation: exactly clamp(q, 0, 255).
    const __m128i packed16 = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    const __m128i packed8 = _mm_packus_epi16(packed16, packed16);
    kws_u8s8_store8(y, packed8, count);
}

static inline __attribute__((always_inline, target("avx2"))) __m256i broadcast4(const uint8_t* x) {
    int32_t quad;
    memcpy(&quad, x, sizeof quad);
    return _mm256_set1_epi32(quad);
}

/// One `rows x 8*vectors` tile over `quads` depth quads.
KWS_INLINE KWS_TARGET_AVX2 void conv_tile(
    const size_t rows, const size_t vectors, const uint8_t* x, size_t input_step, size_t quads,
    const int16_t* w, size_t row, const kws_conv1d_u8s8_params* params, const epilogue8* e, size_t c, size_t live,
    const uint8_t* residual, uint8_t* y, size_t output_row) {
    __m256i acc[ROWS][VECTORS_MAX];
    for (size_t v = 0; v < vectors; v++) {
        const __m256i b = _mm256_loadu_si256((const __m256i*)(params->bias + c + v * LANES));
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    const __m256i even_bytes = _mm256_set1_epi32(0x00FF00FF);
    for (size_t g = 0; g < quads; g++) {
        const int16_t* we = w + 2 * g * row * 2;
        const int16_t* wo = we + row * 2;
        __m256i wv[VECTORS_MAX];
        for (size_t v = 0; v < vectors; v++) wv[v] = _mm256_loadu_si256((const __m256i*)(we + v * LANES * 2));
        for (size_t m = 0; m < rows; m++) {
            const __m256i xv = _mm256_and_si256(broadcast4(x + m * input_step + 4 * g), even_bytes);
            for (size_t v = 0; v < vectors; v++) acc[m][v] = _mm256_add_epi32(acc[m][v], _mm256_madd_epi16(xv, wv[v]));
        }
        for (size_t v = 0; v < vectors; v++) wv[v] = _mm256_loadu_si256((const __m256i*)(wo + v * LANES * 2));
        for (size_t m = 0; m < rows; m++) {
            const __m256i xv = _mm256_srli_epi16(broadcast4(x + m * input_step + 4 * g), 8);
            for (size_t v = 0; v < vectors; v++) acc[m][v] = _mm256_add_epi32(acc[m][v], _mm256_madd_epi16(xv, wv[v]));
        }
    }
    for (size_t v = 0; v < vectors; v++) {
        const size_t count = live - v * LANES < LANES ? live - v * LANES : LANES;
        for (size_t m = 0; m < rows; m++) {
            finish8(acc[m][v], &e[v], residual != NULL ? residual + m * output_row + v * LANES : NULL,
                    y + m * output_row + v * LANES, count);
        }
    }
}

#define KWS_TILE_CASE(ROWS_, VECTORS)                                                                       \
    case (ROWS_) * 8 + (VECTORS):                                                                           \
        conv_tile(ROWS_, VECTORS, x, input_step, quads, w, row, params, e, block.c, block.live, r, y, channels); \
        break;
#define KWS_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1) KWS_TILE_CASE(ROWS_, 2) KWS_TILE_CASE(ROWS_, 3) KWS_TILE_CASE(ROWS_, 4)

KWS_TARGET_AVX2
void kws_conv1d_u8s8_2x32__avx2(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, quads = sizes.depth / 4, input_step = sizes.input_step;
    const size_t row = sizes.row;

    // Only the 8-lane units that hold real channels are computed (24 channels: 3 units, not 4), in column
    // blocks of at most 4 units and row tiles of at most 2 rows, both split evenly.
    kws_column_walk columns = kws_column_blocks(channels, LANES, VECTORS_MAX);
    for (kws_column_block block; kws_next_column_block(&columns, &block);) {
        epilogue8 e[VECTORS_MAX];
        for (size_t v = 0; v < block.vectors; v++) prepare8(&e[v], params, block.c + v * LANES, residual != NULL);
        const int16_t* w = params->weights_s16 + block.c * 2;
        kws_row_walk rows = kws_row_tiles(shape->output_length, ROWS);
        for (kws_row_tile tile; kws_next_row_tile(&rows, &tile);) {
            const uint8_t* x = input + tile.t * input_step;
            const uint8_t* r = residual != NULL ? residual + tile.t * channels + block.c : NULL;
            uint8_t* y = output + tile.t * channels + block.c;
            switch (tile.rows * 8 + block.vectors) {
                KWS_TILE_CASES(1) KWS_TILE_CASES(2)
                default: assert(0 && "tile shape out of range");
            }
        }
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
