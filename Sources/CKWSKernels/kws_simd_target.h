#ifndef KWS_SIMD_TARGET_H
#define KWS_SIMD_TARGET_H
/*
 * Function attributes of the SIMD variants: each variant is compiled for the features its kernel table row
 * requires (kws_kernel_table.c) and nothing more, so the rest of the package builds for the baseline CPU.
 * Private to CKWSKernels; x86-64 only.
 */

#define KWS_INLINE static inline __attribute__((always_inline))

#define KWS_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define KWS_TARGET_AVX2BMI2 __attribute__((target("avx2,bmi,bmi2,popcnt")))
#define KWS_TARGET_AVX512F __attribute__((target("avx512f")))
// The highway AVX-512 stages run beside the VNNI convolution, so they need BW (byte ops) and VL (ymm forms).
#define KWS_TARGET_AVX512BW __attribute__((target("avx512f,avx512bw,avx512vl")))
#define KWS_TARGET_VNNI __attribute__((target("avx512vnni,avx512bw,avx512f,avx512vl")))
#define KWS_TARGET_VBMI2 \
    __attribute__((target("avx512vbmi2,avx512vnni,avx512bw,avx512vl,avx512f,avx2,bmi,bmi2,popcnt")))

#endif
