/// The pool and classifier every integer scheme ends with: the last activation's u8 codes summed over time
/// (the average pool's 1/T is folded into the scales), then `logit[l] = outputScales[l] · Σ_c weights[l][c] ·
/// sum[c]`, exact in Int64 for a window of any length.
struct IntegerClassifierHead {
    /// `[labels][inputs]`, s8.
    let weights: [Int8]
    /// One per label.
    let outputScales: [Float]
    /// Per input channel, from the last ``sumOverTime(_:region:)`` (and any codes added since).
    private(set) var timeSums: [Int64]

    init(weights: [Int8], outputScales: [Float]) {
        self.weights = weights
        self.outputScales = outputScales
        timeSums = [Int64](repeating: 0, count: weights.count / Swift.max(1, outputScales.count))
    }

    /// Sets ``timeSums`` to the column sums of `region`'s real rows.
    mutating func sumOverTime(_ arena: UnsafeBufferPointer<UInt8>, region: ArenaRegion) {
        let channels = region.channels
        timeSums.withUnsafeMutableBufferPointer { sums in
            for channel in 0..<channels { sums[channel] = 0 }
            for row in 0..<region.length {
                let start = region.interior + row * channels
                for channel in 0..<channels { sums[channel] &+= Int64(arena[start + channel]) }
            }
        }
    }

    /// Adds codes that live outside the arena (the outlier scheme's activation outliers) to the sums.
    mutating func addToSums(_ add: (UnsafeMutableBufferPointer<Int64>) -> Void) {
        timeSums.withUnsafeMutableBufferPointer { add($0) }
    }

    /// Writes the logits; `logits` already has one element per label.
    func classify(into logits: inout [Float]) {
        let inputs = timeSums.count
        weights.withUnsafeBufferPointer { weights in
            timeSums.withUnsafeBufferPointer { sums in
                outputScales.withUnsafeBufferPointer { scales in
                    logits.withUnsafeMutableBufferPointer { logits in
                        for label in 0..<logits.count {
                            var sum: Int64 = 0
                            for input in 0..<inputs { sum &+= Int64(weights[label * inputs + input]) &* sums[input] }
                            logits[label] = Float(sum) * scales[label]
                        }
                    }
                }
            }
        }
    }
}
