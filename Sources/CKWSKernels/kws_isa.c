#include <pthread.h>
#include "kws_isa.h"

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
// The bit numbers of the Linux arm64 ABI (asm/hwcap.h), for C libraries whose headers predate them.
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1UL << 1)
#endif
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1UL << 20)
#endif
#ifndef HWCAP2_I8MM
#define HWCAP2_I8MM (1UL << 13)
#endif
#endif

static kws_cpu_features features;
static pthread_once_t features_once = PTHREAD_ONCE_INIT;

static void probe(void) {
#if defined(__x86_64__)
    // compiler-rt reports the AVX and AVX-512 features only when the OS saves their registers (XGETBV),
    // so no separate check is needed.
    __builtin_cpu_init();
    features = (kws_cpu_features){
        .avx2 = __builtin_cpu_supports("avx2"),
        .fma = __builtin_cpu_supports("fma"),
        .avx512f = __builtin_cpu_supports("avx512f"),
        .avx512bw = __builtin_cpu_supports("avx512bw"),
        .avx512vl = __builtin_cpu_supports("avx512vl"),
        .avx512vnni = __builtin_cpu_supports("avx512vnni"),
        .avx512vbmi2 = __builtin_cpu_supports("avx512vbmi2"),
        .bmi2 = __builtin_cpu_supports("bmi2"),
        .popcnt = __builtin_cpu_supports("popcnt"),
    };
#elif defined(__aarch64__) && defined(__linux__)
    // The kernel reports what user space may execute; qemu-user reports its -cpu model's features the same way.
    const unsigned long hwcap = getauxval(AT_HWCAP);
    const unsigned long hwcap2 = getauxval(AT_HWCAP2);
    features.asimd = (hwcap & HWCAP_ASIMD) != 0;
    features.asimddp = features.asimd && (hwcap & HWCAP_ASIMDDP) != 0;
    features.i8mm = features.asimddp && (hwcap2 & HWCAP2_I8MM) != 0;
#elif defined(__aarch64__)
    // Advanced SIMD is mandatory in AArch64; without a hwcap interface assume no later extension.
    features.asimd = true;
#endif
}

const kws_cpu_features* kws_cpu_features_get(void) {
    pthread_once(&features_once, probe);
    return &features;
}

bool kws_isa_supported(kws_isa isa) {
    const kws_cpu_features* cpu = kws_cpu_features_get();
    switch (isa) {
    case KWS_ISA_SCALAR: return true;
#if defined(__aarch64__)
    case KWS_ISA_NEON: return cpu->asimd;
    case KWS_ISA_NEONDOT: return cpu->asimd && cpu->asimddp;
#else
    case KWS_ISA_AVX2: return cpu->avx2 && cpu->fma;
    case KWS_ISA_AVX512: return cpu->avx512f && cpu->avx2 && cpu->fma;
#endif
    }
    return false;
}

kws_isa kws_isa_detect(void) {
    if (kws_isa_supported(KWS_ISA_AVX512)) return KWS_ISA_AVX512;
    if (kws_isa_supported(KWS_ISA_AVX2)) return KWS_ISA_AVX2;
    return KWS_ISA_SCALAR;
}
