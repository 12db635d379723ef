extension EngineKind {
    /// Outlier-aware 4-bit backend (``OutlierEngine``): dense 4-bit weights and activations plus sparse 8-bit
    /// weight and 16-bit activation outliers; needs an `ol4` model file (`kws quantize --scheme outlier`).
    public static let outlier = EngineKind(registering: "outlier")
}
