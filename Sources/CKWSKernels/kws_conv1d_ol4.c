#include "kws_conv1d_ol4.h"
#include "kws_kernel_table.h"

void kws_ol4_unpack_s4(kws_isa isa, size_t count, const uint8_t* packed, int8_t* codes) {
    kws_kernels_for(isa)->conv1d_ol4.unpack(count, packed, codes);
}

void kws_conv1d_ol4_dense(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                          const uint8_t* input, bool narrow_input, int32_t* acc) {
    kws_kernels_for(isa)->conv1d_ol4.dense(shape, weights, bias, input, narrow_input, acc);
}

void kws_conv1d_ol4_sparse(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                           const kws_ol4_outlier* input_outliers, size_t input_outlier_count, size_t input_row_offset,
                           const kws_ol4_outlier* residual_outliers, size_t residual_outlier_count,
                           const int32_t* residual_multiplier, const int32_t* residual_shift, int32_t* acc) {
    if (input_outlier_count == 0 && residual_outlier_count == 0) return;
    kws_kernels_for(isa)->conv1d_ol4.sparse(shape, weights, input_outliers, input_outlier_count, input_row_offset,
                                            residual_outliers, residual_outlier_count, residual_multiplier,
                                            residual_shift, acc);
}

size_t kws_conv1d_ol4_epilogue(kws_isa isa, size_t length, size_t channels, const int32_t* acc,
                               const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                               kws_ol4_outlier* outliers) {
    return kws_kernels_for(isa)->conv1d_ol4.epilogue(length, channels, acc, params, residual, output, outliers);
}

size_t kws_conv1d_ol4_unpacked(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_ol4_params* params,
                               const int8_t* weights, const uint8_t* input, const kws_ol4_outlier* input_outliers,
                               size_t input_outlier_count, size_t input_row_offset, const uint8_t* residual,
                               const kws_ol4_outlier* residual_outliers, size_t residual_outlier_count, int32_t* acc,
                               uint8_t* output, kws_ol4_outlier* output_outliers) {
    return kws_conv1d_ol4_unpacked_with(&kws_kernels_for(isa)->conv1d_ol4, shape, params, weights, input,
                                        input_outliers, input_outlier_count, input_row_offset, residual,
                                        residual_outliers, residual_outlier_count, acc, output, output_outliers);
}

size_t kws_conv1d_ol4_unpacked_with(const kws_conv1d_ol4_config* kernels, const kws_conv1d_u8s8_shape* shape,
                                    const kws_conv1d_ol4_params* params, const int8_t* weights, const uint8_t* input,
                                    const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                                    size_t input_row_offset, const uint8_t* residual,
                                    const kws_ol4_outlier* residual_outliers, size_t residual_outlier_count,
                                    int32_t* acc, uint8_t* output, kws_ol4_outlier* output_outliers) {
    kernels->dense(shape, weights, params->bias, input, params->narrow_input, acc);
    // Most layer calls carry no outliers at all: skip the sparse pass's setup.
    if (input_outlier_count != 0 || residual_outlier_count != 0) {
        kernels->sparse(shape, weights, input_outliers, input_outlier_count, input_row_offset, residual_outliers,
                        residual_outlier_count, params->residual_multiplier, params->residual_shift, acc);
    }
    return kernels->epilogue(shape->output_length, shape->output_channels, acc, params, residual, output,
                             output_outliers);
}

size_t kws_conv1d_ol4(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_ol4_params* params,
                      const uint8_t* input, const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                      size_t input_row_offset, const uint8_t* residual, const kws_ol4_outlier* residual_outliers,
                      size_t residual_outlier_count, int8_t* weight_scratch, int32_t* acc, uint8_t* output,
                      kws_ol4_outlier* output_outliers) {
    return kws_conv1d_ol4_with(&kws_kernels_for(isa)->conv1d_ol4, shape, params, input, input_outliers,
                               input_outlier_count, input_row_offset, residual, residual_outliers,
                               residual_outlier_count, weight_scratch, acc, output, output_outliers);
}

size_t kws_conv1d_ol4_with(const kws_conv1d_ol4_config* kernels, const kws_conv1d_u8s8_shape* shape,
                           const kws_conv1d_ol4_params* params, const uint8_t* input,
                           const kws_ol4_outlier* input_outliers, size_t input_outlier_count, size_t input_row_offset,
                           const uint8_t* residual, const kws_ol4_outlier* residual_outliers,
                           size_t residual_outlier_count, int8_t* weight_scratch, int32_t* acc, uint8_t* output,
                           kws_ol4_outlier* output_outliers) {
    const int8_t* weights = params->weights_s8;
    if (params->weights_s4 != NULL) {
        const size_t count = kws_conv1d_u8s8_packed_depth(shape->kernel_size * shape->input_channels)
            * kws_conv1d_u8s8_packed_channels(shape->output_channels);
        kernels->unpack(count, params->weights_s4, weight_scratch);
        kws_ol4_scatter_s8(params->weight_outlier_count, params->weight_outlier_offsets, params->weight_outlier_values,
                           weight_scratch);
        weights = weight_scratch;
    }
    return kws_conv1d_ol4_unpacked_with(kernels, shape, params, weights, input, input_outliers, input_outlier_count,
                                        input_row_offset, residual, residual_outliers, residual_outlier_count, acc,
                                        output, output_outliers);
}
