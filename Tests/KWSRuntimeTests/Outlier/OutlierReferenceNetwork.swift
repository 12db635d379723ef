@testable import KWSRuntime

/// A deliberately plain Swift integer implementation of an ``OutlierTCResNet``, written from the semantics in
/// OutlierConv's documentation: activations are full codes (no dense/outlier split, no nibbles, no packing, no
/// C), every product is one multiply. The outlier engine must match it bit for bit on every kernel ISA.
enum OutlierReferenceNetwork {
    /// Logits and every activation tensor (full codes, in the engine's production order) for one window.
    static func run(_ network: OutlierTCResNet, features: [Float]) -> (logits: [Float], activations: [[[Int]]]) {
        let coefficients = network.input.scales.count
        let frames = features.count / coefficients
        let codeMax = network.activationCodeMax
        var activations = [[[Int]]]()
        let input = Int8ReferenceNetwork.quantizeInput(network.input, features: features, frames: frames)
        var activation = convolve(network.stem, input, padding: network.input.zeroPoints.map(Int.init), residual: nil, codeMax: codeMax)
        activations.append(activation)
        for block in network.blocks {
            var shortcut = activation
            if let projection = block.shortcut {
                shortcut = convolve(projection, activation, padding: nil, residual: nil, codeMax: codeMax)
                activations.append(shortcut)
            }
            let hidden = convolve(block.conv1, activation, padding: nil, residual: nil, codeMax: codeMax)
            activations.append(hidden)
            activation = convolve(block.conv2, hidden, padding: nil, residual: shortcut, codeMax: codeMax)
            activations.append(activation)
        }
        let channels = activation.first?.count ?? 0
        var sums = [Int64](repeating: 0, count: channels)
        for row in activation { for channel in 0..<channels { sums[channel] += Int64(row[channel]) } }
        let classifier = network.classifier
        let logits = classifier.outputScales.indices.map { label -> Float in
            var sum: Int64 = 0
            for channel in 0..<channels { sum += Int64(classifier.weights[label * channels + channel]) * sums[channel] }
            return Float(sum) * classifier.outputScales[label]
        }
        return (logits, activations)
    }

    static func logits(_ network: OutlierTCResNet, features: [Float]) -> [Float] { run(network, features: features).logits }

    /// One convolution on full codes; `padding` is the per-channel code of real 0 (zeros when nil).
    static func convolve(_ conv: OutlierConv, _ input: [[Int]], padding: [Int]?, residual: [[Int]]?, codeMax: Int) -> [[Int]] {
        Int8ReferenceNetwork.convolve(conv, input, padding: padding, residual: residual, codeMax: codeMax)
    }
}
