import ArgumentParser
import KWS
import KWSRuntime

/// `--model` and `--engine`, shared by every command that runs a model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Shipped model name or path to a .safetensors file.", valueName: "name|path"))
    var model: String = ModelCatalog.defaultModelName

    @Option(name: .long, help: ArgumentHelp("Backend: \(EngineKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: the file's own scheme: outlier for -ol4, highway for -hw, int8 for -int8, float otherwise).", valueName: "name"))
    var engine: String?

    func validate() throws {
        if let engine, EngineKind(rawValue: engine) == nil {
            throw ValidationError("unknown engine '\(engine)'; choose one of: \(EngineKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The backend named by `--engine`, or the preferred one for `model` when none was named.
    func engineKind(for model: TCResNetModel) -> EngineKind {
        engine.flatMap(EngineKind.init(rawValue:)) ?? .preferred(for: model)
    }

    func loadModel() throws -> TCResNetModel { try ModelCatalog.load(model) }
}

/// `--json`, `--threshold` and `--hop-ms` for the detecting commands.
struct DetectionOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON Lines instead of text.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Smoothed posterior a keyword must reach (0…1]. Also LABEL=X for one keyword; repeatable.", valueName: "x"))
    var threshold: [String] = []

    @Option(name: .customLong("hop-ms"), help: "Milliseconds between evaluated 1 s windows (multiple of 10, 10…1000).")
    var hopMilliseconds: Int = 100

    @Option(name: .customLong("smoothing-ms"), help: "Average posteriors over this many milliseconds of windows.")
    var smoothingMilliseconds: Int = 300

    @Option(name: .customLong("refractory-ms"), help: "Quiet time after a detection, in milliseconds.")
    var refractoryMilliseconds: Int = 500

    func configuration() throws -> DetectorConfiguration {
        var configuration = DetectorConfiguration(hopMilliseconds: hopMilliseconds, smoothingMilliseconds: smoothingMilliseconds,
                                                  refractoryMilliseconds: refractoryMilliseconds)
        for entry in threshold {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard let value = Float(parts.last ?? "") else {
                throw ValidationError("--threshold '\(entry)': expected a number like 0.8 or LABEL=0.8")
            }
            if parts.count == 2 { configuration.thresholds[parts[0]] = value } else { configuration.threshold = value }
        }
        return configuration
    }
}
