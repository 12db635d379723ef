import CKWSKernels

/// A ``HighwayConv`` as the kernels read it (kws_conv1d_hw.h): its weight codes packed k bits each in the
/// kernel's block order (the quad operand `[dp/4][cp][4]`, zero-padded), expanded into a shared scratch
/// operand by ``unpack(isa:into:)`` just before the layer runs, plus per-channel s32 vectors.
final class PackedHighwayConv {
    let shape: TemporalConvShape
    let bits: Int
    let kernelShape: kws_conv1d_u8s8_shape
    let hasResidual: Bool
    /// Kernel-order packed codes (whole 32-byte blocks).
    let packed: [UInt8]
    /// Blocks in ``packed``.
    let blocks: Int
    /// Bytes of the unpacked quad operand (`blocks · blockCodes`; at least `dp · cp`).
    let unpackedCount: Int
    private let vectors: UnsafeMutablePointer<Int32>
    private let row: Int
    private let hasResidualVectors: Bool

    init(_ conv: HighwayConv) {
        shape = conv.shape
        bits = conv.weightBits
        kernelShape = kws_conv1d_u8s8_shape(output_length: shape.outputLength, input_channels: shape.inputChannels,
                                            output_channels: shape.outputChannels, kernel_size: shape.kernelSize,
                                            stride: shape.stride)
        let outputs = shape.outputChannels
        row = kws_conv1d_u8s8_packed_channels(outputs)
        let depth = shape.kernelSize * shape.inputChannels
        let packedDepth = kws_conv1d_u8s8_packed_depth(depth)
        var quads = [Int8](repeating: 0, count: packedDepth * row)
        for q in 0..<depth {
            for output in 0..<outputs {
                quads[(q / 4 * row + output) * 4 + q % 4] = conv.weights[q * outputs + output]
            }
        }
        packed = LowBitPacking.packKernelOrder(quads, bits: bits)
        blocks = packed.count / LowBitPacking.blockBytes
        unpackedCount = blocks * LowBitPacking.blockCodes(bits: bits)
        hasResidual = conv.residualRescale != nil
        hasResidualVectors = hasResidual
        // bias, multiplier, shift (padding lanes get shift 1), then residual multiplier and shift.
        let count = row * (hasResidual ? 5 : 3)
        vectors = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        vectors.initialize(repeating: 0, count: count)
        for channel in 0..<row {
            vectors[2 * row + channel] = 1
            if hasResidual { vectors[4 * row + channel] = 1 }
        }
        for channel in 0..<outputs {
            vectors[channel] = conv.bias[channel]
            vectors[row + channel] = conv.requantization[channel].multiplier
            vectors[2 * row + channel] = conv.requantization[channel].shift
            if let residual = conv.residualRescale {
                vectors[3 * row + channel] = residual[channel].multiplier
                vectors[4 * row + channel] = residual[channel].shift
            }
        }
    }

    deinit { vectors.deallocate() }

    /// Input rows the kernel reads, padding rows included.
    var paddedInputLength: Int { (shape.outputLength - 1) * shape.stride + shape.kernelSize }

    /// Expands the packed codes into `scratch` (at least ``unpackedCount`` bytes).
    /// `kernels` is the engine's ``KernelTable`` entry (every variant reads the same layouts).
    func unpack(kernels: kws_conv1d_hw_config, into scratch: UnsafeMutablePointer<Int8>) {
        packed.withUnsafeBufferPointer { packed in
            kernels.unpack(Int32(bits), blocks, packed.baseAddress, scratch)
        }
    }

    /// Runs the layer on the unpacked operand in `weights`; `input` must have ``paddedInputLength`` rows plus
    /// ``PackedInt8Conv/inputSlack`` readable bytes.
    func run(kernels: kws_conv1d_hw_config, weights: UnsafePointer<Int8>, input: UnsafePointer<UInt8>, residual: UnsafePointer<UInt8>?,
             output: UnsafeMutablePointer<UInt8>) {
        precondition(hasResidual == (residual != nil), "residual given to a layer without residual multipliers, or missing")
        let row = self.row
        var parameters = kws_conv1d_u8s8_params(
            weights_s8: weights, weights_s16: nil, weights_pairs_s8: nil, bias: UnsafePointer(vectors),
            multiplier: UnsafePointer(vectors + row), shift: UnsafePointer(vectors + 2 * row),
            residual_multiplier: hasResidualVectors ? UnsafePointer(vectors + 3 * row) : nil,
            residual_shift: hasResidualVectors ? UnsafePointer(vectors + 4 * row) : nil)
        withUnsafePointer(to: kernelShape) { shape in
            kernels.conv(shape, &parameters, input, residual, output)
        }
    }

    /// Safe wrapper for tests: unpacks with `isa` too. `paddedInput` is `paddedInputLength × inputChannels`.
    func apply(paddedInput: [UInt8], residual: [UInt8]?, isa: KernelISA) -> [UInt8] {
        precondition(paddedInput.count == paddedInputLength * shape.inputChannels, "padded input size")
        precondition(residual.map { $0.count == shape.outputLength * shape.outputChannels } ?? true, "residual size")
        let input = paddedInput + [UInt8](repeating: 0, count: PackedInt8Conv.inputSlack)
        var output = [UInt8](repeating: 0, count: shape.outputLength * shape.outputChannels)
        var scratch = [Int8](repeating: 0, count: unpackedCount)
        let residualValues = residual ?? []
        let kernels = KernelTable(isa).entries.conv1d_hw
        scratch.withUnsafeMutableBufferPointer { scratch in
            guard let weights = scratch.baseAddress else { return }
            unpack(kernels: kernels, into: weights)
            input.withUnsafeBufferPointer { input in
                residualValues.withUnsafeBufferPointer { residualValues in
                    output.withUnsafeMutableBufferPointer { output in
                        guard let inputBase = input.baseAddress, let outputBase = output.baseAddress else { return }
                        run(kernels: kernels, weights: UnsafePointer(weights), input: inputBase,
                            residual: residual == nil ? nil : residualValues.baseAddress, output: outputBase)
                    }
                }
            }
        }
        return output
    }
}
