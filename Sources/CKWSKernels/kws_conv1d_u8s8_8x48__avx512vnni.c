#include <assert.h>
#include <string.h>
#include "kws_conv1d_u8s8.h"
#include "kws_kernel_table.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"
#include "kws_conv1d_u8s8_sizes.h"
#include "kws_conv1d_u8s8_vnni_tile.h"

enum { ROWS = KWS_VNNI_ROWS, UNITS_MAX = KWS_VNNI_UNITS, LANES = KWS_VNNI_LANES, TAIL_LANES = KWS_VNNI_TAIL_LANES };

/// `rescale` (kws_conv1d_u8s8.h) on 16 s32 lanes: even and odd lanes go through separate 32x32->64
/// products and an arithmetic 64-bit shift, then are interleaved back. The caller guarantees every result
/// fits in s32 (requantization multipliers are < 1; residual terms are bounded by the loader), so no clamp.
KWS_INLINE KWS_TARGET_VNNI __m512i rescale16(__m512i value, __m512i multiplier_odd, __m512i multiplier,
                                             __m512i shift_even, __m512i shift_odd, __m512i round_even, __m512i round_odd) {
    const __m512i even = _mm512_srav_epi64(_mm512_add_epi64(_mm512_mul_epi32(value, multiplier), round_even), shift_even);
    const __m512i odd = _mm512_srav_epi64(
        _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(value, 32), multiplier_odd), round_odd), shift_odd);
    return _mm512_mask_blend_epi32((__mmask16)0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

/// The same on 8 lanes (AVX-512VL forms of the 64-bit shift).
KWS_INLINE KWS_TARGET_VNNI __m256i rescale8(__m256i value, __m256i multiplier_odd, __m256i multiplier,
                                            __m256i shift_even, __m256i shift_odd, __m256i round_even, __m256i round_odd) {
    const __m256i even = _mm256_srav_epi64(_mm256_add_epi64(_mm256_mul_epi32(value, multiplier), round_even), shift_even);
    const __m256i odd = _mm256_srav_epi64(
        _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(value, 32), multiplier_odd), round_odd), shift_odd);
    return _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

/// Per-column constants of `rescale16`: the multiplier's odd lanes, the shifts split per 64-bit lane and the
/// rounding terms 2^(n-1), loaded once per column instead of once per row.
typedef struct { __m512i m, m_odd, n_even, n_odd, r_even, r_odd; } rescale_zmm;
typedef struct { __m256i m, m_odd, n_even, n_odd, r_even, r_odd; } rescale_ymm;

KWS_INLINE KWS_TARGET_VNNI rescale_zmm load_rescale16(const int32_t* multiplier, const int32_t* shift) {
    const __m512i one = _mm512_set1_epi64(1);
    const __m512i n = _mm512_loadu_si512(shift);
    rescale_zmm r;
    r.m = _mm512_loadu_si512(multiplier);
    r.m_odd = _mm512_srli_epi64(r.m, 32);
    r.n_even = _mm512_and_si512(n, _mm512_set1_epi64(0xFFFFFFFF));
    r.n_odd = _mm512_srli_epi64(n, 32);
    r.r_even = _mm512_sllv_epi64(one, _mm512_sub_epi64(r.n_even, one));
    r.r_odd = _mm512_sllv_epi64(one, _mm512_sub_epi64(r.n_odd, one));
    return r;
}

KWS_INLINE KWS_TARGET_VNNI rescale_ymm load_rescale8(const int32_t* multiplier, const int32_t* shift) {
    const __m256i one = _mm256_set1_epi64x(1);
    const __m256i n = _mm256_loadu_si256((const __m256i*)shift);
    rescale_ymm r;
    r.m = _mm256_loadu_si256((const __m256i*)multiplier);
    r.m_odd = _mm256_srli_epi64(r.m, 32);
    r.n_even = _mm256_and_si256(n, _mm256_set1_epi64x(0xFFFFFFFF));
    r.n_odd = _mm256_srli_epi64(n, 32);
    r.r_even = _mm256_sllv_epi64(one, _mm256_sub_epi64(r.n_even, one));
    r.r_odd = _mm256_sllv_epi64(one, _mm256_sub_epi64(r.n_odd, one));
    return r;
}

