extension EngineKind {
    /// int8 backend that skips zero weights and zero activations (``ZeroSkipEngine``), bit-identical to
    /// ``int8``; needs a quantized model.
    public static let zeroskip = EngineKind(registering: "zeroskip")
}
