import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSCore

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure accuracy on labelled clips, or recall and false alarms per hour on recordings.",
        discussion: """
        Clip mode (DIR): DIR holds one folder per label (DIR/yes/*.wav, DIR/_unknown_/*.wav, DIR/_silence_/*.wav, \
        ...); folders that are not model labels are skipped with a warning. Each clip is classified as one 1 s \
        window, exactly like `kws detect` on a clip. Prints accuracy, per-class recall and the confusion \
        matrix (rows = truth, columns = prediction); --plot also draws the matrix as SVG. The shipped models \
        were trained on most of ../shared/data/speech_commands: score them on the held-out test split with \
        --list Training/splits/test.txt (520 clips of 22 speakers never trained on); the whole folder gives a \
        flattering figure. A missing DIR is one line and status 66.

        Both modes work on -j N files (clips, or AUDIO and the --negative files) at a time (default: one per \
        online CPU; -j 1: one after another), each on its own thread with its own spotter; the report, plots \
        and exit status are the same for every N.

        Stream mode (--stream AUDIO): AUDIO and every --negative file run through the streaming detector, \
        exactly as `kws stream` runs (same --engine, --hop-ms, --smoothing-ms, --refractory-ms, --threshold, \
        --false-alarms-per-hour), read in chunks so hours of audio need little memory. --truth lists the \
        keywords spoken in AUDIO, one per line: LABEL START END (seconds, START < END, separated by spaces or \
        tabs; blank lines and # comments ignored). A detection of L is a hit when its window overlaps a \
        not-yet-matched spoken L widened by 0.25 s on each side; every other detection is a false alarm. \
        Without --truth (and in --negative files) every detection is a false alarm. Prints recall, misses, \
        false alarms and false alarms per hour (total, per keyword, per file) and the timing error \
        |detection centre - event centre|. --events also lists each spoken keyword as found (with the \
        detection that found it) or missed, and each false alarm. --sweep replays the detector on the stored posteriors at \
        thresholds 0.30, 0.31, ..., 0.95, 0.955, ..., 0.99, 0.991, ..., 0.999, 0.9995 (all keywords alike) and prints per keyword the rows \
        [threshold, recall, false alarms per hour]: the "keywords" of a model's operating_points \
        (Models/FORMAT.md). --plot draws the DET curve (needs --truth).

        Examples:
          kws eval --list Training/splits/test.txt ../shared/data/speech_commands
          kws eval --json -m tc-resnet14-1.5 --list Training/splits/test.txt ../shared/data/speech_commands > report.json
          kws eval --plot confusion.svg clips/
          kws eval --list Training/splits/validation.txt --roc roc ../shared/data/speech_commands
          kws eval --stream Samples/sequence.wav --truth Samples/sequence.txt --events
          kws eval --stream talk.wav --truth talk.txt --negative tv.wav --sweep --json --plot det.svg
          kws eval -j 4 --stream talk.wav --truth talk.txt --negative tv.wav --negative radio.wav --sweep
        """
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var jobsOptions: JobsOptions

    @Flag(name: .long, help: "Print one JSON object (type evaluation, or stream_evaluation with --stream). (default: off)")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Also write the confusion matrix (DIR) or the DET curve (--stream) as an SVG plot. (default: none)", valueName: "file.svg"))
    var plot: String?

    @Option(name: .long, help: ArgumentHelp("Also write the keyword ROC over thresholds as FILE.csv and FILE.svg (DIR only). (default: none)", valueName: "file"))
    var roc: String?

    @Option(name: .long, help: ArgumentHelp("Only evaluate clips whose path relative to DIR is listed in this file (one per line), e.g. Training/splits/test.txt. (default: every clip under DIR)", valueName: "file"))
    var list: String?

    @Option(name: .long, help: ArgumentHelp("A recording (WAV) to run through the streaming detector instead of DIR. (default: none: clip mode)", valueName: "audio"))
    var stream: String?

    @Option(name: .long, help: ArgumentHelp("The keywords spoken in --stream AUDIO: LABEL START END per line (seconds). (default: none: every detection is a false alarm)", valueName: "file"))
    var truth: String?

    @Option(name: .customLong("negative"), help: ArgumentHelp("A recording without keywords, also streamed; every detection in it is a false alarm. Repeatable. (default: none)", valueName: "audio"))
    var negatives: [String] = []

    @Flag(name: .long, help: "With --stream: recall and false alarms per hour of each keyword over thresholds 0.30…0.9995. (default: off)")
    var sweep = false

    @Flag(name: .long, help: "With --stream: list each spoken keyword as found or missed, and each false alarm. (default: off)")
    var events = false

    @OptionGroup(title: "Detector (with --stream)") var detectorOptions: DetectorOptions

    @Argument(help: ArgumentHelp("Directory of <label>/*.wav folders.", valueName: "dir"))
    var directory: String?

    func validate() throws {
        switch (directory, stream) {
        case (nil, nil): throw ValidationError("give a DIR of labelled clips, or --stream AUDIO")
        case (.some, .some): throw ValidationError("give a DIR of labelled clips or --stream AUDIO, not both")
        case (.some, nil):
            guard truth == nil, negatives.isEmpty, !sweep, !events else { throw ValidationError("--truth, --negative, --sweep and --events go with --stream AUDIO") }
            guard detectorOptions.threshold.isEmpty, detectorOptions.falseAlarmsPerHour == nil else {
                throw ValidationError("--threshold and --false-alarms-per-hour go with --stream AUDIO (clips are classified, not detected)")
            }
        case (nil, .some):
            guard roc == nil, list == nil else { throw ValidationError("--roc and --list go with a DIR of clips, not --stream") }
            guard plot == nil || truth != nil else { throw ValidationError("--plot with --stream draws a DET curve, which needs --truth") }
        }
    }

    func run() throws {
        Terminal.setUp()
        if let stream { return try runStream(stream) }
        guard let directory else { return }
        let model = try modelOptions.loadModel()
        let spotter = try KeywordSpotter(model: model, engine: modelOptions.engineKind(for: model))
        var evaluation = Evaluation(labels: model.labels)
        let root = URL(fileURLWithPath: directory)
        var clips = try evaluation.clips(in: root)
        if let list {
            let wanted = Set(try ClipList.read(list, option: "--list"))
            clips = clips.filter { wanted.contains(String($0.path.dropFirst(root.path.count + 1))) }
            if clips.isEmpty { throw InputFileError(option: "--list", path: list, reason: "lists none of the clips in \(directory)", missing: true) }
        }
        if clips.isEmpty { throw DirectoryError.noWAVFiles(directory) }
        for folder in evaluation.skippedFolders { Terminal.warn("\(directory)/\(folder): not a label of \(model.name); skipped") }
        var failures = FailureTally()
        let engine = spotter.engine.kind
        OrderedParallelMap.run(clips, jobs: jobsOptions.count, makeWorker: {
            let spotter = Result { try KeywordSpotter(model: model, engine: engine) }
            return { clip in
                Result { try spotter.get().classify(clip: ClipWindow(contentsOf: URL(fileURLWithPath: clip.path), length: model.windowSamples).samples, sampleRate: KeywordSpotter.sampleRate) }
            }
        }, consume: { index, result in
            Terminal.progress("eval \(index + 1)/\(clips.count) \(clips[index].path)")
            switch result {
            case let .success(classification): evaluation.record(truth: clips[index].truth, classification)
            case let .failure(error): failures.record(error)
            }
        })
        Terminal.endProgress()
        // Files first: a reader that closes stdout early (| head) ends the process at the next print.
        if let plot {
            try OutputFile.write(ConfusionMatrixPlot.svg(evaluation, title: "\(model.name) (\(spotter.engine.kind)), accuracy \(String(cFormat: "%.2f", evaluation.accuracy * 100))%"),
                                 to: plot)
        }
        if let roc {
            let stem = roc.hasSuffix(".csv") || roc.hasSuffix(".svg") ? String(roc.dropLast(4)) : roc
            let points = evaluation.roc
            var csv = "threshold,detection_rate,wrong_keyword_rate,false_alarm_rate\n"
            for p in points {
                csv += String(cFormat: "%.2f,%.6f,%.6f,%.6f\n", p.threshold, p.detectionRate, p.wrongKeywordRate, p.falseAlarmRate)
            }
            try OutputFile.write(csv, to: stem + ".csv")
            try OutputFile.write(ROCPlot.svg(points, title: "\(model.name) (\(spotter.engine.kind)) on \(evaluation.count) clips"), to: stem + ".svg")
        }
        if json { Terminal.printLine(EvaluationReport.json(evaluation, model: model.name, engine: spotter.engine.kind.rawValue)) }
        else { EvaluationReport.text(evaluation, model: model.name, engine: spotter.engine.kind.rawValue).forEach { Terminal.printLine($0) } }
        try failures.finish()
    }
}

