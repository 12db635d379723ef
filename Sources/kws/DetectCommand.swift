import ArgumentParser
import Foundation
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
        processed, and the exit status is 1. Keyword thresholds come from --threshold, else from \
        --false-alarms-per-hour and the model's operating points, else from the model's default operating \
        point, else 0.7; a setting that cannot work (e.g. a budget outside the model's table) exits with \
        status 2 and one line on stderr.

        Examples:
          kws detect Samples/yes.wav
          kws detect --top 3 Samples/*.wav
          kws detect --json --threshold 0.9 Samples/sequence.wav
          kws detect --json --false-alarms-per-hour 0.5 Samples/sequence.wav
        """
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var detectorOptions: DetectorOptions

    @Flag(name: .long, help: "Print JSON Lines instead of text (with each detection's threshold and windows_above).")
    var json = false

    @Option(name: .long, help: "For clips, also print the K most probable labels.")
    var top: Int = 1

    @Argument(help: ArgumentHelp("WAV files or directories.", valueName: "file"))
    var files: [String]

    func run() throws {
        Terminal.setUp()
        let model = try modelOptions.loadModel()
        let engine = modelOptions.engineKind(for: model)
        let configuration = try detectorOptions.configuration(for: model)
        // Fails early, before any file, for a setting that cannot work.
        var spotters = [KeywordSpotter.sampleRate: try KeywordSpotter(model: model, engine: engine, configuration: configuration)]
        let output = DetectionOutput(json: json)
        var failures = 0
        for empty in WAVFileList.directoriesWithoutWAV(files) {
            failures += 1
            Terminal.warn("\(empty): no .wav files in this directory")
        }
        for path in WAVFileList.expand(files) {
            do {
                try detect(path, output: output) { rate in
                    if let spotter = spotters[rate] { spotter.reset(); return spotter }
                    let spotter = try KeywordSpotter(model: model, engine: engine, configuration: configuration, inputSampleRate: rate)
                    spotters[rate] = spotter
                    return spotter
                }
            } catch {
                failures += 1
                Terminal.warn("\(error)")
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Reads `path` a chunk at a time (``AudioFileStream``), so any length needs memory for a chunk, not for
    /// the file, and pipes and FIFOs work as well as files. Audio that ends within
    /// ``KeywordSpotter/longestClip`` is classified as one clip; as soon as it is longer, what was read so far
    /// and every later chunk go through the streaming detector of a spotter for the file's rate.
    private func detect(_ path: String, output: DetectionOutput, spotter makeSpotter: (Int) throws -> KeywordSpotter) throws {
        var reader = try AudioFileStream(path: path)
        var head = [Float]()
        var spotter: KeywordSpotter?
        while let samples = try reader.next() {
            if let spotter {
                spotter.feed(samples).forEach { output.detection($0, file: path) }
                continue
            }
            head += samples
            guard let rate = reader.sampleRate,
                  Resampler.outputCount(forInputCount: head.count, from: rate) > KeywordSpotter.longestClip else { continue }
            let stream = try makeSpotter(rate)
            stream.feed(head).forEach { output.detection($0, file: path) }
            head = []
            spotter = stream
        }
        reader.warnings.forEach { Terminal.warn($0) }
        if let spotter {
            spotter.finish().forEach { output.detection($0, file: path) }
            return
        }
        guard let rate = reader.sampleRate, !head.isEmpty else { throw KWSError.noAudio(path) }
        let duration = Double(Resampler.outputCount(forInputCount: head.count, from: rate)) / Double(KeywordSpotter.sampleRate)
        output.clip(try makeSpotter(KeywordSpotter.sampleRate).classify(clip: head, sampleRate: rate), file: path, duration: duration, top: top)
    }
}

/// Expands directory arguments into the .wav files under them, sorted; files are kept as given.
enum WAVFileList {
    /// The directory arguments that hold no .wav file (an empty result is a mistake worth a line, not silence).
    static func directoriesWithoutWAV(_ arguments: [String]) -> [String] {
        arguments.filter { argument in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) && isDirectory.boolValue
                && expand([argument]).isEmpty
        }
    }

    static func expand(_ arguments: [String]) -> [String] {
        arguments.flatMap { argument -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [argument]
            }
            let walker = FileManager.default.enumerator(atPath: argument)
            var found = [String]()
            while let relative = walker?.nextObject() as? String {
                if relative.lowercased().hasSuffix(".wav") { found.append((argument as NSString).appendingPathComponent(relative)) }
            }
            return found.sorted()
        }
    }
}
