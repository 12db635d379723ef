import CKWSKernels

/// An ``Int8EnginePlan`` resolved into one C plan (`kws_int8_network`, kws_int8_network.h): per layer the
/// kernel function pointer its ``PackedInt8Conv`` was packed for, the packed weight and epilogue pointers,
/// the shape and the arena offsets, plus the input quantization entry and the classifier. One C call then
/// runs a whole inference (input quantization, every convolution, time-sum, classifier) with no Swift in
/// the per-layer loop and no per-call ISA check. Its logits are bit-identical to the per-layer path's
/// (``Int8Engine`` keeps that path as the reference the tests compare against).
///
/// Every pointer the C plan holds is owned here (or by the packed layers this object keeps alive).
final class Int8FusedNetwork {
    /// The packed layers whose buffers the plan's layer pointers point into.
    private let packed: [PackedInt8Conv]
    private let layers: UnsafeMutablePointer<kws_int8_network_layer>
    private let buffers = KernelBuffers()
    private var network: kws_int8_network

    /// The plan for `plan`'s layers (packed for one kernel-table entry), `quantize` (the same table's
    /// input quantization entry) and `quantized`'s input and classifier parameters.
    init(plan: Int8EnginePlan, quantized: QuantizedTCResNet, quantize: kws_quantize_f32_u8_config) {
        packed = plan.steps.map(\.conv)
        layers = UnsafeMutablePointer<kws_int8_network_layer>.allocate(capacity: Swift.max(1, plan.steps.count))
        for (index, step) in plan.steps.enumerated() {
            let conv = step.conv
            (layers + index).initialize(to: kws_int8_network_layer(
                run: conv.kernel.run, shape: conv.kernelShape, params: conv.kernelParameters,
                input: step.input, output: step.output, residual: step.residual ?? 0, has_residual: step.residual != nil))
        }
        let inverseScales = buffers.copy(quantized.input.inverseScales, count: quantized.input.inverseScales.count)
        let scales = quantized.classifier.outputScales
        let classifierScales = buffers.copy(scales, count: scales.count)
        let zeroPoints = buffers.copy(quantized.input.zeroPoints.map(Int32.init), count: quantized.input.zeroPoints.count)
        let weights = buffers.copy(quantized.classifier.weights, count: quantized.classifier.weights.count)
        precondition(quantized.classifier.weights.count == scales.count * plan.output.channels,
                     "classifier weights do not match the last activation's channels")
        network = kws_int8_network(
            quantize: quantize.run, input_inverse_scale: UnsafePointer(inverseScales),
            input_zero_point: UnsafePointer(zeroPoints), input_length: plan.input.length,
            input_channels: plan.input.channels, input: plan.input.interior, layers: UnsafePointer(layers),
            layer_count: plan.steps.count, output: plan.output.interior, output_length: plan.output.length,
            output_channels: plan.output.channels, classifier_weights: UnsafePointer(weights),
            classifier_scales: UnsafePointer(classifierScales), labels: scales.count, arena_size: plan.arenaCount)
    }

    deinit {
        layers.deinitialize(count: packed.count)
        layers.deallocate()
    }

    /// One inference: `features` (the whole input window) → `logits` (one per label, already sized), with
    /// `arena` the plan's arena (``Int8EnginePlan/initialArena`` once, then reused) and `timeSums` one per
    /// channel of the last activation.
    func run(_ features: [Float], arena: inout [UInt8], timeSums: inout [Int64], logits: inout [Float]) {
        precondition(features.count == network.input_length * network.input_channels, "features do not fill the input window")
        precondition(arena.count == network.arena_size, "arena size does not match the plan")
        precondition(timeSums.count == network.output_channels && logits.count == network.labels, "sums or logits size")
        withUnsafePointer(to: network) { network in
            features.withUnsafeBufferPointer { features in
                arena.withUnsafeMutableBufferPointer { arena in
                    timeSums.withUnsafeMutableBufferPointer { sums in
                        logits.withUnsafeMutableBufferPointer { logits in
                            guard let input = features.baseAddress, let base = arena.baseAddress, let sums = sums.baseAddress,
                                  let out = logits.baseAddress else { return }
                            kws_int8_network_run(network, input, base, sums, out)
                        }
                    }
                }
            }
        }
    }
}
