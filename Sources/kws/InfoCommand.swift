import ArgumentParser
import Foundation
import KWS
import KWSRuntime

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a model: architecture, labels, size, cost, front end and provenance.",
        discussion: """
        A model with operating points (metadata "operating_points") also shows, for a few false-alarm budgets \
        (--false-alarms-per-hour of detect and stream), the threshold, recall and false alarms per hour each \
        keyword gets. --json prints all of it as one JSON object. With --stats, runs the int8 network on real clips instead and prints, per convolution, zero weights, \
        zero activations and the MACs that zero weights, zero activations, both and either make skippable.

        Examples:
          kws info tc-resnet8
          kws info Models/tc-resnet14-1.5.safetensors
          kws info --json tc-resnet8-int8
          kws info --stats tc-resnet8-int8 --audio Samples
          kws info --stats tc-resnet14-1.5-int8 --audio ../shared/data/speech_commands --list Training/splits/test.txt --json
        """
    )

    @Argument(help: ArgumentHelp("Shipped model name or path.", valueName: "model"))
    var model: String = ModelCatalog.defaultModelName

    @Flag(name: .long, help: "Per-layer zero weights, zero activations (measured on --audio clips) and skippable MACs.")
    var stats = false

    @OptionGroup var clipOptions: AudioClipOptions

    @OptionGroup var pruneOption: PruneOption

    @Flag(name: .long, help: "Print one JSON object (with --stats: the statistics).")
    var json = false

    @Flag(name: .long, help: "Only check the tensor data against the file's data_sha256: one line; status 0 when verified, 1 when the file has no checksum (a mismatch is a load error).")
    var verify = false

    func run() throws {
        Terminal.setUp()
        let url = try ModelCatalog.url(for: model)
        let loaded = try TCResNetModel.load(contentsOf: url)
        if verify {
            Terminal.printLine("\(url.path): " + Self.checksumLine(loaded))
            if loaded.metadata[ModelFile.checksumKey] == nil { throw ExitCode(1) }
            return
        }
        if stats { return try SparsityStatsReport.run(model: loaded, clipOptions: clipOptions, prune: pruneOption.prune, json: json) }
        let architecture = loaded.architecture
        let frontEnd = loaded.frontEnd
        var lines = [
            "model         \(loaded.name)  (\(url.path))",
            "architecture  \(architecture.family.rawValue), width ×\(architecture.widthMultiplier), channels \(architecture.channels.map(String.init).joined(separator: "/"))",
            "labels        \(loaded.labels.joined(separator: " "))",
            "parameters    \(loaded.parameterCount) (conv + FC weights)",
            "MACs          \(loaded.macsPerInference) per inference",
            "input         \(loaded.inputFrames) × \(loaded.inputCoefficients) MFCC",
            "front end     \(frontEnd.variant.rawValue): \(frontEnd.sampleRate) Hz, window \(frontEnd.windowLength), hop \(frontEnd.hopLength), FFT \(frontEnd.fftLength), \(frontEnd.melBins) mel \(Int(frontEnd.lowerHz))–\(Int(frontEnd.upperHz)) Hz, log offset \(frontEnd.logOffset), \(frontEnd.coefficients) coefficients",
            "test accuracy " + (loaded.testAccuracy.map { String(format: "%.2f%%", $0 * 100) } ?? "unknown"),
            "checksum      " + Self.checksumLine(loaded),
        ]
        if let training = loaded.metadata["training"] { lines.append("training      \(training)") }
        if let quantization = loaded.metadata["quantization"] { lines.append("quantization  \(quantization)") }
        if let outlier = loaded.outlier { lines += OutlierInfoLines.lines(outlier) }
        if let highway = loaded.highway { lines += HighwayInfoLines.lines(highway, parameterCount: loaded.parameterCount) }
        if let table = loaded.operatingPoints { lines += OperatingPointInfo.lines(table, labels: loaded.labels) }
        if json { return Terminal.printLine(Self.json(loaded, path: url.path)) }
        lines.forEach { Terminal.printLine($0) }
    }

    /// Whether the loader vouched for the tensor bytes (it checks data_sha256 whenever the file has one).
    static func checksumLine(_ model: TCResNetModel) -> String {
        if let checksum = model.metadata[ModelFile.checksumKey] { return "data_sha256 \(checksum) verified" }
        return "none: tensor data unverified (an older file; add one with `kws stamp FILE`)"
    }

    /// The model summary as one JSON object; `operating_points` is null for a model without them.
    static func json(_ model: TCResNetModel, path: String) -> String {
        let architecture = model.architecture
        return JSONText.object([
            ("model", JSONText.string(model.name)), ("path", JSONText.string(path)),
            ("architecture", JSONText.string(architecture.family.rawValue)),
            ("width_multiplier", JSONText.number(architecture.widthMultiplier, digits: 3)),
            ("channels", "[" + architecture.channels.map(String.init).joined(separator: ",") + "]"),
            ("labels", "[" + model.labels.map(JSONText.string).joined(separator: ",") + "]"),
            ("parameters", String(model.parameterCount)), ("macs_per_inference", String(model.macsPerInference)),
            ("input_frames", String(model.inputFrames)), ("input_coefficients", String(model.inputCoefficients)),
            ("test_accuracy", model.testAccuracy.map { JSONText.number($0, digits: 6) } ?? "null"),
            ("data_sha256", model.metadata[ModelFile.checksumKey].map(JSONText.string) ?? "null"),
            ("operating_points", model.operatingPoints.map { OperatingPointInfo.json($0, labels: model.labels) } ?? "null"),
        ])
    }
}
