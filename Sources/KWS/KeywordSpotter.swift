import FoundationEssentials
import KWSAudio
import KWSRuntime

/// Hears keywords in audio fed in chunks of any size.
///
/// ```swift
/// let spotter = try KeywordSpotter(model: ModelCatalog.load("tc-resnet8"), inputSampleRate: 48000)
/// for chunk in microphoneChunks {
///     for detection in try spotter.feed(chunk) { print(detection.label, detection.start) }
/// }
/// for detection in spotter.finish() { print(detection.label, detection.start) }
/// ```
///
/// Audio is resampled to 16 kHz, turned into one MFCC vector per 10 ms (never recomputed for
/// overlapping windows), and every `hopMilliseconds` the last window (1 s, or the model's
/// ``TCResNetModel/windowSamples``) is classified by the engine.
/// A spotter is not thread-safe; use one per stream (models are shareable).
public final class KeywordSpotter {
    /// The rate the models run at; detection sample indices count samples at this rate.
    public static let sampleRate = 16000
    /// The longest audio `kws detect` (and `KWS_CLIP_MAX_SECONDS` in the C API) classifies as one clip, in
    /// samples at ``sampleRate`` (1.5 s); longer audio goes through the streaming detector.
    public static let longestClip = 24_000

    /// The model's labels, in posterior order.
    public var labels: [String] { model.labels }
    /// The model in use.
    public let model: TCResNetModel
    /// The engine running it.
    public let engine: any Engine
    /// The detection settings.
    public let configuration: DetectorConfiguration
    /// The threshold each keyword fires at, as the configuration and the model's operating points chose it
    /// (``DetectorConfiguration/keywordThresholds(for:)``).
    public let thresholds: [String: Float]
    /// The sample rate of audio passed to ``feed(_:)``.
    public let inputSampleRate: Int
    /// What ``InputHealth`` has heard wrong in the current stream so far (a rate, channel count or sample
    /// format that does not fit the audio, digital silence, clipping, DC offset), oldest first, at most one
    /// per kind; ``reset()`` empties it, ``finish()`` keeps it.
    public var inputWarnings: [InputWarning] { health.warnings }

    private var resampler: Resampler?
    private let health: InputHealth
    private let features: FeatureExtractor
    private var window: FeatureWindow
    private var detector: Detector
    private let hopFrames: Int
    private var windowBuffer: [Float] = []
    private var logits: [Float]
    private var posteriors: [Float]
    private var samplesAt16k = 0
    /// Samples fed since the stream began (at ``inputSampleRate``, one per frame for interleaved input): every
    /// one the spotter has worked through, the count a caller can check against what it sent.
    public private(set) var samplesFed = 0

    /// When true, every evaluated window's posteriors are kept in ``posteriorTrack`` (for replaying the
    /// detector at other thresholds). Set it before feeding a stream.
    public var recordsPosteriors = false
    /// The current stream's window posteriors while ``recordsPosteriors`` is on; ``reset()`` empties it.
    public private(set) var posteriorTrack: PosteriorTrack

    /// Creates a spotter.
    /// - Parameters:
    ///   - model: a loaded model (see ``ModelCatalog``).
    ///   - engine: the backend that runs it; nil picks ``EngineKind/preferred(for:)``, the backend of the
    ///     file's scheme (int8 for an `-int8` file, outlier, highway, or float for a float-only file).
    ///   - configuration: hop, smoothing, thresholds or false-alarm budget, and refractory period.
    ///   - inputSampleRate: the rate of the mono audio you will feed; resampled to 16 kHz inside.
    ///   - inputRateFromHeader: true when that rate comes from the audio's own file header rather than from
    ///     you (``InputHealth/init(inputSampleRate:rateFromHeader:)``: one check fewer, the one a high voice
    ///     can trip).
    /// - Throws: ``KWSError/invalidConfiguration(_:)`` for a setting out of range or a false-alarm budget the
    ///   model's operating points do not describe; ``KWSError/unsupportedSampleRate(_:)``.
    public init(model: TCResNetModel, engine: EngineKind? = nil,
                configuration: DetectorConfiguration = DetectorConfiguration(), inputSampleRate: Int = 16000,
                inputRateFromHeader: Bool = false) throws {
        guard InputAudio.supportedSampleRates.contains(inputSampleRate) else { throw KWSError.unsupportedSampleRate(inputSampleRate) }
        self.model = model
        self.engine = try (engine ?? .preferred(for: model)).makeEngine(for: model)
        self.configuration = configuration
        let detector = try Detector(labels: model.labels, configuration: configuration, operatingPoints: model.operatingPoints,
                                    sampleRate: Self.sampleRate, windowSamples: model.windowSamples)
        self.detector = detector
        thresholds = detector.keywordThresholds
        self.inputSampleRate = inputSampleRate
        resampler = try Self.makeResampler(inputSampleRate)
        health = try InputHealth(inputSampleRate: inputSampleRate, rateFromHeader: inputRateFromHeader)
        features = try FeatureExtractor(config: model.frontEnd)
        window = FeatureWindow(frames: model.inputFrames, coefficients: model.inputCoefficients)
        // The detector validated the configuration above.
        hopFrames = max(1, configuration.hopSamples(sampleRate: model.frontEnd.sampleRate) / model.frontEnd.hopLength)
        posteriorTrack = PosteriorTrack(labels: model.labels, hopMilliseconds: configuration.hopMilliseconds,
                                        windowSamples: model.windowSamples)
        logits = [Float](repeating: 0, count: model.labels.count)
        posteriors = logits
    }

