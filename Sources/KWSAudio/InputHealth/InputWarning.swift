/// A problem with input audio that ``InputHealth`` heard: audio that decodes, but very probably not as what
/// its sender meant (a wrong rate, channel count or sample format), or a source that is muted, clipping or
/// offset.
///
/// Each kind is reported at most once per stream, with the numbers it was decided on in ``message``.
public struct InputWarning: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: String, CaseIterable, Sendable {
        /// Speech-level energy with almost nothing above 3 kHz: audio at a higher rate than declared (48 kHz
        /// read as 16 kHz is heard three times slower, its 8 kHz band squeezed below 2.7 kHz).
        case rateTooLow = "rate_too_low"
        /// Voices pitched and formants placed about twice as high as speech has them: audio at half the
        /// declared rate (8 kHz read as 16 kHz is heard twice as fast and an octave up).
        case rateTooHigh = "rate_too_high"
        /// Odd and even samples behave like two different signals: interleaved channels read as one.
        case interleavedChannels = "interleaved_channels"
        /// The sample values have the bit patterns of IEEE floats read as integers.
        case floatAsInteger = "float_as_integer"
        /// The sample values have the bit patterns of integers read as IEEE floats.
        case integerAsFloat = "integer_as_float"
        /// Every sample has been exactly 0 for seconds: a muted or disconnected source.
        case digitalSilence = "digital_silence"
        /// A share of the samples sit at full scale.
        case clipping
        /// The signal's mean is far from 0.
        case dcOffset = "dc_offset"

        /// Whether this finding, once reported, accounts for `other`: samples of a misread format make every
        /// other check but digital silence meaningless, and interleaved channels read as one make the level
        /// and spectrum checks describe the misread stream, not the audio.
        func explains(_ other: Kind) -> Bool {
            switch self {
            case .floatAsInteger, .integerAsFloat:
                return other != .digitalSilence && other != .floatAsInteger && other != .integerAsFloat
            case .interleavedChannels:
                return other == .rateTooLow || other == .rateTooHigh || other == .clipping || other == .dcOffset
            default:
                return false
            }
        }
    }

    /// What is wrong.
    public let kind: Kind
    /// One line for a person: what was heard, with its numbers (no leading "warning:" and no hint at
    /// command-line flags; callers add their own).
    public let message: String
    /// Seconds of input audio heard when the warning was decided.
    public let seconds: Double

    /// Makes a warning.
    public init(kind: Kind, message: String, seconds: Double) {
        self.kind = kind
        self.message = message
        self.seconds = seconds
    }

    /// The ``message``.
    public var description: String { message }
}
