#include <assert.h>
#include "kws_conv1d_zeroskip_u8s8_common.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include "kws_conv1d_u8s8_avx2_epilogue.h"

#define KWS_TARGET_VBMI2 \
    __attribute__((target("avx512vbmi2,avx512vnni,avx512bw,avx512vl,avx512f,avx2,bmi,bmi2,popcnt")))

/// The activation mask, 64 bytes per `vptestmb` (a masked load for the tail, so nothing past the span is read).
static inline __attribute__((always_inline)) KWS_TARGET_VBMI2 void build_mask(const uint8_t* input, size_t bits,
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

KWS_TARGET_VBMI2
uint64_t kws_conv1d_zeroskip_u8s8_1x1__avx512vbmi2(const kws_conv1d_u8s8_shape* shape,
                                                   const kws_conv1d_zeroskip_u8s8_params* params,
                                                   const uint8_t* input, const uint8_t* residual, uint8_t* output,
                                                   uint64_t* scratch, bool dense_input) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL && scratch != NULL);
    assert(params->mask_words == kws_conv1d_zeroskip_u8s8_mask_words(shape));
    const size_t channels = shape->output_channels;
    const size_t words = params->mask_words;
    const size_t input_step = shape->stride * shape->input_channels;
    const size_t bits = kws_conv1d_zeroskip_u8s8_padded_length(shape) * shape->input_channels;
    const kws_zeroskip_scratch s = kws_zeroskip_scratch_layout(shape, scratch);
    const kws_conv1d_u8s8_params epilogue = kws_zeroskip_epilogue_params(params);

    if (dense_input) {
        kws_zeroskip_fill_dense_mask(s.activation_mask, bits);
    } else {
        build_mask(input, bits, s.activation_mask, s.activation_words);
    }

    uint64_t macs = 0;
    for (size_t t = 0; t < shape->output_length; t++) {
        const uint8_t* x = input + t * input_step;
        for (size_t w = 0; w < words; w++) s.window[w] = kws_zeroskip_bits_at(s.activation_mask, t * input_step + 64 * w);
        for (size_t o = 0; o < channels; o++) {
            const uint64_t* wm = params->masks + o * words;
            const uint32_t* offsets = params->offsets + o * (words + 1);
            __m512i acc = _mm512_setzero_si512();
            uint64_t widest = 0;
            for (size_t w = 0; w < words; w++) {
                const uint64_t pairs = wm[w] & s.window[w];
                if (pairs == 0) continue;
                const uint64_t count = (uint64_t)_mm_popcnt_u64(pairs);
                macs += count;
                widest = count > widest ? count : widest;
                // Both operands packed into the low `count` lanes, in the same order: the activations picked by
                // the intersection, the weights picked by its image in the packed values' index space.
                const __m512i xv = _mm512_maskz_compress_epi8(pairs, _mm512_maskz_loadu_epi8(pairs, x + 64 * w));
                const unsigned stored = offsets[w + 1] - offsets[w];
                const __m512i wv = _mm512_maskz_compress_epi8(
                    _pext_u64(s.window[w], wm[w]),
                    _mm512_maskz_loadu_epi8(_bzhi_u64(~(uint64_t)0, stored), params->values + offsets[w]));
                acc = _mm512_dpbusd_epi32(acc, xv, wv);
            }
            // Only the first ceil(widest / 4) s32 lanes can be nonzero: reduce no more of the vector than that.
            int32_t sum;
            if (widest <= 16) {
                __m128i v = _mm512_castsi512_si128(acc);
                v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2)));
                v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(2, 3, 0, 1)));
                sum = _mm_cvtsi128_si32(v);
            } else {
                sum = _mm512_reduce_add_epi32(acc);
            }
            s.acc[o] = sum;
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

#else
uint64_t kws_conv1d_zeroskip_u8s8_1x1__avx512vbmi2(const kws_conv1d_u8s8_shape* shape,
                                                   const kws_conv1d_zeroskip_u8s8_params* params,
                                                   const uint8_t* input, const uint8_t* residual, uint8_t* output,
                                                   uint64_t* scratch, bool dense_input) {
    return kws_conv1d_zeroskip_u8s8_1x1__scalar(shape, params, input, residual, output, scratch, dense_input);
}
#endif
