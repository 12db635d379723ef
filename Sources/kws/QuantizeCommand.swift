import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSAudio
import KWSRuntime

/// `kws lab quantize` (also `kws quantize`): post-training int8 quantization of a float model with real calibration clips.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a float model to int8 (or outlier-aware 4-bit) with calibration clips.",
        discussion: """
        Runs the float model on BATCHES × 100 one-second calibration windows, estimates the range of the MFCC \
        input (per coefficient) and of every activation (per tensor), and writes a model file with the float \
        tensors unchanged plus s8 weights, s32 biases and fixed-point requantization multipliers. Loading the \
        result never recalibrates; run it with --engine int8.

        Clips are taken in a fixed shuffled order (--seed). When the batches need more windows than there are \
        clips, later passes over the clips are augmented (a time shift of up to ±100 ms and a gain of \
        0.8…1.25, both fixed per window), so 50 batches of 2,160 training clips are 2,160 originals plus \
        2,840 augmented copies.

        --scheme outlier writes the outlier-aware 4-bit scheme instead (Models/README.md, "Outlier-aware \
        4-bit"): 4-bit weights and activations with a fraction --outlier-ratio of 8-bit weight and 16-bit \
        activation outliers; the stem and classifier stay 8-bit. Run it with --engine outlier. Without --out \
        it writes Models/<name>-int8.safetensors or Models/<name>-ol4-<percent>.safetensors.

        Examples:
          kws lab quantize tc-resnet8 --calibration ../shared/data/speech_commands \\
              --calibration-list Training/splits/train.txt -o /tmp/tc-resnet8-int8.safetensors
          kws lab quantize Models/tc-resnet14-1.5.safetensors --calibration clips/ --estimator percentile \\
              --calibration-batches 50 --out /tmp/q.safetensors
          kws lab quantize tc-resnet8 --scheme outlier --outlier-ratio 0.5% --calibration ../shared/data/speech_commands \\
              --calibration-list Training/splits/train.txt      # writes Models/tc-resnet8-ol4-0.5.safetensors
        """
    )

    @Argument(help: ArgumentHelp("Float model: shipped name or path to a .safetensors file.", valueName: "model"))
    var model: String

    @Option(name: .long, help: ArgumentHelp("Directory of <label>/*.wav calibration clips.", valueName: "dir"))
    var calibration: String

    @Option(name: .customLong("calibration-list"), help: ArgumentHelp("Only clips listed in this file (paths relative to --calibration, one per line). (default: every <label>/*.wav clip)", valueName: "file"))
    var calibrationList: String?

    @Option(name: .customLong("calibration-batches"), help: "Batches of --batch-size windows (5, 10, 50, ...).")
    var calibrationBatches: Int = 10

    @Option(name: .customLong("batch-size"), help: "Windows per calibration batch.")
    var batchSize: Int = 100

    @Option(name: .long, help: ArgumentHelp("Activation range estimator: \(RangeEstimator.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var estimator: String = RangeEstimator.percentile.rawValue

    @Option(name: .long, help: "Seed of the clip order and augmentation.")
    var seed: UInt64 = 0

    @Option(name: .long, help: ArgumentHelp("Quantization scheme: \(QuantizeSchemeOption.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var scheme: String = QuantizeSchemeOption.int8.rawValue

    @Option(name: .customLong("outlier-ratio"), help: ArgumentHelp("With --scheme outlier: outlier ratio r in [0, 50%), a fraction (0.005) or a percentage (0.5%).", valueName: "r"))
    var outlierRatio: String = "0.5%"

    @Option(name: [.customShort("o"), .long, .customLong("output")], help: ArgumentHelp("Where to write the quantized model. (default: Models/<name>-int8 or Models/<name>-ol4-<percent>.safetensors)", valueName: "file.safetensors"))
    var out: String?

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard let scheme = QuantizeSchemeOption(rawValue: scheme) else {
            throw ValidationError(NameSuggestion.unknown("scheme", self.scheme, choices: QuantizeSchemeOption.allCases.map(\.rawValue)))
        }
        if scheme == .outlier, QuantizeSchemeOption.ratio(outlierRatio) == nil {
            throw ValidationError("--outlier-ratio '\(outlierRatio)': expected a fraction in [0, 0.5) like 0.005, or a percentage like 0.5%")
        }
        guard RangeEstimator(rawValue: estimator) != nil else {
            throw ValidationError(NameSuggestion.unknown("estimator", estimator, choices: RangeEstimator.allCases.map(\.rawValue)))
        }
        guard (1...10_000).contains(calibrationBatches) else { throw ValidationError("--calibration-batches must be 1…10000") }
        guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1…10000") }
    }

    func run() throws {
        Terminal.setUp()
        let modelURL = try ModelCatalog.url(for: model)
        let file = try ModelFile.load(contentsOf: modelURL)
        let floatModel = try TCResNetModel(file: file)
        let listed = try calibrationList.map { try ClipList.read($0, option: "--calibration-list") }
        let calibrationSet = try CalibrationWindows(root: URL(fileURLWithPath: calibration, isDirectory: true),
                                                    listed: listed, seed: seed)
        let clipCount = calibrationSet.clips.count
        guard clipCount > 0 else {
            if let calibrationList {
                throw InputFileError(option: "--calibration-list", path: calibrationList, reason: "lists no clips", missing: true)
            }
            throw DirectoryError.noWAVFiles(calibration)
        }
        let outlier = QuantizeSchemeOption(rawValue: scheme) == .outlier
        let ratio = QuantizeSchemeOption.ratio(outlierRatio) ?? 0
        var state = Calibration(model: floatModel, estimator: RangeEstimator(rawValue: estimator) ?? .percentile)
        var outlierState = OutlierCalibration(model: floatModel, ratio: ratio)
        let total = calibrationBatches * batchSize
        var failures = 0
        for batch in 0..<calibrationBatches {
            var windows = [[Float]]()
            windows.reserveCapacity(batchSize)
            for slot in 0..<batchSize {
                let index = batch * batchSize + slot
                Terminal.progress("calibrate \(index + 1)/\(total)")
                do {
                    windows.append(try calibrationSet.features(at: index, frontEnd: floatModel.frontEnd))
                } catch {
                    failures += 1
                    Terminal.endProgress()
                    Terminal.warn("\(ErrorMessage.text(for: error)); skipped")
                }
            }
            if outlier { outlierState.observe(batch: windows) } else { state.observe(batch: windows) }
        }
        Terminal.endProgress()
        let source = calibrationList ?? calibration
        if outlier {
            return try writeOutlier(file: file, model: floatModel, calibration: outlierState, clips: clipCount,
                                    source: source, failures: failures)
        }
        let quantized = try Quantizer.quantize(floatModel, calibration: state, batchSize: batchSize,
                                               distinctClips: min(clipCount, total),
                                               augmentedClips: max(0, total - clipCount), source: source)
        let outURL = outputURL(model: floatModel)
        let name = outURL.deletingPathExtension().lastPathComponent
        try OutputFile.write(Data(QuantizedTCResNet.modelFile(float: file, model: floatModel, quantized: quantized, name: name).encoded()),
                             to: outURL.path)
        // Read it back through the normal loader so a file that would not load is never left unreported.
        let reloaded = try TCResNetModel.load(contentsOf: outURL)
        Terminal.printLine("wrote \(outURL.path): \(reloaded.name), \(estimator) estimator, \(calibrationBatches) × \(batchSize) windows "
            + "(\(min(clipCount, total)) clips, \(max(0, total - clipCount)) augmented)" + (failures > 0 ? ", \(failures) clips skipped" : ""))
    }
}

extension QuantizeCommand: TerminalSettings {
    var json: Bool { false }
    var quiet: Bool { outputOptions.quiet }
}
