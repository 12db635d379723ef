import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSAnalysis
import KWSRuntime

struct ZenaSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zena-sim",
        abstract: "Cycle-level model of a zero-aware PE array (ZeNA) running the int8 network on real clips.",
        discussion: """
        Traces the int8 network on each clip (central 1 s window) and runs every convolution, on its real u8 \
        activations, through a simulated array of --pes PEs in --groups work groups, each PE with a FIFO of \
        --queue-depth items and one MAC per cycle, fed by a per-group broadcast bus (one item per cycle). \
        Four policies on the same array: zero-agnostic (every MAC costs a cycle, Eyeriss-like), activation \
        zeros only (Cnvlutin-like), weight and activation zeros with kernels in index order, and the same with \
        zero-aware kernel allocation (LPT by nonzero weights: ZeNA). The simulator computes each layer's \
        output from the MACs it times and checks it against the int8 engine's. Model details: the doc comment \
        of PEArraySimulator (Sources/KWSAnalysis).

        Examples:
          kws lab zena-sim tc-resnet8-int8 --audio Samples
          kws lab zena-sim tc-resnet8-int8 --audio Samples --prune 0.7     # what-if: 70% zero weights
          kws lab zena-sim tc-resnet14-1.5-int8 --audio ../shared/data/speech_commands --list Training/splits/test.txt \\
              --limit 100 --pes 32 --groups 2 --dataflow kernel --plot zena.svg
        """
    )

    @Argument(help: ArgumentHelp("Shipped model name or path (must have int8 parameters).", valueName: "model"))
    var model: String = ModelCatalog.defaultModelName

    @OptionGroup var clipOptions: AudioClipOptions

    @OptionGroup var pruneOption: PruneOption

    @Option(name: .long, help: "PEs in the array.")
    var pes = 64

    @Option(name: .long, help: "Work groups (must divide --pes).")
    var groups = 4

    @Option(name: .customLong("queue-depth"), help: "FIFO entries per PE.")
    var queueDepth = 4

    @Option(name: .long, help: ArgumentHelp("What each work group broadcasts: activation or kernel.", valueName: "activation|kernel"))
    var dataflow = PEArrayDataflow.activation.rawValue

    @Option(name: .long, help: ArgumentHelp("Also write cycles per layer and policy as an SVG bar chart. (default: none)", valueName: "file.svg"))
    var plot: String?

    @Flag(name: .long, help: "Print one JSON object (type zena_sim). (default: off)")
    var json = false

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        Terminal.setUp()
        let array = try arrayConfiguration()
        let clips = try clipOptions.clips()
        let loaded = try ModelCatalog.load(model)
        let (network, name) = try ClipWindows.network(of: loaded, prune: pruneOption.prune)
        var simulation = PEArraySimulation(network: network, array: array)
        _ = try ClipWindows.traceEach(clips, model: loaded, network: network, progress: "zena-sim") { simulation.add($0) }
        let report = ZenaSimReport(simulation: simulation, model: name, source: clipOptions.audio ?? "")
        // Files first: a reader that closes stdout early (| head) ends the process at the next print.
        if let plot { try OutputFile.write(ZenaSimPlot.svg(report), to: plot) }
        if json { Terminal.printLine(report.json) } else { report.text.forEach { Terminal.printLine($0) } }
        if simulation.mismatchedOutputs > 0 {
            Terminal.warn("\(simulation.mismatchedOutputs) of \(simulation.checkedOutputs) simulated layer outputs differ from the int8 engine's")
            throw ExitCode(ExitStatus.checkFailed.rawValue)
        }
    }

    private func arrayConfiguration() throws -> PEArrayConfiguration {
        for (option, value) in [("--pes", pes), ("--groups", groups), ("--queue-depth", queueDepth)] where value < 1 {
            throw SparsityCommandError.badCount(option: option, value: value)
        }
        guard let flow = PEArrayDataflow(rawValue: dataflow) else {
            throw SparsityCommandError.array("--dataflow \(dataflow): choose activation or kernel")
        }
        do {
            return try PEArrayConfiguration(pes: pes, groups: groups, queueDepth: queueDepth, dataflow: flow)
        } catch {
            throw SparsityCommandError.array("--pes \(pes) --groups \(groups): \(error)")
        }
    }
}

extension ZenaSimCommand: TerminalSettings {
    var quiet: Bool { outputOptions.quiet }
}
