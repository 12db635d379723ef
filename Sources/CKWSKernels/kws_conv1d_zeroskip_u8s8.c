#include "kws_conv1d_zeroskip_u8s8.h"
#include "kws_kernel_table.h"

uint64_t kws_conv1d_zeroskip_u8s8(kws_isa isa, const kws_conv1d_u8s8_shape* shape,
                                  const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
                                  const uint8_t* residual, uint8_t* output, uint64_t* scratch, bool dense_input) {
    return kws_kernels_for(isa)->conv1d_zeroskip_u8s8.run(shape, params, input, residual, output, scratch, dense_input);
}
