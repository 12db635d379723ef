#ifndef KWS_ISA_H
#define KWS_ISA_H
#include <stdbool.h>

/// Instruction-set levels a kernel variant may need, ordered so a higher level implies the lower ones.
typedef enum kws_isa {
    /// Portable C, no SIMD intrinsics: the reference every variant is tested against.
    KWS_ISA_SCALAR = 0,
    /// AVX2 with FMA3 (Haswell, Zen 1 and later).
    KWS_ISA_AVX2 = 1,
    /// AVX-512 Foundation (Skylake-SP, Zen 4 and later).
    KWS_ISA_AVX512 = 2,
} kws_isa;

/// Whether this CPU (and OS, which must save the wide registers) can run kernels built for `isa`.
bool kws_isa_supported(kws_isa isa);

/// The highest level this CPU supports.
kws_isa kws_isa_detect(void);

#endif
