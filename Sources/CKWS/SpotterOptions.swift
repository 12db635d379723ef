import CKWSHeader
import KWS
import KWSRuntime

/// `kws_options` read into the Swift settings they stand for, with every value checked up front.
struct SpotterOptions {
    /// nil: the preferred backend for the model (``EngineKind/preferred(for:)``).
    let engine: EngineKind?
    let configuration: DetectorConfiguration

    /// The values `kws_default_options()` returns: those of `DetectorConfiguration()` and no engine name.
    static var defaults: kws_options {
        let configuration = DetectorConfiguration()
        return kws_options(engine: nil, threshold: configuration.threshold, hop_ms: Int32(configuration.hopMilliseconds),
                           smoothing_ms: Int32(configuration.smoothingMilliseconds),
                           refractory_ms: Int32(configuration.refractoryMilliseconds))
    }

    /// Reads `options` (nil means the defaults).
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
        guard options.threshold.isFinite else {
            throw CAPIError.invalidArgument("threshold \(options.threshold): use a value in (0, 1]")
        }
        let configuration = DetectorConfiguration(hopMilliseconds: Int(options.hop_ms), smoothingMilliseconds: Int(options.smoothing_ms),
                                                  threshold: options.threshold,
                                                  refractoryMilliseconds: Int(options.refractory_ms))
        try configuration.validate(labels: labels)
        self.engine = engine
        self.configuration = configuration
    }
}
