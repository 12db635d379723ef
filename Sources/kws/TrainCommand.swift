import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSCore

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Build a model for your own keywords from synthetic voices and a few recordings.",
        discussion: """
        Renders every word with the offline voices Training/ knows (espeak-ng, flite, festival, Pico, RHVoice), \
        adds your recordings (DIR/<word>/*.wav, any WAV kws reads; at least \(KeywordRecordings.minimumPerWord) \
        per word), trains a TC-ResNet against the shared negative corpus and near-misses of your words, \
        quantizes it to int8 and measures its operating points on voices and speech it never trained on. The \
        file loads in kws detect, kws stream, the Swift API and the C API like a shipped model. A phrase is one \
        keyword ("hey kiwi" becomes the label hey_kiwi); phrases over about 0.8 s need --window-ms 1500.

        The work runs in Training/ through its virtualenv (make train-deps); kws checks the words and the \
        recordings first, so a mistake is reported before any training. About 5-10 minutes per run on 2 cores \
        once the shared negative corpus exists (its first build takes about 10 minutes more). Progress goes \
        to stderr, the report to FILE-report.txt and a DET plot to FILE-det.svg; the float model is kept as \
        FILE-float.safetensors.

        Examples:
          kws train "hey kiwi" "lights on" --out my-words.safetensors
          kws train stop --recordings my-recordings/ --out stop.safetensors
          kws stream -m my-words.safetensors < talk.wav
        """
    )

    static let architectures = ["tc-resnet8", "tc-resnet8-1.5", "tc-resnet14", "tc-resnet14-1.5"]
    static let windows = [1000, 1500]

    @Argument(help: ArgumentHelp("Keywords: a word or a quoted phrase each.", valueName: "word"))
    var words: [String] = []

    @Option(name: .long, help: ArgumentHelp("Folder of your recordings: <word>/*.wav per keyword.", valueName: "dir"))
    var recordings: String?

    @Option(name: [.customShort("o"), .long, .customLong("output")], help: ArgumentHelp("Model file to write. (default: <word>-<word>.safetensors here)", valueName: "file.safetensors"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Network: \(architectures.joined(separator: ", ")).", valueName: "name"))
    var arch: String = "tc-resnet8"

    @Option(name: .customLong("window-ms"), help: ArgumentHelp("Window the model hears: 1000 or 1500 ms (phrases).", valueName: "ms"))
    var windowMilliseconds: Int = 1000

    @Option(name: .customLong("training-dir"), help: ArgumentHelp("The Training/ folder of a kws checkout. (default: $KWS_TRAINING_DIR, else found above the current folder or kws itself)", valueName: "dir"))
    var trainingDirectory: String?

    @Flag(name: .customLong("non-commercial"), help: "Also train on voices whose licences forbid selling the model (mbrola).")
    var nonCommercial = false

    @Option(name: .customLong("training-flags"), parsing: .unconditional,
            help: ArgumentHelp("More flags for Training/custom_keyword.py, in one quoted string (e.g. '--epochs 60').", valueName: "flags"))
    var trainingFlags: String = ""

    private var pipelineFlags: [String] { trainingFlags.split(separator: " ").map(String.init) }

    func validate() throws {
        guard Self.architectures.contains(arch) else { throw ValidationError(NameSuggestion.unknown("--arch", arch, choices: Self.architectures)) }
        guard Self.windows.contains(windowMilliseconds) else {
            throw ValidationError("--window-ms \(windowMilliseconds): the window is 1000 or 1500 ms")
        }
        if let out, !out.hasSuffix(".safetensors") { throw ValidationError("--out \(out): the name must end in .safetensors") }
    }

    func run() throws {
        Terminal.setUp()
        let phrases = try KeywordPhrase.parse(words)
        let windowSamples = windowMilliseconds * KeywordSpotter.sampleRate / 1000
        let found = try recordings.map { try KeywordRecordings(directory: $0, phrases: phrases, windowSamples: windowSamples) }
        let training = try Self.trainingDirectory(trainingDirectory)
        let python = training + "/.venv/bin/python"
        guard access(python, X_OK) == 0 else {
            throw TrainingSetupError(reason: "\(python) is missing: run `make train-deps` in the kws checkout first")
        }
        let output = out ?? phrases.map(\.label).joined(separator: "-") + ".safetensors"
        var arguments = [python, training + "/custom_keyword.py"] + phrases.map(\.label)
            + ["--out", Self.absolute(output), "--arch", arch, "--window-ms", String(windowMilliseconds), "--kws", Self.executablePath()]
        if nonCommercial { arguments.append("--non-commercial") }
        guard let found else { return try finish(ChildProcess.run(arguments + pipelineFlags)) }
        // The pipeline reads plain 16 kHz copies, removed again however it ends.
        let folder = training + "/cache/keyword/recordings-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try found.write(to: folder)
        try finish(ChildProcess.run(arguments + ["--recordings", folder] + pipelineFlags))
    }

    private func finish(_ status: Int32) throws {
        guard status == 0 else {
            throw TrainingSetupError(reason: status > 128
                ? "training stopped by signal \(status - 128)" : "the training pipeline failed (exit status \(status)); its messages are above")
        }
    }

    /// `--training-dir`, `$KWS_TRAINING_DIR`, or the first `Training/` holding custom_keyword.py above the current
    /// folder or above the kws executable (a build in .build/release of a checkout).
    static func trainingDirectory(_ given: String?) throws -> String {
        let isTraining = { (dir: String) in access(dir + "/custom_keyword.py", R_OK) == 0 }
        if let explicit = given ?? ProcessInfo.processInfo.environment["KWS_TRAINING_DIR"] {
            guard isTraining(explicit) else { throw TrainingSetupError(reason: "\(explicit): not kws's Training/ folder (no custom_keyword.py)") }
            return absolute(explicit)
        }
        for start in [FileManager.default.currentDirectoryPath, executablePath()] {
            var dir = start
            while !dir.isEmpty, dir != "/" {
                if isTraining(dir + "/Training") { return dir + "/Training" }
                dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
            }
        }
        throw TrainingSetupError(reason: "no kws checkout with Training/ above \(FileManager.default.currentDirectoryPath); run from one or pass --training-dir")
    }

    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return count > 0 ? String(cString: buffer) : CommandLine.arguments[0]
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// `kws train` cannot run: no Training/ checkout or virtualenv, or the pipeline failed.
struct TrainingSetupError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

extension TrainCommand: TerminalSettings {
    var json: Bool { false }
    var quiet: Bool { false }
}
