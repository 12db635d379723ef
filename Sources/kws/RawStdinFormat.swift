import KWSAudio

/// How `kws stream` reads stdin without a WAV header: the sample format, rate and channel count, and whether
/// the user chose them or they are the defaults (then they are an assumption worth announcing).
struct RawStdinFormat {
    let format: PCMFormat
    let rate: Int
    let channels: Int
    /// True when none of --format, --rate and --channels was given.
    let isAssumed: Bool

    /// "s16le mono 16000 Hz", "f32le 2 channels 48000 Hz".
    var summary: String {
        "\(format.rawValue) \(channels == 1 ? "mono" : "\(channels) channels") \(rate) Hz"
    }
}
