/// One tensor's header entry in a safetensors file, already checked against the data section.
public struct TensorInfo: Sendable, Equatable {
    /// The tensor's name, e.g. `blocks.0.conv1.weight`.
    public let name: String
    /// Element type.
    public let dtype: TensorDType
    /// Dimensions, outermost first (PyTorch order).
    public let shape: [Int]
    /// Where the tensor's bytes are, relative to the start of the data section.
    public let dataOffsets: Range<Int>

    /// Product of the dimensions (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}
