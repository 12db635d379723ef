/// Which MFCC recipe a model was trained with (SPEC.md §1.2 and §2.3).
public enum FrontEndVariant: String, Codable, Sendable, CaseIterable {
    /// The TC-ResNet training path (`tf.signal`): mel weights on power, `ln(x + logOffset)`.
    case tfSignal = "tf-signal"
    /// TensorFlow `audio_ops.mfcc`: mel weights on magnitude, lowest in-band bin dropped, `ln(max(x, 1e-12))`.
    case audioOps = "audio-ops"
}

/// Every number the MFCC front end depends on. Stored in each model file so an engine never
/// runs a model on features it was not trained with.
public struct FrontEndConfig: Codable, Equatable, Sendable {
    public var variant: FrontEndVariant
    public var sampleRate: Int
    public var windowLength: Int
    public var hopLength: Int
    public var fftLength: Int
    public var melBins: Int
    public var lowerHz: Double
    public var upperHz: Double
    public var logOffset: Double
    public var coefficients: Int
    /// Samples in the window the network classifies (key `clip_samples`): one second unless the model was
    /// trained on longer phrases (a custom keyword model with a 1.5 s window); absent in the file means one second.
    public var clipSamples: Int

    public init(variant: FrontEndVariant = .tfSignal, sampleRate: Int = 16000, windowLength: Int = 480,
                hopLength: Int = 160, fftLength: Int = 512, melBins: Int = 64, lowerHz: Double = 80,
                upperHz: Double = 7600, logOffset: Double = 1e-6, coefficients: Int = 40, clipSamples: Int? = nil) {
        self.variant = variant
        self.sampleRate = sampleRate
        self.windowLength = windowLength
        self.hopLength = hopLength
        self.fftLength = fftLength
        self.melBins = melBins
        self.lowerHz = lowerHz
        self.upperHz = upperHz
        self.logOffset = logOffset
        self.coefficients = coefficients
        self.clipSamples = clipSamples ?? sampleRate
    }

    /// The TC-ResNet training front end (SPEC.md §0.2): the default for every shipped model.
    public static let tcResNet = FrontEndConfig()
    /// The `audio_ops.mfcc` variant with the same window, hop and mel range.
    public static let audioOps = FrontEndConfig(variant: .audioOps, logOffset: 0)

    enum CodingKeys: String, CodingKey {
        case variant
        case sampleRate = "sample_rate"
        case windowLength = "window_length"
        case hopLength = "hop_length"
        case fftLength = "fft_length"
        case melBins = "mel_bins"
        case lowerHz = "lower_hz"
        case upperHz = "upper_hz"
        case logOffset = "log_offset"
        case coefficients
        case clipSamples = "clip_samples"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(variant: try c.decode(FrontEndVariant.self, forKey: .variant), sampleRate: try c.decode(Int.self, forKey: .sampleRate),
                  windowLength: try c.decode(Int.self, forKey: .windowLength), hopLength: try c.decode(Int.self, forKey: .hopLength),
                  fftLength: try c.decode(Int.self, forKey: .fftLength), melBins: try c.decode(Int.self, forKey: .melBins),
                  lowerHz: try c.decode(Double.self, forKey: .lowerHz), upperHz: try c.decode(Double.self, forKey: .upperHz),
                  logOffset: try c.decode(Double.self, forKey: .logOffset), coefficients: try c.decode(Int.self, forKey: .coefficients),
                  clipSamples: try c.decodeIfPresent(Int.self, forKey: .clipSamples))
    }

    /// Writes `clip_samples` only when it is not one second, so a one-second model's file is the same as before
    /// the key existed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(variant, forKey: .variant)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(windowLength, forKey: .windowLength)
        try c.encode(hopLength, forKey: .hopLength)
        try c.encode(fftLength, forKey: .fftLength)
        try c.encode(melBins, forKey: .melBins)
        try c.encode(lowerHz, forKey: .lowerHz)
        try c.encode(upperHz, forKey: .upperHz)
        try c.encode(logOffset, forKey: .logOffset)
        try c.encode(coefficients, forKey: .coefficients)
        if clipSamples != sampleRate { try c.encode(clipSamples, forKey: .clipSamples) }
    }

    /// Feature frames in the window the network classifies (98 for one second with the default hop).
    public var clipFrames: Int { frameCount(samples: clipSamples) }

    /// Feature frames in `samples` samples of audio (no padding; a trailing partial window is dropped).
    public func frameCount(samples: Int) -> Int {
        samples < windowLength ? 0 : 1 + (samples - windowLength) / hopLength
    }
}
