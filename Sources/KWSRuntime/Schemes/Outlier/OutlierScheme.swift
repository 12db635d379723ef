/// The outlier-aware 4-bit network of an `ol4` model file (`kws quantize --scheme outlier`): `ol4.` tensors
/// under the `outlier_quantization` metadata key, run by ``OutlierEngine``.
public struct OutlierScheme: QuantizationScheme {
    public init() {}

    public var name: String { "outlier" }
    public var metadataKey: String? { Architecture.outlierMetadataKey }
    public var engines: [EngineKind] { [.outlier] }
    /// Above int8: an `ol4` file's only integer parameters are its own.
    public var preferenceRank: Int? { 2 }

    public func isCarried(by model: TCResNetModel) -> Bool { model.outlier != nil }

    public func storedTensors(in context: SchemeLoadingContext) throws -> SchemeTensors? {
        guard context.stores(metadataKey) else { return nil }
        let (architecture, coefficients, labels) = (context.architecture, context.inputCoefficients, context.labelCount)
        return SchemeTensors(names: architecture.outlierTensorNames(inputCoefficients: coefficients, labelCount: labels),
                             specs: architecture.outlierTensorSpecs(inputCoefficients: coefficients, labelCount: labels))
    }

    public func loadNetwork(in context: SchemeLoadingContext) throws -> any Sendable {
        try OutlierTCResNet(context)
    }

    public func appendTensors(of model: TCResNetModel, source: ModelFile, to writer: inout ModelFileWriter) throws {
        guard let network = model.outlier else { throw SchemeWritingError.notCarried(scheme: name, model: model.name) }
        writer.appendOutlier(network, architecture: model.architecture)
    }

    public func makeEngine(_ kind: EngineKind, for model: TCResNetModel) throws -> any Engine {
        try OutlierEngine(model: model)
    }

    public func infoLines(for model: TCResNetModel) -> [String] {
        model.outlier.map(OutlierInfoLines.lines) ?? []
    }
}
