@testable import KWSRuntime

/// A deliberately plain Swift integer implementation of a ``QuantizedTCResNet``, written from the
/// semantics in QuantizedConv's documentation (no packing, no arena, no C): the int8 engine must match it
/// bit for bit on every kernel ISA.
enum Int8ReferenceNetwork {
    /// Logits for one `frames × coefficients` window.
    static func logits(_ network: QuantizedTCResNet, features: [Float]) -> [Float] {
        let coefficients = network.input.scales.count
        let frames = features.count / coefficients
        var activation = quantizeInput(network.input, features: features, frames: frames)
        activation = convolve(network.stem, activation, padding: network.input.zeroPoints.map(Int.init), residual: nil)
        for block in network.blocks {
            let shortcut = block.shortcut.map { convolve($0, activation, padding: nil, residual: nil) } ?? activation
            let hidden = convolve(block.conv1, activation, padding: nil, residual: nil)
            activation = convolve(block.conv2, hidden, padding: nil, residual: shortcut)
        }
        let channels = activation.first?.count ?? 0
        var sums = [Int64](repeating: 0, count: channels)
        for row in activation { for channel in 0..<channels { sums[channel] += Int64(row[channel]) } }
        let classifier = network.classifier
        return classifier.outputScales.indices.map { label in
            var sum: Int64 = 0
            for channel in 0..<channels { sum += Int64(classifier.weights[label * channels + channel]) * sums[channel] }
            return Float(sum) * classifier.outputScales[label]
        }
    }

    /// `clamp(round_half_even(clamp(x · (1/scale), −256, 256)) + zero, 0, 255)`, NaN → −256 before rounding.
    static func quantizeInput(_ input: QuantizedInput, features: [Float], frames: Int) -> [[Int]] {
        let coefficients = input.scales.count
        let inverse = input.inverseScales
        return (0..<frames).map { frame in
            (0..<coefficients).map { channel in
                var value = features[frame * coefficients + channel] * inverse[channel]
                if !(value > -256) { value = -256 }
                if !(value < 256) { value = 256 }
                return min(255, max(0, Int(value.rounded(.toNearestOrEven)) + Int(input.zeroPoints[channel])))
            }
        }
    }

    /// One convolution of any integer scheme, clamped to `0...codeMax`; `padding` is the per-channel code of real
    /// 0 (zeros when nil).
    static func convolve<Conv: IntegerConv>(_ conv: Conv, _ input: [[Int]], padding: [Int]?, residual: [[Int]]?,
                                            codeMax: Int = 255) -> [[Int]] {
        let shape = conv.shape
        let pad = padding ?? [Int](repeating: 0, count: shape.inputChannels)
        return (0..<shape.outputLength).map { t in
            (0..<shape.outputChannels).map { output in
                var acc = Int64(conv.bias[output])
                for tap in 0..<shape.kernelSize {
                    let row = t * shape.stride + tap - shape.padding
                    for channel in 0..<shape.inputChannels {
                        let x = row >= 0 && row < input.count ? input[row][channel] : pad[channel]
                        acc += Int64(x) * Int64(conv.weight(output: output, input: channel, tap: tap))
                    }
                }
                if let residual, let rescale = conv.residualRescale {
                    acc += rescale[output].apply(Int64(residual[t][output]))
                }
                return Int(min(Int64(codeMax), max(0, conv.requantization[output].apply(acc))))
            }
        }
    }
}
