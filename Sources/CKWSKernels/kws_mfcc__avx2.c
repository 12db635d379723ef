// The MFCC frame stages on AVX2 (8 lanes): the same operations per value as kws_mfcc__scalar.c, in the same
// order and without FMA, so the bits are the scalar reference's (kws_mfcc.h). FMA is not used even though the
// table row requires it: fusing would change the rounding.
#include "kws_mfcc_common.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"

#pragma STDC FP_CONTRACT OFF

KWS_TARGET_AVX2 void kws_mfcc_window__avx2(const kws_mfcc_tables* t, const float* frame, size_t frame_count,
                                           float* fft_input) {
    const size_t used = frame_count < t->window_length ? frame_count : t->window_length;
    size_t i = 0;
    for (; i + 8 <= used; i += 8) {
        const __m256 x = _mm256_loadu_ps(frame + i);
        const __m256d lo = _mm256_mul_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(x)), _mm256_loadu_pd(t->window + i));
        const __m256d hi = _mm256_mul_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)), _mm256_loadu_pd(t->window + i + 4));
        _mm256_storeu_ps(fft_input + i, _mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo)));
    }
    for (; i < used; i++) fft_input[i] = (float)((double)frame[i] * t->window[i]);
    for (; i + 8 <= t->fft_length; i += 8) _mm256_storeu_ps(fft_input + i, _mm256_setzero_ps());
    for (; i < t->fft_length; i++) fft_input[i] = 0;
}

/// MFCCVectorLog on 8 lanes (each lane positive, normal and finite, or fixed up by the caller).
KWS_INLINE KWS_TARGET_AVX2 __m256 log_poly8(__m256 x) {
    const __m256i bits = _mm256_castps_si256(x);
    __m256 exponent = _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(126)));
    __m256 mantissa = _mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32((int)0x807FFFFF)),
                                                          _mm256_set1_epi32(0x3F000000)));
    const __m256 small = _mm256_cmp_ps(mantissa, _mm256_set1_ps(0.707106781186547524f), _CMP_LT_OQ);
    exponent = _mm256_blendv_ps(exponent, _mm256_sub_ps(exponent, _mm256_set1_ps(1.0f)), small);
    mantissa = _mm256_blendv_ps(mantissa, _mm256_add_ps(mantissa, mantissa), small);
    const __m256 f = _mm256_sub_ps(mantissa, _mm256_set1_ps(1.0f));
    const __m256 z = _mm256_mul_ps(f, f);
    __m256 p = _mm256_set1_ps(7.0376836292e-2f);
    p = _mm256_add_ps(_mm256_mul_ps(p, f), _mm256_set1_ps(-1.1514610310e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, f), _mm256_set1_ps(1.1676998740e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, f), _mm256_set1_ps(-1.2420140846e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, f), _mm256_set1_ps(1.4249322787e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, f), _mm256_set1_ps(-1.6668057665e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, f), _mm256_set1_ps(2.0000714765e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, f), _mm256_set1_ps(-2.4999993993e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, f), _mm256_set1_ps(3.3333331174e-1f));
    __m256 y = _mm256_mul_ps(_mm256_mul_ps(f, z), p);
    y = _mm256_add_ps(y, _mm256_mul_ps(exponent, _mm256_set1_ps(-2.12194440e-4f)));
    y = _mm256_sub_ps(y, _mm256_mul_ps(_mm256_set1_ps(0.5f), z));
    return _mm256_add_ps(_mm256_add_ps(f, y), _mm256_mul_ps(exponent, _mm256_set1_ps(0.693359375f)));
}

/// One band's four lane sums over its zero-padded run (MelFilterbank.apply's SIMD4 accumulator).
KWS_INLINE KWS_TARGET_AVX2 __m128 band_lanes(const kws_mfcc_tables* t, const float* power, size_t m) {
    const float* bin = power + t->first_bin[m];
    __m128 l = _mm_setzero_ps();
    for (int32_t i = t->run_start[m]; i < t->run_start[m + 1]; i += 4, bin += 4)
        l = _mm_add_ps(l, _mm_mul_ps(_mm_loadu_ps(t->mel_weights + i), _mm_loadu_ps(bin)));
    return l;
}

/// Mel values (before the log, offset or floored): four bands' lane sums transposed so that
/// ((l0 + l1) + l2) + l3 (Swift's SIMD4.sum) runs for the four bands in one vector.
KWS_INLINE KWS_TARGET_AVX2 void mel_bands(const kws_mfcc_tables* t, const float* power, float* mel) {
    size_t m = 0;
    for (; m + 4 <= t->mel_count; m += 4) {
        __m128 a = band_lanes(t, power, m), b = band_lanes(t, power, m + 1);
        __m128 c = band_lanes(t, power, m + 2), d = band_lanes(t, power, m + 3);
        _MM_TRANSPOSE4_PS(a, b, c, d);
        __m128 x = _mm_add_ps(_mm_add_ps(_mm_add_ps(a, b), c), d);
        if (t->magnitude) {
            // 1e-12 >= x ? 1e-12 : x (Swift's max(x, 1e-12)); a NaN stays NaN.
            const __m128 floor = _mm_set1_ps(1e-12f);
            x = _mm_blendv_ps(x, floor, _mm_cmp_ps(floor, x, _CMP_GE_OQ));
        } else {
            x = _mm_add_ps(x, _mm_set1_ps(t->log_offset));
        }
        _mm_storeu_ps(mel + m, x);
    }
    for (; m < t->mel_count; m++) {
        float lanes[4];
        _mm_storeu_ps(lanes, band_lanes(t, power, m));
        mel[m] = kws_mfcc_pre_log(t, ((lanes[0] + lanes[1]) + lanes[2]) + lanes[3]);
    }
}

