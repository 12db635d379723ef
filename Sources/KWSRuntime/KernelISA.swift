import CKWSKernels
import FoundationEssentials
import KWSCore

/// The instruction-set level a kernel variant runs at. Engines pick ``preferred`` unless told otherwise;
/// tests and benchmarks build one engine per supported level to compare them. What a level means for each
/// operation (AVX-512 VNNI for the int8 kernels, VBMI2 for zero-skipping, a fallback where the CPU lacks a
/// feature) is decided once, in the C kernel table: ``KernelTable`` names the variant each operation runs.
public enum KernelISA: String, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    /// Portable C: the reference the others are tested against.
    case scalar
#if arch(arm64)
    // The C table's levels are three tiers that each architecture names after its own instruction sets
    // (kws_isa.h); the cases keep the x86 names so code that names a tier builds everywhere, and print as
    // the aarch64 ones here (`neon`, `neondot`: `kws info --kernels`, `KWS_ISA`).
    /// Tier 1 on aarch64: Armv8.0 NEON (Advanced SIMD).
    case avx2 = "neon"
    /// Tier 2 on aarch64: NEON with the Armv8.2 dot product (SDOT/UDOT).
    case avx512 = "neondot"

    /// The aarch64 names of tiers 1 and 2.
    public static let neon = KernelISA.avx2
    public static let neondot = KernelISA.avx512
#else
    /// AVX2 with FMA3.
    case avx2
    /// AVX-512F; for the int8 kernels, AVX-512 VNNI (AVX2 when the CPU has AVX-512F without VNNI).
    case avx512
#endif

    /// The environment variable that lowers ``preferred`` (`KWS_ISA=scalar|avx2|avx512`, on aarch64
    /// `KWS_ISA=scalar|neon|neondot`).
    public static let environmentVariable = "KWS_ISA"

    /// Whether this CPU can run the level.
    public var isSupported: Bool { kws_isa_supported(cValue) }

    /// The highest level this CPU supports.
    public static var detected: KernelISA { KernelISA(kws_isa_detect()) }

    /// Every level this CPU supports, lowest first.
    public static var supported: [KernelISA] { allCases.filter(\.isSupported) }

    /// ``detected``, or the level named by `KWS_ISA` when that is lower (a higher one than the CPU has,
    /// or an unknown name, is ignored: the environment can only make kws slower, never crash it).
    public static var preferred: KernelISA {
        guard let text = ProcessInfo.processInfo.environment[environmentVariable],
              let requested = KernelISA(environmentValue: text)
        else { return detected }
        return requested.clampedToSupported()
    }

    /// Parses `scalar`, `avx2` (or `avx2fma`) and `avx512` (or `avx512f`, `avx512vnni`), ignoring case; on
    /// aarch64 `scalar`, `neon` (or `asimd`) and `neondot` (or `dotprod`, `asimddp`) instead. Another
    /// architecture's names are unknown, so ignored like any unknown name.
    public init?(environmentValue: String) {
        switch environmentValue.trimmingWhitespace().lowercased() {
        case "scalar": self = .scalar
#if arch(arm64)
        case "neon", "asimd": self = .avx2
        case "neondot", "dotprod", "asimddp": self = .avx512
#else
        case "avx2", "avx2fma": self = .avx2
        case "avx512", "avx512f", "avx512vnni": self = .avx512
#endif
        default: return nil
        }
    }

    /// This level, or the highest supported one below it.
    public func clampedToSupported() -> KernelISA {
        KernelISA.allCases.last { $0 <= self && $0.isSupported } ?? .scalar
    }

    public var description: String { rawValue }

    public static func < (lhs: KernelISA, rhs: KernelISA) -> Bool { lhs.cValue.rawValue < rhs.cValue.rawValue }

    var cValue: kws_isa {
        switch self {
        case .scalar: return KWS_ISA_SCALAR
        case .avx2: return KWS_ISA_AVX2
        case .avx512: return KWS_ISA_AVX512
        }
    }

    init(_ isa: kws_isa) {
        switch isa {
        case KWS_ISA_AVX512: self = .avx512
        case KWS_ISA_AVX2: self = .avx2
        default: self = .scalar
        }
    }
}
