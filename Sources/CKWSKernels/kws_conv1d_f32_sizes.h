#ifndef KWS_CONV1D_F32_SIZES_H
#define KWS_CONV1D_F32_SIZES_H
/*
 * What every conv1d_f32 variant checks and derives from its arguments before its own tiling. Private to
 * CKWSKernels.
 */
#include <assert.h>
#include "kws_conv1d_f32.h"

typedef struct {
    /// Output channels.
    size_t channels;
    /// Multiply-accumulates per output value: kernel_size × input_channels.
    size_t depth;
    /// Input floats between one output row's window and the next.
    size_t input_step;
    /// Floats per packed weight row (channels padded, kws_conv1d_f32_packed_channels).
    size_t weight_row;
} kws_conv1d_f32_sizes;

static inline kws_conv1d_f32_sizes kws_conv1d_f32_sizes_of(const kws_conv1d_f32_shape* shape, const float* input,
                                                           const float* packed_weights, const float* packed_bias,
                                                           const float* output) {
    assert(shape != NULL && input != NULL && packed_weights != NULL && packed_bias != NULL && output != NULL);
    assert(shape->input_channels > 0 && shape->output_channels > 0);
    assert(shape->kernel_size > 0 && shape->stride > 0);
    (void)input, (void)packed_weights, (void)packed_bias, (void)output;
    return (kws_conv1d_f32_sizes){
        .channels = shape->output_channels,
        .depth = shape->kernel_size * shape->input_channels,
        .input_step = shape->stride * shape->input_channels,
        .weight_row = kws_conv1d_f32_packed_channels(shape->output_channels),
    };
}

#endif
