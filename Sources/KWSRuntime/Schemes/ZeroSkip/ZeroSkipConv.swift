import CKWSKernels

/// A ``QuantizedConv`` compressed for the zero-skipping kernels (kws_conv1d_zeroskip_u8s8.h): per output
/// channel, a bitmask over the flattened receptive field (`q = tap · C_in + input`) and the nonzero weights
/// packed in `q` order, plus the same epilogue vectors as ``PackedInt8Conv``. Buffers are owned by this
/// object so the engine's hot loop passes plain pointers.
///
/// Bitmask + packed values rather than index lists: the run-time activation side is a bitmask over the same
/// flattened positions, so intersecting a channel's weights with a receptive field is one AND per 64
/// positions; the packed values are reached by rank (`pext` of the activation bits by the weight bits in the
/// AVX2 variant) or expanded back to 64-position words once per channel (`vpexpandb` in the AVX-512 one).
final class ZeroSkipConv {
    let shape: TemporalConvShape
    let kernelShape: kws_conv1d_u8s8_shape
    let hasResidual: Bool
    /// Nonzero weights of each output channel (what zero-aware allocation balances).
    let nonzeroWeights: [Int]
    /// 64-bit words of scratch one call needs (``run(kernel:input:residual:output:scratch:denseInput:)``).
    let scratchWords: Int
    /// The pointers in `kernelParameters` stay valid as long as this object lives.
    private(set) var kernelParameters: kws_conv1d_zeroskip_u8s8_params
    private let buffers: KernelBuffers

    init(_ conv: QuantizedConv) {
        shape = conv.shape
        kernelShape = kws_conv1d_u8s8_shape(output_length: shape.outputLength, input_channels: shape.inputChannels,
                                            output_channels: shape.outputChannels, kernel_size: shape.kernelSize,
                                            stride: shape.stride)
        let outputs = shape.outputChannels
        let depth = shape.kernelSize * shape.inputChannels
        let words = (depth + 63) / 64
        let buffers = KernelBuffers()
        let masks = buffers.allocate(UInt64.self, outputs * words)
        let offsets = buffers.allocate(UInt32.self, outputs * (words + 1))
        var values = [Int8]()
        var nonzeroWeights = [Int](repeating: 0, count: outputs)
        // `conv.weights` is [tap][input][output]: q = tap·C_in + input is the flattened depth index.
        for output in 0..<outputs {
            for word in 0..<words {
                offsets[output * (words + 1) + word] = UInt32(values.count)
                for q in (word * 64)..<min(depth, word * 64 + 64) {
                    let value = conv.weights[q * outputs + output]
                    guard value != 0 else { continue }
                    masks[output * words + word] |= 1 << UInt64(q - word * 64)
                    values.append(value)
                    nonzeroWeights[output] += 1
                }
            }
            offsets[output * (words + 1) + words] = UInt32(values.count)
        }
        let packedValues = buffers.allocate(Int8.self, values.count)
        for (index, value) in values.enumerated() { packedValues[index] = value }
        let row = kws_conv1d_u8s8_packed_channels(outputs)
        let epilogue = EpilogueVectors(bias: conv.bias, requantization: conv.requantization,
                                       residual: conv.residualRescale, channels: row, in: buffers)
        hasResidual = conv.residualRescale != nil
        self.nonzeroWeights = nonzeroWeights
        kernelParameters = kws_conv1d_zeroskip_u8s8_params(
            mask_words: words, masks: UnsafePointer(masks), offsets: UnsafePointer(offsets),
            values: UnsafePointer(packedValues), bias: UnsafePointer(epilogue.bias), multiplier: UnsafePointer(epilogue.multiplier),
            shift: UnsafePointer(epilogue.shift), residual_multiplier: epilogue.residualMultiplier.map { UnsafePointer($0) },
            residual_shift: epilogue.residualShift.map { UnsafePointer($0) })
        scratchWords = withUnsafePointer(to: kernelShape) { kws_conv1d_zeroskip_u8s8_scratch_words($0) }
        self.buffers = buffers
    }

    /// Input rows the kernel reads, padding rows included: `(outputLength − 1)·stride + kernelSize`.
    var paddedInputLength: Int { (shape.outputLength - 1) * shape.stride + shape.kernelSize }

    /// MACs when only weight zeros are skipped: every output step meets every nonzero weight once.
    var weightNonzeroMACs: Int { shape.outputLength * nonzeroWeights.reduce(0, +) }

    /// Runs the layer on raw pointers and returns the MACs issued. `input` has ``paddedInputLength`` rows;
    /// `scratch` has ``scratchWords`` words. `denseInput` treats every input byte as nonzero (the stem).
    /// `kernel` is the engine's ``KernelTable`` entry (every variant reads the same layout).
    func run(kernel: kws_conv1d_zeroskip_u8s8_config, input: UnsafePointer<UInt8>, residual: UnsafePointer<UInt8>?,
             output: UnsafeMutablePointer<UInt8>, scratch: UnsafeMutablePointer<UInt64>, denseInput: Bool) -> UInt64 {
        precondition(hasResidual == (residual != nil), "residual given to a layer without residual multipliers, or missing")
        return withUnsafePointer(to: kernelShape) { shape in
            withUnsafePointer(to: kernelParameters) { parameters in
                kernel.run(shape, parameters, input, residual, output, scratch, denseInput)
            }
        }
    }

    /// Safe wrapper for tests: `paddedInput` is `paddedInputLength × inputChannels` (padding rows included);
    /// returns `outputLength × outputChannels` bytes and the MACs issued.
    func apply(paddedInput: [UInt8], residual: [UInt8]?, isa: KernelISA, denseInput: Bool = false) -> (output: [UInt8], macs: Int) {
        precondition(paddedInput.count == paddedInputLength * shape.inputChannels, "padded input size")
        precondition(residual.map { $0.count == shape.outputLength * shape.outputChannels } ?? true, "residual size")
        var output = [UInt8](repeating: 0, count: shape.outputLength * shape.outputChannels)
        var scratch = [UInt64](repeating: 0, count: scratchWords)
        let residualValues = residual ?? []
        var macs: UInt64 = 0
        paddedInput.withUnsafeBufferPointer { input in
            residualValues.withUnsafeBufferPointer { residualValues in
                output.withUnsafeMutableBufferPointer { output in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        guard let inputBase = input.baseAddress, let outputBase = output.baseAddress,
                              let scratchBase = scratch.baseAddress else { return }
                        macs = run(kernel: KernelTable(isa).entries.conv1d_zeroskip_u8s8, input: inputBase, residual: residual == nil ? nil : residualValues.baseAddress,
                                   output: outputBase, scratch: scratchBase, denseInput: denseInput)
                    }
                }
            }
        }
        return (output, Int(macs))
    }
}
