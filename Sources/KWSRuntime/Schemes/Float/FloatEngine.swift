import CKWSKernels

/// The float32 reference backend: batch-norm-folded convolutions run by the C FMA kernels on
/// channels-last activations, then global average pooling and the classifier.
///
/// All buffers are allocated in `init`; ``computeLogits(_:into:)`` does not allocate.
public final class FloatEngine: Engine {
    /// The model it runs.
    public let model: TCResNetModel
    /// The kernel variant this engine runs (already lowered to one the CPU supports).
    public let isa: KernelISA
    /// Always ``EngineKind/float``.
    public var kind: EngineKind { .float }

    private let plan: FloatEnginePlan
    private let kernel: kws_conv1d_f32_config
    private var arena: [Float]

    /// An engine using ``KernelISA/preferred`` kernels.
    public convenience init(model: TCResNetModel) {
        self.init(model: model, isa: .preferred)
    }

    /// An engine using `isa` kernels, or the best supported level below it.
    public init(model: TCResNetModel, isa: KernelISA) {
        self.model = model
        self.isa = isa.clampedToSupported()
        kernel = KernelTable(self.isa).entries.conv1d_f32
        plan = FloatEnginePlan(model: model)
        arena = [Float](repeating: 0, count: plan.arenaCount)
    }

    /// - Precondition: `features.count == model.inputFrames * model.inputCoefficients`.
    public func computeLogits(_ features: [Float], into logits: inout [Float]) {
        prepareWindow(features, input: plan.input, logits: &logits)
        let plan = self.plan
        let conv = kernel.run!
        arena.withUnsafeMutableBufferPointer { arena in
            guard let base = arena.baseAddress else { return }
            features.withUnsafeBufferPointer { features in
                guard let source = features.baseAddress else { return }
                (base + plan.input.interior).update(from: source, count: features.count)
            }
            plan.parameters.withUnsafeBufferPointer { parameters in
                guard let parameters = parameters.baseAddress else { return }
                for step in plan.steps {
                    withUnsafePointer(to: step.shape) { shape in
                        conv(shape, base + step.input, parameters + step.weights,
                                       parameters + step.bias, step.residual.map { UnsafePointer(base + $0) },
                                       base + step.output, step.relu)
                    }
                }
            }
            let pooled = UnsafeMutableBufferPointer(rebasing: arena[plan.pooled..<(plan.pooled + plan.output.channels)])
            averageOverTime(arena: UnsafeBufferPointer(arena), region: plan.output, into: pooled)
            logits.withUnsafeMutableBufferPointer { logits in
                classify(UnsafeBufferPointer(pooled), into: logits)
            }
        }
    }

    private func averageOverTime(arena: UnsafeBufferPointer<Float>, region: FloatEnginePlan.Region,
                                 into pooled: UnsafeMutableBufferPointer<Float>) {
        let channels = region.channels
        for channel in 0..<channels { pooled[channel] = 0 }
        for row in 0..<region.length {
            let start = region.interior + row * channels
            for channel in 0..<channels { pooled[channel] += arena[start + channel] }
        }
        let scale = 1 / Float(region.length)
        for channel in 0..<channels { pooled[channel] *= scale }
    }

    private func classify(_ pooled: UnsafeBufferPointer<Float>, into logits: UnsafeMutableBufferPointer<Float>) {
        let inputs = pooled.count
        model.classifierWeights.withUnsafeBufferPointer { weights in
            for label in 0..<logits.count {
                var sum: Float = 0
                for input in 0..<inputs { sum += weights[label * inputs + input] * pooled[input] }
                logits[label] = sum
            }
        }
    }
}
