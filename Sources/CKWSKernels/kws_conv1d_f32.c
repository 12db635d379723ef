#include "kws_conv1d_f32.h"

void kws_conv1d_f32(kws_isa isa, const kws_conv1d_f32_shape* shape, const float* input,
                    const float* packed_weights, const float* packed_bias,
                    const float* residual, float* output, bool relu) {
#if defined(__x86_64__)
    if (isa >= KWS_ISA_AVX512 && kws_isa_supported(KWS_ISA_AVX512)) {
        kws_conv1d_f32_8x48__avx512f(shape, input, packed_weights, packed_bias, residual, output, relu);
        return;
    }
    if (isa >= KWS_ISA_AVX2 && kws_isa_supported(KWS_ISA_AVX2)) {
        kws_conv1d_f32_6x16__avx2fma(shape, input, packed_weights, packed_bias, residual, output, relu);
        return;
    }
#endif
    (void)isa;
    kws_conv1d_f32_1x1__scalar(shape, input, packed_weights, packed_bias, residual, output, relu);
}
