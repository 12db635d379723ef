import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSAudio

struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect keywords in WAV files.",
        discussion: """
        A file of at most 1.5 s is classified as one 1 s window (shorter clips are padded with silence) and \
        its top label is printed, which may be _silence_ or _unknown_. Longer files run through the streaming \
        detector and every detection is printed with its start and end time. Directories are searched for \
        .wav files recursively. Files are read in chunks (an hour of audio needs about 30 MB; named pipes \
        and <(…) work). A file that cannot be read gets one line on stderr; the others are still \
        processed, and the exit status is that of the first failure (66 missing, 65 undecodable; kws --help \
        lists them). Files are worked on -j N at a time (default: one per online CPU), each on its own \
        thread with its own spotter; the output is the same, in the same order, for every N. Keyword thresholds come from --threshold, else from --false-alarms-per-hour and the \
        model's operating points, else from the model's default operating point, else 0.7; a setting that \
        cannot work (e.g. a budget outside the model's table) exits with status 64 and one line on stderr.

        --json prints one JSON object per line: "type":"clip" for a clip's top label, "type":"detection" for \
        each detection in longer audio (README "JSON Lines"); warnings and errors are JSON lines on stderr.

        Examples:
          kws detect Samples/yes.wav
          kws detect --top 3 Samples/*.wav
          kws detect --json -t 0.9 Samples/sequence.wav
          kws detect --json --false-alarms-per-hour 0.5 Samples/sequence.wav
          kws detect -m tc-resnet8-int8 Samples/
          kws detect -j 4 --json recordings/ > detections.jsonl
        """
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var detectorOptions: DetectorOptions

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var jobsOptions: JobsOptions

    @Flag(name: .long, help: "Print JSON Lines instead of text (type clip or detection; a detection has its threshold and windows_above). (default: off)")
    var json = false

    @Option(name: .long, help: ArgumentHelp("For clips, also print the K most probable labels.", valueName: "k"))
    var top: Int = 1

    @Argument(help: ArgumentHelp("WAV files or directories.", valueName: "file"))
    var files: [String]

    func run() throws {
        Terminal.setUp()
        let model = try modelOptions.loadModel()
        let engine = modelOptions.engineKind(for: model)
        let configuration = try detectorOptions.configuration(for: model)
        // Fails early, before any file, for a setting that cannot work.
        let first = try KeywordSpotter(model: model, engine: engine, configuration: configuration)
        let detection = FileDetection(model: model, engine: engine, configuration: configuration, output: DetectionOutput(json: json), top: top)
        var failures = FailureTally()
        let paths = WAVFileList.expand(files, failures: &failures)
        if min(jobsOptions.count, paths.count) <= 1 {
            // One after another, each line printed as soon as it is decided (a long file's detections as it is read).
            var spotters = [KeywordSpotter.sampleRate: first]
            for path in paths { detection.run(path, spotters: &spotters) { $0.print(failures: &failures) } }
        } else {
            OrderedParallelMap.run(paths, jobs: jobsOptions.count, makeWorker: {
                var spotters = [Int: KeywordSpotter]()
                return { path in
                    var transcript = FileTranscript()
                    detection.run(path, spotters: &spotters) { transcript.append($0) }
                    return transcript
                }
            }, consume: { _, transcript in transcript.print(failures: &failures) })
        }
        try failures.finish()
    }
}

/// Expands directory arguments into the .wav files under them, sorted; files are kept as given.
enum WAVFileList {
    /// The files named or found under the named directories; a directory without .wav files (an empty result is
    /// a mistake worth a line, not silence) or one that cannot be listed is recorded in `failures`.
    static func expand(_ arguments: [String], failures: inout FailureTally) -> [String] {
        arguments.flatMap { argument -> [String] in
            guard WAVDirectory.isDirectory(argument) else { return [argument] }
            do {
                let found = try WAVDirectory.wavFiles(under: argument)
                if found.isEmpty { throw DirectoryError.noWAVFiles(argument) }
                return found.map { argument.appendingPathComponent($0) }
            } catch {
                failures.record(error)
                return []
            }
        }
    }
}

extension DetectCommand: TerminalSettings {
    var quiet: Bool { outputOptions.quiet }
}
