#include "kws_conv1d_zeroskip_u8s8.h"

bool kws_isa_avx512vbmi2_supported(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return kws_isa_avx512vnni_supported() && __builtin_cpu_supports("avx512vbmi2");
#else
    return false;
#endif
}

bool kws_isa_avx2bmi2_supported(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return kws_isa_supported(KWS_ISA_AVX2) && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
#else
    return false;
#endif
}

uint64_t kws_conv1d_zeroskip_u8s8(kws_isa isa, const kws_conv1d_u8s8_shape* shape,
                                  const kws_conv1d_zeroskip_u8s8_params* params, const uint8_t* input,
                                  const uint8_t* residual, uint8_t* output, uint64_t* scratch, bool dense_input) {
#if defined(__x86_64__)
    if (isa >= KWS_ISA_AVX512 && kws_isa_avx512vbmi2_supported()) {
        return kws_conv1d_zeroskip_u8s8_1x1__avx512vbmi2(shape, params, input, residual, output, scratch, dense_input);
    }
    if (isa >= KWS_ISA_AVX2 && kws_isa_avx2bmi2_supported()) {
        return kws_conv1d_zeroskip_u8s8_1x1__avx2bmi2(shape, params, input, residual, output, scratch, dense_input);
    }
#endif
    (void)isa;
    return kws_conv1d_zeroskip_u8s8_1x1__scalar(shape, params, input, residual, output, scratch, dense_input);
}
