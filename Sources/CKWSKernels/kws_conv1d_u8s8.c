#include "kws_conv1d_u8s8.h"
#include "kws_kernel_table.h"

void kws_conv1d_u8s8(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                     const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    kws_kernels_for(isa)->conv1d_u8s8.run(shape, params, input, residual, output);
}

void kws_conv1d_u8s8_acc16(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                           const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    kws_kernels_for(isa)->conv1d_u8s8_acc16.run(shape, params, input, residual, output);
}

void kws_quantize_f32_u8(kws_isa isa, size_t length, size_t channels, const float* input,
                         const float* inverse_scale, const int32_t* zero_point, uint8_t* output) {
    kws_kernels_for(isa)->quantize_f32_u8.run(length, channels, input, inverse_scale, zero_point, output);
}
