import CKWSKernels

/// The int8 backend: MFCCs quantized to u8 per coefficient, every convolution as a u8 × s8 → s32 C kernel
/// with a fused requantize/ReLU/residual epilogue, then an integer time-sum and an s8 classifier scaled to
/// float logits. Runs the stored ``TCResNetModel/quantized`` parameters; never calibrates.
///
/// The plan is resolved once in `init` into one C call per inference (``Int8FusedNetwork``,
/// kws_int8_network.h); the per-layer Swift loop over the same kernels stays as its reference
/// (``computeLogitsPerLayer(_:into:)``), bit for bit. All buffers are allocated in `init`;
/// ``computeLogits(_:into:)`` does not allocate. Results are bit-identical for every ``KernelISA`` with
/// ``Int8Accumulation/exact``.
public final class Int8Engine: Engine {
    /// The model it runs.
    public let model: TCResNetModel
    /// The kernel level in use (already lowered to one the CPU supports).
    public let isa: KernelISA
    /// s32 (exact) or s16 (acc16) accumulation.
    public let accumulation: Int8Accumulation
    /// ``EngineKind/int8`` or ``EngineKind/int8Acc16``.
    public var kind: EngineKind { accumulation == .exact ? .int8 : .int8Acc16 }

    private let network: QuantizedTCResNet
    private let plan: Int8EnginePlan
    private let inputQuantization: InputQuantization
    private let fused: Int8FusedNetwork
    private var arena: [UInt8]
    private var timeSums: [Int64]
    private var head: IntegerClassifierHead

    /// An engine for `model`'s int8 parameters with `isa` kernels (default ``KernelISA/preferred``).
    /// - Throws: ``QuantizedModelError/notQuantized(model:engine:)`` for a float-only model.
    public init(model: TCResNetModel, isa: KernelISA = .preferred, accumulation: Int8Accumulation = .exact) throws {
        guard let network = model.quantized else {
            throw QuantizedModelError.notQuantized(model: model.name,
                                                   engine: accumulation == .exact ? EngineKind.int8.rawValue : EngineKind.int8Acc16.rawValue)
        }
        self.model = model
        self.network = network
        self.isa = isa.clampedToSupported()
        self.accumulation = accumulation
        let kernels = KernelTable(self.isa)
        plan = Int8EnginePlan(network: network, kernel: kernels.int8Conv(accumulation))
        inputQuantization = InputQuantization(network.input, kernels: kernels)
        fused = Int8FusedNetwork(plan: plan, quantized: network, quantize: kernels.entries.quantize_f32_u8)
        arena = plan.initialArena
        timeSums = [Int64](repeating: 0, count: plan.output.channels)
        head = IntegerClassifierHead(weights: network.classifier.weights, outputScales: network.classifier.outputScales)
    }

    /// One C call for the whole network (``Int8FusedNetwork``).
    /// - Precondition: `features.count == model.inputFrames * model.inputCoefficients`.
    public func computeLogits(_ features: [Float], into logits: inout [Float]) {
        prepareWindow(features, input: plan.input, logits: &logits)
        fused.run(features, arena: &arena, timeSums: &timeSums, logits: &logits)
    }

    /// The per-layer path: a Swift loop calling each layer's kernel, then the Swift time-sum and classifier.
    /// The reference ``computeLogits(_:into:)`` is tested against (same kernels, same arena layout); public for
    /// kws-bench, which times both.
    public func computeLogitsPerLayer(_ features: [Float], into logits: inout [Float]) {
        let input = plan.input
        prepareWindow(features, input: input, logits: &logits)
        let (plan, inputQuantization) = (self.plan, self.inputQuantization)
        arena.withUnsafeMutableBufferPointer { arena in
            guard let base = arena.baseAddress else { return }
            inputQuantization.run(features, into: base, region: input)
            for step in plan.steps {
                step.conv.run(input: base + step.input,
                              residual: step.residual.map { UnsafePointer(base + $0) }, output: base + step.output)
            }
            head.sumOverTime(UnsafeBufferPointer(arena), region: plan.output)
        }
        head.classify(into: &logits)
    }
}
