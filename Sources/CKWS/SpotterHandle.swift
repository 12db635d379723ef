import CKWSHeader
import Glibc
import KWS
import KWSAudio
import KWSRuntime
import Synchronization

/// What a `kws_spotter *` points to: a model, its settings, and the state of the current stream.
///
/// A `KeywordSpotter` is bound to one input rate, so the handle rebuilds it when a new stream starts at
/// another rate (a stream's rate is fixed by its first non-empty feed). Detections go to the callback,
/// if one is set, or to a bounded queue for `kws_next_detection`.
///
/// Every call that touches the stream state runs ``exclusive(_:_:)``: a second thread that calls in while
/// one is inside gets `KWS_ERROR_BUSY` instead of racing on the spotter's buffers.
final class SpotterHandle {
    let labels: LabelTable
    /// The threshold each keyword fires at (the same for every stream: the rate does not change it), kept
    /// here, behind its own lock, so reading it never touches a spotter another thread may be replacing.
    var thresholds: [String: Float] { chosenThresholds.withLock { $0 } }
    private let chosenThresholds: Mutex<[String: Float]>
    /// The `pthread_t` of the thread inside a call on this handle, or 0 when none is.
    private let owner = Atomic<UInt>(0)
    private let model: TCResNetModel
    private let engine: EngineKind?
    /// The detector settings: the options', then whatever kws_spotter_set_threshold and
    /// kws_spotter_set_false_alarms_per_hour changed.
    private var configuration: DetectorConfiguration
    private var spotter: KeywordSpotter
    /// The frames of the stream kws_finish ended, until the next stream's first feed (kws_stream_samples).
    private var endedStreamSamples: Int?
    /// The input warnings of the current stream, or of the one kws_finish ended until the next starts.
    private let inputWarnings = InputWarningMessages()
    /// The rate of the stream in progress; nil before its first sample.
    private var streamRate: Int?
    private var pending: [kws_detection] = []
    private var callback: kws_detection_callback?
    private var callbackUserData: UnsafeMutableRawPointer?
    /// True while the callback runs, when only label look-ups may touch this handle.
    private var isDelivering = false
    /// Mono samples of the current call, kept to reuse their storage.
    private var mono: [Float] = []
    /// Stable storage for `kws_classification.posteriors`.
    private let posteriors: UnsafeMutableBufferPointer<Float>

    init(model: TCResNetModel, options: SpotterOptions) throws {
        self.model = model
        engine = options.engine
        configuration = options.configuration
        labels = try LabelTable(model.labels)
        spotter = try KeywordSpotter(model: model, engine: options.engine, configuration: options.configuration)
        chosenThresholds = Mutex(spotter.thresholds)
        posteriors = .allocate(capacity: max(1, model.labels.count))
        posteriors.initialize(repeating: 0)
    }

    deinit { posteriors.deallocate() }

    /// Runs `body` as the only thread inside this handle; another thread's call meanwhile fails with
    /// `KWS_ERROR_BUSY`. The same thread may re-enter (from its detection callback), where the body's own
    /// check answers `KWS_ERROR_STATE`.
    private func exclusive<T>(_ function: String, _ body: () throws -> T) throws -> T {
        let me = UInt(bitPattern: Int(bitPattern: pthread_self()))
        let (claimed, holder) = owner.compareExchange(expected: 0, desired: me, ordering: .acquiringAndReleasing)
        guard claimed else {
            guard holder == me else { throw CAPIError.busy(function) }
            return try body()
        }
        defer { owner.store(0, ordering: .releasing) }
        return try body()
    }

    // MARK: Streaming

    func setCallback(_ callback: kws_detection_callback?, userData: UnsafeMutableRawPointer?) throws {
        try exclusive("kws_set_detection_callback") {
            try checkNotDelivering("kws_set_detection_callback")
            self.callback = callback
            callbackUserData = callback == nil ? nil : userData
        }
    }

    func feed(sampleRate: Int, fill: (inout [Float]) -> Void) throws {
        try exclusive("kws_feed") { try feedExclusively(sampleRate: sampleRate, fill: fill) }
    }

    private func feedExclusively(sampleRate: Int, fill: (inout [Float]) -> Void) throws {
        try checkNotDelivering("kws_feed")
        if let streamRate, streamRate != sampleRate {
            throw CAPIError.state("sample rate changed from \(streamRate) Hz to \(sampleRate) Hz in the middle of a stream; "
                + "call kws_finish or kws_reset before feeding audio at another rate")
        }
        if streamRate == nil {
            inputWarnings.clear()
            endedStreamSamples = nil
            if spotter.inputSampleRate != sampleRate {
                spotter = try KeywordSpotter(model: model, engine: engine, configuration: configuration, inputSampleRate: sampleRate)
            }
        }
        streamRate = sampleRate
        fill(&mono)
        let detections = spotter.feed(mono)
        inputWarnings.update(spotter.inputWarnings)
        deliver(detections)
    }

    // MARK: Thresholds

