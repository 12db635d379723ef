#ifndef KWS_ISA_H
#define KWS_ISA_H
#include <stdbool.h>

/// Instruction-set levels a caller may request, ordered so a higher level implies the lower ones. Each
/// operation's table entry (kws_kernel_table.h) maps a level to the variant it runs, which may need more
/// than the level's name says (AVX-512 VNNI for the int8 kernels) or fall back below it.
typedef enum kws_isa {
    /// Portable C, no SIMD intrinsics: the reference every variant is tested against.
    KWS_ISA_SCALAR = 0,
    /// AVX2 with FMA3 (Haswell, Zen 1 and later).
    KWS_ISA_AVX2 = 1,
    /// AVX-512 Foundation (Skylake-SP, Zen 4 and later).
    KWS_ISA_AVX512 = 2,
} kws_isa;

/// The CPU features any kernel variant needs, read once per process (`cpuid`, and `xgetbv` for the OS
/// saving the wide registers, through compiler-rt). All false off x86-64.
typedef struct kws_cpu_features {
    bool avx2;
    bool fma;
    bool avx512f;
    bool avx512bw;
    bool avx512vl;
    bool avx512vnni;
    bool avx512vbmi2;
    bool bmi2;
    bool popcnt;
} kws_cpu_features;

/// The one CPU probe: runs on the first call (thread-safe), then returns the same answer.
const kws_cpu_features* kws_cpu_features_get(void);

/// Whether this CPU (and OS) can run the level's baseline: AVX2 + FMA, plus AVX-512F for `KWS_ISA_AVX512`.
bool kws_isa_supported(kws_isa isa);

/// The highest level this CPU supports.
kws_isa kws_isa_detect(void);

#endif
