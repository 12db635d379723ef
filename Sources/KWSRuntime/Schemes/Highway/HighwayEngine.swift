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
    private let inputQuantization: InputQuantization
    private var arena: [UInt8]
    private var scratch: [Int8]
    private var head: IntegerClassifierHead

    /// An engine for `model`'s highway parameters with `isa` kernels (default ``KernelISA/preferred``).
    /// - Throws: ``HighwayModelError/notHighway(model:)`` for a model file without them.
    public init(model: TCResNetModel, isa: KernelISA = .preferred) throws {
        guard let network = model.highway else { throw HighwayModelError.notHighway(model: model.name) }
        self.model = model
        self.network = network
        self.isa = isa.clampedToSupported()
        let table = KernelTable(self.isa)
        kernels = table.entries.conv1d_hw
        inputQuantization = InputQuantization(network.input, kernels: table)
        plan = HighwayEnginePlan(network: network, kernel: table.entries.conv1d_u8s8)
        arena = plan.initialArena
        scratch = [Int8](repeating: 0, count: plan.scratchCount)
        head = IntegerClassifierHead(weights: network.classifier.weights, outputScales: network.classifier.outputScales)
    }

    /// - Precondition: `features.count == model.inputFrames * model.inputCoefficients`.
    public func computeLogits(_ features: [Float], into logits: inout [Float]) {
        let input = plan.input
        prepareWindow(features, input: input, logits: &logits)
        let (plan, kernels, inputQuantization) = (self.plan, self.kernels, self.inputQuantization)
        let requantize = kernels.requantize!
        arena.withUnsafeMutableBufferPointer { arena in
            guard let base = arena.baseAddress else { return }
            inputQuantization.run(features, into: base, region: input)
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
            head.sumOverTime(UnsafeBufferPointer(arena), region: plan.output)
        }
        head.classify(into: &logits)
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

    /// The s32 time sums of the last trunk tensor from the last call (a window's u8 sums fit in s32).
    var lastTimeSums: [Int32] { head.timeSums.map { Int32(truncatingIfNeeded: $0) } }
}
