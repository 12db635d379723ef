#include <pthread.h>
#include "kws_isa.h"

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
    case KWS_ISA_AVX2: return cpu->avx2 && cpu->fma;
    case KWS_ISA_AVX512: return cpu->avx512f && cpu->avx2 && cpu->fma;
    }
    return false;
}

kws_isa kws_isa_detect(void) {
    if (kws_isa_supported(KWS_ISA_AVX512)) return KWS_ISA_AVX512;
    if (kws_isa_supported(KWS_ISA_AVX2)) return KWS_ISA_AVX2;
    return KWS_ISA_SCALAR;
}
