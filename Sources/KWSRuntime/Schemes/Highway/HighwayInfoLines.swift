import FoundationEssentials
import KWSCore

/// The `kws info` lines of a precision-highway (`-hw<k>`) model file: scheme, bit widths, what stays high
/// precision, and model bytes beside int8 and fp32 weights.
enum HighwayInfoLines {
    static func lines(_ network: HighwayTCResNet, parameterCount: Int) -> [String] {
        let info = network.info
        func bytes(_ value: Int) -> String { String.groupingThousands(value) }
        let branchWeights = network.branchConvolutions.reduce(0) { $0 + $1.weights.count }
        let packed = network.branchConvolutions.reduce(0) { $0 + $1.packedWeightBytes }
        var lines = [
            "scheme        precision highway: residual-branch convs \(info.weightBits)-bit weights, \(info.activationBits)-bit "
                + "activations; \(info.highwayBits)-bit highway (trunk, skip paths, residual adds)",
            "high precision " + info.highPrecision.joined(separator: "; "),
            "model bytes   \(bytes(network.parameterBytes)) (weights \(bytes(network.weightBytes)): \(bytes(branchWeights)) branch weights "
                + "packed into \(bytes(packed)), the rest 8-bit; per-channel vectors \(bytes(network.parameterBytes - network.weightBytes))); "
                + "weights as int8 \(bytes(parameterCount)), as fp32 \(bytes(4 * parameterCount))",
        ]
        let accuracies = [("integer", info.integerTestAccuracy), ("fake-quant", info.fakeQuantTestAccuracy)]
            .compactMap { name, value in value.map { "\(name) " + String(cFormat: "%.2f%%", $0 * 100) } }
        lines.append("highway       test top-1 " + (accuracies.isEmpty ? "unknown" : accuracies.joined(separator: ", "))
            + "; run it with --engine highway (the default for this file)")
        return lines
    }
}
