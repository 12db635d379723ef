#ifndef KWS_MFCC_COMMON_H
#define KWS_MFCC_COMMON_H
/*
 * Scalar pieces every MFCC variant shares (private to CKWSKernels): the scratch layout and the one-value forms
 * of each stage, used by the scalar reference and for the SIMD variants' tails and out-of-domain lanes.
 */
#include <float.h>
#include <math.h>
#include <string.h>
#include "kws_mfcc.h"

#pragma STDC FP_CONTRACT OFF

/// Scratch: spectrum (bin_count + 4 padding, zero), then mel_count log-mel values, then the DCT's sums and
/// differences (folded each), then the SIMD variants' dct_stride column totals.
static inline size_t kws_mfcc_spectrum_capacity(const kws_mfcc_tables* t) { return t->bin_count + 4; }

/// MFCCVectorLog's polynomial on one value already known positive, normal and finite.
static inline float kws_mfcc_log_poly1(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    float exponent = (float)((int32_t)(bits >> 23) - 126);
    uint32_t mantissa_bits = (bits & 0x807FFFFFu) | 0x3F000000u;
    float mantissa;
    memcpy(&mantissa, &mantissa_bits, sizeof mantissa);
    if (mantissa < 0.707106781186547524f) {
        exponent = exponent - 1.0f;
        mantissa = mantissa + mantissa;
    }
    const float f = mantissa - 1.0f;
    const float z = f * f;
    float p = 7.0376836292e-2f;
    p = p * f + -1.1514610310e-1f;
    p = p * f + 1.1676998740e-1f;
    p = p * f + -1.2420140846e-1f;
    p = p * f + 1.4249322787e-1f;
    p = p * f + -1.6668057665e-1f;
    p = p * f + 2.0000714765e-1f;
    p = p * f + -2.4999993993e-1f;
    p = p * f + 3.3333331174e-1f;
    float y = f * z * p;
    y = y + exponent * -2.12194440e-4f;
    y = y - 0.5f * z;
    return (f + y) + exponent * 0.693359375f;
}

static inline int kws_mfcc_log_in_domain(float x) { return x >= FLT_MIN && x <= FLT_MAX; }

/// The log stage on `count` values in place, as MFCC.takeLog (after the offset or floor).
static inline void kws_mfcc_log_groups_scalar(float* v, size_t start, size_t count) {
    size_t vector_end = count / 4 * 4;
    for (size_t i = start; i < vector_end; i += 4) {
        if (kws_mfcc_log_in_domain(v[i]) && kws_mfcc_log_in_domain(v[i + 1]) && kws_mfcc_log_in_domain(v[i + 2]) &&
            kws_mfcc_log_in_domain(v[i + 3])) {
            for (size_t j = 0; j < 4; j++) v[i + j] = kws_mfcc_log_poly1(v[i + j]);
        } else {
            for (size_t j = 0; j < 4; j++) v[i + j] = logf(v[i + j]);
        }
    }
    for (size_t i = vector_end > start ? vector_end : start; i < count; i++) v[i] = logf(v[i]);
}

/// Offset (tf-signal) or floor (audio-ops, Swift's max(x, 1e-12): y >= x ? y : x) before the log.
static inline float kws_mfcc_pre_log(const kws_mfcc_tables* t, float x) {
    if (t->magnitude) return 1e-12f >= x ? 1e-12f : x;
    return x + t->log_offset;
}

/// DCTMatrix's fold: sums[n] = v[n] + v[N-1-n], differences[n] = v[n] - v[N-1-n]; the middle value of odd N alone.
static inline void kws_mfcc_fold(const kws_mfcc_tables* t, const float* v, float* sums, float* differences) {
    const size_t n_in = t->mel_count;
    for (size_t n = 0; n < n_in / 2; n++) {
        const float mirrored = v[n_in - 1 - n];
        sums[n] = v[n] + mirrored;
        differences[n] = v[n] - mirrored;
    }
    if (n_in % 2 == 1) {
        sums[t->folded - 1] = v[t->folded - 1];
        differences[t->folded - 1] = v[t->folded - 1];
    }
}

/// The DCT outputs from the column totals of the [even | odd] basis: output[2j] = total[j],
/// output[2j + 1] = total[even_stride + j].
static inline void kws_mfcc_dct_outputs(const kws_mfcc_tables* t, const float* total, float* output) {
    const size_t even = (t->dct_outputs + 1) / 2, odd = t->dct_outputs / 2;
    for (size_t j = 0; j < even; j++) output[2 * j] = total[j];
    for (size_t j = 0; j < odd; j++) output[2 * j + 1] = total[t->even_stride + j];
}

#endif
