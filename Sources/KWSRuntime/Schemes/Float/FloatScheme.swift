/// The float32 network every model file holds (Models/FORMAT.md): the base the other schemes are made from,
/// loaded by ``TCResNetModel/init(file:)`` itself, so it has no metadata key or tensors of its own.
public struct FloatScheme: QuantizationScheme {
    public init() {}

    public var name: String { "float" }
    public var engines: [EngineKind] { [.float] }
    /// Lowest: the default only for a file without integer parameters.
    public var preferenceRank: Int? { 0 }

    public func isCarried(by model: TCResNetModel) -> Bool { true }

    /// Copies `source`'s float tensors as they are (unfolded batch norms: the model only holds folded ones).
    public func appendTensors(of model: TCResNetModel, source: ModelFile, to writer: inout ModelFileWriter) throws {
        for spec in model.architecture.tensorSpecs(inputCoefficients: model.inputCoefficients, labelCount: model.labels.count) {
            let info = try source.tensor(spec.name)
            writer.append(spec.name, dtype: info.dtype, shape: info.shape, bytes: Array(try source.rawBytes(spec.name)))
        }
    }

    public func makeEngine(_ kind: EngineKind, for model: TCResNetModel) throws -> any Engine {
        FloatEngine(model: model)
    }
}