/// One `rows x (16 * vectors + 8 * tail)` tile: `vectors` zmm columns (the last one masked by `last_mask`)
/// plus, when `tail`, one ymm column for a remainder of at most 8 channels, so 24 channels cost 24 lanes,
/// not 32. Constant `rows`/`vectors`/`tail` let the compiler keep all accumulators in registers.
KWS_INLINE KWS_TARGET_VNNI void conv_tile(
    const size_t rows, const size_t vectors, const bool tail, const uint8_t* x, size_t input_step, size_t groups,
    const int8_t* w, size_t row, const kws_conv1d_u8s8_params* params, size_t c, const uint8_t* residual,
    uint8_t* y, size_t output_row, __mmask16 last_mask, __mmask8 tail_mask) {
    __m512i acc[ROWS][UNITS_MAX];
    __m256i acc_tail[ROWS];
    kws_vnni_tile(rows, vectors, tail, x, input_step, groups, w, row, params->bias + c, acc, acc_tail);
    const __m512i zero = _mm512_setzero_si512();
    for (size_t v = 0; v < vectors; v++) {
        const size_t lane0 = c + v * LANES;
        const __mmask16 mask = v + 1 == vectors && !tail ? last_mask : (__mmask16)0xFFFF;
        const rescale_zmm q = load_rescale16(params->multiplier + lane0, params->shift + lane0);
        rescale_zmm rr = q;
        if (residual != NULL) rr = load_rescale16(params->residual_multiplier + lane0, params->residual_shift + lane0);
        for (size_t m = 0; m < rows; m++) {
            __m512i out = acc[m][v];
            if (residual != NULL) {
                const __m512i r = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, residual + m * output_row + v * LANES));
                out = _mm512_add_epi32(out, rescale16(r, rr.m_odd, rr.m, rr.n_even, rr.n_odd, rr.r_even, rr.r_odd));
            }
            out = _mm512_max_epi32(rescale16(out, q.m_odd, q.m, q.n_even, q.n_odd, q.r_even, q.r_odd), zero);
            // Unsigned saturation to u8 is the clamp to 255 (negatives were just lifted to 0).
            _mm512_mask_cvtusepi32_storeu_epi8(y + m * output_row + v * LANES, mask, out);
        }
    }
    if (tail) {
        const size_t lane0 = c + vectors * LANES;
        const rescale_ymm q = load_rescale8(params->multiplier + lane0, params->shift + lane0);
        rescale_ymm rr = q;
        if (residual != NULL) rr = load_rescale8(params->residual_multiplier + lane0, params->residual_shift + lane0);
        for (size_t m = 0; m < rows; m++) {
            __m256i out = acc_tail[m];
            if (residual != NULL) {
                const __m256i r = _mm256_cvtepu8_epi32(_mm_maskz_loadu_epi8(tail_mask, residual + m * output_row + vectors * LANES));
                out = _mm256_add_epi32(out, rescale8(r, rr.m_odd, rr.m, rr.n_even, rr.n_odd, rr.r_even, rr.r_odd));
            }
            out = _mm256_max_epi32(rescale8(out, q.m_odd, q.m, q.n_even, q.n_odd, q.r_even, q.r_odd), _mm256_setzero_si256());
            _mm256_mask_cvtusepi32_storeu_epi8(y + m * output_row + vectors * LANES, tail_mask, out);
        }
    }
}

#define KWS_TILE_CASE(ROWS_, VECTORS, TAIL)                                                                   \
    case (ROWS_) * 8 + (VECTORS) * 2 + (TAIL):                                                                \
        conv_tile(ROWS_, VECTORS, TAIL, x, input_step, groups, w, row, params, c, r, y, channels, block_mask, \
                  tail_mask);                                                                                 \
        break;
#define KWS_TILE_CASES(ROWS_)                                                                                 \
    KWS_TILE_CASE(ROWS_, 0, 1) KWS_TILE_CASE(ROWS_, 1, 0) KWS_TILE_CASE(ROWS_, 1, 1)                         \
    KWS_TILE_CASE(ROWS_, 2, 0) KWS_TILE_CASE(ROWS_, 2, 1) KWS_TILE_CASE(ROWS_, 3, 0)

