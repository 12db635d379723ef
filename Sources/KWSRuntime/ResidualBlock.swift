/// One TC-ResNet block: `ReLU(conv2(ReLU(conv1(x))) + shortcut(x))`, with `shortcut(x) = ReLU(conv(x))`
/// (1×1, stride 2) when the width changes and `x` otherwise (SPEC.md §1.3; the ReLU on the projection is
/// the repository's, from its shared arg_scope).
public struct ResidualBlock: Sendable {
    /// 9-tap convolution, stride 2 when the block has a projection, followed by ReLU.
    public let conv1: TemporalConv
    /// 9-tap stride-1 convolution; its output is added to the shortcut before the final ReLU.
    public let conv2: TemporalConv
    /// The projection (followed by ReLU), or nil for an identity shortcut.
    public let shortcut: TemporalConv?
}
