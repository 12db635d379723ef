import FoundationEssentials
import KWSCore

/// The `kws info` lines of an outlier-aware (ol4) model file: scheme, bit widths, outlier ratio and counts,
/// and model bytes beside int8 and fp32.
enum OutlierInfoLines {
    static func lines(_ network: OutlierTCResNet) -> [String] {
        let info = network.info
        let size = OutlierModelSize(network)
        let activationOutliers = info.outlierActivationBits == 0 ? "no outliers (values above T clamp)" : "\(info.outlierActivationBits)-bit outliers"
        func bytes(_ value: Int) -> String { String.groupingThousands(value) }
        func share(_ part: Int, _ whole: Int) -> String { String(cFormat: "%.2f%%", 100 * Double(part) / Double(max(1, whole))) }
        return [
            "scheme        outlier-aware 4-bit (ol4): weights \(info.weightBits)-bit + \(info.outlierWeightBits)-bit outliers, "
                + "activations \(info.activationBits)-bit unsigned + \(activationOutliers); stem \(info.stemBits)-bit, classifier \(info.classifierBits)-bit",
            "outlier ratio r = " + String(cFormat: "%g%%", info.outlierRatio * 100) + ": weight outliers \(bytes(info.weightOutliers)) of "
                + "\(bytes(info.fourBitWeights)) 4-bit-layer weights (\(share(info.weightOutliers, info.fourBitWeights)))",
            "per layer     " + info.layers.map { "\($0.name) \($0.weightOutliers)/\($0.weights)" }.joined(separator: ", "),
            "model bytes   \(bytes(size.totalBytes)) (dense 4-bit \(bytes(size.denseWeightBytes)), outliers \(bytes(size.outlierBytes)), "
                + "8-bit stem + FC \(bytes(size.eightBitWeightBytes)), per-channel vectors \(bytes(size.vectorBytes))); "
                + "int8 \(bytes(size.int8Bytes)), fp32 weights \(bytes(size.float32WeightBytes))",
            "calibration   \(info.calibrationBatches) × \(info.batchSize) windows from \(info.source) "
                + "(\(info.distinctClips) clips, \(info.augmentedClips) augmented); run it with --engine outlier (the default for this file)",
        ]
    }
}
