// The MFCC frame stages on AVX-512F (16 lanes): the same operations per value as kws_mfcc__scalar.c, in the
// same order and without FMA, so the bits are the scalar reference's (kws_mfcc.h).
#include "kws_mfcc_common.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"

#pragma STDC FP_CONTRACT OFF

KWS_TARGET_AVX512F void kws_mfcc_window__avx512(const kws_mfcc_tables* t, const float* frame, size_t frame_count,
                                                float* fft_input) {
    const size_t used = frame_count < t->window_length ? frame_count : t->window_length;
    size_t i = 0;
    for (; i + 16 <= used; i += 16) {
        const __m512d lo = _mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(frame + i)), _mm512_loadu_pd(t->window + i));
        const __m512d hi =
            _mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(frame + i + 8)), _mm512_loadu_pd(t->window + i + 8));
        _mm256_storeu_ps(fft_input + i, _mm512_cvtpd_ps(lo));
        _mm256_storeu_ps(fft_input + i + 8, _mm512_cvtpd_ps(hi));
    }
    for (; i < used; i++) fft_input[i] = (float)((double)frame[i] * t->window[i]);
    for (; i + 16 <= t->fft_length; i += 16) _mm512_storeu_ps(fft_input + i, _mm512_setzero_ps());
    for (; i < t->fft_length; i++) fft_input[i] = 0;
}

/// MFCCVectorLog on 16 lanes (each lane positive, normal and finite, or fixed up by the caller).
KWS_INLINE KWS_TARGET_AVX512F __m512 log_poly16(__m512 x) {
    const __m512i bits = _mm512_castps_si512(x);
    __m512 exponent = _mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_srli_epi32(bits, 23), _mm512_set1_epi32(126)));
    __m512 mantissa = _mm512_castsi512_ps(_mm512_or_si512(_mm512_and_si512(bits, _mm512_set1_epi32((int)0x807FFFFF)),
                                                          _mm512_set1_epi32(0x3F000000)));
    const __mmask16 small = _mm512_cmp_ps_mask(mantissa, _mm512_set1_ps(0.707106781186547524f), _CMP_LT_OQ);
    exponent = _mm512_mask_sub_ps(exponent, small, exponent, _mm512_set1_ps(1.0f));
    mantissa = _mm512_mask_add_ps(mantissa, small, mantissa, mantissa);
    const __m512 f = _mm512_sub_ps(mantissa, _mm512_set1_ps(1.0f));
    const __m512 z = _mm512_mul_ps(f, f);
    __m512 p = _mm512_set1_ps(7.0376836292e-2f);
    p = _mm512_add_ps(_mm512_mul_ps(p, f), _mm512_set1_ps(-1.1514610310e-1f));
    p = _mm512_add_ps(_mm512_mul_ps(p, f), _mm512_set1_ps(1.1676998740e-1f));
    p = _mm512_add_ps(_mm512_mul_ps(p, f), _mm512_set1_ps(-1.2420140846e-1f));
    p = _mm512_add_ps(_mm512_mul_ps(p, f), _mm512_set1_ps(1.4249322787e-1f));
    p = _mm512_add_ps(_mm512_mul_ps(p, f), _mm512_set1_ps(-1.6668057665e-1f));
    p = _mm512_add_ps(_mm512_mul_ps(p, f), _mm512_set1_ps(2.0000714765e-1f));
    p = _mm512_add_ps(_mm512_mul_ps(p, f), _mm512_set1_ps(-2.4999993993e-1f));
    p = _mm512_add_ps(_mm512_mul_ps(p, f), _mm512_set1_ps(3.3333331174e-1f));
    __m512 y = _mm512_mul_ps(_mm512_mul_ps(f, z), p);
    y = _mm512_add_ps(y, _mm512_mul_ps(exponent, _mm512_set1_ps(-2.12194440e-4f)));
    y = _mm512_sub_ps(y, _mm512_mul_ps(_mm512_set1_ps(0.5f), z));
    return _mm512_add_ps(_mm512_add_ps(f, y), _mm512_mul_ps(exponent, _mm512_set1_ps(0.693359375f)));
}

/// One band's four lane sums over its zero-padded run (MelFilterbank.apply's SIMD4 accumulator).
KWS_INLINE KWS_TARGET_AVX512F __m128 band_lanes(const kws_mfcc_tables* t, const float* power, size_t m) {
    const float* bin = power + t->first_bin[m];
    __m128 l = _mm_setzero_ps();
    for (int32_t i = t->run_start[m]; i < t->run_start[m + 1]; i += 4, bin += 4)
        l = _mm_add_ps(l, _mm_mul_ps(_mm_loadu_ps(t->mel_weights + i), _mm_loadu_ps(bin)));
    return l;
}

