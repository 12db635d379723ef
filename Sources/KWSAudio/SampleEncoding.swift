/// How one sample of one channel is stored: little-endian, interleaved with the other channels.
///
/// The WAV decoder, the raw-PCM decoder and the WAV stream decoder all turn bytes of one of these
/// encodings into Float through ``SampleEncoding/monoSamples(fromInterleaved:channels:)``.
public enum SampleEncoding: Equatable, Sendable {
    /// 8-bit unsigned, silence at 128 (the only unsigned WAV encoding).
    case unsignedInt8
    /// 16-bit signed two's complement.
    case signedInt16
    /// 24-bit signed two's complement packed in three bytes.
    case signedInt24
    /// 32-bit signed two's complement.
    case signedInt32
    /// IEEE 754 binary32.
    case float32
    /// IEEE 754 binary64 (narrowed to Float when decoded).
    case float64

    /// Bytes one sample of one channel occupies.
    public var bytesPerSample: Int {
        switch self {
        case .unsignedInt8: return 1
        case .signedInt16: return 2
        case .signedInt24: return 3
        case .signedInt32, .float32: return 4
        case .float64: return 8
        }
    }

}
