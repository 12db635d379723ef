/// Why a `Resampler` cannot be made.
public enum ResamplerError: Error, CustomStringConvertible, Equatable {
    /// A sample rate outside `Resampler.supportedRates`; `parameter` names the argument.
    case rateOutOfRange(parameter: String, value: Int)

    /// What went wrong and with which value, for logs and CLI messages.
    public var description: String {
        switch self {
        case .rateOutOfRange(let parameter, let value):
            return "resampler: \(parameter) \(value) Hz is outside the supported range "
                + "\(Resampler.supportedRates.lowerBound)…\(Resampler.supportedRates.upperBound) Hz"
        }
    }
}