/// Mel values (before the log, offset or floored): four bands' lane sums transposed so that
/// ((l0 + l1) + l2) + l3 (Swift's SIMD4.sum) runs for the four bands in one vector.
KWS_INLINE KWS_TARGET_AVX512F void mel_bands(const kws_mfcc_tables* t, const float* power, float* mel) {
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

/// DCTMatrix.accumulate for the columns [column, column + 16 * CH) of the [even | odd] basis at once (up to 48:
/// all 40 outputs of the default front end in one sweep of the rows): 4 partial sums (row n mod 4) per column
/// combined as (s0 + s1) + (s2 + s3); even columns multiply the folded sums, odd ones the differences, which a
/// 16-lane block may mix (even_stride is a multiple of 8, not 16). Writes `total` for the columns below dct_stride.
KWS_INLINE KWS_TARGET_AVX512F void dct_pass(const kws_mfcc_tables* t, const float* sums, const float* differences,
                                            size_t column, const int CH, float* total) {
    const size_t stride = t->dct_stride, rows = t->folded, unrolled = rows / 4 * 4;
    __mmask16 lanes[3], odd[3];
    for (int c = 0; c < CH; c++) {
        const size_t start = column + 16 * (size_t)c;
        const size_t width = stride - start < 16 ? stride - start : 16;
        lanes[c] = (__mmask16)((1u << width) - 1);
        odd[c] = 0;
        for (size_t l = 0; l < 16; l++)
            if (start + l >= t->even_stride) odd[c] |= (__mmask16)(1u << l);
    }
    __m512 acc[4][3];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < CH; c++) acc[r][c] = _mm512_setzero_ps();
    const float* basis = t->dct_basis + column;
    size_t n = 0;
    for (; n < unrolled; n += 4)
        for (int r = 0; r < 4; r++) {
            const __m512 even_value = _mm512_set1_ps(sums[n + r]), odd_value = _mm512_set1_ps(differences[n + r]);
            for (int c = 0; c < CH; c++) {
                const __m512 v = _mm512_mask_blend_ps(odd[c], even_value, odd_value);
                const __m512 w = _mm512_maskz_loadu_ps(lanes[c], basis + (n + r) * stride + 16 * c);
                acc[r][c] = _mm512_add_ps(acc[r][c], _mm512_mul_ps(v, w));
            }
        }
    for (; n < rows; n++) {
        const __m512 even_value = _mm512_set1_ps(sums[n]), odd_value = _mm512_set1_ps(differences[n]);
        for (int c = 0; c < CH; c++) {
            const __m512 v = _mm512_mask_blend_ps(odd[c], even_value, odd_value);
            acc[0][c] = _mm512_add_ps(acc[0][c], _mm512_mul_ps(v, _mm512_maskz_loadu_ps(lanes[c], basis + n * stride + 16 * c)));
        }
    }
    for (int c = 0; c < CH; c++)
        _mm512_mask_storeu_ps(total + 16 * c, lanes[c],
                              _mm512_add_ps(_mm512_add_ps(acc[0][c], acc[1][c]), _mm512_add_ps(acc[2][c], acc[3][c])));
}

/// DCTMatrix.apply's two accumulations, in sweeps of up to 48 basis columns.
KWS_INLINE KWS_TARGET_AVX512F void dct(const kws_mfcc_tables* t, const float* sums, const float* differences,
                                       float* total, float* output) {
    for (size_t column = 0; column < t->dct_stride; column += 48) {
        const size_t width = t->dct_stride - column < 48 ? t->dct_stride - column : 48;
        if (width > 32) dct_pass(t, sums, differences, column, 3, total + column);
        else if (width > 16) dct_pass(t, sums, differences, column, 2, total + column);
        else dct_pass(t, sums, differences, column, 1, total + column);
    }
    kws_mfcc_dct_outputs(t, total, output);
}

KWS_TARGET_AVX512F void kws_mfcc_cepstrum__avx512(const kws_mfcc_tables* t, const float* spectrum, float* scratch,
                                                  float* output) {
    float* power = scratch;
    float* mel = scratch + kws_mfcc_spectrum_capacity(t);
    float* sums = mel + t->mel_count;
    float* differences = sums + t->folded;
    const size_t bins = t->bin_count;
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    size_t k = 0;
    for (; k + 16 <= bins; k += 16) {
        const __m512 a = _mm512_loadu_ps(spectrum + 2 * k);
        const __m512 b = _mm512_loadu_ps(spectrum + 2 * k + 16);
        const __m512 re = _mm512_permutex2var_ps(a, even, b);
        const __m512 im = _mm512_permutex2var_ps(a, odd, b);
        __m512 p = _mm512_add_ps(_mm512_mul_ps(re, re), _mm512_mul_ps(im, im));
        if (t->magnitude) p = _mm512_sqrt_ps(p);
        _mm512_storeu_ps(power + k, p);
    }
    for (; k < bins; k++) {
        const float re = spectrum[2 * k], im = spectrum[2 * k + 1];
        const float p = re * re + im * im;
        power[k] = t->magnitude ? sqrtf(p) : p;
    }
    mel_bands(t, power, mel);
    const size_t count = t->mel_count;
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        const __m512 x = _mm512_loadu_ps(mel + i);
        const __mmask16 in = _mm512_cmp_ps_mask(x, _mm512_set1_ps(FLT_MIN), _CMP_GE_OQ) &
                             _mm512_cmp_ps_mask(x, _mm512_set1_ps(FLT_MAX), _CMP_LE_OQ);
        float raw[16];
        if (in != 0xFFFF) _mm512_storeu_ps(raw, x);
        _mm512_storeu_ps(mel + i, log_poly16(x));
        // A group of four with any lane out of the domain goes to logf, as MFCCVectorLog does.
        if (in != 0xFFFF)
            for (size_t g = 0; g < 16; g += 4)
                if (((in >> g) & 0xF) != 0xF)
                    for (size_t j = g; j < g + 4; j++) mel[i + j] = logf(raw[j]);
    }
    kws_mfcc_log_groups_scalar(mel, i, count);
    kws_mfcc_fold(t, mel, sums, differences);
    dct(t, sums, differences, differences + t->folded, output);
}
#endif
