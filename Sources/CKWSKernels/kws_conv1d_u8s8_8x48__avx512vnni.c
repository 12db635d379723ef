#include <assert.h>
#include <string.h>
#include "kws_conv1d_u8s8.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define KWS_TARGET_VNNI __attribute__((target("avx512vnni,avx512bw,avx512f,avx512vl")))
#define KWS_INLINE static inline __attribute__((always_inline))

enum { ROWS = 8, VECTORS_MAX = 3, LANES = 16 };

/// `rescale` (kws_conv1d_u8s8.h) on 16 s32 lanes: even and odd lanes go through separate 32x32->64
/// products, an arithmetic 64-bit shift, then are clamped to [lo, hi] and interleaved back.
KWS_INLINE KWS_TARGET_VNNI __m512i rescale16(__m512i value, __m512i multiplier, __m512i shift, __m512i lo, __m512i hi) {
    const __m512i one = _mm512_set1_epi64(1);
    const __m512i low_half = _mm512_set1_epi64(0xFFFFFFFF);
    const __m512i shift_even = _mm512_and_si512(shift, low_half);
    const __m512i shift_odd = _mm512_srli_epi64(shift, 32);
    __m512i even = _mm512_mul_epi32(value, multiplier);
    __m512i odd = _mm512_mul_epi32(_mm512_srli_epi64(value, 32), _mm512_srli_epi64(multiplier, 32));
    even = _mm512_add_epi64(even, _mm512_sllv_epi64(one, _mm512_sub_epi64(shift_even, one)));
    odd = _mm512_add_epi64(odd, _mm512_sllv_epi64(one, _mm512_sub_epi64(shift_odd, one)));
    even = _mm512_min_epi64(_mm512_max_epi64(_mm512_srav_epi64(even, shift_even), lo), hi);
    odd = _mm512_min_epi64(_mm512_max_epi64(_mm512_srav_epi64(odd, shift_odd), lo), hi);
    return _mm512_mask_blend_epi32((__mmask16)0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

/// One `rows x 16*vectors` tile. Constant `rows`/`vectors` let the compiler keep all accumulators in zmm.
KWS_INLINE KWS_TARGET_VNNI void conv_tile(
    const size_t rows, const size_t vectors, const uint8_t* x, size_t input_step, size_t groups,
    const int8_t* w, size_t row, const kws_conv1d_u8s8_params* params, size_t c, const uint8_t* residual,
    uint8_t* y, size_t output_row, __mmask16 last_mask) {
    __m512i acc[ROWS][VECTORS_MAX];
    for (size_t v = 0; v < vectors; v++) {
        const __m512i b = _mm512_loadu_si512(params->bias + c + v * LANES);
        for (size_t m = 0; m < rows; m++) acc[m][v] = b;
    }
    for (size_t g = 0; g < groups; g++) {
        const int8_t* wg = w + g * row * 4;
        __m512i wv[VECTORS_MAX];
        for (size_t v = 0; v < vectors; v++) wv[v] = _mm512_loadu_si512(wg + v * LANES * 4);
        for (size_t m = 0; m < rows; m++) {
            int32_t quad;
            memcpy(&quad, x + m * input_step + 4 * g, sizeof quad);
            const __m512i xv = _mm512_set1_epi32(quad);
            for (size_t v = 0; v < vectors; v++) acc[m][v] = _mm512_dpbusd_epi32(acc[m][v], xv, wv[v]);
        }
    }
    const __m512i zero64 = _mm512_setzero_si512();
    const __m512i u8_max = _mm512_set1_epi64(255);
    const __m512i s32_min = _mm512_set1_epi64(INT32_MIN);
    const __m512i s32_max = _mm512_set1_epi64(INT32_MAX);
    for (size_t v = 0; v < vectors; v++) {
        const size_t lane0 = c + v * LANES;
        const __mmask16 mask = v + 1 == vectors ? last_mask : (__mmask16)0xFFFF;
        const __m512i multiplier = _mm512_loadu_si512(params->multiplier + lane0);
        const __m512i shift = _mm512_loadu_si512(params->shift + lane0);
        __m512i residual_multiplier = zero64, residual_shift = zero64;
        if (residual != NULL) {
            residual_multiplier = _mm512_loadu_si512(params->residual_multiplier + lane0);
            residual_shift = _mm512_loadu_si512(params->residual_shift + lane0);
        }
        for (size_t m = 0; m < rows; m++) {
            __m512i out = acc[m][v];
            if (residual != NULL) {
                const __m128i r8 = _mm_maskz_loadu_epi8(mask, residual + m * output_row + v * LANES);
                const __m512i r = _mm512_cvtepu8_epi32(r8);
                out = _mm512_add_epi32(out, rescale16(r, residual_multiplier, residual_shift, s32_min, s32_max));
            }
            out = rescale16(out, multiplier, shift, zero64, u8_max);
            _mm512_mask_cvtepi32_storeu_epi8(y + m * output_row + v * LANES, mask, out);
        }
    }
}

#define KWS_TILE_CASE(ROWS_, VECTORS)                                                                      \
    case (ROWS_) * 4 + (VECTORS):                                                                          \
        conv_tile(ROWS_, VECTORS, x, input_step, groups, w, row, params, c, r, y, channels, block_mask);   \
        break;
#define KWS_TILE_CASES(ROWS_) KWS_TILE_CASE(ROWS_, 1) KWS_TILE_CASE(ROWS_, 2) KWS_TILE_CASE(ROWS_, 3)

KWS_TARGET_VNNI
void kws_conv1d_u8s8_8x48__avx512vnni(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                      const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const size_t channels = shape->output_channels;
    const size_t groups = kws_conv1d_u8s8_packed_depth(shape->kernel_size * shape->input_channels) / 4;
    const size_t input_step = shape->stride * shape->input_channels;
    const size_t row = kws_conv1d_u8s8_packed_channels(channels);
    const size_t units = row / LANES;
    // Columns of whole zmm vectors spread evenly over blocks of at most 3 (64 -> 2 + 2, 80 -> 3 + 2).
    const size_t blocks = (units + VECTORS_MAX - 1) / VECTORS_MAX;
    const size_t remainder = channels % LANES;
    const __mmask16 last_mask = remainder ? (__mmask16)((1u << remainder) - 1) : (__mmask16)0xFFFF;

    size_t unit = 0;
    for (size_t block = 0; block < blocks; block++) {
        const size_t vectors = (units - unit) / (blocks - block) + ((units - unit) % (blocks - block) != 0);
        const size_t c = unit * LANES;
        const __mmask16 block_mask = block + 1 == blocks ? last_mask : (__mmask16)0xFFFF;
        const int8_t* w = params->weights_s8 + c * 4;
        for (size_t t = 0; t < shape->output_length; t += ROWS) {
            const size_t rows = shape->output_length - t < ROWS ? shape->output_length - t : ROWS;
            const uint8_t* x = input + t * input_step;
            const uint8_t* r = residual != NULL ? residual + t * channels + c : NULL;
            uint8_t* y = output + t * channels + c;
            switch (rows * 4 + vectors) {
                KWS_TILE_CASES(1) KWS_TILE_CASES(2) KWS_TILE_CASES(3) KWS_TILE_CASES(4)
                KWS_TILE_CASES(5) KWS_TILE_CASES(6) KWS_TILE_CASES(7) KWS_TILE_CASES(8)
                default: assert(0 && "tile shape out of range");
            }
        }
        unit += vectors;
    }
}

KWS_TARGET_VNNI
int64_t kws_vnni_peak_probe(size_t iterations) {
    if (!kws_isa_avx512vnni_supported()) return 0;
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
void kws_conv1d_u8s8_8x48__avx512vnni(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                      const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    kws_conv1d_u8s8_1x1__scalar(shape, params, input, residual, output);
}

int64_t kws_vnni_peak_probe(size_t iterations) {
    (void)iterations;
    return 0;
}
#endif
