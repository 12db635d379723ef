/// Where a tensor lives in the network and what shape it must have.
public struct TensorSpec: Sendable, Equatable {
    /// The tensor's name in the model file, e.g. `blocks.0.bn1.running_var`.
    public let name: String
    /// Its shape, outermost first.
    public let shape: [Int]
}

extension Architecture {
    /// The convolutions in execution order for `inputFrames × inputCoefficients` features: the stem, then
    /// for each block its projection shortcut (if any), conv1 and conv2.
    public func convolutionShapes(inputFrames: Int, inputCoefficients: Int) -> [TemporalConvShape] {
        var shapes = [TemporalConvShape(inputLength: inputFrames, inputChannels: inputCoefficients,
                                        outputChannels: channels[0], kernelSize: 3, stride: 1)]
        var length = inputFrames
        for block in 0..<blockCount {
            let (inputs, outputs) = (channels[block], channels[block + 1])
            let stride = blockHasProjection(block) ? 2 : 1
            if blockHasProjection(block) {
                shapes.append(TemporalConvShape(inputLength: length, inputChannels: inputs, outputChannels: outputs,
                                                kernelSize: 1, stride: 2))
            }
            let conv1 = TemporalConvShape(inputLength: length, inputChannels: inputs, outputChannels: outputs,
                                          kernelSize: 9, stride: stride)
            length = conv1.outputLength
            shapes.append(conv1)
            shapes.append(TemporalConvShape(inputLength: length, inputChannels: outputs, outputChannels: outputs,
                                            kernelSize: 9, stride: 1))
        }
        return shapes
    }

    /// Multiply-accumulates per inference: every convolution plus the classifier (global average
    /// pooling is not counted, as in TC_TABLES.md). 1,522,560 for TC-ResNet8 on 98 × 40 with 12 labels.
    public func macs(inputFrames: Int, inputCoefficients: Int, labelCount: Int) -> Int {
        convolutionShapes(inputFrames: inputFrames, inputCoefficients: inputCoefficients).reduce(0) { $0 + $1.macs }
            + channels[channels.count - 1] * labelCount
    }

    /// Convolution and classifier weights (no batch norm, no bias): 64,512 for TC-ResNet8 with 40
    /// coefficients and 12 labels. This is SPEC.md §1.4's "conv+FC weights" column.
    public func weightCount(inputCoefficients: Int, labelCount: Int) -> Int {
        convolutionShapes(inputFrames: 1, inputCoefficients: inputCoefficients).reduce(0) { $0 + $1.weightCount }
            + channels[channels.count - 1] * labelCount
    }

    /// Batch-norm channels (one per convolution output channel): 328 for TC-ResNet8.
    public var batchNormChannels: Int {
        convolutionShapes(inputFrames: 1, inputCoefficients: 1).reduce(0) { $0 + $1.outputChannels }
    }

    /// All variables as the TC-ResNet repository counts them (the paper's "params"): weights, four
    /// batch-norm vectors per channel, and the unused 2-way `fc2` head, which kws does not have.
    /// 65,920 ≈ 66K for TC-ResNet8.
    public func repositoryVariableCount(inputCoefficients: Int, labelCount: Int) -> Int {
        weightCount(inputCoefficients: inputCoefficients, labelCount: labelCount) + 4 * batchNormChannels
            + 2 * channels[channels.count - 1]
    }

    /// Every tensor of a float model file (Models/FORMAT.md), in execution order.
    public func tensorSpecs(inputCoefficients: Int, labelCount: Int) -> [TensorSpec] {
        func batchNorm(_ prefix: String, _ count: Int) -> [TensorSpec] {
            Self.batchNormParameters.map { TensorSpec(name: "\(prefix).\($0)", shape: [count]) }
        }
        var specs = [TensorSpec(name: "stem.conv.weight", shape: [channels[0], inputCoefficients, 3])]
        specs += batchNorm("stem.bn", channels[0])
        for block in 0..<blockCount {
            let (inputs, outputs) = (channels[block], channels[block + 1])
            specs.append(TensorSpec(name: "blocks.\(block).conv1.weight", shape: [outputs, inputs, 9]))
            specs += batchNorm("blocks.\(block).bn1", outputs)
            specs.append(TensorSpec(name: "blocks.\(block).conv2.weight", shape: [outputs, outputs, 9]))
            specs += batchNorm("blocks.\(block).bn2", outputs)
            if blockHasProjection(block) {
                specs.append(TensorSpec(name: "blocks.\(block).shortcut.conv.weight", shape: [outputs, inputs, 1]))
                specs += batchNorm("blocks.\(block).shortcut.bn", outputs)
            }
        }
        specs.append(TensorSpec(name: "fc.weight", shape: [labelCount, channels[channels.count - 1]]))
        return specs
    }

    /// The four tensors of each batch norm, in PyTorch's names.
    static let batchNormParameters = ["weight", "bias", "running_mean", "running_var"]
}
