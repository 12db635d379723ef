#ifndef KWS_CONV1D_U8S8_SIZES_H
#define KWS_CONV1D_U8S8_SIZES_H
/*
 * What every packed u8 x s8 convolution (int8, highway, outlier dense part) derives from its shape before its
 * own tiling: one place for the packed layout's arithmetic (kws_conv1d_u8s8.h). Private to CKWSKernels.
 */
#include <assert.h>
#include "kws_conv1d_u8s8.h"

typedef struct {
    /// Output channels.
    size_t channels;
    /// Packed bytes per output value: kernel_size × input_channels rounded up to a multiple of 4.
    size_t depth;
    /// Input bytes between one output row's window and the next.
    size_t input_step;
    /// Channels per packed weight row (output_channels padded, kws_conv1d_u8s8_packed_channels).
    size_t row;
} kws_conv1d_u8s8_sizes;

static inline kws_conv1d_u8s8_sizes kws_conv1d_u8s8_sizes_of(const kws_conv1d_u8s8_shape* shape) {
    assert(shape != NULL && shape->input_channels > 0 && shape->output_channels > 0);
    return (kws_conv1d_u8s8_sizes){
        .channels = shape->output_channels,
        .depth = kws_conv1d_u8s8_packed_depth(shape->kernel_size * shape->input_channels),
        .input_step = shape->stride * shape->input_channels,
        .row = kws_conv1d_u8s8_packed_channels(shape->output_channels),
    };
}

#endif
