/// One convolution with its batch norm folded in: `y[t][o] = bias[o] + Σ weights[j][i][o] · x[t·s + j − pad][i]`.
public struct TemporalConv: Sendable {
    /// The model-file prefix of its tensors, e.g. `blocks.0.conv1` or `blocks.0.shortcut.conv`.
    public let name: String
    /// Geometry, including its input length in the network.
    public let shape: TemporalConvShape
    /// Folded weights `w·γ/√(var+ε)`, laid out `[kernelSize][inputChannels][outputChannels]` (channels-last,
    /// output channel fastest) so the weights one input value meets are contiguous.
    public let weights: [Float]
    /// Folded bias `β − mean·γ/√(var+ε)`, one per output channel.
    public let bias: [Float]

    /// The folded weight from input channel `input` at tap `tap` to output channel `output`.
    public func weight(output: Int, input: Int, tap: Int) -> Float {
        weights[(tap * shape.inputChannels + input) * shape.outputChannels + output]
    }
}
