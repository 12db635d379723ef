import FoundationEssentials
import Glibc
import KWSAudio
import KWSCore
import KWSRuntime

/// `kws info --kernels`: per operation, the kernel variant this machine runs under the current `KWS_ISA`, and
/// the CPU features the one probe saw (so a slow run can be traced to a fallback without a debugger).
enum KernelInfoLines {
    /// `KWS_ISA` as set in the environment, or nil.
    private static var environmentValue: String? {
        ProcessInfo.processInfo.environment[KernelISA.environmentVariable]
    }

    static func lines(_ table: KernelTable) -> [String] {
        let features = KernelTable.cpuFeatures
        let present = features.filter(\.present).map(\.name)
        let missing = features.filter { !$0.present }.map(\.name)
        var lines = [
            "kernel level  \(table.requested) (\(KernelISA.environmentVariable)=\(environmentValue ?? "unset"); "
                + "this CPU's best \(KernelISA.detected))",
            "cpu features  " + (present.isEmpty ? "none" : present.joined(separator: " "))
                + (missing.isEmpty ? "" : "; missing " + missing.joined(separator: " ")),
        ]
        let width = table.variants.map(\.operation.count).max() ?? 0
        for variant in table.variants {
            lines.append(variant.operation.padding(toLength: width + 2, withPad: " ", startingAt: 0) + variant.name)
        }
        lines.append("fft_r2c_512".padding(toLength: width + 2, withPad: " ", startingAt: 0) + fftPlan)
        return lines
    }

    static func json(_ table: KernelTable) -> String {
        let features = KernelTable.cpuFeatures.filter(\.present).map { JSONText.string($0.name) }
        let kernels = table.variants.map { ($0.operation, JSONText.string($0.name)) }
        return JSONText.object([
            ("type", JSONText.string("kernels")),
            ("isa", JSONText.string(table.requested.rawValue)),
            ("isa_env", environmentValue.map(JSONText.string) ?? "null"),
            ("detected", JSONText.string(KernelISA.detected.rawValue)),
            ("cpu_features", "[" + features.joined(separator: ",") + "]"),
            ("kernels", JSONText.object(kernels)),
            ("fft_r2c_512", JSONText.string(fftPlan)),
        ])
    }

    /// The FFTW plan the MFCC front end runs (FFTPlanCache: shipped wisdom, or FFTW_ESTIMATE where it does not
    /// apply), as `shipped wisdom: (rdft2-ct-dit/2 …)`.
    private static var fftPlan: String {
        guard let plan = try? FFTRealForward.planDescription(length: FrontEndConfig.tcResNet.fftLength) else {
            return "unavailable (FFTW could not plan)"
        }
        return "fftw \(plan.source.rawValue): \(plan.plan)"
    }
}
