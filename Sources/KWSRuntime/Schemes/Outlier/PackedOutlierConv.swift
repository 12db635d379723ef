import CKWSKernels

/// An ``OutlierConv`` in the layouts kws_conv1d_ol4.h reads, in buffers owned by this object so the engine's
/// hot loop passes plain pointers: a 4-bit layer keeps only its packed nibbles (half a byte per weight) and its
/// outlier list, unpacked into a shared scratch operand on every run; the stem keeps plain s8 quads.
package final class PackedOutlierConv {
    let shape: TemporalConvShape
    let kernelShape: kws_conv1d_u8s8_shape
    let hasResidual: Bool
    /// Bytes of the unpacked quad operand (`dp · cp`; what the caller's weight scratch must hold).
    let operandBytes: Int
    /// s32 accumulators one run needs (`outputLength · cp`).
    let accumulatorCount: Int
    /// Bytes of the packed weights this layer keeps (nibbles, or s8 for the stem) plus its outlier list
    /// (a 4-byte offset and a 1-byte value per outlier).
    let storedWeightBytes: Int
    /// The pointers in `kernelParameters` stay valid as long as this object lives.
    private(set) var kernelParameters: kws_conv1d_ol4_params
    private let buffers: KernelBuffers

    /// Bytes a kernel may read past the last input row of its span (< 4 past the depth), rounded up.
    static let inputSlack = PackedInt8Conv.inputSlack

    init(_ conv: OutlierConv, codeMax: Int) {
        shape = conv.shape
        kernelShape = kws_conv1d_u8s8_shape(output_length: shape.outputLength, input_channels: shape.inputChannels,
                                            output_channels: shape.outputChannels, kernel_size: shape.kernelSize,
                                            stride: shape.stride)
        let outputs = shape.outputChannels
        let row = kws_conv1d_u8s8_packed_channels(outputs)
        let depth = shape.kernelSize * shape.inputChannels
        let packedDepth = kws_conv1d_u8s8_packed_depth(depth)
        operandBytes = packedDepth * row
        accumulatorCount = shape.outputLength * row
        let buffers = KernelBuffers()
        // `conv.weights` is [tap][input][output]: flat index q = tap·C_in + input is the depth index.
        func slot(_ q: Int, _ output: Int) -> Int { (q / 4 * row + output) * 4 + q % 4 }
        var weightsS4: UnsafeMutablePointer<UInt8>?
        var weightsS8: UnsafeMutablePointer<Int8>?
        var outlierOffsets = [UInt32]()
        var outlierValues = [Int8]()
        if conv.weightBits == 8 {
            let quads = buffers.allocate(Int8.self, operandBytes)
            for q in 0..<depth {
                for output in 0..<outputs { quads[slot(q, output)] = conv.weights[q * outputs + output] }
            }
            weightsS8 = quads
            storedWeightBytes = depth * outputs
        } else {
            var dense = [Int8](repeating: 0, count: operandBytes)
            for q in 0..<depth {
                for output in 0..<outputs {
                    let code = conv.weights[q * outputs + output]
                    if OutlierConv.isOutlier(code) {
                        outlierOffsets.append(UInt32(slot(q, output)))
                        outlierValues.append(code)
                    } else {
                        dense[slot(q, output)] = code
                    }
                }
            }
            // Blocks of 64 codes (one zmm of quads): byte j holds code j (low nibble) and code j + 32 (high).
            let nibbles = buffers.allocate(UInt8.self, operandBytes / 2)
            for block in 0..<(operandBytes / 64) {
                for j in 0..<32 {
                    let low = UInt8(bitPattern: dense[block * 64 + j]) & 0x0F
                    let high = UInt8(bitPattern: dense[block * 64 + 32 + j]) & 0x0F
                    nibbles[block * 32 + j] = low | high << 4
                }
            }
            weightsS4 = nibbles
            storedWeightBytes = Int4Packing.byteCount(depth * outputs) + outlierValues.count * 5
        }
        let offsets = buffers.allocate(UInt32.self, outlierOffsets.count)
        let values = buffers.allocate(Int8.self, outlierValues.count)
        for (index, offset) in outlierOffsets.enumerated() { offsets[index] = offset }
        for (index, value) in outlierValues.enumerated() { values[index] = value }
        let epilogue = EpilogueVectors(bias: conv.bias, requantization: conv.requantization,
                                       residual: conv.residualRescale, channels: row, in: buffers)
        hasResidual = conv.residualRescale != nil
        kernelParameters = kws_conv1d_ol4_params(
            weights_s4: weightsS4.map { UnsafePointer($0) }, weights_s8: weightsS8.map { UnsafePointer($0) },
            weight_outlier_count: outlierValues.count, weight_outlier_offsets: UnsafePointer(offsets),
            weight_outlier_values: UnsafePointer(values), bias: UnsafePointer(epilogue.bias), multiplier: UnsafePointer(epilogue.multiplier),
            shift: UnsafePointer(epilogue.shift), residual_multiplier: epilogue.residualMultiplier.map { UnsafePointer($0) },
            residual_shift: epilogue.residualShift.map { UnsafePointer($0) }, code_max: UInt16(codeMax),
            narrow_input: conv.weightBits == 4)
        self.buffers = buffers
    }

    /// Input rows the kernel reads, padding rows included: `(outputLength − 1)·stride + kernelSize`.
    var paddedInputLength: Int { (shape.outputLength - 1) * shape.stride + shape.kernelSize }

    /// Runs the layer on raw pointers (kws_conv1d_ol4); returns how many output outliers it wrote.
    /// `kernels` is the engine's ``KernelTable`` entry (every variant reads the same layouts).
    func run(kernels: kws_conv1d_ol4_config, input: UnsafePointer<UInt8>, inputOutliers: UnsafeBufferPointer<kws_ol4_outlier>,
             residual: UnsafePointer<UInt8>?, residualOutliers: UnsafeBufferPointer<kws_ol4_outlier>,
             scratch: UnsafeMutablePointer<Int8>, accumulators: UnsafeMutablePointer<Int32>,
             output: UnsafeMutablePointer<UInt8>, outputOutliers: UnsafeMutablePointer<kws_ol4_outlier>) -> Int {
        precondition(hasResidual == (residual != nil), "residual given to a layer without residual multipliers, or missing")
        return withUnsafePointer(to: kernelShape) { shape in
            withUnsafePointer(to: kernelParameters) { parameters in
                withUnsafePointer(to: kernels) { kernels in
                    kws_conv1d_ol4_with(kernels, shape, parameters, input, inputOutliers.baseAddress, inputOutliers.count,
                                        self.shape.padding, residual, residualOutliers.baseAddress, residualOutliers.count,
                                        scratch, accumulators, output, outputOutliers)
                }
            }
        }
    }

    /// The stages of kws_conv1d_ol4 a partial run stops after.
    package enum Stage: Int, CaseIterable {
        /// Nibble unpacking and the weight outlier merge (nothing for the stem).
        case unpack
        /// The dense pass into the s32 accumulators.
        case dense
        /// The sparse activation- and residual-outlier pass.
        case sparse
    }

    /// The stages up to and including `stage`, writing only the scratch operand and the accumulators: for
    /// timing each stage (the epilogue is the difference to ``run(kernels:input:inputOutliers:residual:residualOutliers:scratch:accumulators:output:outputOutliers:)``).
    func runStages(through stage: Stage, kernels: kws_conv1d_ol4_config, input: UnsafePointer<UInt8>,
                   inputOutliers: UnsafeBufferPointer<kws_ol4_outlier>, residualOutliers: UnsafeBufferPointer<kws_ol4_outlier>,
                   scratch: UnsafeMutablePointer<Int8>, accumulators: UnsafeMutablePointer<Int32>) {
        let parameters = kernelParameters
        var weights = parameters.weights_s8
        if let packed = parameters.weights_s4 {
            kernels.unpack(operandBytes, packed, scratch)
            kws_ol4_scatter_s8(parameters.weight_outlier_count, parameters.weight_outlier_offsets, parameters.weight_outlier_values, scratch)
            weights = UnsafePointer(scratch)
        }
        guard stage != .unpack, let weights else { return }
        withUnsafePointer(to: kernelShape) { shape in
            kernels.dense(shape, weights, parameters.bias, input, parameters.narrow_input, accumulators)
            // As in kws_conv1d_ol4: a call without outliers skips the sparse pass.
            guard stage == .sparse, inputOutliers.count + residualOutliers.count > 0 else { return }
            kernels.sparse(shape, weights, inputOutliers.baseAddress, inputOutliers.count, self.shape.padding,
                                  residualOutliers.baseAddress, residualOutliers.count, parameters.residual_multiplier,
                                  parameters.residual_shift, accumulators)
        }
    }

    /// Safe wrapper for tests. `paddedInput` is `paddedInputLength × inputChannels` dense codes (padding rows
    /// included), `inputOutliers` rows count from the first unpadded row; `residual` and the result are
    /// `outputLength × outputChannels` dense codes plus their outlier lists.
    func apply(paddedInput: [UInt8], inputOutliers: [kws_ol4_outlier], residual: [UInt8]?,
               residualOutliers: [kws_ol4_outlier], isa: KernelISA) -> (dense: [UInt8], outliers: [kws_ol4_outlier]) {
        precondition(paddedInput.count == paddedInputLength * shape.inputChannels, "padded input size")
        precondition(residual.map { $0.count == shape.outputLength * shape.outputChannels } ?? true, "residual size")
        let input = paddedInput + [UInt8](repeating: 0, count: Self.inputSlack)
        var output = [UInt8](repeating: 0, count: shape.outputLength * shape.outputChannels)
        var outliers = [kws_ol4_outlier](repeating: kws_ol4_outlier(), count: Swift.max(1, output.count))
        var scratch = [Int8](repeating: 0, count: operandBytes)
        var accumulators = [Int32](repeating: 0, count: accumulatorCount)
        let residualValues = residual ?? []
        var count = 0
        input.withUnsafeBufferPointer { input in
            residualValues.withUnsafeBufferPointer { residualValues in
                inputOutliers.withUnsafeBufferPointer { inputOutliers in
                    residualOutliers.withUnsafeBufferPointer { residualOutliers in
                        output.withUnsafeMutableBufferPointer { output in
                            outliers.withUnsafeMutableBufferPointer { outliers in
                                scratch.withUnsafeMutableBufferPointer { scratch in
                                    accumulators.withUnsafeMutableBufferPointer { accumulators in
                                        count = run(kernels: KernelTable(isa).entries.conv1d_ol4, input: input.baseAddress!, inputOutliers: inputOutliers,
                                                    residual: residual == nil ? nil : residualValues.baseAddress,
                                                    residualOutliers: residualOutliers, scratch: scratch.baseAddress!,
                                                    accumulators: accumulators.baseAddress!, output: output.baseAddress!,
                                                    outputOutliers: outliers.baseAddress!)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (output, Array(outliers.prefix(count)))
    }
}
