#include <assert.h>
#include "kws_conv1d_zeroskip_u8s8_common.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"
#include "kws_conv1d_u8s8_avx2_epilogue.h"

/// The activation mask, 64 bytes per `vptestmb` (a masked load for the tail, so nothing past the span is read).
KWS_INLINE KWS_TARGET_VBMI2 void build_mask(const uint8_t* input, size_t bits,
                                            uint64_t* mask, size_t words) {
    size_t b = 0;
    for (; b + 64 <= bits; b += 64) {
        const __m512i x = _mm512_loadu_si512(input + b);
        mask[b / 64] = _mm512_test_epi8_mask(x, x);
    }
    if (b < bits) {
        const __m512i x = _mm512_maskz_loadu_epi8(_bzhi_u64(~(uint64_t)0, (unsigned)(bits - b)), input + b);
        mask[b / 64] = _mm512_test_epi8_mask(x, x);
    }
    mask[words] = 0;
}

enum { STEPS = 8 };

/// `steps` (a constant after inlining) output steps of one channel: for every 64-position word, the
/// intersection of its weight bits with each step's activation bits picks the lanes loaded, and one
/// `vpdpbusd` per step adds those pairs. Branch-free: a word with no pair loads nothing (all lanes masked)
/// and adds 0; a branch mispredicts on real activations more often than it saves. Each accumulator is folded
/// to four s32 lanes and stored at `acc + m * acc_step`; returns the pairs (MACs) issued.
KWS_INLINE KWS_TARGET_VBMI2 uint64_t channel_steps(
    const size_t steps, size_t words, const uint64_t* wm, const uint64_t* windows, const int8_t* expanded,
    const uint8_t* x, size_t input_step, int32_t* acc_out, size_t acc_step) {
    __m512i acc[STEPS];
    uint64_t macs = 0;
    for (size_t m = 0; m < steps; m++) acc[m] = _mm512_setzero_si512();
    for (size_t w = 0; w < words; w++) {
        const __m512i weights = _mm512_loadu_si512(expanded + 64 * w);
        for (size_t m = 0; m < steps; m++) {
            const uint64_t pairs = wm[w] & windows[m * words + w];
            macs += (uint64_t)_mm_popcnt_u64(pairs);
            acc[m] = _mm512_dpbusd_epi32(acc[m], _mm512_maskz_loadu_epi8(pairs, x + m * input_step + 64 * w), weights);
        }
    }
    for (size_t m = 0; m < steps; m++) {
        const __m256i half = _mm256_add_epi32(_mm512_castsi512_si256(acc[m]), _mm512_extracti64x4_epi64(acc[m], 1));
        _mm_storeu_si128((__m128i*)(acc_out + m * acc_step),
                         _mm_add_epi32(_mm256_castsi256_si128(half), _mm256_extracti128_si256(half, 1)));
    }
    return macs;
}

KWS_TARGET_VBMI2
uint64_t kws_conv1d_zeroskip_u8s8_1x1__avx512vbmi2(const kws_conv1d_u8s8_shape* shape,
                                                   const kws_conv1d_zeroskip_u8s8_params* params,
                                                   const uint8_t* input, const uint8_t* residual, uint8_t* output,
                                                   uint64_t* scratch, bool dense_input) {
    const kws_zeroskip_scratch s = kws_zeroskip_prepare(shape, params, input, output, scratch, dense_input, build_mask);
    const size_t channels = shape->output_channels, words = params->mask_words;
    const size_t input_step = shape->stride * shape->input_channels;
    const kws_conv1d_u8s8_params epilogue = kws_zeroskip_epilogue_params(params);
    const int8_t* values = params->values;

    // Channel by channel, so its weights are expanded from the packed values once and reused at every step;
    // steps in eights, so each expanded word is loaded once for eight masked `vpdpbusd`.
    uint64_t macs = 0;
    for (size_t o = 0; o < channels; o++) {
        const uint64_t* wm = params->masks + o * words;
        const uint32_t* offsets = params->offsets + o * (words + 1);
        for (size_t w = 0; w < words; w++) {
            _mm512_storeu_si512(s.expanded + 64 * w, _mm512_maskz_expandloadu_epi8(wm[w], values + offsets[w]));
        }
        size_t t = 0;
        for (; t + STEPS <= shape->output_length; t += STEPS) {
            macs += channel_steps(STEPS, words, wm, s.windows + t * words, s.expanded, input + t * input_step, input_step,
                                  s.acc + (t * s.acc_row + o) * 4, s.acc_row * 4);
        }
        for (; t < shape->output_length; t++) {
            macs += channel_steps(1, words, wm, s.windows + t * words, s.expanded, input + t * input_step, input_step,
                                  s.acc + (t * s.acc_row + o) * 4, s.acc_row * 4);
        }
    }
    for (size_t t = 0; t < shape->output_length; t++) {
        const int32_t* row = s.acc + t * s.acc_row * 4;
        const uint8_t* r = residual != NULL ? residual + t * channels : NULL;
        uint8_t* y = output + t * channels;
        for (size_t c = 0; c < channels; c += 8) {
            const size_t count = channels - c < 8 ? channels - c : 8;
            // Channels c..c+7, four partial sums each; lanes past `channels` hold stale sums, never stored.
            const __m256i p01 = _mm256_loadu_si256((const __m256i*)(row + 4 * c));
            const __m256i p23 = _mm256_loadu_si256((const __m256i*)(row + 4 * c + 8));
            const __m256i p45 = _mm256_loadu_si256((const __m256i*)(row + 4 * c + 16));
            const __m256i p67 = _mm256_loadu_si256((const __m256i*)(row + 4 * c + 24));
            // hadd works within 128-bit halves: the sums come out as channels 0 2 4 6 1 3 5 7, put in order by the permute.
            const __m256i sums = _mm256_hadd_epi32(_mm256_hadd_epi32(p01, p23), _mm256_hadd_epi32(p45, p67));
            const __m256i ordered = _mm256_permutevar8x32_epi32(sums, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
            const __m256i acc = _mm256_add_epi32(ordered, _mm256_loadu_si256((const __m256i*)(params->bias + c)));
            kws_u8s8_avx2_finish8(acc, &epilogue, c, r != NULL ? r + c : NULL, y + c, count);
        }
    }
    return macs;
}

#endif
