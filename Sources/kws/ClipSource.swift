import ArgumentParser
import Foundation
import KWS
import KWSAudio
import KWSRuntime

/// `--audio DIR`, `--list FILE` and `--limit N`: the real clips whose activations a statistics or simulator
/// command measures.
struct AudioClipOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Directory searched recursively for *.wav clips.", valueName: "dir"))
    var audio: String?

    @Option(name: .long, help: ArgumentHelp("Only clips whose path relative to DIR is listed in this file (one per line), like `kws eval --list`.", valueName: "file"))
    var list: String?

    @Option(name: .long, help: ArgumentHelp("At most N clips, evenly spaced through the sorted list (so every folder is represented).", valueName: "n"))
    var limit: Int?

    /// The clips, sorted by path, filtered and thinned as the options say.
    /// - Throws: ``SparsityCommandError`` for a missing directory or list, a bad limit, or no clips.
    func clips() throws -> [URL] {
        guard let audio else { throw SparsityCommandError.missingAudio }
        if let limit, limit < 1 { throw SparsityCommandError.badCount(option: "--limit", value: limit) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: audio, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SparsityCommandError.noDirectory(audio)
        }
        let root = URL(fileURLWithPath: audio).standardizedFileURL
        var relative = Self.wavFiles(under: root)
        if let list {
            guard let text = try? String(contentsOfFile: list, encoding: .utf8) else { throw SparsityCommandError.unreadableList(list) }
            let wanted = Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
            relative = relative.filter { wanted.contains($0) }
        }
        guard !relative.isEmpty else { throw SparsityCommandError.noClips(directory: audio, list: list) }
        if let limit, limit < relative.count {
            let count = relative.count
            relative = (0..<limit).map { relative[$0 * count / limit] }
        }
        return relative.map { root.appendingPathComponent($0) }
    }

    /// Paths of `*.wav` files below `root`, relative to it, sorted.
    static func wavFiles(under root: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var files = [String]()
        while let path = enumerator.nextObject() as? String {
            if path.lowercased().hasSuffix(".wav") { files.append(path) }
        }
        return files.sorted()
    }
}

/// One 1 s feature window per clip, framed exactly as `kws eval` and ``KeywordSpotter/classify(clip:sampleRate:)``
/// frame it: the clip's central second, padded with silence when shorter.
enum ClipWindows {
    static func window(_ url: URL, model: TCResNetModel) throws -> [Float] {
        let audio = try AudioFile(contentsOf: url)
        let rate = KeywordSpotter.sampleRate
        var second = [Float](repeating: 0, count: rate)
        let offset = max(0, (audio.samples.count - rate) / 2)
        let count = min(rate, audio.samples.count)
        second.replaceSubrange(0..<count, with: audio.samples[offset..<offset + count])
        return try FeatureExtractor.features(of: second, config: model.frontEnd).values
    }

    /// Traces `model`'s int8 network on each clip, handing each trace to `body`; a clip that cannot be
    /// decoded is reported and skipped. Returns the number of clips traced.
    /// - Throws: ``SparsityCommandError/notQuantized(_:)`` for a float-only model,
    ///   ``SparsityCommandError/noReadableClips(_:)`` when no clip could be read.
    static func traceEach(_ clips: [URL], model: TCResNetModel, progress: String, _ body: (Int8LayerTrace) -> Void) throws -> Int {
        guard model.quantized != nil else { throw SparsityCommandError.notQuantized(model.name) }
        var traced = 0
        for (index, clip) in clips.enumerated() {
            Terminal.progress("\(progress) \(index + 1)/\(clips.count) \(clip.lastPathComponent)")
            do {
                body(try Int8LayerTrace(model: model, features: try window(clip, model: model)))
                traced += 1
            } catch {
                Terminal.endProgress()
                Terminal.warn("\(clip.path): \(error)")
            }
        }
        Terminal.endProgress()
        guard traced > 0 else { throw SparsityCommandError.noReadableClips(clips.count) }
        return traced
    }
}
