#include "kws_conv1d_u8s8.h"

bool kws_isa_avx512vnni_supported(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return kws_isa_supported(KWS_ISA_AVX512) && __builtin_cpu_supports("avx512vnni")
        && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
#else
    return false;
#endif
}

void kws_conv1d_u8s8(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                     const uint8_t* input, const uint8_t* residual, uint8_t* output) {
#if defined(__x86_64__)
    if (isa >= KWS_ISA_AVX512 && kws_isa_avx512vnni_supported()) {
        kws_conv1d_u8s8_8x48__avx512vnni(shape, params, input, residual, output);
        return;
    }
    if (isa >= KWS_ISA_AVX2 && kws_isa_supported(KWS_ISA_AVX2)) {
        kws_conv1d_u8s8_4x24__avx2(shape, params, input, residual, output);
        return;
    }
#endif
    (void)isa;
    kws_conv1d_u8s8_1x1__scalar(shape, params, input, residual, output);
}

void kws_conv1d_u8s8_acc16(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                           const uint8_t* input, const uint8_t* residual, uint8_t* output) {
#if defined(__x86_64__)
    if (isa >= KWS_ISA_AVX2 && kws_isa_supported(KWS_ISA_AVX2)) {
        kws_conv1d_u8s8_acc16_4x16__avx2(shape, params, input, residual, output);
        return;
    }
#endif
    (void)isa;
    kws_conv1d_u8s8_acc16_1x1__scalar(shape, params, input, residual, output);
}

void kws_quantize_f32_u8(kws_isa isa, size_t length, size_t channels, const float* input,
                         const float* inverse_scale, const int32_t* zero_point, uint8_t* output) {
#if defined(__x86_64__)
    if (isa >= KWS_ISA_AVX512 && kws_isa_avx512vnni_supported()) {
        kws_quantize_f32_u8__avx512(length, channels, input, inverse_scale, zero_point, output);
        return;
    }
    if (isa >= KWS_ISA_AVX2 && kws_isa_supported(KWS_ISA_AVX2)) {
        kws_quantize_f32_u8__avx2(length, channels, input, inverse_scale, zero_point, output);
        return;
    }
#endif
    (void)isa;
    kws_quantize_f32_u8__scalar(length, channels, input, inverse_scale, zero_point, output);
}
