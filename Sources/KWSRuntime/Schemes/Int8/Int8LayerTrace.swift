import CKWSKernels

/// One feature window run through a quantized TC-ResNet convolution by convolution, keeping each layer's
/// exact u8 input rows (padding rows included), its integer parameters and its u8 output.
///
/// The trace runs the same ``Int8EnginePlan`` and the same C kernels as ``Int8Engine`` (exact s32
/// accumulation), and reads each layer's operands out of the arena the kernels read, so statistics and the
/// PE-array simulator work on the activations the engine really computes for real audio. ``logits`` closes
/// the loop: they equal ``Int8Engine/computeLogits(_:into:)`` bit for bit (tested), which a trace of
/// anything else would not.
public struct Int8LayerTrace: Sendable {
    /// One convolution as the kernel saw it.
    public struct Layer: Sendable {
        /// Weights (`[tap][input][output]`), bias, requantization and geometry; ``QuantizedConv/name`` names it.
        public let conv: QuantizedConv
        /// The rows the kernel reads, `paddedRows × inputChannels`, time-major: row `r` is input step
        /// `r − padding`; rows before step 0 or past the last step are padding and hold ``paddingCodes``.
        public let paddedInput: [UInt8]
        /// Per input channel, the u8 code of real 0, which padding rows hold: the per-coefficient zero
        /// points for the stem, 0 for every post-ReLU activation.
        public let paddingCodes: [UInt8]
        /// The u8 shortcut tensor `[outputLength][outputChannels]` a block's conv2 adds (rescaled into its
        /// accumulator before the ReLU), nil for every other layer.
        public let residual: [UInt8]?
        /// The u8 output `[outputLength][outputChannels]` (requantized, ReLU applied).
        public let output: [UInt8]

        /// Geometry of the layer.
        public var shape: TemporalConvShape { conv.shape }
        /// Rows in ``paddedInput``: `(outputLength − 1)·stride + kernelSize`.
        public var paddedRows: Int { paddedInput.count / shape.inputChannels }
        /// Whether padded row `row` lies outside the input (a padding row rather than a real time step).
        public func isPadding(row: Int) -> Bool {
            let step = row - shape.padding
            return step < 0 || step >= shape.inputLength
        }
        /// The u8 activation the kernel multiplies at padded row `row`, input channel `channel`.
        public func input(row: Int, channel: Int) -> UInt8 { paddedInput[row * shape.inputChannels + channel] }
        /// Whether this is the stem, whose u8 input has per-coefficient zero points (code 0 is not real 0).
        public var hasZeroPointInput: Bool { paddingCodes.contains { $0 != 0 } }
    }

    /// Every convolution in execution order (``QuantizedTCResNet/convolutions``).
    public let layers: [Layer]
    /// The classifier's float logits computed from the last layer's output, as the engine computes them.
    public let logits: [Float]

    /// Traces `model`'s int8 network on one window.
    /// - Throws: ``QuantizedModelError/notQuantized(model:engine:)`` for a float-only model.
    /// - Precondition: `features.count == model.inputFrames * model.inputCoefficients`.
    public init(model: TCResNetModel, features: [Float], isa: KernelISA = .preferred) throws {
        guard let network = model.quantized else {
            throw QuantizedModelError.notQuantized(model: model.name, engine: EngineKind.int8.rawValue)
        }
        self.init(network: network, features: features, isa: isa)
    }

    /// Traces `network` on one `frames × coefficients` window.
    public init(network: QuantizedTCResNet, features: [Float], isa: KernelISA = .preferred) {
        let kernels = KernelTable(isa.clampedToSupported())
        let plan = Int8EnginePlan(network: network, kernel: kernels.entries.conv1d_u8s8)
        let region = plan.input
        precondition(features.count == region.length * region.channels,
                     "Int8LayerTrace: expected \(region.length)×\(region.channels) features, got \(features.count)")
        let convolutions = network.convolutions
        precondition(convolutions.count == plan.steps.count, "plan and network disagree on the layer count")
        var arena = plan.initialArena
        var layers = [Layer]()
        arena.withUnsafeMutableBufferPointer { arena in
            guard let base = arena.baseAddress else { return }
            features.withUnsafeBufferPointer { features in
                let inverse = network.input.inverseScales
                let zeroPoints = network.input.zeroPoints.map(Int32.init)
                inverse.withUnsafeBufferPointer { inverse in
                    zeroPoints.withUnsafeBufferPointer { zero in
                        kernels.entries.quantize_f32_u8.run(region.length, region.channels, features.baseAddress,
                                            inverse.baseAddress, zero.baseAddress, base + region.interior)
                    }
                }
            }
            for (index, (step, conv)) in zip(plan.steps, convolutions).enumerated() {
                let shape = conv.shape
                let inputCount = step.conv.paddedInputLength * shape.inputChannels
                let outputCount = shape.outputLength * shape.outputChannels
                let paddedInput = Array(arena[step.input..<(step.input + inputCount)])
                let residual = step.residual.map { Array(arena[$0..<($0 + outputCount)]) }
                step.conv.run(input: base + step.input,
                              residual: step.residual.map { UnsafePointer(base + $0) }, output: base + step.output)
                let paddingCodes = index == 0 ? network.input.zeroPoints : [UInt8](repeating: 0, count: shape.inputChannels)
                layers.append(Layer(conv: conv, paddedInput: paddedInput, paddingCodes: paddingCodes, residual: residual,
                                    output: Array(arena[step.output..<(step.output + outputCount)])))
            }
        }
        self.layers = layers
        logits = Self.classify(network.classifier, lastOutput: layers.last?.output ?? [],
                               channels: plan.output.channels)
    }

    /// Time-sum of the u8 output, then the s8 classifier in Int64 scaled per logit (as ``Int8Engine``).
    private static func classify(_ classifier: QuantizedClassifier, lastOutput: [UInt8], channels: Int) -> [Float] {
        var sums = [Int64](repeating: 0, count: channels)
        for (index, value) in lastOutput.enumerated() { sums[index % channels] += Int64(value) }
        return classifier.outputScales.indices.map { label in
            var sum: Int64 = 0
            for channel in 0..<channels { sum += Int64(classifier.weights[label * channels + channel]) * sums[channel] }
            return Float(sum) * classifier.outputScales[label]
        }
    }
}
