/// Why a raw PCM decoder cannot be set up.
public enum PCMError: Error, CustomStringConvertible, Equatable {
    /// The channel count is below 1 or above ``WAVFormat/maximumChannels``.
    case invalidChannelCount(Int)

    /// One line saying what was wrong and what is accepted.
    public var description: String {
        switch self {
        case let .invalidChannelCount(channels):
            return "raw PCM: channel count \(channels) is invalid; use 1 to \(WAVFormat.maximumChannels)"
        }
    }
}
