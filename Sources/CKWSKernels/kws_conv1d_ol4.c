#include "kws_conv1d_ol4.h"

// The AVX-512 level means VNNI with BW/VL for every stage, as for kws_conv1d_u8s8, so a CPU is either on the
// whole AVX-512 path or the whole AVX2 one.
static inline kws_isa effective_isa(kws_isa isa) {
#if defined(__x86_64__)
    if (isa >= KWS_ISA_AVX512 && kws_isa_avx512vnni_supported()) return KWS_ISA_AVX512;
    if (isa >= KWS_ISA_AVX2 && kws_isa_supported(KWS_ISA_AVX2)) return KWS_ISA_AVX2;
#endif
    (void)isa;
    return KWS_ISA_SCALAR;
}

void kws_ol4_unpack_s4(kws_isa isa, size_t count, const uint8_t* packed, int8_t* codes) {
    switch (effective_isa(isa)) {
    case KWS_ISA_AVX512: kws_ol4_unpack_s4__avx512(count, packed, codes); return;
    case KWS_ISA_AVX2: kws_ol4_unpack_s4__avx2(count, packed, codes); return;
    default: kws_ol4_unpack_s4__scalar(count, packed, codes); return;
    }
}

void kws_conv1d_ol4_dense(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const int8_t* weights, const int32_t* bias,
                          const uint8_t* input, bool narrow_input, int32_t* acc) {
    switch (effective_isa(isa)) {
    case KWS_ISA_AVX512: kws_conv1d_ol4_dense__avx512vnni(shape, weights, bias, input, narrow_input, acc); return;
    case KWS_ISA_AVX2: kws_conv1d_ol4_dense__avx2(shape, weights, bias, input, narrow_input, acc); return;
    default: kws_conv1d_ol4_dense__scalar(shape, weights, bias, input, narrow_input, acc); return;
    }
}

void kws_conv1d_ol4_sparse(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const int8_t* weights,
                           const kws_ol4_outlier* input_outliers, size_t input_outlier_count, size_t input_row_offset,
                           const kws_ol4_outlier* residual_outliers, size_t residual_outlier_count,
                           const int32_t* residual_multiplier, const int32_t* residual_shift, int32_t* acc) {
    if (input_outlier_count == 0 && residual_outlier_count == 0) return;
    switch (effective_isa(isa)) {
    case KWS_ISA_AVX512:
        kws_conv1d_ol4_sparse__avx512(shape, weights, input_outliers, input_outlier_count, input_row_offset,
                                      residual_outliers, residual_outlier_count, residual_multiplier, residual_shift, acc);
        return;
    case KWS_ISA_AVX2:
        kws_conv1d_ol4_sparse__avx2(shape, weights, input_outliers, input_outlier_count, input_row_offset,
                                    residual_outliers, residual_outlier_count, residual_multiplier, residual_shift, acc);
        return;
    default:
        kws_conv1d_ol4_sparse__scalar(shape, weights, input_outliers, input_outlier_count, input_row_offset,
                                      residual_outliers, residual_outlier_count, residual_multiplier, residual_shift, acc);
        return;
    }
}

size_t kws_conv1d_ol4_epilogue(kws_isa isa, size_t length, size_t channels, const int32_t* acc,
                               const kws_conv1d_ol4_params* params, const uint8_t* residual, uint8_t* output,
                               kws_ol4_outlier* outliers) {
    switch (effective_isa(isa)) {
    case KWS_ISA_AVX512: return kws_conv1d_ol4_epilogue__avx512(length, channels, acc, params, residual, output, outliers);
    case KWS_ISA_AVX2: return kws_conv1d_ol4_epilogue__avx2(length, channels, acc, params, residual, output, outliers);
    default: return kws_conv1d_ol4_epilogue__scalar(length, channels, acc, params, residual, output, outliers);
    }
}

size_t kws_conv1d_ol4_unpacked(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_ol4_params* params,
                               const int8_t* weights, const uint8_t* input, const kws_ol4_outlier* input_outliers,
                               size_t input_outlier_count, size_t input_row_offset, const uint8_t* residual,
                               const kws_ol4_outlier* residual_outliers, size_t residual_outlier_count, int32_t* acc,
                               uint8_t* output, kws_ol4_outlier* output_outliers) {
    kws_conv1d_ol4_dense(isa, shape, weights, params->bias, input, params->narrow_input, acc);
    kws_conv1d_ol4_sparse(isa, shape, weights, input_outliers, input_outlier_count, input_row_offset, residual_outliers,
                          residual_outlier_count, params->residual_multiplier, params->residual_shift, acc);
    return kws_conv1d_ol4_epilogue(isa, shape->output_length, shape->output_channels, acc, params, residual, output,
                                   output_outliers);
}

size_t kws_conv1d_ol4(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_ol4_params* params,
                      const uint8_t* input, const kws_ol4_outlier* input_outliers, size_t input_outlier_count,
                      size_t input_row_offset, const uint8_t* residual, const kws_ol4_outlier* residual_outliers,
                      size_t residual_outlier_count, int8_t* weight_scratch, int32_t* acc, uint8_t* output,
                      kws_ol4_outlier* output_outliers) {
    const int8_t* weights = params->weights_s8;
    if (params->weights_s4 != NULL) {
        const size_t count = kws_conv1d_u8s8_packed_depth(shape->kernel_size * shape->input_channels)
            * kws_conv1d_u8s8_packed_channels(shape->output_channels);
        kws_ol4_unpack_s4(isa, count, params->weights_s4, weight_scratch);
        kws_ol4_scatter_s8(params->weight_outlier_count, params->weight_outlier_offsets, params->weight_outlier_values,
                           weight_scratch);
        weights = weight_scratch;
    }
    return kws_conv1d_ol4_unpacked(isa, shape, params, weights, input, input_outliers, input_outlier_count,
                                   input_row_offset, residual, residual_outliers, residual_outlier_count, acc, output,
                                   output_outliers);
}
