/// The backends a user can pick by name (`--engine NAME`).
public enum EngineKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Float32 reference backend (``FloatEngine``).
    case float

    public var description: String { rawValue }

    /// Builds this backend for `model` with the preferred kernels (``KernelISA/preferred``).
    public func makeEngine(for model: TCResNetModel) throws -> any Engine {
        switch self {
        case .float: return FloatEngine(model: model)
        }
    }
}
