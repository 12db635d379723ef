import FoundationEssentials
import KWSCore

/// A validated TC-ResNet model with batch norm folded into its convolutions. Immutable and shareable
/// across threads; engines are built from it.
public struct TCResNetModel: Sendable {
    /// Model name: metadata `name`, else the file name without its extension.
    public let name: String
    /// Depth and width.
    public let architecture: Architecture
    /// Label of each logit, in order.
    public let labels: [String]
    /// The MFCC front end the model was trained on.
    public let frontEnd: FrontEndConfig
    /// The file's `__metadata__`, verbatim (provenance, quantization parameters, ...).
    public let metadata: [String: String]
    /// The batch-norm ε the weights were folded with (metadata `bn_epsilon`, required).
    public let batchNormEpsilon: Double
    /// The stem: 3-tap convolution over the MFCC coefficients, followed by ReLU.
    public let stem: TemporalConv
    /// The residual blocks in order.
    public let blocks: [ResidualBlock]
    /// Classifier weights `[labels.count][last block's channels]` (PyTorch `fc.weight`, no bias),
    /// applied to the time-average of the last block's output.
    public let classifierWeights: [Float]
    /// Each ``QuantizationScheme``'s network this file stores, under the scheme's name (the float network is
    /// the model's own fields).
    let networks: [String: any Sendable]
    /// The measured threshold → recall / false-alarm table per keyword (metadata `operating_points`), or nil
    /// for a model without one. It describes this file's own network, so derived models drop it.
    public let operatingPoints: OperatingPoints?

    init(name: String, architecture: Architecture, labels: [String], frontEnd: FrontEndConfig,
         metadata: [String: String], batchNormEpsilon: Double, stem: TemporalConv, blocks: [ResidualBlock],
         classifierWeights: [Float], networks: [String: any Sendable] = [:], operatingPoints: OperatingPoints? = nil) {
        self.name = name
        self.architecture = architecture
        self.labels = labels
        self.frontEnd = frontEnd
        self.metadata = metadata
        self.batchNormEpsilon = batchNormEpsilon
        self.stem = stem
        self.blocks = blocks
        self.classifierWeights = classifierWeights
        self.networks = networks
        self.operatingPoints = operatingPoints
    }

    /// This model's float network with `networks` in place of its schemes' networks, under `name`.
    func replacingNetworks(_ networks: [String: any Sendable], name: String) -> TCResNetModel {
        TCResNetModel(name: name, architecture: architecture, labels: labels, frontEnd: frontEnd, metadata: metadata,
                      batchNormEpsilon: batchNormEpsilon, stem: stem, blocks: blocks, classifierWeights: classifierWeights,
                      networks: networks)
    }

    /// The network `scheme` stored for this model, if it is a `Network`.
    func network<Network>(of scheme: some QuantizationScheme, as type: Network.Type = Network.self) -> Network? {
        networks[scheme.name] as? Network
    }

    /// Top-1 accuracy on the held-out test split (metadata `test_accuracy`, a fraction), if recorded.
    public var testAccuracy: Double? { metadata["test_accuracy"].flatMap(Double.init) }

    /// Feature frames per window: the frames in the model's window (98 for one second, the default front end).
    public var inputFrames: Int { frontEnd.clipFrames }

    /// Samples of 16 kHz audio in the window the network classifies (``FrontEndConfig/clipSamples``).
    public var windowSamples: Int { frontEnd.clipSamples }

    /// MFCC coefficients per frame (40).
    public var inputCoefficients: Int { frontEnd.coefficients }

    /// Channels of the last block, which the classifier reads.
    public var classifierInputs: Int { architecture.channels[architecture.channels.count - 1] }

    /// Every convolution in execution order: the stem, then per block its shortcut (if any), conv1, conv2.
    public var convolutions: [TemporalConv] {
        [stem] + blocks.flatMap { block in [block.shortcut, block.conv1, block.conv2].compactMap { $0 } }
    }

    /// Convolution and classifier weights: the "conv+FC weights" of SPEC.md §1.4 (64,512 for TC-ResNet8).
    /// Batch-norm vectors are not counted (they are folded into a per-channel bias); see
    /// ``repositoryVariableCount`` for the paper's convention.
    public var parameterCount: Int {
        architecture.weightCount(inputCoefficients: inputCoefficients, labelCount: labels.count)
    }

    /// Variables as the TC-ResNet repository counts them, the paper's "params" (65,920 ≈ 66K for
    /// TC-ResNet8): weights, 4 batch-norm vectors per channel, and the 2-way `fc2` head kws does not have.
    public var repositoryVariableCount: Int {
        architecture.repositoryVariableCount(inputCoefficients: inputCoefficients, labelCount: labels.count)
    }

    /// Multiply-accumulates per window, as TC_TABLES.md counts them (1,522,560 for TC-ResNet8).
    public var macsPerInference: Int {
        architecture.macs(inputFrames: inputFrames, inputCoefficients: inputCoefficients, labelCount: labels.count)
    }
}
