/// The tensors a ``QuantizationScheme`` stores in a model file beside the float ones.
public struct SchemeTensors: Sendable {
    /// Every tensor name the scheme stores, variable-length ones included (any other name is unexpected).
    public let names: Set<String>
    /// The fixed-shape tensors, checked for presence, dtype and shape in this order before loading.
    public let specs: [QuantizedTensorSpec]

    /// Tensors whose shapes are all fixed: `specs` names them all.
    public init(specs: [QuantizedTensorSpec]) {
        self.init(names: Set(specs.map(\.name)), specs: specs)
    }

    /// `specs` checked, `names` (a superset) allowed.
    public init(names: Set<String>, specs: [QuantizedTensorSpec]) {
        self.names = names
        self.specs = specs
    }
}
