#include "kws_isa.h"

bool kws_isa_supported(kws_isa isa) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    switch (isa) {
    case KWS_ISA_SCALAR:
        return true;
    case KWS_ISA_AVX2:
        // compiler-rt sets these only when the OS saves the YMM state (XGETBV), so no separate check.
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case KWS_ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && kws_isa_supported(KWS_ISA_AVX2);
    }
    return false;
#else
    return isa == KWS_ISA_SCALAR;
#endif
}

kws_isa kws_isa_detect(void) {
    if (kws_isa_supported(KWS_ISA_AVX512)) return KWS_ISA_AVX512;
    if (kws_isa_supported(KWS_ISA_AVX2)) return KWS_ISA_AVX2;
    return KWS_ISA_SCALAR;
}
