extension QuantizedTCResNet {
    /// This network with the smallest-magnitude s8 weights of every convolution set to 0: in each layer,
    /// `⌊fraction · weightCount⌋` weights counting the ones already 0, chosen by |code| (ties by position),
    /// so every layer reaches the same sparsity while output channels keep their natural imbalance.
    ///
    /// A stand-in for trained pruned models (magnitude pruning without fine-tuning loses accuracy), used to
    /// measure and test the zero-skipping engine at chosen sparsities. The stem's bias carries the input
    /// zero-point correction `−Σ w · zeroPoint`; the terms of removed weights are added back, so a pruned stem
    /// computes what a stem quantized from the zeroed float weights would. The classifier is unchanged.
    /// - Precondition: `0 ≤ fraction ≤ 1`.
    public func magnitudePruned(fraction: Double) -> QuantizedTCResNet {
        precondition((0...1).contains(fraction), "pruning fraction \(fraction) outside 0…1")
        func prune(_ conv: QuantizedConv, zeroPoints: [UInt8]?) -> QuantizedConv {
            let target = Int((fraction * Double(conv.weights.count)).rounded(.down))
            let order = conv.weights.indices.sorted { a, b in
                let (ma, mb) = (abs(Int(conv.weights[a])), abs(Int(conv.weights[b])))
                return ma != mb ? ma < mb : a < b
            }
            var weights = conv.weights
            var bias = conv.bias.map(Int64.init)
            let (inputs, outputs) = (conv.shape.inputChannels, conv.shape.outputChannels)
            for index in order.prefix(target) where weights[index] != 0 {
                if let zeroPoints {
                    bias[index % outputs] += Int64(weights[index]) * Int64(zeroPoints[(index / outputs) % inputs])
                }
                weights[index] = 0
            }
            return QuantizedConv(name: conv.name, shape: conv.shape, weights: weights,
                                 bias: bias.map { Int32(clamping: $0) }, requantization: conv.requantization,
                                 residualRescale: conv.residualRescale)
        }
        return QuantizedTCResNet(
            input: input, stem: prune(stem, zeroPoints: input.zeroPoints),
            blocks: blocks.map { block in
                QuantizedBlock(conv1: prune(block.conv1, zeroPoints: nil), conv2: prune(block.conv2, zeroPoints: nil),
                               shortcut: block.shortcut.map { prune($0, zeroPoints: nil) })
            },
            classifier: classifier, info: info)
    }
}