extension EvalCommand: TerminalSettings {
    var quiet: Bool { outputOptions.quiet }
}

/// Text and JSON renderings of an ``Evaluation``.
enum EvaluationReport {
    static func json(_ evaluation: Evaluation, model: String, engine: String) -> String {
        let labels = "[" + evaluation.labels.map(JSONText.string).joined(separator: ",") + "]"
        let perClass = JSONText.object(zip(evaluation.labels, evaluation.recall).map { ($0, $1.map { JSONText.number($0, digits: 6) } ?? "null") })
        let confusion = "[" + evaluation.confusion.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        return JSONText.object([("type", JSONText.string("evaluation")), ("model", JSONText.string(model)), ("engine", JSONText.string(engine)),
                                ("count", String(evaluation.count)), ("accuracy", JSONText.number(evaluation.accuracy, digits: 6)),
                                ("labels", labels), ("per_class", perClass), ("confusion", confusion)])
    }

    static func text(_ evaluation: Evaluation, model: String, engine: String) -> [String] {
        var lines = ["model \(model), engine \(engine): \(evaluation.count) clips, accuracy " + String(cFormat: "%.2f%%", evaluation.accuracy * 100), "",
                     "recall per class:"]
        for (label, recall) in zip(evaluation.labels, evaluation.recall) {
            lines.append("  " + label.padding(toLength: 10, withPad: " ", startingAt: 0) + (recall.map { String(cFormat: "%6.2f%%", $0 * 100) } ?? "     –"))
        }
        lines += ["", "confusion (rows = truth, columns = prediction):"]
        let width = 6
        let short = evaluation.labels.map { String($0.prefix(width - 1)) }
        lines.append(String(repeating: " ", count: 11) + short.map { $0.leftPadded(width) }.joined())
        for (row, label) in evaluation.labels.enumerated() {
            lines.append("  " + label.padding(toLength: 9, withPad: " ", startingAt: 0) + evaluation.confusion[row].map { String($0).leftPadded(width) }.joined())
        }
        return lines
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
