import CKWSKernels

/// A folded convolution's weights and bias in the layout the C kernels read: each row of output
/// channels padded with zeros to ``channelTile`` so every SIMD variant loads whole vectors.
struct PackedFloatConv {
    static let channelTile = Int(KWS_CONV1D_F32_CHANNEL_TILE)

    let shape: TemporalConvShape
    /// `[kernelSize][inputChannels][paddedChannels]`.
    let weights: [Float]
    /// `[paddedChannels]`.
    let bias: [Float]

    static func paddedChannels(_ channels: Int) -> Int { (channels + channelTile - 1) / channelTile * channelTile }

    init(_ conv: TemporalConv) {
        shape = conv.shape
        let channels = shape.outputChannels
        let row = Self.paddedChannels(channels)
        var weights = [Float](repeating: 0, count: shape.kernelSize * shape.inputChannels * row)
        for depth in 0..<(shape.kernelSize * shape.inputChannels) {
            for output in 0..<channels {
                weights[depth * row + output] = conv.weights[depth * channels + output]
            }
        }
        var bias = [Float](repeating: 0, count: row)
        bias.replaceSubrange(0..<channels, with: conv.bias)
        self.weights = weights
        self.bias = bias
    }

    /// The kernel's view of the shape.
    var kernelShape: kws_conv1d_f32_shape {
        kws_conv1d_f32_shape(output_length: shape.outputLength, input_channels: shape.inputChannels,
                             output_channels: shape.outputChannels, kernel_size: shape.kernelSize,
                             stride: shape.stride)
    }

    /// Input rows the kernel reads, padding rows included: `(outputLength − 1)·stride + kernelSize`.
    var paddedInputLength: Int { (shape.outputLength - 1) * shape.stride + shape.kernelSize }

    /// Runs the layer on a zero-padded input (`paddedInputLength × inputChannels`, padding rows first and
    /// last), writing `outputLength × outputChannels`. Safe wrapper for tests and one-off use; the engine
    /// calls the kernel on its preallocated buffers directly.
    func apply(paddedInput: [Float], residual: [Float]?, relu: Bool, isa: KernelISA) -> [Float] {
        precondition(paddedInput.count == paddedInputLength * shape.inputChannels, "padded input size")
        precondition(residual.map { $0.count == shape.outputLength * shape.outputChannels } ?? true, "residual size")
        var output = [Float](repeating: 0, count: shape.outputLength * shape.outputChannels)
        var kernelShape = self.kernelShape
        let residualValues = residual ?? []
        paddedInput.withUnsafeBufferPointer { input in
            weights.withUnsafeBufferPointer { weights in
                bias.withUnsafeBufferPointer { bias in
                    residualValues.withUnsafeBufferPointer { residualValues in
                        output.withUnsafeMutableBufferPointer { output in
                            KernelTable(isa).entries.conv1d_f32.run(
                                &kernelShape, input.baseAddress, weights.baseAddress, bias.baseAddress,
                                residual == nil ? nil : residualValues.baseAddress, output.baseAddress, relu)
                        }
                    }
                }
            }
        }
        return output
    }
}
