import FoundationEssentials
import KWSAudio
import KWSCore

/// The windows post-training quantization calibrates on (`kws lab quantize`): which clips, in which order, and
/// how a clip used again is varied, so the same clips and seed always give the same ranges.
public struct CalibrationWindows {
    /// Every clip once, in a reproducible shuffled order (so each batch mixes labels).
    public let clips: [URL]
    private let seed: UInt64

    /// - Parameters:
    ///   - root: a directory of `<label>/*.wav` clips.
    ///   - listed: only these paths (relative to `root`) instead of every clip in it.
    ///   - seed: the shuffle and augmentation seed.
    /// - Throws: ``DirectoryError`` when `root` cannot be listed.
    public init(root: URL, listed: [String]? = nil, seed: UInt64) throws {
        let clips: [URL]
        if let listed {
            clips = listed.sorted().map { root.appendingPathComponent($0) }
        } else {
            clips = try WAVDirectory.labelledFolders(in: root.path).flatMap { folder, files in
                files.map { root.appendingPathComponent(folder, isDirectory: true).appendingPathComponent($0) }
            }
        }
        self.clips = Self.shuffled(clips, seed: seed)
        self.seed = seed
    }

    /// The features of window `index` (counting across batches): clip `index % clips.count`'s window (``FrontEndConfig/clipSamples``)
    /// (``ClipWindow``, framed as `KeywordSpotter.classify(clip:)` frames it), from the second pass over the
    /// clips on shifted by up to ±100 ms (zeros fill in) and scaled by 0.8…1.25.
    public func features(at index: Int, frontEnd: FrontEndConfig) throws -> [Float] {
        precondition(!clips.isEmpty, "CalibrationWindows has no clips")
        let second = try ClipWindow(contentsOf: clips[index % clips.count], length: frontEnd.clipSamples).samples
        let varied = index < clips.count ? second : Self.augmented(second, Self.augmentation(index: index, seed: seed))
        return try FeatureExtractor.features(of: varied, config: frontEnd).values
    }

    /// A Fisher–Yates shuffle driven by SplitMix64 (`SeededRandom`).
    private static func shuffled(_ clips: [URL], seed: UInt64) -> [URL] {
        var generator = SeededRandom(seed: seed)
        var result = clips
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        return result
    }

    /// Time shift in samples (±1,600 = ±100 ms) and gain (0.8…1.25) for window `index`.
    private static func augmentation(index: Int, seed: UInt64) -> (shift: Int, gain: Float) {
        var generator = SeededRandom(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        let shift = Int(generator.next() % 3201) - 1600
        let gain = Float(0.8 + Double(generator.next() % 10_000) / 10_000 * 0.45)
        return (shift, gain)
    }

    private static func augmented(_ second: [Float], _ augmentation: (shift: Int, gain: Float)) -> [Float] {
        var shifted = [Float](repeating: 0, count: second.count)
        for index in second.indices {
            let source = index - augmentation.shift
            if second.indices.contains(source) { shifted[index] = second[source] * augmentation.gain }
        }
        return shifted
    }
}
