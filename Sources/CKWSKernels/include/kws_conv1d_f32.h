#ifndef KWS_CONV1D_F32_H
#define KWS_CONV1D_F32_H
#include <stdbool.h>
#include <stddef.h>
#include "kws_isa.h"

/*
 * Float temporal convolution on channels-last activations, as an implicit GEMM.
 *
 * With activations stored `[T][C]`, the inputs output step `t` sees are the contiguous span of
 * `kernel_size * input_channels` floats starting at row `t * stride`, so the convolution is
 *
 *     output[t][o] = act(bias[o] + sum_q input[t * stride * input_channels + q] * weights[q][o]
 *                        (+ residual[t][o]))
 *
 * for `q < kernel_size * input_channels` and `act` = ReLU or identity, with ReLU applied after the
 * residual add. Zero padding is the caller's job: `input` points at the first (padding) row of a buffer
 * whose `(output_length - 1) * stride + kernel_size` rows are all readable.
 *
 * Weights are packed `[kernel_size][input_channels][kws_conv1d_f32_packed_channels(output_channels)]`
 * and bias `[kws_conv1d_f32_packed_channels(output_channels)]`, both zero-filled past `output_channels`,
 * so every variant may load whole vectors. `output` and `residual` are dense `[output_length][output_channels]`
 * and must not overlap each other or `input`.
 *
 * Every variant adds the products in the same order (`q` ascending, starting from the bias); the SIMD
 * variants fuse each multiply-add, the scalar one rounds the product first, so results agree to about
 * 1e-6 relative, not bit for bit.
 */

/// Output channels in one packed weight row are rounded up to a multiple of this (one AVX-512 vector).
#define KWS_CONV1D_F32_CHANNEL_TILE 16

/// Shape of one temporal convolution.
typedef struct kws_conv1d_f32_shape {
    size_t output_length;
    size_t input_channels;
    size_t output_channels;
    size_t kernel_size;
    size_t stride;
} kws_conv1d_f32_shape;

/// Floats in one packed weight row for `output_channels` outputs.
static inline size_t kws_conv1d_f32_packed_channels(size_t output_channels) {
    return (output_channels + KWS_CONV1D_F32_CHANNEL_TILE - 1) / KWS_CONV1D_F32_CHANNEL_TILE
        * KWS_CONV1D_F32_CHANNEL_TILE;
}

/// Plain C reference: one output row at a time, every output channel.
void kws_conv1d_f32_1x1__scalar(const kws_conv1d_f32_shape* shape, const float* input,
                                const float* packed_weights, const float* packed_bias,
                                const float* residual, float* output, bool relu);

/// AVX2 + FMA: tiles of 6 output steps x 16 output channels (12 ymm accumulators), or 8 x 8.
void kws_conv1d_f32_6x16__avx2fma(const kws_conv1d_f32_shape* shape, const float* input,
                                  const float* packed_weights, const float* packed_bias,
                                  const float* residual, float* output, bool relu);

/// AVX-512F: tiles of 8 output steps x up to 48 output channels (24 accumulators); a remainder of at most
/// 8 channels runs in a ymm column of the same tile instead of a mostly masked zmm one.
void kws_conv1d_f32_8x48__avx512f(const kws_conv1d_f32_shape* shape, const float* input,
                                  const float* packed_weights, const float* packed_bias,
                                  const float* residual, float* output, bool relu);

/// aarch64 NEON (Armv8.0 has FMA): tiles of 4 output steps x 16 output channels (16 q-registers of
/// accumulators), `fmla` by element so one input load serves 4 depth steps. Same summation order as the x86
/// variants, so the same results as theirs.
void kws_conv1d_f32_4x16__neon(const kws_conv1d_f32_shape* shape, const float* input,
                               const float* packed_weights, const float* packed_bias,
                               const float* residual, float* output, bool relu);

/// Runs the variant for `isa`, or for the highest level below it that this CPU supports.
void kws_conv1d_f32(kws_isa isa, const kws_conv1d_f32_shape* shape, const float* input,
                    const float* packed_weights, const float* packed_bias,
                    const float* residual, float* output, bool relu);

#endif
