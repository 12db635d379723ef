extension EngineKind {
    /// int8 backend with exact s32 accumulation (``Int8Engine``); needs a quantized model (`kws quantize`).
    public static let int8 = EngineKind(registering: "int8")
    /// int8 backend accumulating in saturating s16 lanes (``Int8Engine`` with ``Int8Accumulation/acc16``):
    /// the `vpmaddubsw` speed trade, measured, not exact.
    public static let int8Acc16 = EngineKind(registering: "int8-acc16")
}