/// DCTMatrix.accumulate for the columns [column, column + 8 * CH) of the [even | odd] basis at once: 4 partial
/// sums (row n mod 4) per column combined as (s0 + s1) + (s2 + s3). Each 8-column block is all even (folded sums)
/// or all odd (differences), as even_stride is a multiple of 8. Writes `total[0, 8 * CH)`.
KWS_INLINE KWS_TARGET_AVX2 void dct_pass(const kws_mfcc_tables* t, const float* sums, const float* differences,
                                         size_t column, const int CH, float* total) {
    const size_t stride = t->dct_stride, rows = t->folded, unrolled = rows / 4 * 4;
    const float* input[3];
    for (int c = 0; c < CH; c++) input[c] = column + 8 * (size_t)c < t->even_stride ? sums : differences;
    __m256 acc[4][3];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < CH; c++) acc[r][c] = _mm256_setzero_ps();
    const float* basis = t->dct_basis + column;
    size_t n = 0;
    for (; n < unrolled; n += 4)
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < CH; c++)
                acc[r][c] = _mm256_add_ps(acc[r][c], _mm256_mul_ps(_mm256_broadcast_ss(input[c] + n + r),
                                                                   _mm256_loadu_ps(basis + (n + r) * stride + 8 * c)));
    for (; n < rows; n++)
        for (int c = 0; c < CH; c++)
            acc[0][c] = _mm256_add_ps(acc[0][c], _mm256_mul_ps(_mm256_broadcast_ss(input[c] + n),
                                                               _mm256_loadu_ps(basis + n * stride + 8 * c)));
    for (int c = 0; c < CH; c++)
        _mm256_storeu_ps(total + 8 * c,
                         _mm256_add_ps(_mm256_add_ps(acc[0][c], acc[1][c]), _mm256_add_ps(acc[2][c], acc[3][c])));
}

/// DCTMatrix.apply's two accumulations, in sweeps of up to 24 basis columns (12 accumulators in 16 ymm).
KWS_INLINE KWS_TARGET_AVX2 void dct(const kws_mfcc_tables* t, const float* sums, const float* differences,
                                    float* total, float* output) {
    for (size_t column = 0; column < t->dct_stride; column += 24) {
        const size_t width = t->dct_stride - column < 24 ? t->dct_stride - column : 24;
        if (width > 16) dct_pass(t, sums, differences, column, 3, total + column);
        else if (width > 8) dct_pass(t, sums, differences, column, 2, total + column);
        else dct_pass(t, sums, differences, column, 1, total + column);
    }
    kws_mfcc_dct_outputs(t, total, output);
}

KWS_TARGET_AVX2 void kws_mfcc_cepstrum__avx2(const kws_mfcc_tables* t, const float* spectrum, float* scratch,
                                             float* output) {
    float* power = scratch;
    float* mel = scratch + kws_mfcc_spectrum_capacity(t);
    float* sums = mel + t->mel_count;
    float* differences = sums + t->folded;
    const size_t bins = t->bin_count;
    size_t k = 0;
    for (; k + 8 <= bins; k += 8) {
        const __m256 a = _mm256_loadu_ps(spectrum + 2 * k);
        const __m256 b = _mm256_loadu_ps(spectrum + 2 * k + 8);
        // hadd gives re*re + im*im per bin in the order k, k+1, k+4, k+5 | k+2, k+3, k+6, k+7.
        __m256 p = _mm256_hadd_ps(_mm256_mul_ps(a, a), _mm256_mul_ps(b, b));
        p = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(p), 0xD8));
        if (t->magnitude) p = _mm256_sqrt_ps(p);
        _mm256_storeu_ps(power + k, p);
    }
    for (; k < bins; k++) {
        const float re = spectrum[2 * k], im = spectrum[2 * k + 1];
        const float p = re * re + im * im;
        power[k] = t->magnitude ? sqrtf(p) : p;
    }
    mel_bands(t, power, mel);
    const size_t count = t->mel_count;
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 x = _mm256_loadu_ps(mel + i);
        const __m256 in = _mm256_and_ps(_mm256_cmp_ps(x, _mm256_set1_ps(FLT_MIN), _CMP_GE_OQ),
                                        _mm256_cmp_ps(x, _mm256_set1_ps(FLT_MAX), _CMP_LE_OQ));
        const int mask = _mm256_movemask_ps(in);
        _mm256_storeu_ps(mel + i, log_poly8(x));
        // A group of four with any lane out of the domain goes to logf, as MFCCVectorLog does.
        if ((mask & 0x0F) != 0x0F) {
            _mm_storeu_ps(mel + i, _mm256_castps256_ps128(x));
            for (size_t j = 0; j < 4; j++) mel[i + j] = logf(mel[i + j]);
        }
        if ((mask & 0xF0) != 0xF0) {
            _mm_storeu_ps(mel + i + 4, _mm256_extractf128_ps(x, 1));
            for (size_t j = 4; j < 8; j++) mel[i + j] = logf(mel[i + j]);
        }
    }
    kws_mfcc_log_groups_scalar(mel, i, count);
    kws_mfcc_fold(t, mel, sums, differences);
    dct(t, sums, differences, differences + t->folded, output);
}
#endif
