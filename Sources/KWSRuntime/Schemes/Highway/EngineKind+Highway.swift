extension EngineKind {
    /// Precision-highway backend (``HighwayEngine``): 2/4-bit packed weights and activations in the residual
    /// branches, 8-bit trunk, shortcuts and residual adds; needs a `-hw<k>` model file (`Training/qat.py`).
    public static let highway = EngineKind(registering: "highway")
}
