import FoundationEssentials
import Glibc
import KWS
import KWSAudio
import KWSRuntime

/// What `kws detect` does with one file: its top label if it is a clip, else every detection in it.
/// A value shared by every `--jobs` thread; the spotters it runs belong to the thread that passes them in.
struct FileDetection: Sendable {
    let model: TCResNetModel
    let engine: EngineKind
    let configuration: DetectorConfiguration
    let output: DetectionOutput
    let top: Int

    /// Detects in `path` and hands each line, warning and failure to `emit` as it is decided.
    /// - Parameter spotters: the calling thread's spotters by input rate, made on first use and reset for reuse.
    func run(_ path: String, spotters: inout [Int: KeywordSpotter], emit: (FileTranscript.Entry) -> Void) {
        do {
            try detect(path, spotters: &spotters, emit: emit)
        } catch {
            emit(.failure(error))
        }
    }

    /// Reads `path` a chunk at a time (``AudioFileStream``), so any length needs memory for a chunk, not for
    /// the file, and pipes and FIFOs work as well as files. Audio that ends within
    /// ``KeywordSpotter/longestClip`` is classified as one clip; as soon as it is longer, what was read so far
    /// and every later chunk go through the streaming detector of a spotter for the file's rate.
    private func detect(_ path: String, spotters: inout [Int: KeywordSpotter], emit: (FileTranscript.Entry) -> Void) throws {
        func spotter(for rate: Int) throws -> KeywordSpotter {
            if let spotter = spotters[rate] { spotter.reset(); return spotter }
            let spotter = try KeywordSpotter(model: model, engine: engine, configuration: configuration, inputSampleRate: rate)
            spotters[rate] = spotter
            return spotter
        }
        func emitLines(_ detections: [Detection]) {
            detections.forEach { emit(.line(output.line(for: $0, file: path))) }
        }
        var reader = try AudioFileStream(path: path)
        var head = [Float]()
        var stream: KeywordSpotter?
        while let samples = try reader.next() {
            if let stream {
                emitLines(stream.feed(samples))
                continue
            }
            head += samples
            guard let rate = reader.sampleRate,
                  Resampler.outputCount(forInputCount: head.count, from: rate) > KeywordSpotter.longestClip else { continue }
            let started = try spotter(for: rate)
            emitLines(started.feed(head))
            head = []
            stream = started
        }
        reader.warnings.forEach { emit(.warning($0)) }
        if let stream {
            emitLines(stream.finish())
            return
        }
        guard let rate = reader.sampleRate, !head.isEmpty else { throw KWSError.noAudio(path) }
        let duration = Double(Resampler.outputCount(forInputCount: head.count, from: rate)) / Double(KeywordSpotter.sampleRate)
        let result = try spotter(for: KeywordSpotter.sampleRate).classify(clip: head, sampleRate: rate)
        emit(.line(output.line(for: result, file: path, duration: duration, top: top)))
    }
}
