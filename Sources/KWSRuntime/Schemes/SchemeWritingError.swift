import FoundationEssentials

/// Why a scheme's tensors cannot be written by kws.
public enum SchemeWritingError: Error, Equatable, LocalizedError {
    /// `scheme`'s files are made elsewhere (`by`), not by kws.
    case notWritable(scheme: String, by: String)
    /// `model` carries no `scheme` network to write.
    case notCarried(scheme: String, model: String)

    public var errorDescription: String? {
        switch self {
        case let .notWritable(scheme, by): return "kws does not write \(scheme) model files; \(by) does"
        case let .notCarried(scheme, model): return "\(model) holds no \(scheme) network to write"
        }
    }
}
