#include <assert.h>
#include "kws_conv1d_ol4.h"
#include "kws_conv1d_u8s8_sizes.h"

void kws_ol4_unpack_s4__scalar(size_t count, const uint8_t* packed, int8_t* codes) {
    assert(count % 64 == 0);
    for (size_t block = 0; block < count / 64; block++) {
        const uint8_t* p = packed + block * 32;
        int8_t* c = codes + block * 64;
        for (size_t j = 0; j < 32; j++) {
            // (n ^ 8) - 8 sign-extends a two's-complement nibble n.
            c[j] = (int8_t)(((p[j] & 0x0F) ^ 8) - 8);
            c[j + 32] = (int8_t)(((p[j] >> 4) ^ 8) - 8);
        }
    }
}

void kws_ol4_scatter_s8(size_t count, const uint32_t* offsets, const int8_t* values, int8_t* codes) {
    for (size_t k = 0; k < count; k++) codes[offsets[k]] = values[k];
}

void kws_conv1d_ol4_dense__scalar(const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                                  const uint8_t* input, bool narrow_input, int32_t* acc) {
    assert(shape != NULL && weights != NULL && bias != NULL && input != NULL && acc != NULL);
    (void)narrow_input;
    const kws_conv1d_u8s8_sizes sizes = kws_conv1d_u8s8_sizes_of(shape);
    const size_t channels = sizes.channels, groups = sizes.depth / 4, input_step = sizes.input_step;
    const size_t row = sizes.row;
    for (size_t t = 0; t < shape->output_length; t++) {
        const uint8_t* x = input + t * input_step;
        for (size_t o = 0; o < channels; o++) {
            int32_t sum = bias[o];
            for (size_t g = 0; g < groups; g++) {
                const int8_t* w = weights + (g * row + o) * 4;
                for (size_t k = 0; k < 4; k++) sum += (int32_t)x[4 * g + k] * (int32_t)w[k];
            }
            acc[t * row + o] = sum;
        }
    }
}

/// The output step a padded input row meets at `tap`, or -1 when no output step does.
static inline long output_step(size_t padded_row, size_t tap, const kws_conv1d_u8s8_shape* shape) {
    if (padded_row < tap) return -1;
    const size_t distance = padded_row - tap;
    if (distance % shape->stride != 0) return -1;
    const size_t t = distance / shape->stride;
    return t < shape->output_length ? (long)t : -1;
}

void kws_conv1d_ol4_sparse__scalar(const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                                   const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                   size_t input_row_offset, const kws_ol4_outlier* residual_outliers,
                                   size_t residual_outlier_count, const int32_t* residual_multiplier,
                                   const int32_t* residual_shift, int32_t* acc) {
    const size_t channels = shape->output_channels;
    const size_t row = kws_conv1d_u8s8_packed_channels(channels);
    for (size_t k = 0; k < input_outlier_count; k++) {
        const kws_ol4_outlier outlier = input_outliers[k];
        assert(outlier.channel < shape->input_channels);
        const size_t padded_row = outlier.row + input_row_offset;
        for (size_t tap = 0; tap < shape->kernel_size; tap++) {
            const long t = output_step(padded_row, tap, shape);
            if (t < 0) continue;
            const size_t q = tap * shape->input_channels + outlier.channel;
            const int8_t* w = weights + (q / 4) * row * 4 + q % 4;
            int32_t* a = acc + (size_t)t * row;
            for (size_t o = 0; o < channels; o++) a[o] += (int32_t)outlier.value * (int32_t)w[4 * o];
        }
    }
    for (size_t k = 0; k < residual_outlier_count; k++) {
        const kws_ol4_outlier outlier = residual_outliers[k];
        assert(outlier.channel < channels && outlier.row < shape->output_length);
        acc[outlier.row * row + outlier.channel] += (int32_t)kws_rescale_s64(
            outlier.value, residual_multiplier[outlier.channel], residual_shift[outlier.channel]);
    }
}

size_t kws_conv1d_ol4_epilogue__scalar(size_t length, size_t channels, const int32_t* acc,
                                       const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                                       kws_ol4_outlier* outliers) {
    const size_t row = kws_conv1d_u8s8_packed_channels(channels);
    size_t count = 0;
    for (size_t t = 0; t < length; t++) {
        for (size_t o = 0; o < channels; o++) {
            int32_t sum = acc[t * row + o];
            if (residual != NULL) {
                sum += (int32_t)kws_rescale_s64(residual[t * channels + o], params->residual_multiplier[o],
                                                params->residual_shift[o]);
            }
            int64_t y = kws_rescale_s64(sum, params->multiplier[o], params->shift[o]);
            y = y < 0 ? 0 : y > params->code_max ? params->code_max : y;
            if (y > KWS_CONV1D_OL4_DENSE_MAX) {
                output[t * channels + o] = 0;
                outliers[count++] = (kws_ol4_outlier){(uint32_t)t, (uint16_t)o, (uint16_t)y};
            } else {
                output[t * channels + o] = (uint8_t)y;
            }
        }
    }
    return count;
}
