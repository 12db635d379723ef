import KWSRuntime

/// Zero weights, zero activations and skippable multiply-accumulates of one convolution, summed over the
/// traced windows (the talk's AlexNet table for a TC-ResNet layer).
///
/// A MAC is one `(output step t, tap j, input channel i, output channel o)` product of the layer, padding
/// taps included (``TemporalConvShape/macs`` per window). It is *weight-zero* when `w[j][i][o] = 0` and
/// *activation-zero* when the u8 activation the kernel multiplies, `x[t·s + j][i]`, is 0. Both are
/// skippable without changing the integer result, since their product is 0.
///
/// For the stem the u8 input has a per-coefficient zero point `z`: the kernel multiplies codes, the zero
/// point's share is folded into the bias, so only code 0 (real value `−z·scale`, a clamped extreme) gives a
/// zero product. ``zeroActivations`` counts code 0 (skippable); ``realZeroActivations`` counts code `z`
/// (real 0, not skippable in this arithmetic). For post-ReLU layers `z = 0` and the two counts are equal.
public struct LayerSparsity: Sendable, Equatable {
    /// The convolution's model-file prefix, e.g. `blocks.0.conv1`.
    public let name: String
    /// Geometry.
    public let shape: TemporalConvShape
    /// Weights that are exactly 0 (of ``TemporalConvShape/weightCount``).
    public let zeroWeights: Int
    /// Windows added.
    public private(set) var windows = 0
    /// Real (non-padding) input activations the kernel read, over all windows.
    public private(set) var activations = 0
    /// Of ``activations``, those with u8 code 0.
    public private(set) var zeroActivations = 0
    /// Of ``activations``, those equal to the channel's code of real 0 (the zero point; 0 after ReLU).
    public private(set) var realZeroActivations = 0
    /// MACs over all windows (``TemporalConvShape/macs`` × windows).
    public private(set) var macs = 0
    /// MACs whose weight is 0.
    public private(set) var weightZeroMACs = 0
    /// MACs whose activation is 0 (padding taps included when their code is 0).
    public private(set) var activationZeroMACs = 0
    /// MACs whose weight and activation are both 0 (the intersection).
    public private(set) var bothZeroMACs = 0

    /// MACs with a zero weight or a zero activation (the union, what a design skipping both saves):
    /// `weightZero + activationZero − bothZero`.
    public var eitherZeroMACs: Int { weightZeroMACs + activationZeroMACs - bothZeroMACs }
    /// MACs with both operands nonzero: the work left for a design that skips both.
    public var effectualMACs: Int { macs - eitherZeroMACs }

    private let zeroWeightsPerOperand: [Int]

    /// Counts for `conv` with no windows yet.
    public init(conv: QuantizedConv) {
        name = conv.name
        shape = conv.shape
        let outputs = shape.outputChannels
        // Per (tap, input) operand, how many output channels have a zero weight there.
        zeroWeightsPerOperand = (0..<(shape.kernelSize * shape.inputChannels)).map { operand in
            (0..<outputs).reduce(0) { $0 + (conv.weights[operand * outputs + $1] == 0 ? 1 : 0) }
        }
        zeroWeights = zeroWeightsPerOperand.reduce(0, +)
    }

    /// Adds one traced window of this layer.
    /// - Precondition: `layer` is a trace of the same convolution.
    public mutating func add(_ layer: Int8LayerTrace.Layer) {
        precondition(layer.conv.name == name && layer.shape == shape, "LayerSparsity \(name): trace of another layer")
        let (channels, outputs, stride) = (shape.inputChannels, shape.outputChannels, shape.stride)
        windows += 1
        macs += shape.macs
        weightZeroMACs += shape.outputLength * zeroWeights
        for row in 0..<layer.paddedRows where !layer.isPadding(row: row) {
            for channel in 0..<channels {
                let value = layer.input(row: row, channel: channel)
                activations += 1
                if value == 0 { zeroActivations += 1 }
                if value == layer.paddingCodes[channel] { realZeroActivations += 1 }
            }
        }
        for t in 0..<shape.outputLength {
            for tap in 0..<shape.kernelSize {
                let row = t * stride + tap
                for channel in 0..<channels where layer.input(row: row, channel: channel) == 0 {
                    activationZeroMACs += outputs
                    bothZeroMACs += zeroWeightsPerOperand[tap * channels + channel]
                }
            }
        }
    }
}

/// ``LayerSparsity`` for every convolution of a quantized network, accumulated over traced windows.
public struct NetworkSparsity: Sendable, Equatable {
    /// Per convolution, in execution order.
    public private(set) var layers: [LayerSparsity]

    /// Empty counts for `network`'s convolutions.
    public init(network: QuantizedTCResNet) {
        layers = network.convolutions.map(LayerSparsity.init(conv:))
    }

    /// Windows added so far.
    public var windows: Int { layers.first?.windows ?? 0 }

    /// Adds a trace of the same network.
    public mutating func add(_ trace: Int8LayerTrace) {
        precondition(trace.layers.count == layers.count, "NetworkSparsity: trace of another network")
        for index in layers.indices { layers[index].add(trace.layers[index]) }
    }
}
