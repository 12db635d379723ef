import CKWSKernels

/// A ``QuantizedConv`` in the layouts the C kernels read (kws_conv1d_u8s8.h), in buffers owned by this object
/// so the engine's hot loop passes plain pointers: s8 quads for VNNI and the scalar reference, s16 pairs for
/// AVX2, s8 pairs for acc16, and per-channel s32 vectors, all zero-padded to whole tiles.
final class PackedInt8Conv {
    let shape: TemporalConvShape
    let kernelShape: kws_conv1d_u8s8_shape
    let hasResidual: Bool
    /// The pointers in `kernelParameters` stay valid as long as this object lives.
    private(set) var kernelParameters: kws_conv1d_u8s8_params
    private let buffers: [UnsafeMutableRawPointer]

    /// Bytes a kernel may read past the last input row of its span (`packed_depth − depth` < 4), rounded up.
    static let inputSlack = 8

    init(_ conv: QuantizedConv) {
        shape = conv.shape
        kernelShape = kws_conv1d_u8s8_shape(output_length: shape.outputLength, input_channels: shape.inputChannels,
                                            output_channels: shape.outputChannels, kernel_size: shape.kernelSize,
                                            stride: shape.stride)
        let outputs = shape.outputChannels
        let row = kws_conv1d_u8s8_packed_channels(outputs)
        let depth = shape.kernelSize * shape.inputChannels
        let packedDepth = kws_conv1d_u8s8_packed_depth(depth)
        var buffers = [UnsafeMutableRawPointer]()
        func allocate<T: FixedWidthInteger>(_ type: T.Type, _ count: Int, fill: T = 0) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: count)
            pointer.initialize(repeating: fill, count: count)
            buffers.append(UnsafeMutableRawPointer(pointer))
            return pointer
        }
        let quads = allocate(Int8.self, packedDepth * row)
        let pairs16 = allocate(Int16.self, packedDepth * row)
        let pairs8 = allocate(Int8.self, packedDepth * row)
        // `conv.weights` is [tap][input][output]: flat index q = tap·C_in + input is the depth index.
        for q in 0..<depth {
            for output in 0..<outputs {
                let value = conv.weights[q * outputs + output]
                quads[(q / 4 * row + output) * 4 + q % 4] = value
                pairs16[(q / 2 * row + output) * 2 + q % 2] = Int16(value)
                pairs8[(q / 2 * row + output) * 2 + q % 2] = value
            }
        }
        func vector(_ values: [Int32], fill: Int32 = 0) -> UnsafeMutablePointer<Int32> {
            let pointer = allocate(Int32.self, row, fill: fill)
            for (index, value) in values.enumerated() { pointer[index] = value }
            return pointer
        }
        // Padding channels get shift 1 so even their (discarded) lanes shift by a valid amount.
        let bias = vector(conv.bias)
        let multiplier = vector(conv.requantization.map(\.multiplier))
        let shift = vector(conv.requantization.map(\.shift), fill: 1)
        var residualMultiplier: UnsafeMutablePointer<Int32>?
        var residualShift: UnsafeMutablePointer<Int32>?
        if let residual = conv.residualRescale {
            residualMultiplier = vector(residual.map(\.multiplier))
            residualShift = vector(residual.map(\.shift), fill: 1)
        }
        hasResidual = conv.residualRescale != nil
        kernelParameters = kws_conv1d_u8s8_params(
            weights_s8: UnsafePointer(quads), weights_s16: UnsafePointer(pairs16), weights_pairs_s8: UnsafePointer(pairs8),
            bias: UnsafePointer(bias), multiplier: UnsafePointer(multiplier), shift: UnsafePointer(shift),
            residual_multiplier: residualMultiplier.map { UnsafePointer($0) }, residual_shift: residualShift.map { UnsafePointer($0) })
        self.buffers = buffers
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Input rows the kernel reads, padding rows included: `(outputLength − 1)·stride + kernelSize`.
    var paddedInputLength: Int { (shape.outputLength - 1) * shape.stride + shape.kernelSize }

    /// Runs the layer on raw pointers; `input` must have ``paddedInputLength`` rows plus ``inputSlack`` bytes.
    func run(isa: KernelISA, accumulation: Int8Accumulation, input: UnsafePointer<UInt8>,
             residual: UnsafePointer<UInt8>?, output: UnsafeMutablePointer<UInt8>) {
        precondition(hasResidual == (residual != nil), "residual given to a layer without residual multipliers, or missing")
        withUnsafePointer(to: kernelShape) { shape in
            withUnsafePointer(to: kernelParameters) { parameters in
                switch accumulation {
                case .exact: kws_conv1d_u8s8(isa.cValue, shape, parameters, input, residual, output)
                case .acc16: kws_conv1d_u8s8_acc16(isa.cValue, shape, parameters, input, residual, output)
                }
            }
        }
    }

    /// Safe wrapper for tests: `paddedInput` is `paddedInputLength × inputChannels` (padding rows included);
    /// returns `outputLength × outputChannels`.
    func apply(paddedInput: [UInt8], residual: [UInt8]?, isa: KernelISA, accumulation: Int8Accumulation) -> [UInt8] {
        precondition(paddedInput.count == paddedInputLength * shape.inputChannels, "padded input size")
        precondition(residual.map { $0.count == shape.outputLength * shape.outputChannels } ?? true, "residual size")
        let input = paddedInput + [UInt8](repeating: 0, count: Self.inputSlack)
        var output = [UInt8](repeating: 0, count: shape.outputLength * shape.outputChannels)
        let residualValues = residual ?? []
        input.withUnsafeBufferPointer { input in
            residualValues.withUnsafeBufferPointer { residualValues in
                output.withUnsafeMutableBufferPointer { output in
                    guard let inputBase = input.baseAddress, let outputBase = output.baseAddress else { return }
                    run(isa: isa, accumulation: accumulation, input: inputBase,
                        residual: residual == nil ? nil : residualValues.baseAddress, output: outputBase)
                }
            }
        }
        return output
    }
}

/// How the quantized kernels accumulate products.
public enum Int8Accumulation: String, Sendable, CaseIterable {
    /// s32 accumulation (`vpdpbusd`, or `vpmaddwd` on widened inputs): exact, bit-identical on every ISA.
    case exact
    /// `vpmaddubsw` pairs saturated to s16 and added in s16 lanes, widened every 8 pairs: faster on AVX2,
    /// not exact (saturation).
    case acc16
}
