#ifndef KWS_INT8_NETWORK_H
#define KWS_INT8_NETWORK_H
#include <stddef.h>
#include <stdint.h>
#include "kws_conv1d_u8s8.h"
#include "kws_kernel_table.h"

/*
 * The whole int8 TC-ResNet in one call: a plan resolved once when an engine is made (each layer's kernel
 * variant taken from one kernel-table entry, its weights packed in the layout that entry reads, every arena
 * offset fixed), then `kws_int8_network_run` per inference: input quantization, every convolution in order
 * (stem, then per block shortcut, conv1, conv2 with its residual), the time-sum of the last activation and
 * the s8 classifier. No CPU check, no allocation and no callback in between.
 *
 * Arithmetic, per stage, is exactly that of the per-layer path it replaces (kws_conv1d_u8s8.h for the
 * convolutions, kws_quantize_f32_u8 for the input):
 *
 *     sums[c]   = sum over the output region's rows t of arena[output + t * C + c]      (exact, s64)
 *     logits[l] = (float)(sum_c weights[l][c] * sums[c]) * scales[l]                    (s64 dot product,
 *                                                                                        one rounding to float)
 *
 * so its logits are bit-identical to the per-layer path's for the same plan.
 *
 * The arena is the caller's u8 buffer of `arena_size` bytes, laid out by the caller: every activation with
 * its halo rows (which hold the code of real 0 and are never written), plus the slack the kernels may read
 * past their last row (kws_conv1d_u8s8.h).
 */

/// One convolution of the plan; `params` point at buffers the caller keeps alive with the plan.
typedef struct kws_int8_network_layer {
    kws_conv1d_u8s8_fn run;
    kws_conv1d_u8s8_shape shape;
    kws_conv1d_u8s8_params params;
    /// Arena offset of the first (padding) row the layer reads.
    size_t input;
    /// Arena offset of row 0 of its output.
    size_t output;
    /// Arena offset of row 0 of its residual (`output_length x output_channels`); meaningful only when
    /// `has_residual`.
    size_t residual;
    bool has_residual;
} kws_int8_network_layer;

/// A resolved network; every pointer is owned by the caller and outlives the plan's use.
typedef struct kws_int8_network {
    /// Input quantization (the kernel table's `quantize_f32_u8` entry) into `input_length x input_channels`
    /// at arena offset `input`.
    kws_quantize_f32_u8_fn quantize;
    const float* input_inverse_scale;
    const int32_t* input_zero_point;
    size_t input_length;
    size_t input_channels;
    size_t input;
    /// The convolutions in execution order.
    const kws_int8_network_layer* layers;
    size_t layer_count;
    /// The last activation: `output_length x output_channels` at arena offset `output`.
    size_t output;
    size_t output_length;
    size_t output_channels;
    /// `[labels][output_channels]` s8 and one float scale per label.
    const int8_t* classifier_weights;
    const float* classifier_scales;
    size_t labels;
    /// Bytes the arena must hold.
    size_t arena_size;
} kws_int8_network;

/// Runs `network` on `features` (`input_length x input_channels` floats, time-major): writes `labels`
/// logits, and the per-channel time sums of the last activation into `time_sums` (`output_channels`).
/// `arena` is `arena_size` bytes whose halo rows the caller filled once; only interiors are written.
void kws_int8_network_run(const kws_int8_network* network, const float* features, uint8_t* arena,
                          int64_t* time_sums, float* logits);

#endif
