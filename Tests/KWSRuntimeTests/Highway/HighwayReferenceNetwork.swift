@testable import KWSRuntime

/// A deliberately plain Swift integer implementation of a ``HighwayTCResNet``, written from the arithmetic in
/// HighwayConv's and BranchRequantization's documentation and Models/FORMAT.md (no packing, no arena, no C):
/// the highway engine must match it bit for bit on every kernel ISA.
enum HighwayReferenceNetwork {
    struct Result {
        var logits: [Float]
        var timeSums: [Int64]
        /// Every activation tensor by the engine's names, `[time][channel]` codes.
        var trace: [String: [[Int]]]
    }

    static func run(_ network: HighwayTCResNet, features: [Float]) -> Result {
        var trace = [String: [[Int]]]()
        let frames = features.count / network.input.scales.count
        var trunk = Int8ReferenceNetwork.quantizeInput(network.input, features: features, frames: frames)
        trace["input"] = trunk
        trunk = Int8ReferenceNetwork.convolve(network.stem, trunk, padding: network.input.zeroPoints.map(Int.init), residual: nil)
        trace["stem"] = trunk
        for (index, block) in network.blocks.enumerated() {
            let prefix = "blocks.\(index)"
            let branch = trunk.map { row in row.map { Int(block.branchInput.apply(UInt8($0))) } }
            trace["\(prefix).branch"] = branch
            var skip = trunk
            if let shortcut = block.shortcut {
                skip = Int8ReferenceNetwork.convolve(shortcut, trunk, padding: nil, residual: nil)
                trace["\(prefix).shortcut"] = skip
            }
            let hidden = convolve(block.conv1, branch, skip: nil)
            trace["\(prefix).conv1"] = hidden
            trunk = convolve(block.conv2, hidden, skip: skip)
            trace["\(prefix).out"] = trunk
        }
        let channels = trunk.first?.count ?? 0
        var sums = [Int64](repeating: 0, count: channels)
        for row in trunk { for channel in 0..<channels { sums[channel] += Int64(row[channel]) } }
        let classifier = network.classifier
        let logits = classifier.outputScales.indices.map { label in
            var sum: Int64 = 0
            for channel in 0..<channels { sum += Int64(classifier.weights[label * channels + channel]) * sums[channel] }
            return Float(sum) * classifier.outputScales[label]
        }
        return Result(logits: logits, timeSums: sums, trace: trace)
    }

    /// One k-bit convolution, zero padding, clamped to its output maximum.
    static func convolve(_ conv: HighwayConv, _ input: [[Int]], skip: [[Int]]?) -> [[Int]] {
        Int8ReferenceNetwork.convolve(conv, input, padding: nil, residual: skip, codeMax: conv.outputMaximum)
    }
}
