/// The int8 network of a quantized model file (`kws quantize`): `quant.` tensors under the `quantization`
/// metadata key, run by ``Int8Engine`` with exact or s16 accumulation.
public struct Int8Scheme: QuantizationScheme {
    public init() {}

    public var name: String { "int8" }
    public var metadataKey: String? { "quantization" }
    public var engines: [EngineKind] { [.int8, .int8Acc16] }
    /// Above float: a quantized file runs int8 by default.
    public var preferenceRank: Int? { 1 }

    public func isCarried(by model: TCResNetModel) -> Bool { model.quantized != nil }

    public func storedTensors(in context: SchemeLoadingContext) throws -> SchemeTensors? {
        guard context.stores(metadataKey) else { return nil }
        return SchemeTensors(specs: context.architecture.quantizedTensorSpecs(inputCoefficients: context.inputCoefficients,
                                                                              labelCount: context.labelCount))
    }

    public func loadNetwork(in context: SchemeLoadingContext) throws -> any Sendable {
        try QuantizedTCResNet(context)
    }

    public func appendTensors(of model: TCResNetModel, source: ModelFile, to writer: inout ModelFileWriter) throws {
        guard let network = model.quantized else { throw SchemeWritingError.notCarried(scheme: name, model: model.name) }
        writer.appendQuantized(network, architecture: model.architecture)
    }

    public func makeEngine(_ kind: EngineKind, for model: TCResNetModel) throws -> any Engine {
        try Int8Engine(model: model, accumulation: kind == .int8Acc16 ? .acc16 : .exact)
    }
}
