#include <assert.h>
#include "kws_conv1d_zeroskip_u8s8_common.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_simd_target.h"
#include "kws_conv1d_u8s8_avx2_epilogue.h"

/// The activation mask, 32 bytes per compare + `vpmovmskb`; the tail byte by byte.
KWS_INLINE KWS_TARGET_AVX2BMI2 void build_mask(const uint8_t* input, size_t bits,
                                               uint64_t* mask, size_t words) {
    const __m256i zero = _mm256_setzero_si256();
    size_t b = 0;
    for (; b + 64 <= bits; b += 64) {
        const uint32_t lo = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i*)(input + b)), zero));
        const uint32_t hi = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i*)(input + b + 32)), zero));
        mask[b / 64] = (uint64_t)lo | (uint64_t)hi << 32;
    }
    if (b < bits) mask[b / 64] = kws_zeroskip_tail_word(input, b, bits);
    mask[words] = 0;
}

KWS_TARGET_AVX2BMI2
uint64_t kws_conv1d_zeroskip_u8s8_1x1__avx2bmi2(const kws_conv1d_u8s8_shape* shape,
                                                const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
                                                const uint8_t* residual, uint8_t* output, uint64_t* scratch,
                                                bool dense_input) {
    const kws_zeroskip_scratch s = kws_zeroskip_prepare(shape, params, input, output, scratch, dense_input, build_mask);
    const size_t channels = shape->output_channels, words = params->mask_words;
    const size_t input_step = shape->stride * shape->input_channels;
    const kws_conv1d_u8s8_params epilogue = kws_zeroskip_epilogue_params(params);

    uint64_t macs = 0;
    for (size_t t = 0; t < shape->output_length; t++) {
        const uint8_t* x = input + t * input_step;
        const uint64_t* window = s.windows + t * words;
        for (size_t o = 0; o < channels; o++) {
            const uint64_t* wm = params->masks + o * words;
            const uint32_t* offsets = params->offsets + o * (words + 1);
            int32_t acc = 0;
            for (size_t w = 0; w < words; w++) {
                uint64_t pairs = wm[w] & window[w];
                if (pairs == 0) continue;
                macs += (uint64_t)_mm_popcnt_u64(pairs);
                // The k-th intersected position is the k-th set bit of `pairs`, and its weight the k-th set bit
                // of `ranks` in the packed values of this word: walk both together.
                uint64_t ranks = _pext_u64(window[w], wm[w]);
                const uint8_t* xw = x + 64 * w;
                const int8_t* vw = params->values + offsets[w];
                do {
                    acc += (int32_t)xw[_tzcnt_u64(pairs)] * (int32_t)vw[_tzcnt_u64(ranks)];
                    pairs = _blsr_u64(pairs);
                    ranks = _blsr_u64(ranks);
                } while (pairs != 0);
            }
            s.acc[o] = acc;
        }
        const uint8_t* r = residual != NULL ? residual + t * channels : NULL;
        uint8_t* y = output + t * channels;
        for (size_t c = 0; c < channels; c += 8) {
            const size_t count = channels - c < 8 ? channels - c : 8;
            // Lanes past `channels` hold stale sums; their bytes are never stored.
            const __m256i acc = _mm256_add_epi32(_mm256_loadu_si256((const __m256i*)(s.acc + c)),
                                                 _mm256_loadu_si256((const __m256i*)(params->bias + c)));
            kws_u8s8_avx2_finish8(acc, &epilogue, c, r != NULL ? r + c : NULL, y + c, count);
        }
    }
    return macs;
}

#endif
