/// Raw PCM sample formats accepted on a stream (names as in `ffmpeg -f` and `sox -t`).
public enum PCMFormat: String, CaseIterable, Sendable {
    /// 16-bit signed little-endian.
    case s16le
    /// 32-bit signed little-endian.
    case s32le
    /// 32-bit IEEE float little-endian.
    case f32le

    /// How each sample is stored.
    public var encoding: SampleEncoding {
        switch self {
        case .s16le: return .signedInt16
        case .s32le: return .signedInt32
        case .f32le: return .float32
        }
    }
}
