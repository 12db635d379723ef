import ArgumentParser
import FoundationEssentials
import Glibc
import KWS
import KWSAudio
import KWSCore
import KWSRuntime

/// `--audio DIR`, `--list FILE` and `--limit N`: the real clips whose activations a statistics or simulator
/// command measures.
struct AudioClipOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Directory searched recursively for *.wav clips. (default: none; required)", valueName: "dir"))
    var audio: String?

    @Option(name: .long, help: ArgumentHelp("Only clips whose path relative to DIR is listed in this file (one per line), like `kws eval --list`. (default: every clip)", valueName: "file"))
    var list: String?

    @Option(name: .long, help: ArgumentHelp("At most N clips, evenly spaced through the sorted list (so every folder is represented). (default: all)", valueName: "n"))
    var limit: Int?

    /// The clips, sorted by path, filtered and thinned as the options say.
    /// - Throws: ``SparsityCommandError`` for a missing directory or list, a bad limit, or no clips.
    func clips() throws -> [URL] {
        guard let audio else { throw SparsityCommandError.missingAudio }
        if let limit, limit < 1 { throw SparsityCommandError.badCount(option: "--limit", value: limit) }
        guard WAVDirectory.isDirectory(audio) else { throw SparsityCommandError.noDirectory(audio) }
        let root = URL(fileURLWithPath: audio).standardizedFileURL
        var relative = try WAVDirectory.wavFiles(under: root.path)
        if let list {
            guard let listed = try? ClipList.read(list, option: "--list") else { throw SparsityCommandError.unreadableList(list) }
            let wanted = Set(listed)
            relative = relative.filter { wanted.contains($0) }
        }
        guard !relative.isEmpty else { throw SparsityCommandError.noClips(directory: audio, list: list) }
        if let limit, limit < relative.count {
            let count = relative.count
            relative = (0..<limit).map { relative[$0 * count / limit] }
        }
        return relative.map { root.appendingPathComponent($0) }
    }
}

/// One feature window (the model's length) per clip, framed exactly as `kws eval` and ``KeywordSpotter/classify(clip:sampleRate:)``
/// frame it (``ClipWindow``: the clip's central window, padded with silence when shorter).
enum ClipWindows {
    static func window(_ url: URL, model: TCResNetModel) throws -> [Float] {
        try FeatureExtractor.features(of: ClipWindow(contentsOf: url, length: model.windowSamples).samples, config: model.frontEnd).values
    }

    /// Traces `network` (`model`'s int8 network, or a variant of it) on each clip, handing each trace to
    /// `body`; a clip that cannot be decoded is reported and skipped. Returns the number of clips traced.
    /// - Throws: ``SparsityCommandError/noReadableClips(_:)`` when no clip could be read.
    static func traceEach(_ clips: [URL], model: TCResNetModel, network: QuantizedTCResNet, progress: String,
                          _ body: (Int8LayerTrace) -> Void) throws -> Int {
        var traced = 0
        for (index, clip) in clips.enumerated() {
            Terminal.progress("\(progress) \(index + 1)/\(clips.count) \(clip.lastPathComponent)")
            do {
                body(Int8LayerTrace(network: network, features: try window(clip, model: model)))
                traced += 1
            } catch {
                Terminal.endProgress()
                Terminal.warn("\(clip.path): \(ErrorMessage.text(for: error)); skipped")
            }
        }
        Terminal.endProgress()
        guard traced > 0 else { throw SparsityCommandError.noReadableClips(clips.count) }
        return traced
    }

    /// `model`'s int8 network, magnitude-pruned to `prune` zeros per convolution when given, and a name
    /// that says so.
    /// - Throws: ``SparsityCommandError/notQuantized(_:)`` for a float-only model, ``SparsityCommandError/array(_:)``
    ///   for a fraction outside 0…1.
    static func network(of model: TCResNetModel, prune: Double?) throws -> (network: QuantizedTCResNet, name: String) {
        guard let network = model.quantized else { throw SparsityCommandError.notQuantized(model.name) }
        guard let prune else { return (network, model.name) }
        guard (0...1).contains(prune) else { throw SparsityCommandError.array("--prune \(prune): give a fraction of zero weights in 0…1") }
        return (network.magnitudePruned(fraction: prune),
                "\(model.name) magnitude-pruned to \(String(cFormat: "%g", prune * 100))% zero weights (what-if, no fine-tuning)")
    }
}

/// `--prune F`: the what-if for pruned weights before trained pruned models exist.
struct PruneOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("What-if: set the smallest-magnitude s8 weights of every convolution to 0 until this fraction (0…1) is zero, without fine-tuning (accuracy is not kept; activations are the pruned network's). (default: none: the weights as they are)", valueName: "fraction"))
    var prune: Double?
}
