#include "kws_conv1d_f32.h"
#include "kws_kernel_table.h"

void kws_conv1d_f32(kws_isa isa, const kws_conv1d_f32_shape* shape, const float* input,
                    const float* packed_weights, const float* packed_bias,
                    const float* residual, float* output, bool relu) {
    kws_kernels_for(isa)->conv1d_f32.run(shape, input, packed_weights, packed_bias, residual, output, relu);
}
