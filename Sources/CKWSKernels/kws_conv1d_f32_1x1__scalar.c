#include <assert.h>
#include "kws_conv1d_f32_sizes.h"

// The reference rounds every product before adding it, whatever -march the package is built with,
// so its results do not depend on the build.
#pragma STDC FP_CONTRACT OFF

void kws_conv1d_f32_1x1__scalar(const kws_conv1d_f32_shape* shape, const float* input,
                                const float* packed_weights, const float* packed_bias,
                                const float* residual, float* output, bool relu) {
    const kws_conv1d_f32_sizes sizes = kws_conv1d_f32_sizes_of(shape, input, packed_weights, packed_bias, output);
    const size_t channels = sizes.channels, depth = sizes.depth, input_step = sizes.input_step;
    const size_t weight_row = sizes.weight_row;

    for (size_t t = 0; t < shape->output_length; t++) {
        const float* restrict x = input + t * input_step;
        float* restrict y = output + t * channels;
        for (size_t o = 0; o < channels; o++) y[o] = packed_bias[o];
        for (size_t q = 0; q < depth; q++) {
            const float xq = x[q];
            const float* restrict w = packed_weights + q * weight_row;
            for (size_t o = 0; o < channels; o++) y[o] += xq * w[o];
        }
        if (residual != NULL) {
            const float* restrict r = residual + t * channels;
            for (size_t o = 0; o < channels; o++) y[o] += r[o];
        }
        // `> 0` also maps NaN to 0, as the SIMD variants' max(acc, 0) does.
        if (relu) {
            for (size_t o = 0; o < channels; o++) y[o] = y[o] > 0.0f ? y[o] : 0.0f;
        }
    }
}
