#ifndef KWS_CONV1D_U8S8_AVX2_EPILOGUE_H
#define KWS_CONV1D_U8S8_AVX2_EPILOGUE_H
// Private to the AVX2 u8s8 kernels (not under include/, so not part of the module).
#include <immintrin.h>
#include <string.h>
#include "kws_conv1d_u8s8.h"

/// `rescale` (kws_conv1d_u8s8.h) on the 4 s32 values in the even (`odd` = 0) or odd lanes, as 64-bit
/// results. AVX2 has no 64-bit arithmetic shift, so the product is offset by 2^62 (it is smaller than that
/// in magnitude) to shift it as an unsigned number, and the shifted offset 2^(62-n) is taken off again.
static inline __attribute__((always_inline, target("avx2"))) __m256i kws_u8s8_avx2_rescale4(
    __m256i value, __m256i multiplier, __m256i shift) {
    const __m256i one = _mm256_set1_epi64x(1);
    const __m256i offset = _mm256_set1_epi64x((int64_t)1 << 62);
    const __m256i product = _mm256_mul_epi32(value, multiplier);
    const __m256i rounding = _mm256_sllv_epi64(one, _mm256_sub_epi64(shift, one));
    const __m256i shifted = _mm256_srlv_epi64(_mm256_add_epi64(_mm256_add_epi64(product, offset), rounding), shift);
    return _mm256_sub_epi64(shifted, _mm256_srlv_epi64(offset, shift));
}

/// Clamps 64-bit lanes to [lo, hi].
static inline __attribute__((always_inline, target("avx2"))) __m256i kws_u8s8_avx2_clamp64(__m256i v, __m256i lo, __m256i hi) {
    v = _mm256_blendv_epi8(v, lo, _mm256_cmpgt_epi64(lo, v));
    return _mm256_blendv_epi8(v, hi, _mm256_cmpgt_epi64(v, hi));
}

/// `rescale` on 8 s32 lanes, clamped to [lo, hi] (given as 64-bit vectors).
static inline __attribute__((always_inline, target("avx2"))) __m256i kws_u8s8_avx2_rescale8(
    __m256i value, const int32_t* multiplier, const int32_t* shift, __m256i lo, __m256i hi) {
    const __m256i m = _mm256_loadu_si256((const __m256i*)multiplier);
    const __m256i n = _mm256_loadu_si256((const __m256i*)shift);
    const __m256i low_half = _mm256_set1_epi64x(0xFFFFFFFF);
    const __m256i even = kws_u8s8_avx2_clamp64(kws_u8s8_avx2_rescale4(value, m, _mm256_and_si256(n, low_half)), lo, hi);
    const __m256i odd = kws_u8s8_avx2_clamp64(
        kws_u8s8_avx2_rescale4(_mm256_srli_epi64(value, 32), _mm256_srli_epi64(m, 32), _mm256_srli_epi64(n, 32)), lo, hi);
    return _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

/// `count` (1…8) bytes from `p` in the low lanes, zeros above: never reads past `p + count`.
static inline __attribute__((always_inline, target("avx2"))) __m128i kws_u8s8_load8(const uint8_t* p, size_t count) {
    if (count == 8) return _mm_loadl_epi64((const __m128i*)p);
    uint8_t bytes[8] = {0};
    memcpy(bytes, p, count);
    return _mm_loadl_epi64((const __m128i*)bytes);
}

/// Stores the low `count` (1…8) bytes of `packed` at `y`: never writes past `y + count`.
static inline __attribute__((always_inline, target("avx2"))) void kws_u8s8_store8(uint8_t* y, __m128i packed, size_t count) {
    if (count == 8) {
        _mm_storel_epi64((__m128i*)y, packed);
        return;
    }
    uint8_t bytes[16];
    _mm_storeu_si128((__m128i*)bytes, packed);
    memcpy(y, bytes, count);
}

/// The fused epilogue on 8 accumulators of channels `lane0 …`: residual, requantize, ReLU, store `count`
/// (1…8) bytes; `residual` (NULL for none) and `y` point at channel `lane0` of their rows.
static inline __attribute__((always_inline, target("avx2"))) void kws_u8s8_avx2_finish8(
    __m256i acc, const kws_conv1d_u8s8_params* params, size_t lane0, const uint8_t* residual, uint8_t* y, size_t count) {
    if (residual != NULL) {
        const __m128i r8 = kws_u8s8_load8(residual, count);
        const __m256i r = _mm256_cvtepu8_epi32(r8);
        const __m256i term = kws_u8s8_avx2_rescale8(r, params->residual_multiplier + lane0, params->residual_shift + lane0,
                                                    _mm256_set1_epi64x(INT32_MIN), _mm256_set1_epi64x(INT32_MAX));
        acc = _mm256_add_epi32(acc, term);
    }
    const __m256i q = kws_u8s8_avx2_rescale8(acc, params->multiplier + lane0, params->shift + lane0,
                                             _mm256_setzero_si256(), _mm256_set1_epi64x(255));
    const __m128i packed16 = _mm_packus_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    const __m128i packed8 = _mm_packus_epi16(packed16, packed16);
    kws_u8s8_store8(y, packed8, count);
}
#endif
