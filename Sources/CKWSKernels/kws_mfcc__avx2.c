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

/// DCTMatrix.accumulate, 8 outputs of one parity per block.
KWS_INLINE KWS_TARGET_AVX2 void accumulate(const float* basis, size_t count, size_t stride, const float* folded,
                                           size_t rows, size_t parity, size_t outputs, float* output) {
    const size_t unrolled = rows / 4 * 4;
    for (size_t column = 0; column < stride; column += 8) {
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        size_t n = 0;
        for (; n < unrolled; n += 4) {
            const float* row = basis + n * stride + column;
            s0 = _mm256_add_ps(s0, _mm256_mul_ps(_mm256_broadcast_ss(folded + n), _mm256_loadu_ps(row)));
            s1 = _mm256_add_ps(s1, _mm256_mul_ps(_mm256_broadcast_ss(folded + n + 1), _mm256_loadu_ps(row + stride)));
            s2 = _mm256_add_ps(s2, _mm256_mul_ps(_mm256_broadcast_ss(folded + n + 2), _mm256_loadu_ps(row + 2 * stride)));
            s3 = _mm256_add_ps(s3, _mm256_mul_ps(_mm256_broadcast_ss(folded + n + 3), _mm256_loadu_ps(row + 3 * stride)));
        }
        for (; n < rows; n++)
            s0 = _mm256_add_ps(s0, _mm256_mul_ps(_mm256_broadcast_ss(folded + n), _mm256_loadu_ps(basis + n * stride + column)));
        float total[8];
        _mm256_storeu_ps(total, _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
        for (size_t lane = 0; lane < 8 && column + lane < count; lane++) {
            const size_t k = 2 * (column + lane) + parity;
            if (k < outputs) output[k] = total[lane];
        }
    }
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
    for (size_t m = 0; m < t->mel_count; m++) {
        const float* bin = power + t->first_bin[m];
        __m128 l = _mm_setzero_ps();
        for (int32_t i = t->run_start[m]; i < t->run_start[m + 1]; i += 4, bin += 4)
            l = _mm_add_ps(l, _mm_mul_ps(_mm_loadu_ps(t->mel_weights + i), _mm_loadu_ps(bin)));
        float lanes[4];
        _mm_storeu_ps(lanes, l);
        mel[m] = kws_mfcc_pre_log(t, ((lanes[0] + lanes[1]) + lanes[2]) + lanes[3]);
    }
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
    accumulate(t->even_basis, t->even_count, t->even_stride, sums, t->folded, 0, t->dct_outputs, output);
    accumulate(t->odd_basis, t->odd_count, t->odd_stride, differences, t->folded, 1, t->dct_outputs, output);
}
#endif
