import CKWSKernels

/// The kernel variants chosen for one requested ``KernelISA`` on this CPU: a copy of the C table
/// (`kws_kernels_for`, kws_kernel_table.h), filled once per process from one CPU probe. Engines resolve their
/// entries from it once, at creation, and never look at the CPU again; ``variants`` names what they run.
public struct KernelTable: @unchecked Sendable {
    // @unchecked: the entries are function pointers and static C strings, immutable for the process.

    /// One operation's chosen variant.
    public struct Variant: Sendable, Equatable {
        /// The operation, as `kws info --kernels` names it (`conv1d_u8s8`, `conv1d_f32`, ...).
        public let operation: String
        /// The C function that runs, without `kws_`: `conv1d_u8s8_8x48__avx512vnni`.
        public let name: String
        /// The level that variant runs at (at most ``KernelTable/requested``).
        public let isa: KernelISA
    }

    /// The level asked for, before any fallback.
    public let requested: KernelISA
    let entries: kws_kernels

    /// The table for `requested` (a level the CPU lacks resolves, per operation, to the best one below it).
    public init(_ requested: KernelISA) {
        self.requested = requested
        entries = kws_kernels_for(requested.cValue).pointee
    }

    /// The table for ``KernelISA/preferred`` (the CPU's best level, lowered by `KWS_ISA`).
    public static var preferred: KernelTable { KernelTable(.preferred) }

    /// Every operation's variant, in a fixed order.
    public var variants: [Variant] {
        func variant(_ operation: String, _ name: UnsafePointer<CChar>, _ isa: kws_isa) -> Variant {
            Variant(operation: operation, name: String(cString: name), isa: KernelISA(isa))
        }
        return [
            variant("conv1d_f32", entries.conv1d_f32.name, entries.conv1d_f32.isa),
            variant("quantize_f32_u8", entries.quantize_f32_u8.name, entries.quantize_f32_u8.isa),
            variant("conv1d_u8s8", entries.conv1d_u8s8.name, entries.conv1d_u8s8.isa),
            variant("conv1d_u8s8_acc16", entries.conv1d_u8s8_acc16.name, entries.conv1d_u8s8_acc16.isa),
            variant("conv1d_zeroskip_u8s8", entries.conv1d_zeroskip_u8s8.name, entries.conv1d_zeroskip_u8s8.isa),
            variant("conv1d_hw", entries.conv1d_hw.name, entries.conv1d_hw.isa),
            variant("conv1d_ol4", entries.conv1d_ol4.name, entries.conv1d_ol4.isa),
            variant("mfcc_frame", entries.mfcc_frame.name, entries.mfcc_frame.isa),
        ]
    }

    /// The variant chosen for `operation` (one of the names in ``variants``), or nil for an unknown name.
    public func variant(for operation: String) -> Variant? { variants.first { $0.operation == operation } }

    /// The CPU features the probe read, in `cpuid` naming (on aarch64 the kernel's hwcap names), each with
    /// whether this CPU (and OS) has it.
    public static var cpuFeatures: [(name: String, present: Bool)] {
        let cpu = kws_cpu_features_get().pointee
#if arch(arm64)
        return [("asimd", cpu.asimd), ("asimddp", cpu.asimddp), ("i8mm", cpu.i8mm)]
#else
        return [("avx2", cpu.avx2), ("fma", cpu.fma), ("avx512f", cpu.avx512f), ("avx512bw", cpu.avx512bw),
                ("avx512vl", cpu.avx512vl), ("avx512vnni", cpu.avx512vnni), ("avx512vbmi2", cpu.avx512vbmi2),
                ("bmi2", cpu.bmi2), ("popcnt", cpu.popcnt)]
#endif
    }

    /// The int8 convolution entry for `accumulation`.
    func int8Conv(_ accumulation: Int8Accumulation) -> kws_conv1d_u8s8_config {
        accumulation == .exact ? entries.conv1d_u8s8 : entries.conv1d_u8s8_acc16
    }
}
