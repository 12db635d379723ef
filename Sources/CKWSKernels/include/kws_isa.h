#ifndef KWS_ISA_H
#define KWS_ISA_H
#include <stdbool.h>

/// Instruction-set levels a caller may request, ordered so a higher level implies the lower ones. Each
/// operation's table entry (kws_kernel_table.h) maps a level to the variant it runs, which may need more
/// than the level's name says (AVX-512 VNNI for the int8 kernels) or fall back below it.
///
/// The levels are three tiers, and each architecture names tiers 1 and 2 after its own instruction sets:
/// on x86-64 AVX2 and AVX-512, on aarch64 NEON and NEON with the dot-product extension. A build only ever
/// has one architecture's variants, so the two names of a tier never meet in one table.
typedef enum kws_isa {
    /// Portable C, no SIMD intrinsics: the reference every variant is tested against.
    KWS_ISA_SCALAR = 0,
    /// AVX2 with FMA3 (Haswell, Zen 1 and later).
    KWS_ISA_AVX2 = 1,
    /// AVX-512 Foundation (Skylake-SP, Zen 4 and later).
    KWS_ISA_AVX512 = 2,
    /// aarch64 tier 1: Advanced SIMD of Armv8.0, which every aarch64 CPU has (Cortex-A53/A72, Raspberry Pi 3/4).
    KWS_ISA_NEON = 1,
    /// aarch64 tier 2: NEON plus the Armv8.2 dot product, SDOT/UDOT (Cortex-A55/A76 and later, Raspberry Pi 5).
    KWS_ISA_NEONDOT = 2,
} kws_isa;

/// The CPU features any kernel variant needs, read once per process: on x86-64 `cpuid`, and `xgetbv` for the
/// OS saving the wide registers, through compiler-rt; on aarch64 the kernel's `AT_HWCAP`/`AT_HWCAP2` bits.
/// Each architecture's fields are false on the other.
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
    /// aarch64 Advanced SIMD (HWCAP_ASIMD).
    bool asimd;
    /// aarch64 dot product, SDOT/UDOT (HWCAP_ASIMDDP).
    bool asimddp;
    /// aarch64 int8 matrix multiply, which brings SUDOT/USDOT (HWCAP2_I8MM): the int8 convolution's u8 x s8
    /// products without the SDOT variant's input flip (Cortex-A710/X2, Neoverse V1/N2; not the Pi 5's A76).
    bool i8mm;
} kws_cpu_features;

/// The one CPU probe: runs on the first call (thread-safe), then returns the same answer.
const kws_cpu_features* kws_cpu_features_get(void);

/// Whether this CPU (and OS) can run the level's baseline: AVX2 + FMA, plus AVX-512F for `KWS_ISA_AVX512`; on
/// aarch64 Advanced SIMD, plus the dot product for `KWS_ISA_NEONDOT`.
bool kws_isa_supported(kws_isa isa);

/// The highest level this CPU supports.
kws_isa kws_isa_detect(void);

#endif
