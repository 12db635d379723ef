/// Bytes of an outlier-aware network's integer parameters as the model file stores them (its `ol4.` tensors),
/// by kind, beside what the int8 scheme and fp32 take for the same model.
public struct OutlierModelSize: Sendable, Equatable {
    /// Dense 4-bit weights of the block convolutions (two per byte, rows padded to whole bytes).
    public let denseWeightBytes: Int
    /// The sparse weight outliers: a 2-byte index and a 1-byte value each, plus 4-byte row offsets per channel.
    public let outlierBytes: Int
    /// The 8-bit stem and classifier weights.
    public let eightBitWeightBytes: Int
    /// Biases, requantization and residual multipliers and shifts, input scales and zero points, classifier
    /// scales (the same per-channel vectors the int8 scheme stores).
    public let vectorBytes: Int
    /// Every conv and classifier weight at one byte (the int8 scheme's weights), plus the same vectors.
    public let int8Bytes: Int
    /// Every conv and classifier weight as fp32 (no batch-norm vectors).
    public let float32WeightBytes: Int

    /// Everything stored under `ol4.`.
    public var totalBytes: Int { denseWeightBytes + outlierBytes + eightBitWeightBytes + vectorBytes }

    /// The sizes for `network`.
    public init(_ network: OutlierTCResNet) {
        var dense = 0, outliers = 0, eightBit = 0, vectors = 0, weights = 0
        for conv in network.convolutions {
            let shape = conv.shape
            weights += conv.weights.count
            vectors += 12 * shape.outputChannels + (conv.residualRescale == nil ? 0 : 8 * shape.outputChannels)
            if conv.weightBits == 8 {
                eightBit += conv.weights.count
            } else {
                dense += shape.outputChannels * Int4Packing.byteCount(shape.inputChannels * shape.kernelSize)
                outliers += 3 * conv.weightOutlierCount + 4 * (shape.outputChannels + 1)
            }
        }
        let classifier = network.classifier
        eightBit += classifier.weights.count
        weights += classifier.weights.count
        vectors += 5 * network.input.scales.count + 4 * classifier.outputScales.count
        denseWeightBytes = dense
        outlierBytes = outliers
        eightBitWeightBytes = eightBit
        vectorBytes = vectors
        int8Bytes = weights + vectors
        float32WeightBytes = 4 * weights
    }
}
