import CKWSHeader
import KWSAudio

/// The `kws_input_warning` bit of each ``InputWarning/Kind``: one table, so kws.h and the Swift kinds stay
/// in step (``CAPIInputHealthTests`` checks every kind has a distinct bit).
enum InputWarningFlag {
    static func bit(_ kind: InputWarning.Kind) -> UInt32 {
        switch kind {
        case .rateTooLow: return KWS_INPUT_RATE_TOO_LOW.rawValue
        case .rateTooHigh: return KWS_INPUT_RATE_TOO_HIGH.rawValue
        case .interleavedChannels: return KWS_INPUT_INTERLEAVED_CHANNELS.rawValue
        case .floatAsInteger: return KWS_INPUT_FLOAT_AS_INTEGER.rawValue
        case .integerAsFloat: return KWS_INPUT_INTEGER_AS_FLOAT.rawValue
        case .digitalSilence: return KWS_INPUT_DIGITAL_SILENCE.rawValue
        case .clipping: return KWS_INPUT_CLIPPING.rawValue
        case .dcOffset: return KWS_INPUT_DC_OFFSET.rawValue
        }
    }

    /// The kind whose bit is `value`, or nil for 0, several bits or an unknown bit.
    static func kind(_ value: UInt32) -> InputWarning.Kind? {
        InputWarning.Kind.allCases.first { bit($0) == value }
    }

    /// The bitwise OR of the kinds of `warnings`.
    static func mask(_ warnings: [InputWarning]) -> UInt32 {
        warnings.reduce(0) { $0 | bit($1.kind) }
    }
}
