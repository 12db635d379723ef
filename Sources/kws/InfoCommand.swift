import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSRuntime

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a model: architecture, labels, size, cost, front end, accuracy and provenance.",
        discussion: """
        Nested metadata (training, quantization) is shown as an indented outline, long lists of per-layer \
        numbers as a count and a range; --json prints everything, nested metadata as JSON objects, as one \
        "type":"model" object. A model with operating points (metadata "operating_points") also shows, for a \
        few false-alarm budgets (--false-alarms-per-hour of detect and stream), the threshold, recall and \
        false alarms per hour each keyword gets. With --stats, runs the int8 network on real clips instead \
        and prints, per convolution, zero weights, zero activations and the MACs that zero weights, zero \
        activations, both and either make skippable. With --kernels, describes this machine instead of a \
        model: per kernel operation, the variant that runs under the current KWS_ISA (scalar, avx2 or avx512 \
        on x86-64; scalar, neon or neondot on aarch64: it can only lower the level), and the CPU features seen.

        Examples:
          kws info tc-resnet8
          kws info Models/tc-resnet14-1.5.safetensors
          kws info --json tc-resnet8-int8
          kws info --verify tc-resnet8-int8
          kws info --stats tc-resnet8-int8 --audio Samples
          kws info --stats tc-resnet14-1.5-int8 --audio ../shared/data/speech_commands --list Training/splits/test.txt --json
          kws info --kernels
          KWS_ISA=avx2 kws info --kernels
        """
    )

    @Argument(help: ArgumentHelp("Shipped model name (kws models lists them) or path to a .safetensors file.", valueName: "model"))
    var model: String = ModelCatalog.defaultModelName

    @Flag(name: .long, help: "Per-layer zero weights, zero activations (measured on --audio clips) and skippable MACs. (default: off)")
    var stats = false

    @OptionGroup var clipOptions: AudioClipOptions

    @OptionGroup var pruneOption: PruneOption

    @Flag(name: .long, help: "Print one JSON object: the model (type model), the statistics with --stats, the checksum with --verify. (default: off)")
    var json = false

    @Flag(name: .long, help: "Print the kernel variant each operation runs on this CPU under KWS_ISA, and the CPU features seen; no model is read. (default: off)")
    var kernels = false

    @Flag(name: .long, help: "Only check the tensor data against the file's data_sha256: one line; status 0 when verified, 1 when the file has no checksum (a mismatch is a load error, 65). (default: off)")
    var verify = false

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        Terminal.setUp()
        if kernels {
            let table = KernelTable.preferred
            if json { return Terminal.printLine(KernelInfoLines.json(table)) }
            return KernelInfoLines.lines(table).forEach { Terminal.printLine($0) }
        }
        let url = try ModelCatalog.url(for: model)
        let loaded = try TCResNetModel.load(contentsOf: url)
        if verify {
            if json {
                Terminal.printLine(JSONText.object([("type", JSONText.string("checksum")), ("path", JSONText.string(url.path)),
                                                    ("data_sha256", loaded.metadata[ModelFile.checksumKey].map(JSONText.string) ?? "null"),
                                                    ("verified", loaded.metadata[ModelFile.checksumKey] == nil ? "false" : "true")]))
            } else {
                Terminal.printLine("\(url.path): " + ModelInfoText.checksumLine(loaded))
            }
            if loaded.metadata[ModelFile.checksumKey] == nil { throw ExitCode(ExitStatus.checkFailed.rawValue) }
            return
        }
        if stats { return try SparsityStatsReport.run(model: loaded, clipOptions: clipOptions, prune: pruneOption.prune, json: json) }
        if json { return Terminal.printLine(ModelInfoJSON.object(loaded, path: url.path)) }
        ModelInfoText.lines(loaded, path: url.path).forEach { Terminal.printLine($0) }
    }
}

extension InfoCommand: TerminalSettings {
    var quiet: Bool { outputOptions.quiet }
}
