import KWSAudio

/// Errors of the `KWS` API that are not the audio decoder's or the model loader's own.
public enum KWSError: Error, CustomStringConvertible, Equatable {
    /// A ``DetectorConfiguration`` value out of range.
    case invalidConfiguration(String)
    /// No shipped model has this name and no file has this path.
    case modelNotFound(name: String, searched: [String])
    /// Input audio at a rate kws cannot resample.
    case unsupportedSampleRate(Int)
    /// Audio with no samples (`source` names it: a file, `stdin` or `clip`): refused rather than
    /// classified, since an empty window scores as confident silence.
    case noAudio(String)
    /// The model's labels lack the `_silence_`/`_unknown_` classes or any keyword.
    case unusableLabels(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): return "invalid detector configuration: \(why)"
        case .modelNotFound(let name, let searched):
            return "no model named '\(name)' (looked in: \(searched.joined(separator: ", "))); run 'kws models' to list them"
        case .unsupportedSampleRate(let rate):
            return "unsupported sample rate \(rate) Hz (use \(InputAudio.minimumSampleRate)…\(InputAudio.maximumSampleRate) Hz)"
        case .noAudio(let source): return "\(source): no audio samples; nothing to classify"
        case .unusableLabels(let why): return "model labels unusable for detection: \(why)"
        }
    }
}
