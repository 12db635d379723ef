/// The geometry of one temporal convolution on a `[length][channels]` activation.
///
/// Padding is the `symmetric` convention of Models/FORMAT.md: `kernelSize / 2` zeros on both sides
/// (PyTorch `Conv1d(padding=k//2)`), so output `i` of a stride-2 layer is centred on input `2i`.
public struct TemporalConvShape: Sendable, Equatable {
    /// Input time steps.
    public let inputLength: Int
    /// Input channels.
    public let inputChannels: Int
    /// Output channels.
    public let outputChannels: Int
    /// Taps along time.
    public let kernelSize: Int
    /// Step between output positions, in input steps.
    public let stride: Int

    /// Creates a shape; all values must be positive.
    public init(inputLength: Int, inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int) {
        precondition(inputLength > 0 && inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && stride > 0,
                     "TemporalConvShape needs positive sizes")
        self.inputLength = inputLength
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
    }

    /// Zeros added before the first and after the last input step.
    public var padding: Int { kernelSize / 2 }

    /// `⌊(T + 2·pad − k) / s⌋ + 1`: 98 → 49 → 25 → 13 for stride 2 with k = 9 or k = 1.
    public var outputLength: Int { (inputLength + 2 * padding - kernelSize) / stride + 1 }

    /// Weights (no bias): `kernelSize · inputChannels · outputChannels`.
    public var weightCount: Int { kernelSize * inputChannels * outputChannels }

    /// Multiply-accumulates per inference.
    public var macs: Int { outputLength * weightCount }
}
