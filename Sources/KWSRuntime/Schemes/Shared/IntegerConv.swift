/// What the integer schemes' convolutions (int8, outlier, highway) have in common: integer weight codes in the
/// float convolution's layout, a bias in accumulator units, and per-channel fixed-point requantization (plus the
/// residual rescale of a block's conv2). Each scheme says what its codes and clamp range are.
public protocol IntegerConv {
    /// Geometry.
    var shape: TemporalConvShape { get }
    /// Codes `[kernelSize][inputChannels][outputChannels]`, like ``TemporalConv/weights``.
    var weights: [Int8] { get }
    /// Folded bias in accumulator units.
    var bias: [Int32] { get }
    /// Accumulator → output code, per output channel.
    var requantization: [FixedPointMultiplier] { get }
    /// Residual code → accumulator units, per output channel; nil unless this is a block's conv2.
    var residualRescale: [FixedPointMultiplier]? { get }
}

extension IntegerConv {
    /// The weight code from input channel `input` at tap `tap` to output channel `output`.
    public func weight(output: Int, input: Int, tap: Int) -> Int8 {
        weights[(tap * shape.inputChannels + input) * shape.outputChannels + output]
    }
}
