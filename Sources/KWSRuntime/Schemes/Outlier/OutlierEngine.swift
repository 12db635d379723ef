import CKWSKernels

/// The outlier-aware 4-bit backend (`--engine outlier`, OLAccel-style): runs the stored
/// ``TCResNetModel/outlier`` parameters of an `ol4` model file; never calibrates.
///
/// MFCCs are quantized to u8 as in the int8 engine; the 8-bit stem and every 4-bit block convolution run as
/// kws_conv1d_ol4.h describes: per layer, the packed nibbles are unpacked into an s8 operand and the 8-bit
/// weight outliers stored into it, a dense u8 × s8 → s32 pass runs over the dense 4-bit activation codes,
/// a sparse pass adds the input's activation outliers (and the residual's) into the same accumulators, and
/// the epilogue requantizes and splits the result into dense codes and the next outlier list. The last
/// activation's full codes (dense plus outliers) are summed over time for the s8 classifier.
///
/// All buffers are allocated in `init`; ``computeLogits(_:into:)`` does not allocate. Results are
/// bit-identical for every ``KernelISA``. Not for sharing across threads (make one per thread).
public final class OutlierEngine: Engine {
    /// The model it runs.
    public let model: TCResNetModel
    /// The kernel level in use (already lowered to one the CPU supports).
    public let isa: KernelISA
    /// ``EngineKind/outlier``.
    public var kind: EngineKind { .outlier }

    private let network: OutlierTCResNet
    private let plan: OutlierEnginePlan
    private let kernels: kws_conv1d_ol4_config
    private let inputQuantization: InputQuantization
    private var arena: [UInt8]
    private var outliers: [kws_ol4_outlier]
    private var outlierCounts: [Int]
    private var scratch: [Int8]
    private var accumulators: [Int32]
    private var head: IntegerClassifierHead

    /// An engine for `model`'s outlier-aware parameters with `isa` kernels (default ``KernelISA/preferred``).
    /// - Throws: ``OutlierModelError/notOutlierQuantized(model:)`` for a model without them.
    public init(model: TCResNetModel, isa: KernelISA = .preferred) throws {
        guard let network = model.outlier else { throw OutlierModelError.notOutlierQuantized(model: model.name) }
        self.model = model
        self.network = network
        self.isa = isa.clampedToSupported()
        let table = KernelTable(self.isa)
        kernels = table.entries.conv1d_ol4
        inputQuantization = InputQuantization(network.input, kernels: table)
        plan = OutlierEnginePlan(network: network)
        arena = plan.initialArena
        outliers = [kws_ol4_outlier](repeating: kws_ol4_outlier(), count: plan.outlierCount)
        outlierCounts = [Int](repeating: 0, count: plan.tensors.count)
        scratch = [Int8](repeating: 0, count: plan.operandBytes)
        accumulators = [Int32](repeating: 0, count: plan.accumulatorCount)
        head = IntegerClassifierHead(weights: network.classifier.weights, outputScales: network.classifier.outputScales)
    }

    /// Activation outliers each tensor held after the last ``computeLogits(_:into:)`` (all 0 before the first),
    /// with the tensor's element count, in production order (`stem`, `blocks.0.shortcut`, `blocks.0.conv1`,
    /// `blocks.0.out`, ...).
    public var lastActivationOutliers: [(tensor: String, outliers: Int, elements: Int)] {
        zip(plan.tensors, outlierCounts).map { ($0.name, $1, $0.capacity) }
    }

    /// - Precondition: `features.count == model.inputFrames * model.inputCoefficients`.
    public func computeLogits(_ features: [Float], into logits: inout [Float]) {
        let input = plan.input
        prepareWindow(features, input: input, logits: &logits)
        let (plan, kernels, inputQuantization) = (self.plan, self.kernels, self.inputQuantization)
        arena.withUnsafeMutableBufferPointer { arena in
            outliers.withUnsafeMutableBufferPointer { outliers in
                outlierCounts.withUnsafeMutableBufferPointer { counts in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        accumulators.withUnsafeMutableBufferPointer { accumulators in
                            guard let base = arena.baseAddress, let lists = outliers.baseAddress,
                                  let scratch = scratch.baseAddress, let accumulators = accumulators.baseAddress else { return }
                            inputQuantization.run(features, into: base, region: input)
                            func list(_ tensor: Int?) -> UnsafeBufferPointer<kws_ol4_outlier> {
                                guard let tensor else { return UnsafeBufferPointer(start: nil, count: 0) }
                                return UnsafeBufferPointer(start: lists + plan.tensors[tensor].outliers, count: counts[tensor])
                            }
                            for step in plan.steps {
                                let target = plan.tensors[step.output]
                                counts[step.output] = step.conv.run(
                                    kernels: kernels, input: base + step.input, inputOutliers: list(step.inputTensor),
                                    residual: step.residual.map { UnsafePointer(base + plan.tensors[$0].region.interior) },
                                    residualOutliers: list(step.residual), scratch: scratch, accumulators: accumulators,
                                    output: base + target.region.interior, outputOutliers: lists + target.outliers)
                            }
                            sumOverTime(UnsafeBufferPointer(arena), last: list(plan.tensors.count - 1))
                        }
                    }
                }
            }
        }
        head.classify(into: &logits)
    }

    /// Runs every layer's stages up to and including `stage` on the activations the last
    /// ``computeLogits(_:into:)`` left in the arena, writing no activation: only for timing the stages
    /// (``profileStages(_:runs:)``).
    package func runLayers(through stage: PackedOutlierConv.Stage) {
        let (plan, kernels) = (self.plan, self.kernels)
        arena.withUnsafeMutableBufferPointer { arena in
            outliers.withUnsafeMutableBufferPointer { outliers in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    accumulators.withUnsafeMutableBufferPointer { accumulators in
                        guard let base = arena.baseAddress, let lists = outliers.baseAddress,
                              let scratch = scratch.baseAddress, let accumulators = accumulators.baseAddress else { return }
                        func list(_ tensor: Int?) -> UnsafeBufferPointer<kws_ol4_outlier> {
                            guard let tensor else { return UnsafeBufferPointer(start: nil, count: 0) }
                            return UnsafeBufferPointer(start: lists + plan.tensors[tensor].outliers, count: outlierCounts[tensor])
                        }
                        for step in plan.steps {
                            step.conv.runStages(through: stage, kernels: kernels, input: base + step.input, inputOutliers: list(step.inputTensor),
                                                residualOutliers: list(step.residual), scratch: scratch, accumulators: accumulators)
                        }
                    }
                }
            }
        }
    }

    /// Full codes of the last activation summed over time: the dense bytes, then each outlier's value (its
    /// dense byte is 0).
    private func sumOverTime(_ arena: UnsafeBufferPointer<UInt8>, last: UnsafeBufferPointer<kws_ol4_outlier>) {
        head.sumOverTime(arena, region: plan.tensors[plan.tensors.count - 1].region)
        head.addToSums { sums in
            for outlier in last { sums[Int(outlier.channel)] &+= Int64(outlier.value) }
        }
    }
}
