import CKWSKernels

/// The zero-skipping int8 backend (`--engine zeroskip`, ZeNA-style): the same stored
/// ``TCResNetModel/quantized`` parameters, input quantization, arena layout, residual handling, epilogue
/// and classifier as ``Int8Engine``, so its logits are bit-identical to `--engine int8`; but each
/// convolution issues a multiply-accumulate only for a nonzero weight meeting a nonzero activation.
///
/// - Weights are compressed per output channel at init (bitmask over the flattened receptive field plus
///   packed nonzero values; kws_conv1d_zeroskip_u8s8.h says why).
/// - Activations are compressed per time step at run time: each layer's padded input becomes a bitmask, one
///   bit per u8, rows back to back. Halo rows of post-ReLU activations hold 0 and are skipped.
/// - The stem is activation-dense: its u8 MFCC codes carry per-coefficient zero points, so code 0 is not a
///   real zero and the padding rows (holding the zero points) must be multiplied for the bias's zero-point
///   correction to hold. It skips zero weights only.
///
/// Work counting: after each ``computeLogits(_:into:)`` the MACs each layer issued are in
/// ``issuedMACs(layer:)`` (layer order is ``layers``, that of ``QuantizedTCResNet/convolutions``) and their
/// sum in ``lastIssuedMACs``. They are written into a buffer allocated at init (no allocation per inference);
/// the count is the same on every ``KernelISA``.
///
/// All buffers are allocated in `init`; ``computeLogits(_:into:)`` does not allocate. Not for sharing across
/// threads (make one per thread).
public final class ZeroSkipEngine: Engine {
    /// The model it runs.
    public let model: TCResNetModel
    /// The kernel level in use (already lowered to one the CPU supports).
    public let isa: KernelISA
    /// ``EngineKind/zeroskip``.
    public var kind: EngineKind { .zeroskip }
    /// Every convolution in execution order, with its weight counts.
    public let layers: [ZeroSkipLayer]

    private struct Step {
        let conv: ZeroSkipConv
        let input: Int
        let output: Int
        let residual: Int?
        let denseInput: Bool
    }

    private let steps: [Step]
    private let kernel: kws_conv1d_zeroskip_u8s8_config
    private let inputQuantization: InputQuantization
    private let input: ArenaRegion
    private let output: ArenaRegion
    private var arena: [UInt8]
    private var scratch: [UInt64]
    private var issued: [UInt64]
    private var head: IntegerClassifierHead

    /// An engine for `model`'s int8 parameters with `isa` kernels (default ``KernelISA/preferred``).
    /// - Throws: ``QuantizedModelError/notQuantized(model:engine:)`` for a float-only model.
    public init(model: TCResNetModel, isa: KernelISA = .preferred) throws {
        guard let network = model.quantized else {
            throw QuantizedModelError.notQuantized(model: model.name, engine: EngineKind.zeroskip.rawValue)
        }
        self.model = model
        self.isa = isa.clampedToSupported()
        // The dense plan fixes the arena layout (halo rows, the stem's zero-point padding, residual sources)
        // exactly as Int8Engine uses it; only its packed dense weights are dropped.
        let kernels = KernelTable(self.isa)
        kernel = kernels.entries.conv1d_zeroskip_u8s8
        inputQuantization = InputQuantization(network.input, kernels: kernels)
        let plan = Int8EnginePlan(network: network, kernel: kernels.entries.conv1d_u8s8)
        let convolutions = network.convolutions
        precondition(plan.steps.count == convolutions.count, "ZeroSkipEngine: plan and network disagree")
        var steps = [Step]()
        for (index, (step, conv)) in zip(plan.steps, convolutions).enumerated() {
            precondition(step.conv.shape == conv.shape, "\(conv.name): plan order differs from the network's")
            steps.append(Step(conv: ZeroSkipConv(conv), input: step.input, output: step.output, residual: step.residual,
                              denseInput: index == 0))
        }
        self.steps = steps
        layers = zip(convolutions, steps).map { conv, step in
            ZeroSkipLayer(name: conv.name, shape: conv.shape, nonzeroWeightsPerOutputChannel: step.conv.nonzeroWeights,
                          activationDense: step.denseInput)
        }
        input = plan.input
        output = plan.output
        arena = plan.initialArena
        scratch = [UInt64](repeating: 0, count: steps.map(\.conv.scratchWords).max() ?? 1)
        issued = [UInt64](repeating: 0, count: steps.count)
        head = IntegerClassifierHead(weights: network.classifier.weights, outputScales: network.classifier.outputScales)
    }

    /// MACs layer `layer` (an index into ``layers``) issued in the last inference; 0 before the first.
    public func issuedMACs(layer: Int) -> Int { Int(issued[layer]) }

    /// MACs all layers issued in the last inference.
    public var lastIssuedMACs: Int { issued.reduce(0) { $0 + Int($1) } }

    /// - Precondition: `features.count == model.inputFrames * model.inputCoefficients`.
    public func computeLogits(_ features: [Float], into logits: inout [Float]) {
        let input = self.input
        prepareWindow(features, input: input, logits: &logits)
        let (steps, kernel, inputQuantization) = (self.steps, self.kernel, self.inputQuantization)
        arena.withUnsafeMutableBufferPointer { arena in
            scratch.withUnsafeMutableBufferPointer { scratch in
                issued.withUnsafeMutableBufferPointer { issued in
                    guard let base = arena.baseAddress, let scratchBase = scratch.baseAddress else { return }
                    inputQuantization.run(features, into: base, region: input)
                    for (index, step) in steps.enumerated() {
                        issued[index] = step.conv.run(kernel: kernel, input: base + step.input,
                                                      residual: step.residual.map { UnsafePointer(base + $0) },
                                                      output: base + step.output, scratch: scratchBase,
                                                      denseInput: step.denseInput)
                    }
                }
            }
            head.sumOverTime(UnsafeBufferPointer(arena), region: output)
        }
        head.classify(into: &logits)
    }
}
