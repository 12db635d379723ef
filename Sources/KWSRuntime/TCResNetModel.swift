import KWSAudio

/// A validated TC-ResNet model with batch norm folded into its convolutions. Immutable and shareable.
public struct TCResNetModel: Sendable {
    public let name: String
    public let labels: [String]
    public let frontEnd: FrontEndConfig
    public let metadata: [String: String]
}
