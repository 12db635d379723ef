import FoundationEssentials
import KWSAudio
import KWSCore

/// The user's own recordings of custom keywords (`kws train --recordings DIR`): `DIR/<label>/*.wav` (or the
/// folder named as the phrase is typed, spaces and all), any WAV layout and rate kws reads.
///
/// Every file is decoded here, so a file the training could not use is an error naming it before any training
/// starts; ``write(to:)`` then hands the pipeline plain 16 kHz mono 16-bit copies.
public struct KeywordRecordings: Sendable {
    /// Fewer recordings of a word than this teach the model one voice rather than the word.
    public static let minimumPerWord = 3
    /// A recording longer than this many windows is probably not one utterance of the word.
    public static let maximumWindows = 4

    /// 16 kHz samples of each recording, by label, in file-name order.
    public let clips: [String: [[Float]]]

    /// Reads and checks the recordings of every phrase.
    /// - Parameter windowSamples: the model's window (16,000 or 24,000 samples).
    /// - Throws: ``DirectoryError`` for a missing or unreadable folder, ``KeywordRecordingsError`` for a word
    ///   with too few recordings or a recording that is too long, and the decoding errors of ``AudioFile``
    ///   (naming the file) for one kws cannot read.
    public init(directory: String, phrases: [KeywordPhrase], windowSamples: Int) throws {
        guard WAVDirectory.isDirectory(directory) else {
            _ = try WAVDirectory.entries(of: directory)  // the precise reason: missing, not a directory, unreadable
            throw DirectoryError.notADirectory(directory)
        }
        var clips = [String: [[Float]]]()
        for phrase in phrases {
            let candidates = [phrase.label, phrase.text].map { WAVDirectory.join(directory, $0) }
            guard let folder = candidates.first(where: WAVDirectory.isDirectory) else {
                throw KeywordRecordingsError(path: candidates[0], reason: "no folder of recordings for '\(phrase.text)'", missing: true)
            }
            let paths = try WAVDirectory.entries(of: folder).filter(WAVDirectory.isWAVName).sorted()
                .map { WAVDirectory.join(folder, $0) }
            guard paths.count >= Self.minimumPerWord else {
                throw KeywordRecordingsError(path: folder, reason: "\(paths.count) recording\(paths.count == 1 ? "" : "s") of '\(phrase.text)'; at least \(Self.minimumPerWord) are needed")
            }
            clips[phrase.label] = try paths.map { path in
                let audio = try AudioFile(contentsOf: URL(fileURLWithPath: path))
                guard audio.samples.count <= Self.maximumWindows * windowSamples else {
                    throw KeywordRecordingsError(path: path, reason: String(cFormat: "lasts %.1f s; a recording should hold one utterance of the word (at most %d s)",
                                                                              audio.duration, Self.maximumWindows * windowSamples / KeywordSpotter.sampleRate))
                }
                return audio.samples
            }
        }
        self.clips = clips
    }

    /// Writes every recording as `directory/<label>/NNN.wav`, 16 kHz mono 16-bit, for the training pipeline.
    public func write(to directory: String) throws {
        for (label, recordings) in clips {
            let folder = WAVDirectory.join(directory, label)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (index, samples) in recordings.enumerated() {
                let bytes = PCM16WAVEncoder.encode(samples, sampleRate: KeywordSpotter.sampleRate)
                try Data(bytes).write(to: URL(fileURLWithPath: WAVDirectory.join(folder, String(cFormat: "%03d.wav", index))))
            }
        }
    }
}

/// Why the recordings of a custom keyword cannot be used.
public struct KeywordRecordingsError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let reason: String
    /// True when the folder a word needs is not there (exit status 66); false when what is there cannot be used (65).
    public let missing: Bool
    public var description: String { "\(path): \(reason)" }

    public init(path: String, reason: String, missing: Bool = false) {
        self.path = path
        self.reason = reason
        self.missing = missing
    }
}
