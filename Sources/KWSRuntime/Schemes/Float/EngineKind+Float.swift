extension EngineKind {
    /// Float32 reference backend (``FloatEngine``).
    public static let float = EngineKind(registering: "float")
}
