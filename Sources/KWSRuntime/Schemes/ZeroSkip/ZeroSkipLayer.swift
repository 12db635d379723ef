/// One convolution as ``ZeroSkipEngine`` runs it: what is fixed at init (shape, nonzero weights per output
/// channel) and the work counts derived from it. The MACs actually issued depend on the activations and are
/// read from the engine after each inference (``ZeroSkipEngine/issuedMACs(layer:)``).
public struct ZeroSkipLayer: Sendable, Equatable {
    /// The model-file prefix of the convolution, e.g. `stem.conv`, `blocks.0.conv1`, `blocks.0.shortcut.conv`.
    public let name: String
    /// Geometry.
    public let shape: TemporalConvShape
    /// Nonzero s8 weights of each output channel: the work a zero-aware allocation balances.
    public let nonzeroWeightsPerOutputChannel: [Int]
    /// True for the stem: its u8 MFCC codes have per-coefficient zero points, so code 0 is not a real zero
    /// and no activation is skipped there (only weight zeros are).
    public let activationDense: Bool

    /// Every MAC of the dense kernel, padding positions included: `outputLength · kernelSize · C_in · C_out`.
    public var denseMACs: Int { shape.macs }

    /// MACs left when only zero weights are skipped: `outputLength · Σ nonzero weights`.
    public var weightNonzeroMACs: Int { shape.outputLength * nonzeroWeightsPerOutputChannel.reduce(0, +) }

    /// Fraction of the layer's weights that are zero.
    public var weightSparsity: Double {
        1 - Double(nonzeroWeightsPerOutputChannel.reduce(0, +)) / Double(shape.weightCount)
    }
}
