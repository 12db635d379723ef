/// The precision-highway network of a `-hw<k>` model file (`Training/qat.py`): `hw.` tensors under the
/// `highway` metadata key, run by ``HighwayEngine``.
public struct HighwayScheme: QuantizationScheme {
    public init() {}

    public var name: String { "highway" }
    public var metadataKey: String? { "highway" }
    public var engines: [EngineKind] { [.highway] }
    /// Highest: a `-hw<k>` file's only integer parameters are its own.
    public var preferenceRank: Int? { 3 }

    public func isCarried(by model: TCResNetModel) -> Bool { model.highway != nil }

    /// Also checks the metadata's bit widths, which fix the packed tensors' shapes.
    public func storedTensors(in context: SchemeLoadingContext) throws -> SchemeTensors? {
        guard let info = try HighwayQuantizationInfo.read(from: context.file) else { return nil }
        return SchemeTensors(specs: context.architecture.highwayTensorSpecs(
            inputCoefficients: context.inputCoefficients, labelCount: context.labelCount, weightBits: info.weightBits))
    }

    public func loadNetwork(in context: SchemeLoadingContext) throws -> any Sendable {
        guard let info = try HighwayQuantizationInfo.read(from: context.file) else {
            preconditionFailure("loadNetwork called for a file without highway metadata")
        }
        return try HighwayTCResNet(context, info: info)
    }

    /// The trainer writes these files (quantization-aware training); kws only reads them.
    public func appendTensors(of model: TCResNetModel, source: ModelFile, to writer: inout ModelFileWriter) throws {
        throw SchemeWritingError.notWritable(scheme: name, by: "Training/qat.py")
    }

    public func makeEngine(_ kind: EngineKind, for model: TCResNetModel) throws -> any Engine {
        try HighwayEngine(model: model)
    }

    public func infoLines(for model: TCResNetModel) -> [String] {
        model.highway.map { HighwayInfoLines.lines($0, parameterCount: model.parameterCount) } ?? []
    }
}
