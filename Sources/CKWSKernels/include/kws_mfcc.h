#ifndef KWS_MFCC_H
#define KWS_MFCC_H
#include <stddef.h>
#include <stdint.h>

/*
 * The MFCC front end's work per 10 ms frame around the FFT (SPEC.md §1.2 and §2), in two calls: `window` fills the
 * FFT input, the caller runs FFTW, `cepstrum` turns FFTW's half spectrum into the coefficients (power or
 * magnitude, sparse mel filterbank, log, DCT-II) in one pass over a small scratch buffer.
 *
 * Every variant computes, per output value, exactly the operations of the Swift reference (Sources/KWSAudio:
 * MFCC.swift, MelFilterbank.apply, MFCCVectorLog, DCTMatrix.apply) in the same order, with no contraction into
 * FMA (`#pragma STDC FP_CONTRACT OFF`, and only separate multiply and add intrinsics), so every variant gives the
 * Swift path's bits, and so one another's. The orders that matter:
 *   - window: (float)((double)sample * window), rounded once;
 *   - power: re*re + im*im; magnitude: sqrtf of that;
 *   - mel band: four lane sums l[j] += w[4i+j] * s[first + 4i+j] over the band's zero-padded run, then
 *     ((l0 + l1) + l2) + l3 (Swift's SIMD4.sum);
 *   - log: x + offset (tf-signal) or (1e-12 >= x ? 1e-12 : x) (audio-ops), then per group of four the Cephes
 *     polynomial of MFCCVectorLog when all four are positive normal finite, else logf per value; logf for a
 *     tail of fewer than four;
 *   - DCT: folded sums/differences, four partial sums per output (row n mod 4) combined as (s0+s1)+(s2+s3).
 * Thread safety: tables are read only; each caller owns its scratch and output.
 */

/// The tables of one front-end configuration (made by Sources/KWSAudio/MFCCKernelTables.swift).
typedef struct kws_mfcc_tables {
    /// Samples in the analysis window, and the window itself (double, so frame x window rounds once).
    size_t window_length;
    const double* window;
    /// Real FFT length: the FFT input holds this many floats (zero past the window).
    size_t fft_length;
    /// FFT bins read: fft_length / 2 + 1 complex values, interleaved re, im.
    size_t bin_count;
    /// Mel bands; band m reads mel_weights[run_start[m] .. run_start[m + 1]) (a multiple of 4 long, zero
    /// padded) against spectrum bins from first_bin[m].
    size_t mel_count;
    const int32_t* first_bin;
    const int32_t* run_start;
    const float* mel_weights;
    /// 1: audio-ops (magnitude spectrum, log floor 1e-12); 0: tf-signal (power spectrum, log(x + log_offset)).
    int32_t magnitude;
    float log_offset;
    /// DCT outputs (coefficients); the inputs are the mel_count log-mel values.
    size_t dct_outputs;
    /// ceil(mel_count / 2): rows of each half of the folded basis.
    size_t folded;
    /// Even outputs k = 0, 2, ...: even_count of them, in columns [0, even_count) of the basis; odd outputs
    /// k = 1, 3, ...: odd_count of them, in columns [even_stride, even_stride + odd_count). Both strides are
    /// multiples of 8 (the padding columns are zero).
    size_t even_count;
    size_t even_stride;
    size_t odd_count;
    size_t odd_stride;
    /// The folded DCT basis, [folded][dct_stride] with dct_stride = even_stride + odd_stride: row n holds
    /// s*cos(pi*k*(2n+1)/(2N)) for the even k, then for the odd k (DCTMatrix.swift).
    size_t dct_stride;
    const float* dct_basis;
} kws_mfcc_tables;

/// Floats of scratch `cepstrum` needs; the caller zeroes it once (the spectrum's padding past bin_count must stay
/// zero: the mel runs read up to 3 values past it, with zero weights).
size_t kws_mfcc_scratch_count(const kws_mfcc_tables* tables);

/// fft_input[i] = (float)((double)frame[i] * window[i]) for i < min(frame_count, window_length), 0 up to
/// fft_length.
typedef void (*kws_mfcc_window_fn)(const kws_mfcc_tables* tables, const float* frame, size_t frame_count,
                                   float* fft_input);
/// `spectrum` (bin_count interleaved complex values) -> `output` (dct_outputs coefficients).
typedef void (*kws_mfcc_cepstrum_fn)(const kws_mfcc_tables* tables, const float* spectrum, float* scratch,
                                     float* output);

void kws_mfcc_window__scalar(const kws_mfcc_tables* tables, const float* frame, size_t frame_count, float* fft_input);
void kws_mfcc_cepstrum__scalar(const kws_mfcc_tables* tables, const float* spectrum, float* scratch, float* output);
#if defined(__x86_64__)
void kws_mfcc_window__avx2(const kws_mfcc_tables* tables, const float* frame, size_t frame_count, float* fft_input);
void kws_mfcc_cepstrum__avx2(const kws_mfcc_tables* tables, const float* spectrum, float* scratch, float* output);
void kws_mfcc_window__avx512(const kws_mfcc_tables* tables, const float* frame, size_t frame_count, float* fft_input);
void kws_mfcc_cepstrum__avx512(const kws_mfcc_tables* tables, const float* spectrum, float* scratch, float* output);
#endif

#endif
