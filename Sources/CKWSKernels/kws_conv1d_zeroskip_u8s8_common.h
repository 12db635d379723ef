#ifndef KWS_CONV1D_ZEROSKIP_U8S8_COMMON_H
#define KWS_CONV1D_ZEROSKIP_U8S8_COMMON_H
// Private to the zeroskip kernels (not under include/, so not part of the module).
#include <assert.h>
#include "kws_conv1d_zeroskip_u8s8.h"

/// 64 mask bits starting at bit `bit` (any alignment): the receptive field's bits `64 w ...` for `bit =
/// start + 64 w`. Reads word `bit / 64 + 1`, which the spare word keeps in range.
static inline uint64_t kws_zeroskip_bits_at(const uint64_t* mask, size_t bit) {
    const size_t word = bit / 64, offset = bit % 64;
    return offset == 0 ? mask[word] : (mask[word] >> offset) | (mask[word + 1] << (64 - offset));
}

/// Where a call's scratch words go (kws_conv1d_zeroskip_u8s8_scratch_words sizes the same parts): the
/// activation mask, the windows `[output_length][mask_words]`, one channel's expanded weights
/// `[mask_words][64]` and the accumulators `[output_length][packed_channels][4]` (four partial sums each).
typedef struct {
    uint64_t* activation_mask;
    uint64_t* windows;
    int8_t* expanded;
    int32_t* acc;
    size_t activation_words;
    size_t acc_row;
    /// Bits of the activation mask: padded input length x input channels.
    size_t bits;
} kws_zeroskip_scratch;

static inline kws_zeroskip_scratch kws_zeroskip_scratch_layout(const kws_conv1d_u8s8_shape* shape, uint64_t* scratch) {
    kws_zeroskip_scratch s;
    const size_t bits = kws_conv1d_zeroskip_u8s8_padded_length(shape) * shape->input_channels;
    const size_t words = kws_conv1d_zeroskip_u8s8_mask_words(shape);
    s.activation_words = (bits + 63) / 64;
    s.activation_mask = scratch;
    s.windows = scratch + s.activation_words + 1;
    s.expanded = (int8_t*)(s.windows + shape->output_length * words);
    s.acc = (int32_t*)(s.windows + shape->output_length * words + words * 8);
    s.acc_row = kws_conv1d_u8s8_packed_channels(shape->output_channels);
    s.bits = bits;
    return s;
}

/// Every output step's receptive-field window of the activation mask.
static inline void kws_zeroskip_fill_windows(const kws_conv1d_u8s8_shape* shape, const kws_zeroskip_scratch* s) {
    const size_t words = kws_conv1d_zeroskip_u8s8_mask_words(shape);
    const size_t input_step = shape->stride * shape->input_channels;
    for (size_t t = 0; t < shape->output_length; t++) {
        for (size_t w = 0; w < words; w++) {
            s->windows[t * words + w] = kws_zeroskip_bits_at(s->activation_mask, t * input_step + 64 * w);
        }
    }
}

/// With `dense_input`, every position of the padded input is "nonzero"; bits past it stay 0, as does the
/// spare word, so the last windows read zeros past the end.
static inline void kws_zeroskip_fill_dense_mask(uint64_t* mask, size_t bits) {
    const size_t words = (bits + 63) / 64;
    for (size_t w = 0; w < words; w++) mask[w] = ~(uint64_t)0;
    if (bits % 64 != 0) mask[words - 1] = ((uint64_t)1 << (bits % 64)) - 1;
    mask[words] = 0;
}

/// The mask bits of the last, partial word: input bytes [b, bits) byte by byte, so nothing past the span is read.
static inline uint64_t kws_zeroskip_tail_word(const uint8_t* input, size_t b, size_t bits) {
    uint64_t word = 0;
    for (size_t i = b; i < bits; i++) word |= (uint64_t)(input[i] != 0) << (i - b);
    return word;
}

/// A variant's activation-mask builder: bit i of `mask` set where `input[i]` is nonzero, for `bits` bits in
/// `words` words, and the spare word `mask[words]` zeroed.
typedef void (*kws_zeroskip_mask_builder)(const uint8_t* input, size_t bits, uint64_t* mask, size_t words);

/// What every variant does before its own loop: checks the arguments, lays out the scratch, builds the
/// activation mask (all ones for `dense_input`, else with the variant's `build_mask`) and every output step's
/// window of it.
static inline __attribute__((always_inline)) kws_zeroskip_scratch kws_zeroskip_prepare(
    const kws_conv1d_u8s8_shape* shape, const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
    const uint8_t* output, uint64_t* scratch, bool dense_input, kws_zeroskip_mask_builder build_mask) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL && scratch != NULL);
    assert(params->mask_words == kws_conv1d_zeroskip_u8s8_mask_words(shape));
    (void)output;
    const kws_zeroskip_scratch s = kws_zeroskip_scratch_layout(shape, scratch);
    if (dense_input) {
        kws_zeroskip_fill_dense_mask(s.activation_mask, s.bits);
    } else {
        build_mask(input, s.bits, s.activation_mask, s.activation_words);
    }
    kws_zeroskip_fill_windows(shape, &s);
    return s;
}

/// The scalar epilogue of kws_conv1d_u8s8_1x1__scalar: residual rescale, requantize, ReLU and u8 clamp.
static inline uint8_t kws_zeroskip_finish(int32_t acc, const kws_conv1d_zeroskip_u8s8_params* params,
                                          const uint8_t* residual, size_t o) {
    if (residual != NULL) {
        acc += (int32_t)kws_rescale_s64(residual[o], params->residual_multiplier[o], params->residual_shift[o]);
    }
    const int64_t value = kws_rescale_s64(acc, params->multiplier[o], params->shift[o]);
    return (uint8_t)(value < 0 ? 0 : value > 255 ? 255 : value);
}

/// The dense kernel's parameter struct holding only the epilogue fields, for the shared AVX2 epilogue.
static inline kws_conv1d_u8s8_params kws_zeroskip_epilogue_params(const kws_conv1d_zeroskip_u8s8_params* params) {
    kws_conv1d_u8s8_params p = {0};
    p.bias = params->bias;
    p.multiplier = params->multiplier;
    p.shift = params->shift;
    p.residual_multiplier = params->residual_multiplier;
    p.residual_shift = params->residual_shift;
    return p;
}
#endif
