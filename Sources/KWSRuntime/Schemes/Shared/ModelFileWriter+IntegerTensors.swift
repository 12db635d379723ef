extension ModelFileWriter {
    /// `<prefix>.input.scale` (F32) and `<prefix>.input.zero_point` (U8): how every integer scheme stores its
    /// MFCC quantization.
    mutating func appendInput(_ input: QuantizedInput, prefix: String) {
        append("\(prefix).input.scale", floats: input.scales, shape: [input.scales.count])
        append("\(prefix).input.zero_point", dtype: .u8, shape: [input.zeroPoints.count], bytes: input.zeroPoints)
    }

    /// A convolution's epilogue under `<prefix>.<name>`: `bias`, `multiplier`, `shift`, and for a block's conv2
    /// the block's `residual.multiplier` and `residual.shift` (I32 each, in that order).
    mutating func appendEpilogue(prefix: String, name: String, bias: [Int32], requantization: [FixedPointMultiplier],
                                 residual: [FixedPointMultiplier]?) {
        append("\(prefix).\(name).bias", int32s: bias)
        append("\(prefix).\(name).multiplier", int32s: requantization.map(\.multiplier))
        append("\(prefix).\(name).shift", int32s: requantization.map(\.shift))
        if let residual {
            let block = String(name.dropLast(".conv2".count))
            append("\(prefix).\(block).residual.multiplier", int32s: residual.map(\.multiplier))
            append("\(prefix).\(block).residual.shift", int32s: residual.map(\.shift))
        }
    }

    /// `<prefix>.fc.weight` (I8 `[labels, inputs]`) and `<prefix>.fc.scale` (F32 `[labels]`).
    mutating func appendClassifier(_ classifier: QuantizedClassifier, prefix: String) {
        let labels = classifier.outputScales.count
        append("\(prefix).fc.weight", dtype: .i8, shape: [labels, classifier.weights.count / Swift.max(labels, 1)],
               bytes: classifier.weights.map { UInt8(bitPattern: $0) })
        append("\(prefix).fc.scale", floats: classifier.outputScales, shape: [labels])
    }
}
