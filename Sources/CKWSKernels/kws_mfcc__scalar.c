// The MFCC frame stages in portable C: the reference every variant is tested against (and the Swift path it
// reproduces bit for bit; kws_mfcc.h lists the operation order).
#include "kws_mfcc_common.h"

#pragma STDC FP_CONTRACT OFF

size_t kws_mfcc_scratch_count(const kws_mfcc_tables* t) {
    return kws_mfcc_spectrum_capacity(t) + t->mel_count + 2 * t->folded + t->dct_stride;
}

void kws_mfcc_window__scalar(const kws_mfcc_tables* t, const float* frame, size_t frame_count, float* fft_input) {
    const size_t used = frame_count < t->window_length ? frame_count : t->window_length;
    for (size_t i = 0; i < used; i++) fft_input[i] = (float)((double)frame[i] * t->window[i]);
    for (size_t i = used; i < t->fft_length; i++) fft_input[i] = 0;
}

/// output[2j + parity] = sum_n folded[n] * basis[n][j] with four partial sums (n mod 4), as DCTMatrix.accumulate.
static void accumulate(const float* basis, size_t count, size_t stride, const float* folded, size_t rows,
                       size_t parity, size_t outputs, float* output) {
    const size_t unrolled = rows / 4 * 4;
    for (size_t j = 0; j < count; j++) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        size_t n = 0;
        for (; n < unrolled; n += 4) {
            s0 = s0 + folded[n] * basis[n * stride + j];
            s1 = s1 + folded[n + 1] * basis[(n + 1) * stride + j];
            s2 = s2 + folded[n + 2] * basis[(n + 2) * stride + j];
            s3 = s3 + folded[n + 3] * basis[(n + 3) * stride + j];
        }
        for (; n < rows; n++) s0 = s0 + folded[n] * basis[n * stride + j];
        const size_t k = 2 * j + parity;
        if (k < outputs) output[k] = (s0 + s1) + (s2 + s3);
    }
}

void kws_mfcc_cepstrum__scalar(const kws_mfcc_tables* t, const float* spectrum, float* scratch, float* output) {
    float* power = scratch;
    float* mel = scratch + kws_mfcc_spectrum_capacity(t);
    float* sums = mel + t->mel_count;
    float* differences = sums + t->folded;
    for (size_t k = 0; k < t->bin_count; k++) {
        const float re = spectrum[2 * k], im = spectrum[2 * k + 1];
        power[k] = re * re + im * im;
    }
    if (t->magnitude)
        for (size_t k = 0; k < t->bin_count; k++) power[k] = sqrtf(power[k]);
    for (size_t m = 0; m < t->mel_count; m++) {
        const float* bins = power + t->first_bin[m];
        float l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        for (int32_t i = t->run_start[m], b = 0; i < t->run_start[m + 1]; i += 4, b += 4) {
            l0 = l0 + t->mel_weights[i] * bins[b];
            l1 = l1 + t->mel_weights[i + 1] * bins[b + 1];
            l2 = l2 + t->mel_weights[i + 2] * bins[b + 2];
            l3 = l3 + t->mel_weights[i + 3] * bins[b + 3];
        }
        mel[m] = kws_mfcc_pre_log(t, ((l0 + l1) + l2) + l3);
    }
    kws_mfcc_log_groups_scalar(mel, 0, t->mel_count);
    kws_mfcc_fold(t, mel, sums, differences);
    accumulate(t->dct_basis, t->even_count, t->dct_stride, sums, t->folded, 0, t->dct_outputs, output);
    accumulate(t->dct_basis + t->even_stride, t->odd_count, t->dct_stride, differences, t->folded, 1, t->dct_outputs,
               output);
}
