import CKWSHeader
import KWS
import KWSRuntime

/// `kws_options` read into the Swift settings they stand for, with every value checked up front.
struct SpotterOptions {
    /// nil: the preferred backend for the model (``EngineKind/preferred(for:)``).
    let engine: EngineKind?
    let configuration: DetectorConfiguration

    /// The values `kws_default_options()` returns: those of `DetectorConfiguration()`, no engine name, and
    /// 0 (not set) for the threshold and the false-alarm budget.
    static var defaults: kws_options {
        let configuration = DetectorConfiguration()
        return kws_options(engine: nil, threshold: configuration.threshold ?? 0, hop_ms: Int32(configuration.hopMilliseconds),
                           smoothing_ms: Int32(configuration.smoothingMilliseconds),
                           refractory_ms: Int32(configuration.refractoryMilliseconds),
                           false_alarms_per_hour: Float(configuration.falseAlarmsPerHour ?? 0))
    }

    /// Reads `options` (nil means the defaults) for a model with `labels`; whether a false-alarm budget
    /// fits the model's operating points is checked when the spotter is made.
    /// - Throws: `KWS_ERROR_INVALID_ARGUMENT` for an unknown engine or a value out of range.
    init(_ options: kws_options?, labels: [String]) throws {
        let options = options ?? Self.defaults
        var engine: EngineKind?
        if let pointer = options.engine {
            let name = String(cString: pointer)
            guard let kind = EngineKind(rawValue: name) else {
                throw CAPIError.invalidArgument("unknown engine '\(name)'; choose one of: \(EngineKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            engine = kind
        }
        // 0 is C's "not set" for both; every other value, NaN included, is the caller's and is checked.
        guard options.threshold.isFinite, options.threshold >= 0 else {
            throw CAPIError.invalidArgument("threshold \(options.threshold): use a value in (0, 1], or 0 for the model's choice")
        }
        let configuration = DetectorConfiguration(hopMilliseconds: Int(options.hop_ms), smoothingMilliseconds: Int(options.smoothing_ms),
                                                  threshold: options.threshold == 0 ? nil : options.threshold,
                                                  falseAlarmsPerHour: options.false_alarms_per_hour == 0 ? nil : Double(options.false_alarms_per_hour),
                                                  refractoryMilliseconds: Int(options.refractory_ms))
        try configuration.validate(labels: labels)
        self.engine = engine
        self.configuration = configuration
    }
}
