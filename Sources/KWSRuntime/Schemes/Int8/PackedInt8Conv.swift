import CKWSKernels

/// A ``QuantizedConv`` packed for one kernel variant (a `kws_conv1d_u8s8_config` from ``KernelTable``), in
/// buffers owned by this object so the engine's hot loop passes plain pointers: the one weight layout that
/// variant reads (s8 quads for VNNI and the scalar reference, s16 pairs for AVX2 and NEON, s8 pairs for acc16;
/// kws_conv1d_u8s8.h) and per-channel s32 vectors, all zero-padded to whole tiles.
final class PackedInt8Conv {
    let shape: TemporalConvShape
    let kernelShape: kws_conv1d_u8s8_shape
    let hasResidual: Bool
    /// The variant this layer runs, chosen when it was packed.
    let kernel: kws_conv1d_u8s8_config
    /// The pointers in `kernelParameters` stay valid as long as this object lives.
    private(set) var kernelParameters: kws_conv1d_u8s8_params
    private let buffers: KernelBuffers

    /// Bytes a kernel may read past the last input row of its span (`packed_depth − depth` < 4), rounded up.
    static let inputSlack = 8

    /// Packs `conv` for the ``KernelTable`` entry of `isa` and `accumulation` (tests force each level this way).
    convenience init(_ conv: QuantizedConv, isa: KernelISA = .preferred, accumulation: Int8Accumulation = .exact) {
        self.init(conv, kernel: KernelTable(isa).int8Conv(accumulation))
    }

    /// Packs `conv` in the layout `kernel` reads, and only that one.
    init(_ conv: QuantizedConv, kernel: kws_conv1d_u8s8_config) {
        self.kernel = kernel
        shape = conv.shape
        kernelShape = kws_conv1d_u8s8_shape(output_length: shape.outputLength, input_channels: shape.inputChannels,
                                            output_channels: shape.outputChannels, kernel_size: shape.kernelSize,
                                            stride: shape.stride)
        let outputs = shape.outputChannels
        let row = kws_conv1d_u8s8_packed_channels(outputs)
        let depth = shape.kernelSize * shape.inputChannels
        let packedDepth = kws_conv1d_u8s8_packed_depth(depth)
        let buffers = KernelBuffers()
        var quads: UnsafeMutablePointer<Int8>?
        var pairs16: UnsafeMutablePointer<Int16>?
        var pairs8: UnsafeMutablePointer<Int8>?
        // `conv.weights` is [tap][input][output]: flat index q = tap·C_in + input is the depth index.
        func pack<T: FixedWidthInteger & BitwiseCopyable>(_ type: T.Type, group: Int) -> UnsafeMutablePointer<T> {
            let packed = buffers.allocate(T.self, packedDepth * row)
            for q in 0..<depth {
                for output in 0..<outputs {
                    packed[(q / group * row + output) * group + q % group] = T(conv.weights[q * outputs + output])
                }
            }
            return packed
        }
        switch kernel.layout {
        case KWS_U8S8_WEIGHTS_S16_PAIRS: pairs16 = pack(Int16.self, group: 2)
        case KWS_U8S8_WEIGHTS_S16_QUAD_PAIRS:
            // Per depth quad g: pair row 2g holds (4g, 4g+2), pair row 2g+1 holds (4g+1, 4g+3).
            let packed = buffers.allocate(Int16.self, packedDepth * row)
            for q in 0..<depth {
                let pairRow = q / 4 * 2 + q % 2
                for output in 0..<outputs {
                    packed[(pairRow * row + output) * 2 + q % 4 / 2] = Int16(conv.weights[q * outputs + output])
                }
            }
            pairs16 = packed
        case KWS_U8S8_WEIGHTS_S8_PAIRS: pairs8 = pack(Int8.self, group: 2)
        default: quads = pack(Int8.self, group: 4)
        }
        let epilogue = EpilogueVectors(bias: conv.bias, requantization: conv.requantization,
                                       residual: conv.residualRescale, channels: row, in: buffers)
        hasResidual = conv.residualRescale != nil
        kernelParameters = kws_conv1d_u8s8_params(
            weights_s8: quads.map { UnsafePointer($0) }, weights_s16: pairs16.map { UnsafePointer($0) },
            weights_pairs_s8: pairs8.map { UnsafePointer($0) },
            bias: UnsafePointer(epilogue.bias), multiplier: UnsafePointer(epilogue.multiplier), shift: UnsafePointer(epilogue.shift),
            residual_multiplier: epilogue.residualMultiplier.map { UnsafePointer($0) }, residual_shift: epilogue.residualShift.map { UnsafePointer($0) })
        self.buffers = buffers
    }

    /// Input rows the kernel reads, padding rows included: `(outputLength − 1)·stride + kernelSize`.
    var paddedInputLength: Int { (shape.outputLength - 1) * shape.stride + shape.kernelSize }

    /// Runs the layer on raw pointers; `input` must have ``paddedInputLength`` rows plus ``inputSlack`` bytes.
    func run(input: UnsafePointer<UInt8>, residual: UnsafePointer<UInt8>?, output: UnsafeMutablePointer<UInt8>) {
        precondition(hasResidual == (residual != nil), "residual given to a layer without residual multipliers, or missing")
        withUnsafePointer(to: kernelShape) { shape in
            withUnsafePointer(to: kernelParameters) { parameters in
                kernel.run(shape, parameters, input, residual, output)
            }
        }
    }

    /// Safe wrapper for tests: `paddedInput` is `paddedInputLength × inputChannels` (padding rows included);
    /// returns `outputLength × outputChannels`.
    func apply(paddedInput: [UInt8], residual: [UInt8]?) -> [UInt8] {
        precondition(paddedInput.count == paddedInputLength * shape.inputChannels, "padded input size")
        precondition(residual.map { $0.count == shape.outputLength * shape.outputChannels } ?? true, "residual size")
        let input = paddedInput + [UInt8](repeating: 0, count: Self.inputSlack)
        var output = [UInt8](repeating: 0, count: shape.outputLength * shape.outputChannels)
        let residualValues = residual ?? []
        input.withUnsafeBufferPointer { input in
            residualValues.withUnsafeBufferPointer { residualValues in
                output.withUnsafeMutableBufferPointer { output in
                    guard let inputBase = input.baseAddress, let outputBase = output.baseAddress else { return }
                    run(input: inputBase,
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
