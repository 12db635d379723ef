#include <assert.h>
#include <string.h>
#include "kws_conv1d_u8s8.h"
#include "kws_conv1d_u8s8_sizes.h"

/// The shared epilogue: residual rescale into the accumulator's scale, then requantize with ReLU.
static inline uint8_t finish(int32_t acc, const kws_conv1d_u8s8_params* params, const uint8_t* residual, size_t o) {
    if (residual != NULL) {
        acc += (int32_t)kws_rescale_s64(residual[o], params->residual_multiplier[o], params->residual_shift[o]);
    }
    const int64_t value = kws_rescale_s64(acc, params->multiplier[o], params->shift[o]);
    return (uint8_t)(value < 0 ? 0 : value > 255 ? 255 : value);
}

void kws_conv1d_u8s8_1x1__scalar(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                 const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, depth = sizes.depth, input_step = sizes.input_step;
    const size_t row = sizes.row;

    for (size_t t = 0; t < shape->output_length; t++) {
        const uint8_t* x = input + t * input_step;
        const uint8_t* r = residual != NULL ? residual + t * channels : NULL;
        for (size_t o = 0; o < channels; o++) {
            int32_t acc = params->bias[o];
            for (size_t g = 0; g < depth / 4; g++) {
                const int8_t* w = params->weights_s8 + (g * row + o) * 4;
                for (size_t k = 0; k < 4; k++) acc += (int32_t)x[4 * g + k] * (int32_t)w[k];
            }
            output[t * channels + o] = finish(acc, params, r, o);
        }
    }
}

static inline int32_t saturate_s16(int32_t value) { return value < -32768 ? -32768 : value > 32767 ? 32767 : value; }

void kws_conv1d_u8s8_acc16_1x1__scalar(const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                                       const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    assert(shape != NULL && params != NULL && input != NULL && output != NULL);
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, pairs = sizes.depth / 2, input_step = sizes.input_step;
    const size_t row = sizes.row;

    for (size_t t = 0; t < shape->output_length; t++) {
        const uint8_t* x = input + t * input_step;
        const uint8_t* r = residual != NULL ? residual + t * channels : NULL;
        for (size_t o = 0; o < channels; o++) {
            int32_t acc = params->bias[o];
            for (size_t start = 0; start < pairs; start += KWS_CONV1D_U8S8_ACC16_PAIRS) {
                const size_t end = start + KWS_CONV1D_U8S8_ACC16_PAIRS < pairs ? start + KWS_CONV1D_U8S8_ACC16_PAIRS : pairs;
                int32_t partial = 0;
                for (size_t p = start; p < end; p++) {
                    const int8_t* w = params->weights_pairs_s8 + (p * row + o) * 2;
                    const int32_t pair = saturate_s16((int32_t)x[2 * p] * w[0] + (int32_t)x[2 * p + 1] * w[1]);
                    partial = saturate_s16(partial + pair);
                }
                acc += partial;
            }
            output[t * channels + o] = finish(acc, params, r, o);
        }
    }
}

void kws_quantize_f32_u8__scalar(size_t length, size_t channels, const float* input, const float* inverse_scale,
                                 const int32_t* zero_point, uint8_t* output) {
    for (size_t t = 0; t < length; t++) {
        for (size_t c = 0; c < channels; c++) {
            float v = input[t * channels + c] * inverse_scale[c];
            // Same order as the SIMD max(v, -256) then min(v, 256): NaN becomes -256.
            v = v > -256.0f ? v : -256.0f;
            v = v < 256.0f ? v : 256.0f;
            // Round half to even without depending on the current rounding mode.
            float rounded = (float)(int32_t)v;
            const float fraction = v - rounded;
            if (fraction > 0.5f || (fraction == 0.5f && ((int32_t)rounded & 1))) rounded += 1.0f;
            if (fraction < -0.5f || (fraction == -0.5f && ((int32_t)rounded & 1))) rounded -= 1.0f;
            const int32_t q = (int32_t)rounded + zero_point[c];
            output[t * channels + c] = (uint8_t)(q < 0 ? 0 : q > 255 ? 255 : q);
        }
    }
}
