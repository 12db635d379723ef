/// Float32 reference backend.
public final class FloatEngine: Engine {
    public let model: TCResNetModel
    public var kind: EngineKind { .float }
    public init(model: TCResNetModel) { self.model = model }
    public func computeLogits(_ features: [Float], into logits: inout [Float]) { fatalError("not yet") }
}
