#include <pthread.h>
#include "kws_kernel_table.h"

static kws_kernels tables[KWS_ISA_AVX512 + 1];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

// The feature sets behind each variant family; the variants' `target` attributes name the same features.
#if defined(__x86_64__)
static inline bool has_avx2(const kws_cpu_features* cpu) { return cpu->avx2 && cpu->fma; }
static inline bool has_avx512f(const kws_cpu_features* cpu) { return has_avx2(cpu) && cpu->avx512f; }
static inline bool has_avx512vnni(const kws_cpu_features* cpu) {
    return has_avx512f(cpu) && cpu->avx512bw && cpu->avx512vl && cpu->avx512vnni;
}
static inline bool has_avx512vbmi2(const kws_cpu_features* cpu) { return has_avx512vnni(cpu) && cpu->avx512vbmi2; }
static inline bool has_avx2bmi2(const kws_cpu_features* cpu) { return has_avx2(cpu) && cpu->bmi2 && cpu->popcnt; }
#elif defined(__aarch64__)
static inline bool has_neon(const kws_cpu_features* cpu) { return cpu->asimd; }
static inline bool has_neondot(const kws_cpu_features* cpu) { return has_neon(cpu) && cpu->asimddp; }
static inline bool has_neoni8mm(const kws_cpu_features* cpu) { return has_neondot(cpu) && cpu->i8mm; }
#endif

static kws_conv1d_f32_config choose_conv1d_f32(kws_isa level, const kws_cpu_features* cpu) {
#if defined(__x86_64__)
    if (level >= KWS_ISA_AVX512 && has_avx512f(cpu))
        return (kws_conv1d_f32_config){kws_conv1d_f32_8x48__avx512f, "conv1d_f32_8x48__avx512f", KWS_ISA_AVX512, 8, 48};
    if (level >= KWS_ISA_AVX2 && has_avx2(cpu))
        return (kws_conv1d_f32_config){kws_conv1d_f32_6x16__avx2fma, "conv1d_f32_6x16__avx2fma", KWS_ISA_AVX2, 6, 16};
#elif defined(__aarch64__)
    // FMA is Armv8.0, and the dot product adds nothing to float: one variant for both tiers.
    if (level >= KWS_ISA_NEON && has_neon(cpu))
        return (kws_conv1d_f32_config){kws_conv1d_f32_4x16__neon, "conv1d_f32_4x16__neon", KWS_ISA_NEON, 4, 16};
#endif
    (void)level, (void)cpu;
    return (kws_conv1d_f32_config){kws_conv1d_f32_1x1__scalar, "conv1d_f32_1x1__scalar", KWS_ISA_SCALAR, 1, 1};
}

static kws_conv1d_u8s8_config choose_conv1d_u8s8(kws_isa level, const kws_cpu_features* cpu) {
#if defined(__x86_64__)
    if (level >= KWS_ISA_AVX512 && has_avx512vnni(cpu))
        return (kws_conv1d_u8s8_config){kws_conv1d_u8s8_8x48__avx512vnni, "conv1d_u8s8_8x48__avx512vnni",
                                        KWS_ISA_AVX512, KWS_U8S8_WEIGHTS_S8_QUADS, 8, 48};
    if (level >= KWS_ISA_AVX2 && has_avx2(cpu))
        return (kws_conv1d_u8s8_config){kws_conv1d_u8s8_2x32__avx2, "conv1d_u8s8_2x32__avx2", KWS_ISA_AVX2,
                                        KWS_U8S8_WEIGHTS_S16_QUAD_PAIRS, 2, 32};
#elif defined(__aarch64__)
    // i8mm's SUDOT is the same tile without the input flip and weight-sum correction; same tier.
    if (level >= KWS_ISA_NEONDOT && has_neoni8mm(cpu))
        return (kws_conv1d_u8s8_config){kws_conv1d_u8s8_4x16__neoni8mm, "conv1d_u8s8_4x16__neoni8mm", KWS_ISA_NEONDOT,
                                        KWS_U8S8_WEIGHTS_S8_QUADS, 4, 16};
    if (level >= KWS_ISA_NEONDOT && has_neondot(cpu))
        return (kws_conv1d_u8s8_config){kws_conv1d_u8s8_4x16__neondot, "conv1d_u8s8_4x16__neondot", KWS_ISA_NEONDOT,
                                        KWS_U8S8_WEIGHTS_S8_QUADS, 4, 16};
    if (level >= KWS_ISA_NEON && has_neon(cpu))
        return (kws_conv1d_u8s8_config){kws_conv1d_u8s8_4x16__neon, "conv1d_u8s8_4x16__neon", KWS_ISA_NEON,
                                        KWS_U8S8_WEIGHTS_S16_PAIRS, 4, 16};
#endif
    (void)level, (void)cpu;
    return (kws_conv1d_u8s8_config){kws_conv1d_u8s8_1x1__scalar, "conv1d_u8s8_1x1__scalar", KWS_ISA_SCALAR,
                                    KWS_U8S8_WEIGHTS_S8_QUADS, 1, 1};
}

