/// The backends a user can pick by name (`--engine NAME`).
public enum EngineKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Float32 reference backend (``FloatEngine``).
    case float
    /// int8 backend with exact s32 accumulation (``Int8Engine``); needs a quantized model (`kws quantize`).
    case int8
    /// int8 backend accumulating in saturating s16 lanes (``Int8Engine`` with ``Int8Accumulation/acc16``):
    /// the `vpmaddubsw` speed trade, measured, not exact.
    case int8Acc16 = "int8-acc16"
    /// int8 backend that skips zero weights and zero activations (``ZeroSkipEngine``), bit-identical to
    /// ``int8``; needs a quantized model.
    case zeroskip
    /// Outlier-aware 4-bit backend (``OutlierEngine``): dense 4-bit weights and activations plus sparse 8-bit
    /// weight and 16-bit activation outliers; needs an `ol4` model file (`kws quantize --scheme outlier`).
    case outlier
    /// Precision-highway backend (``HighwayEngine``): 2/4-bit packed weights and activations in the residual
    /// branches, 8-bit trunk, shortcuts and residual adds; needs a `-hw<k>` model file (`Training/qat.py`).
    case highway

    public var description: String { rawValue }

    /// The backend used when none is named: ``highway`` for a `-hw<k>` model file and ``outlier`` for an `ol4`
    /// one (the only integer parameters they hold), ``int8`` for a quantized model file (the fastest backend
    /// whose top-1 matches float on ≥ 99% of test clips, `Models/README.md`), ``float`` for a float-only file.
    public static func preferred(for model: TCResNetModel) -> EngineKind {
        model.highway != nil ? .highway : model.outlier != nil ? .outlier : model.quantized == nil ? .float : .int8
    }

    /// Builds this backend for `model` with the preferred kernels (``KernelISA/preferred``).
    /// - Throws: ``QuantizedModelError/notQuantized(model:engine:)`` when an int8 backend is asked to run a
    ///   model file without int8 parameters (it is never quantized on the fly: that needs calibration clips).
    public func makeEngine(for model: TCResNetModel) throws -> any Engine {
        switch self {
        case .float: return FloatEngine(model: model)
        case .int8: return try Int8Engine(model: model, accumulation: .exact)
        case .int8Acc16: return try Int8Engine(model: model, accumulation: .acc16)
        case .zeroskip: return try ZeroSkipEngine(model: model)
        case .outlier: return try OutlierEngine(model: model)
        case .highway: return try HighwayEngine(model: model)
        }
    }
}
