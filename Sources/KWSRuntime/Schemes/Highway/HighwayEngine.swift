import CKWSKernels

/// The precision-highway backend (`--engine highway`, SPEC.md §3.3): the 8-bit stem and projection
/// shortcuts on the int8 kernels; in every block the u8 trunk is requantized to the k-bit branch input, the
/// k-bit weights (stored packed, 2 or 4 bits) are unpacked in SIMD into a scratch operand just before their
/// layer, conv1 writes k-bit codes, and conv2 adds the 8-bit skip tensor into its s32 accumulator and writes
/// the next u8 trunk tensor; then the int8 scheme's integer pool and classifier. Runs the stored
/// ``TCResNetModel/highway`` parameters.
///
/// All buffers are allocated in `init`; ``computeLogits(_:into:)`` does not allocate. Results are
/// bit-identical for every ``KernelISA``.
public final class HighwayEngine: Engine {
    /// The model it runs.
    public let model: TCResNetModel
    /// The kernel level in use (already lowered to one the CPU supports).
    public let isa: KernelISA
    /// ``EngineKind/highway``.
    public var kind: EngineKind { .highway }

    private let network: HighwayTCResNet
    private let plan: HighwayEnginePlan
    private let kernels: kws_conv1d_hw_config
    private let quantizeKernel: kws_quantize_f32_u8_config
    private var arena: [UInt8]
    private var scratch: [Int8]
    private var timeSums: [Int32]
    private let inverseScales: [Float]
    private let zeroPoints: [Int32]

    /// An engine for `model`'s highway parameters with `isa` kernels (default ``KernelISA/preferred``).
    /// - Throws: ``HighwayModelError/notHighway(model:)`` for a model file without them.
    public init(model: TCResNetModel, isa: KernelISA = .preferred) throws {
        guard let network = model.highway else { throw HighwayModelError.notHighway(model: model.name) }
        self.model = model
        self.network = network
        self.isa = isa.clampedToSupported()
        let table = KernelTable(self.isa)
        kernels = table.entries.conv1d_hw
        quantizeKernel = table.entries.quantize_f32_u8
        plan = HighwayEnginePlan(network: network, kernel: table.entries.conv1d_u8s8)
        arena = plan.initialArena
        scratch = [Int8](repeating: 0, count: plan.scratchCount)
        timeSums = [Int32](repeating: 0, count: plan.output.channels)
        inverseScales = network.input.inverseScales
        zeroPoints = network.input.zeroPoints.map(Int32.init)
    }

    /// - Precondition: `features.count == model.inputFrames * model.inputCoefficients`.
    public func computeLogits(_ features: [Float], into logits: inout [Float]) {
        let input = plan.input
        precondition(features.count == input.length * input.channels,
                     "HighwayEngine: expected \(input.length)×\(input.channels) features, got \(features.count)")
        if logits.count != model.labels.count { logits = [Float](repeating: 0, count: model.labels.count) }
        let (plan, kernels, quantize) = (self.plan, self.kernels, self.quantizeKernel.run!)
        let requantize = kernels.requantize!
        arena.withUnsafeMutableBufferPointer { arena in
            guard let base = arena.baseAddress else { return }
            features.withUnsafeBufferPointer { features in
                inverseScales.withUnsafeBufferPointer { inverse in
                    zeroPoints.withUnsafeBufferPointer { zero in
                        quantize(input.length, input.channels, features.baseAddress,
                                            inverse.baseAddress, zero.baseAddress, base + input.interior)
                    }
                }
            }
            scratch.withUnsafeMutableBufferPointer { scratch in
                guard let weights = scratch.baseAddress else { return }
                for step in plan.steps {
                    switch step {
                    case let .eightBit(conv, input, output):
                        conv.run(input: base + input, residual: nil, output: base + output)
                    case let .branchInput(requantization, source, target, count):
                        requantize(count, requantization.multiplier, requantization.shift,
                                             requantization.maximum, base + source, base + target)
                    case let .branch(conv, input, output, residual, clamp, count):
                        conv.unpack(kernels: kernels, into: weights)
                        conv.run(kernels: kernels, weights: weights, input: base + input,
                                 residual: residual.map { UnsafePointer(base + $0) }, output: base + output)
                        if let clamp {
                            requantize(count, 1, 0, clamp, base + output, base + output)
                        }
                    }
                }
            }
            sumOverTime(UnsafeBufferPointer(arena))
        }
        classify(into: &logits)
    }

    /// Expands every branch layer's packed weights once, as one inference does, and nothing else: for
    /// benchmarks that separate the unpacking cost from the convolutions.
    public func unpackWeightsOnly() {
        let kernels = self.kernels
        scratch.withUnsafeMutableBufferPointer { scratch in
            guard let weights = scratch.baseAddress else { return }
            for case let .branch(conv, _, _, _, _, _) in plan.steps { conv.unpack(kernels: kernels, into: weights) }
        }
    }

    /// Every activation tensor of the last ``computeLogits(_:into:)`` call by name (`input`, `stem`,
    /// `blocks.0.branch`, `blocks.0.shortcut`, `blocks.0.conv1`, `blocks.0.out`, ...), `length × channels`
    /// codes each: what the tests compare with the trainer's integer simulation.
    func trace() -> [String: [UInt8]] {
        var out = [String: [UInt8]]()
        for (name, region) in plan.named {
            out[name] = Array(arena[region.interior..<(region.interior + region.count)])
        }
        return out
    }

    /// The s32 time sums of the last trunk tensor from the last call.
    var lastTimeSums: [Int32] { timeSums }

    private func sumOverTime(_ arena: UnsafeBufferPointer<UInt8>) {
        let region = plan.output
        let channels = region.channels
        timeSums.withUnsafeMutableBufferPointer { sums in
            for channel in 0..<channels { sums[channel] = 0 }
            for row in 0..<region.length {
                let start = region.interior + row * channels
                for channel in 0..<channels { sums[channel] &+= Int32(arena[start + channel]) }
            }
        }
    }

    /// s8 × time-summed u8 in Int64, one float scale per logit (as ``Int8Engine``).
    private func classify(into logits: inout [Float]) {
        let inputs = timeSums.count
        network.classifier.weights.withUnsafeBufferPointer { weights in
            timeSums.withUnsafeBufferPointer { sums in
                network.classifier.outputScales.withUnsafeBufferPointer { scales in
                    logits.withUnsafeMutableBufferPointer { logits in
                        for label in 0..<logits.count {
                            var sum: Int64 = 0
                            for input in 0..<inputs { sum &+= Int64(weights[label * inputs + input]) &* Int64(sums[input]) }
                            logits[label] = Float(sum) * scales[label]
                        }
                    }
                }
            }
        }
    }
}
