/// Zero-skipping execution of the int8 network (``ZeroSkipEngine``): it stores nothing of its own (a
/// quantized file's `quant.` tensors are its input) and is never a file's default, being bit-identical to
/// ``Int8Scheme`` and faster only on sparse models.
public struct ZeroSkipScheme: QuantizationScheme {
    public init() {}

    public var name: String { "zeroskip" }
    public var engines: [EngineKind] { [.zeroskip] }

    public func isCarried(by model: TCResNetModel) -> Bool { model.quantized != nil }

    public func makeEngine(_ kind: EngineKind, for model: TCResNetModel) throws -> any Engine {
        try ZeroSkipEngine(model: model)
    }
}