    /// Sets one keyword's threshold (`label` nil: every keyword's), between streams.
    func setThreshold(_ threshold: Float, for label: String?) throws {
        try reconfigure("kws_spotter_set_threshold") { configuration in
            guard threshold.isFinite, threshold > 0, threshold <= 1 else {
                throw CAPIError.invalidArgument("kws_spotter_set_threshold: threshold \(threshold): use a value in (0, 1]")
            }
            let keywords = labels.names.filter { !$0.hasPrefix("_") }
            if let label {
                guard keywords.contains(label) else {
                    throw CAPIError.invalidArgument("kws_spotter_set_threshold: '\(label)' is not a keyword of the model (keywords: "
                        + keywords.joined(separator: ", ") + ")")
                }
                configuration.thresholds[label] = threshold
            } else {
                for keyword in keywords { configuration.thresholds[keyword] = threshold }
            }
        }
    }

    /// Chooses every threshold from a false-alarm budget (0: the model's default), between streams.
    func setFalseAlarmsPerHour(_ budget: Float) throws {
        try reconfigure("kws_spotter_set_false_alarms_per_hour") { configuration in
            guard budget.isFinite, budget >= 0 else {
                throw CAPIError.invalidArgument("kws_spotter_set_false_alarms_per_hour: \(budget): use a budget > 0, or 0 for the model's default")
            }
            configuration.threshold = nil
            configuration.thresholds = [:]
            configuration.falseAlarmsPerHour = budget == 0 ? nil : Double(budget)
        }
    }

    /// Applies `change` to the settings and rebuilds the spotter with them; nothing changes if it fails.
    private func reconfigure(_ function: String, _ change: (inout DetectorConfiguration) throws -> Void) throws {
        try exclusive(function) {
            try checkNotDelivering(function)
            guard streamRate == nil else {
                throw CAPIError.state("\(function): a stream is in progress; call it before the first feed, or after kws_finish or kws_reset")
            }
            var changed = configuration
            try change(&changed)
            try changed.validate(labels: model.labels)
            let rebuilt = try KeywordSpotter(model: model, engine: engine, configuration: changed, inputSampleRate: spotter.inputSampleRate)
            configuration = changed
            spotter = rebuilt
            chosenThresholds.withLock { $0 = rebuilt.thresholds }
        }
    }

    // MARK: Input health

    /// The bit set of the input warnings raised (kws_input_warnings).
    func inputWarningMask() throws -> UInt32 {
        try exclusive("kws_input_warnings") { InputWarningFlag.mask(inputWarnings.warnings) }
    }

    /// The message of one raised warning, or nil.
    func inputWarningMessage(_ kind: InputWarning.Kind) throws -> UnsafePointer<CChar>? {
        try exclusive("kws_input_warning_message") { try inputWarnings.cString(kind) }
    }

    /// Frames fed in the current stream, or in the stream kws_finish ended until the next feed.
    func streamSamples() throws -> Int {
        try exclusive("kws_stream_samples") { endedStreamSamples ?? spotter.samplesFed }
    }

    func finish() throws {
        try exclusive("kws_finish") {
            try checkNotDelivering("kws_finish")
            let detections = spotter.finish()
            inputWarnings.update(spotter.inputWarnings)
            endedStreamSamples = spotter.samplesFed
            spotter.reset()
            streamRate = nil
            deliver(detections)
        }
    }

    func reset() throws {
        try exclusive("kws_reset") {
            try checkNotDelivering("kws_reset")
            spotter.reset()
            inputWarnings.clear()
            endedStreamSamples = nil
            streamRate = nil
            pending.removeAll()
        }
    }

    /// The oldest queued detection, if any.
    func nextDetection() throws -> kws_detection? {
        try exclusive("kws_next_detection") {
            try checkNotDelivering("kws_next_detection")
            return pending.isEmpty ? nil : pending.removeFirst()
        }
    }

    // MARK: Clips

    /// Classifies mono samples at `sampleRate`; the result's posteriors point into this handle.
    func classify(sampleRate: Int, fill: (inout [Float]) -> Void) throws -> kws_classification {
        try exclusive("kws_classify") { try classifyExclusively(sampleRate: sampleRate, fill: fill) }
    }

    private func classifyExclusively(sampleRate: Int, fill: (inout [Float]) -> Void) throws -> kws_classification {
        try checkNotDelivering("kws_classify")
        fill(&mono)
        let result = try spotter.classify(clip: mono, sampleRate: sampleRate)
        for i in posteriors.indices { posteriors[i] = i < result.posteriors.count ? result.posteriors[i] : 0 }
        let top = result.topIndex
        return kws_classification(index: Int32(top), label: labels.cString(at: top), score: result.score,
                                  label_count: labels.count, posteriors: UnsafePointer(posteriors.baseAddress))
    }

    // MARK: Delivery

    private func checkNotDelivering(_ function: String) throws {
        guard !isDelivering else {
            throw CAPIError.state("\(function) called from inside this spotter's own detection callback")
        }
    }

    private func deliver(_ detections: [Detection]) {
        guard !detections.isEmpty else { return }
        isDelivering = true
        defer { isDelivering = false }
        for detection in detections {
            var record = kws_detection(label: labels.cString(named: detection.label), score: detection.score,
                                       start_sample: Int64(detection.startSample), end_sample: Int64(detection.endSample),
                                       start_seconds: detection.start, end_seconds: detection.end,
                                       threshold: detection.threshold, windows_above: Int32(clamping: detection.windowsAbove))
            if let callback {
                callback(&record, callbackUserData)
            } else {
                if pending.count >= Int(KWS_MAX_PENDING_DETECTIONS) { pending.removeFirst() }
                pending.append(record)
            }
        }
    }
}