    /// Feeds mono samples at ``inputSampleRate`` and returns the detections decided so far, oldest first.
    ///
    /// NaN and infinite samples count as silence (``InputAudio/heard(_:)``). Every sample is also checked by
    /// ``InputHealth``; what it finds is in ``inputWarnings``. A large chunk is worked
    /// through ``InputAudio/samplesPerStep`` samples at a time, so the memory a call needs beyond the
    /// caller's own array is bounded; the result is the same for any chunking.
    public func feed(_ samples: [Float]) -> [Detection] {
        samplesFed += samples.count
        var detections = [Detection]()
        var start = samples.startIndex
        while start < samples.endIndex {
            let end = min(samples.endIndex, start + InputAudio.samplesPerStep)
            health.observe(input: samples[start..<end])
            var step = Array(samples[start..<end])
            InputAudio.silenceNonFinite(&step)
            let resampled = resampler?.process(step) ?? step
            health.observe(resampled: resampled[...])
            detections += process16k(resampled)
            start = end
        }
        return detections
    }

    /// Ends the stream: flushes the resampler, lets the last word reach the middle of a window by appending
    /// half a window of silence, and decides any open candidate. Call ``reset()`` to start a new stream.
    public func finish() -> [Detection] {
        var detections = resampler.map { process16k($0.flush()) } ?? []
        let realEnd = samplesAt16k
        if recordsPosteriors { posteriorTrack.audioSamples = realEnd }
        detections += process16k([Float](repeating: 0, count: model.windowSamples / 2))
        if let last = detector.finish() { detections.append(last) }
        return detections.map { $0.fitted(toStreamEnd: realEnd) }
    }

    /// Decides now the keyword that has reached its threshold and is waiting for its score to fall (or for
    /// more audio), without ending the stream: for a live stream that pauses, so the word is reported
    /// without waiting for audio that may be long in coming. A word whose windows have not yet reached the
    /// threshold is not guessed at; it is decided by later audio or ``finish()``.
    public func decidePending() -> [Detection] {
        detector.finish().map { [$0] } ?? []
    }

    /// Forgets all audio and the input warnings; the next sample fed is time zero.
    public func reset() {
        resampler = try? Self.makeResampler(inputSampleRate)
        health.reset()
        features.reset()
        window.reset()
        detector.reset()
        samplesAt16k = 0
        samplesFed = 0
        posteriorTrack = PosteriorTrack(labels: model.labels, hopMilliseconds: configuration.hopMilliseconds,
                                        windowSamples: model.windowSamples)
    }

    /// Classifies one clip as a single window of the model's length (``ClipWindow``, one second for the shipped
    /// models): shorter clips are padded with silence at the end, longer ones are cut to their central window. NaN and infinite samples count as silence.
    /// - Throws: ``KWSError/noAudio(_:)`` for an empty clip (there is nothing to classify: an empty
    ///   window would score as confident silence); ``KWSError/unsupportedSampleRate(_:)``.
    public func classify(clip samples: [Float], sampleRate: Int) throws -> Classification {
        guard !samples.isEmpty else { throw KWSError.noAudio("clip") }
        guard InputAudio.supportedSampleRates.contains(sampleRate) else { throw KWSError.unsupportedSampleRate(sampleRate) }
        var clip = samples
        InputAudio.silenceNonFinite(&clip)
        let audio = sampleRate == Self.sampleRate ? clip : try Resampler.resample(clip, from: sampleRate, to: Self.sampleRate)
        let matrix = try FeatureExtractor.features(of: ClipWindow.centralWindow(of: audio, length: model.windowSamples), config: model.frontEnd)
        engine.computeLogits(matrix.values, into: &logits)
        return Classification(labels: model.labels, posteriors: Softmax.apply(logits))
    }

    private static func makeResampler(_ rate: Int) throws -> Resampler? {
        rate == sampleRate ? nil : try Resampler(inputRate: rate, outputRate: sampleRate)
    }

    private func process16k(_ samples: [Float]) -> [Detection] {
        var detections = [Detection]()
        samplesAt16k += samples.count
        features.append(samples) { index, vector in
            window.append(vector)
            let firstFrame = index + 1 - window.frames
            guard firstFrame >= 0, firstFrame % hopFrames == 0 else { return }
            window.copy(into: &windowBuffer)
            engine.computeLogits(windowBuffer, into: &logits)
            Softmax.apply(logits, into: &posteriors)
            let start = firstFrame * model.frontEnd.hopLength
            if recordsPosteriors { posteriorTrack.append(windowStart: start, posteriors: posteriors) }
            if let detection = detector.observe(posteriors: posteriors, windowStart: start) {
                detections.append(detection)
            }
        }
        return detections
    }
}