KWS_TARGET_VNNI
void kws_conv1d_u8s8_8x48__avx512vnni(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                      const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, groups = sizes.depth / 4, input_step = sizes.input_step;
    const size_t row = sizes.row;
    // Columns are "units": whole zmm vectors, then the remainder as a masked zmm (> 8 channels) or a ymm
    // tail (1..8 channels), spread evenly over blocks of at most 3 units. Rows are split evenly (49 -> 7 x 7,
    // not 6 x 8 + 1) so no tile is a latency-bound sliver.
    const size_t remainder = channels % LANES;
    const __mmask16 last_mask = remainder > TAIL_LANES ? (__mmask16)((1u << remainder) - 1) : (__mmask16)0xFFFF;
    const __mmask8 tail_mask = remainder > 0 && remainder <= TAIL_LANES ? (__mmask8)((1u << remainder) - 1) : (__mmask8)0xFF;
    kws_unit_walk blocks = kws_unit_blocks(channels, LANES, TAIL_LANES, UNITS_MAX);
    for (kws_unit_block block; kws_next_unit_block(&blocks, &block);) {
        const size_t c = block.c, vectors = block.vectors, tail = (size_t)block.tail;
        const __mmask16 block_mask = block.last ? last_mask : (__mmask16)0xFFFF;
        const int8_t* w = params->weights_s8 + c * 4;
        kws_row_walk tiles = kws_row_tiles(shape->output_length, ROWS);
        for (kws_row_tile tile; kws_next_row_tile(&tiles, &tile);) {
            const size_t t = tile.t;
            const uint8_t* x = input + t * input_step;
            const uint8_t* r = residual != NULL ? residual + t * channels + c : NULL;
            uint8_t* y = output + t * channels + c;
            switch (tile.rows * 8 + vectors * 2 + tail) {
                KWS_TILE_CASES(1) KWS_TILE_CASES(2) KWS_TILE_CASES(3) KWS_TILE_CASES(4)
                KWS_TILE_CASES(5) KWS_TILE_CASES(6) KWS_TILE_CASES(7) KWS_TILE_CASES(8)
                default: assert(0 && "tile shape out of range");
            }
        }
    }
}

KWS_TARGET_VNNI
void kws_quantize_f32_u8__avx512(size_t length, size_t channels, const float* input, const float* inverse_scale,
                                 const int32_t* zero_point, uint8_t* output) {
    const __m512 lo = _mm512_set1_ps(-256.0f), hi = _mm512_set1_ps(256.0f);
    for (size_t t = 0; t < length; t++) {
        const float* x = input + t * channels;
        uint8_t* y = output + t * channels;
        for (size_t c = 0; c < channels; c += LANES) {
            const __mmask16 mask = channels - c >= LANES ? (__mmask16)0xFFFF : (__mmask16)((1u << (channels - c)) - 1);
            __m512 v = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, x + c), _mm512_maskz_loadu_ps(mask, inverse_scale + c));
            // max(v, lo) returns lo for NaN v (the second operand), as the scalar variant does.
            v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);
            __m512i q = _mm512_add_epi32(_mm512_cvtps_epi32(v), _mm512_maskz_loadu_epi32(mask, zero_point + c));
            q = _mm512_max_epi32(q, _mm512_setzero_si512());
            _mm512_mask_cvtusepi32_storeu_epi8(y + c, mask, q);
        }
    }
}

KWS_TARGET_VNNI
int64_t kws_vnni_peak_probe(size_t iterations) {
    if (kws_kernels_for(KWS_ISA_AVX512)->conv1d_u8s8.isa != KWS_ISA_AVX512) return 0;
    __m512i acc[24];
    for (int i = 0; i < 24; i++) acc[i] = _mm512_set1_epi32(i);
    __m512i a = _mm512_set1_epi32(0x01020304);
    __m512i b = _mm512_set1_epi32(0x01FF01FF);
    for (size_t n = 0; n < iterations; n++) {
        for (int i = 0; i < 24; i++) acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
        // An empty asm keeps the operands opaque, so the compiler cannot fold the loop.
        __asm__ volatile("" : "+v"(a), "+v"(b));
    }
    __m512i sum = acc[0];
    for (int i = 1; i < 24; i++) sum = _mm512_add_epi32(sum, acc[i]);
    return _mm512_reduce_add_epi32(sum);
}

#else
// The one variant with callers outside the kernel table (Int8PeakRate): elsewhere it reports "no VNNI".
int64_t kws_vnni_peak_probe(size_t iterations) {
    (void)iterations;
    return 0;
}
#endif