static kws_conv1d_u8s8_config choose_conv1d_u8s8_acc16(kws_isa level, const kws_cpu_features* cpu) {
#if defined(__x86_64__)
    if (level >= KWS_ISA_AVX2 && has_avx2(cpu))
        return (kws_conv1d_u8s8_config){kws_conv1d_u8s8_acc16_4x16__avx2, "conv1d_u8s8_acc16_4x16__avx2",
                                        KWS_ISA_AVX2, KWS_U8S8_WEIGHTS_S8_PAIRS, 4, 16};
#endif
    (void)level, (void)cpu;
    return (kws_conv1d_u8s8_config){kws_conv1d_u8s8_acc16_1x1__scalar, "conv1d_u8s8_acc16_1x1__scalar",
                                    KWS_ISA_SCALAR, KWS_U8S8_WEIGHTS_S8_PAIRS, 1, 1};
}

static kws_quantize_f32_u8_config choose_quantize_f32_u8(kws_isa level, const kws_cpu_features* cpu) {
#if defined(__x86_64__)
    // On the VNNI set rather than AVX-512F alone, so a CPU runs every int8 stage on one path.
    if (level >= KWS_ISA_AVX512 && has_avx512vnni(cpu))
        return (kws_quantize_f32_u8_config){kws_quantize_f32_u8__avx512, "quantize_f32_u8__avx512", KWS_ISA_AVX512};
    if (level >= KWS_ISA_AVX2 && has_avx2(cpu))
        return (kws_quantize_f32_u8_config){kws_quantize_f32_u8__avx2, "quantize_f32_u8__avx2", KWS_ISA_AVX2};
#elif defined(__aarch64__)
    if (level >= KWS_ISA_NEON && has_neon(cpu))
        return (kws_quantize_f32_u8_config){kws_quantize_f32_u8__neon, "quantize_f32_u8__neon", KWS_ISA_NEON};
#endif
    (void)level, (void)cpu;
    return (kws_quantize_f32_u8_config){kws_quantize_f32_u8__scalar, "quantize_f32_u8__scalar", KWS_ISA_SCALAR};
}

static kws_conv1d_zeroskip_u8s8_config choose_conv1d_zeroskip_u8s8(kws_isa level, const kws_cpu_features* cpu) {
#if defined(__x86_64__)
    if (level >= KWS_ISA_AVX512 && has_avx512vbmi2(cpu))
        return (kws_conv1d_zeroskip_u8s8_config){kws_conv1d_zeroskip_u8s8_1x1__avx512vbmi2,
                                                 "conv1d_zeroskip_u8s8_1x1__avx512vbmi2", KWS_ISA_AVX512};
    if (level >= KWS_ISA_AVX2 && has_avx2bmi2(cpu))
        return (kws_conv1d_zeroskip_u8s8_config){kws_conv1d_zeroskip_u8s8_1x1__avx2bmi2,
                                                 "conv1d_zeroskip_u8s8_1x1__avx2bmi2", KWS_ISA_AVX2};
#elif defined(__aarch64__)
    if (level >= KWS_ISA_NEONDOT && has_neondot(cpu))
        return (kws_conv1d_zeroskip_u8s8_config){kws_conv1d_zeroskip_u8s8_1x1__neondot,
                                                 "conv1d_zeroskip_u8s8_1x1__neondot", KWS_ISA_NEONDOT};
#endif
    (void)level, (void)cpu;
    return (kws_conv1d_zeroskip_u8s8_config){kws_conv1d_zeroskip_u8s8_1x1__scalar, "conv1d_zeroskip_u8s8_1x1__scalar",
                                             KWS_ISA_SCALAR};
}

static kws_conv1d_hw_config choose_conv1d_hw(kws_isa level, const kws_cpu_features* cpu) {
#if defined(__x86_64__)
    if (level >= KWS_ISA_AVX512 && has_avx512vnni(cpu))
        return (kws_conv1d_hw_config){kws_hw_unpack__avx512, kws_conv1d_u8s8_8x48__avx512vnni,
                                      kws_hw_requantize_u8__avx512, "conv1d_u8s8_8x48__avx512vnni", KWS_ISA_AVX512, 8, 48};
    if (level >= KWS_ISA_AVX2 && has_avx2(cpu))
        return (kws_conv1d_hw_config){kws_hw_unpack__avx2, kws_conv1d_hw_4x24__avx2, kws_hw_requantize_u8__avx2,
                                      "conv1d_hw_4x24__avx2", KWS_ISA_AVX2, 4, 24};
#elif defined(__aarch64__)
    if (level >= KWS_ISA_NEONDOT && has_neondot(cpu))
        return (kws_conv1d_hw_config){kws_hw_unpack__neon, kws_conv1d_u8s8_4x16__neondot, kws_hw_requantize_u8__neon,
                                      "conv1d_u8s8_4x16__neondot", KWS_ISA_NEONDOT, 4, 16};
    if (level >= KWS_ISA_NEON && has_neon(cpu))
        return (kws_conv1d_hw_config){kws_hw_unpack__neon, kws_conv1d_hw_4x8__neon, kws_hw_requantize_u8__neon,
                                      "conv1d_hw_4x8__neon", KWS_ISA_NEON, 4, 8};
#endif
    (void)level, (void)cpu;
    return (kws_conv1d_hw_config){kws_hw_unpack__scalar, kws_conv1d_u8s8_1x1__scalar, kws_hw_requantize_u8__scalar,
                                  "conv1d_u8s8_1x1__scalar", KWS_ISA_SCALAR, 1, 1};
}

