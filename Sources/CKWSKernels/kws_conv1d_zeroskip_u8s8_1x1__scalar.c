#include <assert.h>
#include "kws_conv1d_zeroskip_u8s8_common.h"

/// Portable popcount and count-trailing-zeros, so the reference needs no CPU feature (the compiler may
/// still pick an instruction).
static inline unsigned popcount64(uint64_t v) { return (unsigned)__builtin_popcountll(v); }
static inline unsigned ctz64(uint64_t v) { return (unsigned)__builtin_ctzll(v); }

/// The activation mask, byte by byte.
static void build_mask(const uint8_t* input, size_t bits, uint64_t* mask, size_t words) {
    for (size_t w = 0; w <= words; w++) mask[w] = 0;
    for (size_t b = 0; b < bits; b++) {
        if (input[b] != 0) mask[b / 64] |= (uint64_t)1 << (b % 64);
    }
}

uint64_t kws_conv1d_zeroskip_u8s8_1x1__scalar(const kws_conv1d_u8s8_shape* shape,
                                              const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
                                              const uint8_t* residual, uint8_t* output, uint64_t* scratch,
                                              bool dense_input) {
    const kws_zeroskip_scratch s = kws_zeroskip_prepare(shape, params, input, output, scratch, dense_input, build_mask);
    const size_t channels = shape->output_channels, words = params->mask_words;
    const size_t input_step = shape->stride * shape->input_channels;

    uint64_t macs = 0;
    for (size_t t = 0; t < shape->output_length; t++) {
        const uint8_t* x = input + t * input_step;
        const uint64_t* window = s.windows + t * words;
        const uint8_t* r = residual != NULL ? residual + t * channels : NULL;
        for (size_t o = 0; o < channels; o++) {
            const uint64_t* wm = params->masks + o * words;
            const uint32_t* offsets = params->offsets + o * (words + 1);
            int32_t acc = params->bias[o];
            for (size_t w = 0; w < words; w++) {
                uint64_t pairs = wm[w] & window[w];
                macs += popcount64(pairs);
                while (pairs != 0) {
                    const unsigned bit = ctz64(pairs);
                    // The weight's place among the word's nonzeros is the number of weight bits below it.
                    const unsigned rank = popcount64(wm[w] & (((uint64_t)1 << bit) - 1));
                    acc += (int32_t)x[64 * w + bit] * (int32_t)params->values[offsets[w] + rank];
                    pairs &= pairs - 1;
                }
            }
            output[t * channels + o] = kws_zeroskip_finish(acc, params, r, o);
        }
    }
    return macs;
}
