import ArgumentParser
import Foundation
import KWS

struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect keywords in WAV files.",
        discussion: """
        A file of at most 1.5 s is classified as one 1 s window (shorter clips are padded with silence) and \
        its top label is printed, which may be _silence_ or _unknown_. Longer files run through the streaming \
        detector and every detection is printed with its start and end time. Directories are searched for \
        .wav files recursively. A file that cannot be read gets one line on stderr; the others are still \
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
        let spotter = try KeywordSpotter(model: model, engine: modelOptions.engineKind(for: model),
                                         configuration: detectorOptions.configuration(for: model))
        let output = DetectionOutput(json: json)
        var failures = 0
        for path in WAVFileList.expand(files) {
            do {
                let audio = try AudioFile(contentsOf: URL(fileURLWithPath: path))
                audio.warnings.forEach { Terminal.warn($0) }
                if audio.duration <= 1.5 {
                    output.clip(try spotter.classify(clip: audio.samples, sampleRate: KeywordSpotter.sampleRate),
                                file: path, duration: audio.duration, top: top)
                } else {
                    spotter.reset()
                    for detection in spotter.feed(audio.samples) + spotter.finish() {
                        output.detection(detection, file: path)
                    }
                }
            } catch {
                failures += 1
                Terminal.warn("\(error)")
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// Expands directory arguments into the .wav files under them, sorted; files are kept as given.
enum WAVFileList {
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