static kws_conv1d_ol4_config choose_conv1d_ol4(kws_isa level, const kws_cpu_features* cpu) {
#if defined(__x86_64__)
    if (level >= KWS_ISA_AVX512 && has_avx512vnni(cpu))
        return (kws_conv1d_ol4_config){kws_ol4_unpack_s4__avx512, kws_conv1d_ol4_dense__avx512vnni,
                                       kws_conv1d_ol4_sparse__avx512, kws_conv1d_ol4_epilogue__avx512,
                                       "conv1d_ol4_dense__avx512vnni", KWS_ISA_AVX512};
    if (level >= KWS_ISA_AVX2 && has_avx2(cpu))
        return (kws_conv1d_ol4_config){kws_ol4_unpack_s4__avx2, kws_conv1d_ol4_dense__avx2, kws_conv1d_ol4_sparse__avx2,
                                       kws_conv1d_ol4_epilogue__avx2, "conv1d_ol4_dense__avx2", KWS_ISA_AVX2};
#elif defined(__aarch64__)
    if (level >= KWS_ISA_NEONDOT && has_neondot(cpu))
        return (kws_conv1d_ol4_config){kws_ol4_unpack_s4__neon, kws_conv1d_ol4_dense__neondot, kws_conv1d_ol4_sparse__neon,
                                       kws_conv1d_ol4_epilogue__neon, "conv1d_ol4_dense__neondot", KWS_ISA_NEONDOT};
    if (level >= KWS_ISA_NEON && has_neon(cpu))
        return (kws_conv1d_ol4_config){kws_ol4_unpack_s4__neon, kws_conv1d_ol4_dense__neon, kws_conv1d_ol4_sparse__neon,
                                       kws_conv1d_ol4_epilogue__neon, "conv1d_ol4_dense__neon", KWS_ISA_NEON};
#endif
    (void)level, (void)cpu;
    return (kws_conv1d_ol4_config){kws_ol4_unpack_s4__scalar, kws_conv1d_ol4_dense__scalar, kws_conv1d_ol4_sparse__scalar,
                                   kws_conv1d_ol4_epilogue__scalar, "conv1d_ol4_dense__scalar", KWS_ISA_SCALAR};
}

static kws_mfcc_frame_config choose_mfcc_frame(kws_isa level, const kws_cpu_features* cpu) {
#if defined(__x86_64__)
    if (level >= KWS_ISA_AVX512 && has_avx512f(cpu))
        return (kws_mfcc_frame_config){kws_mfcc_window__avx512, kws_mfcc_cepstrum__avx512, "mfcc_cepstrum__avx512",
                                       KWS_ISA_AVX512};
    if (level >= KWS_ISA_AVX2 && has_avx2(cpu))
        return (kws_mfcc_frame_config){kws_mfcc_window__avx2, kws_mfcc_cepstrum__avx2, "mfcc_cepstrum__avx2",
                                       KWS_ISA_AVX2};
#endif
    (void)level, (void)cpu;
    return (kws_mfcc_frame_config){kws_mfcc_window__scalar, kws_mfcc_cepstrum__scalar, "mfcc_cepstrum__scalar",
                                   KWS_ISA_SCALAR};
}

static void fill_tables(void) {
    const kws_cpu_features* cpu = kws_cpu_features_get();
    // KWS_ISA_AVX512 and KWS_ISA_NEONDOT are the same tier (kws_isa.h): one table per tier.
    for (int level = KWS_ISA_SCALAR; level <= KWS_ISA_AVX512; level++) {
        const kws_isa isa = (kws_isa)level;
        tables[level] = (kws_kernels){
            .requested = isa,
            .conv1d_f32 = choose_conv1d_f32(isa, cpu),
            .conv1d_u8s8 = choose_conv1d_u8s8(isa, cpu),
            .conv1d_u8s8_acc16 = choose_conv1d_u8s8_acc16(isa, cpu),
            .quantize_f32_u8 = choose_quantize_f32_u8(isa, cpu),
            .conv1d_zeroskip_u8s8 = choose_conv1d_zeroskip_u8s8(isa, cpu),
            .conv1d_hw = choose_conv1d_hw(isa, cpu),
            .conv1d_ol4 = choose_conv1d_ol4(isa, cpu),
            .mfcc_frame = choose_mfcc_frame(isa, cpu),
        };
    }
}

const kws_kernels* kws_kernels_for(kws_isa requested) {
    pthread_once(&tables_once, fill_tables);
    if (requested < KWS_ISA_SCALAR) requested = KWS_ISA_SCALAR;
    if (requested > KWS_ISA_AVX512) requested = KWS_ISA_AVX512;
    return &tables[requested];
}
