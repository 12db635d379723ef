import Foundation
import KWS
import KWSAudio
import KWSCore
import KWSRuntime
import KWSTestSupport
import XCTest

/// Issue 19: a model's window comes from its file (`clip_samples`), so a custom model with a 1.5 s window and
/// labels of its own runs through classification, streaming (exact timestamps) and `kws detect`/`stream`.
final class LongWindowModelTests: XCTestCase {
    private var modelURL: URL!

    override func setUpWithError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kws-long-window-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        modelURL = dir.appendingPathComponent("hey-kiwi.safetensors")
        try LongWindowModelFixture.write(to: modelURL)
    }

    private func model() throws -> TCResNetModel { try ModelCatalog.load(modelURL.path) }

    /// "yes" between `before` and `after` seconds of silence, and where the word's voiced part lies.
    private func stream(before: Double, after: Double) throws -> (samples: [Float], word: Range<Int>) {
        let clip = try AudioFile(contentsOf: TestPaths.file("Samples/yes.wav")).samples
        let lead = Int(before * 16000)
        let loud = clip.indices.filter { abs(clip[$0]) > 0.1 * (clip.map(abs).max() ?? 1) }
        return ([Float](repeating: 0, count: lead) + clip + [Float](repeating: 0, count: Int(after * 16000)),
                lead + loud.first! ..< lead + loud.last! + 1)
    }

    func testTheWindowComesFromTheModelFile() throws {
        let model = try model()
        XCTAssertEqual(model.windowSamples, 24_000)
        XCTAssertEqual(model.inputFrames, 148)
        XCTAssertEqual(model.labels, ["_silence_", "_unknown_", LongWindowModelFixture.label])
        let shipped = try ModelCatalog.load("tc-resnet8")
        XCTAssertEqual(shipped.windowSamples, 16_000, "a file without clip_samples has a one-second window")
        XCTAssertEqual(shipped.inputFrames, 98)
    }

    func testClipSamplesIsWrittenOnlyWhenNotOneSecondAndValidated() throws {
        let oneSecond = String(decoding: try JSONEncoder().encode(FrontEndConfig.tcResNet), as: UTF8.self)
        XCTAssertFalse(oneSecond.contains("clip_samples"), "a one-second front end encodes as before: \(oneSecond)")
        var long = FrontEndConfig.tcResNet
        long.clipSamples = 24_000
        XCTAssertEqual(try JSONDecoder().decode(FrontEndConfig.self, from: JSONEncoder().encode(long)), long)
        try long.validate()
        for bad in [7_999, 24_001, 0] {
            long.clipSamples = bad
            XCTAssertThrowsError(try long.validate(), "clip_samples \(bad)") { error in
                XCTAssertTrue(String(describing: error).contains("clip_samples"), "\(error)")
            }
        }
    }

    func testAClipIsClassifiedOverTheWholeLongWindow() throws {
        let spotter = try KeywordSpotter(model: model())
        let clip = try AudioFile(contentsOf: TestPaths.file("Samples/yes.wav")).samples
        XCTAssertEqual(try spotter.classify(clip: clip, sampleRate: 16000).label, LongWindowModelFixture.label)
        // The whole window is used: the same word 0.2 s into a 1.5 s clip is still heard.
        let late = [Float](repeating: 0, count: 3200) + clip + [Float](repeating: 0, count: 4800)
        XCTAssertEqual(try spotter.classify(clip: late, sampleRate: 16000).label, LongWindowModelFixture.label)
    }

    func testStreamingDetectionsHaveExactTimestampsWhateverTheChunking() throws {
        let (samples, word) = try stream(before: 2.5, after: 2.0)
        func run(_ chunk: Int) throws -> [Detection] {
            let spotter = try KeywordSpotter(model: model())
            var found = [Detection]()
            var start = 0
            while start < samples.count {
                found += spotter.feed(Array(samples[start ..< min(samples.count, start + chunk)]))
                start += chunk
            }
            return found + spotter.finish()
        }
        let whole = try run(samples.count)
        XCTAssertEqual(whole.map(\.label), [LongWindowModelFixture.label], "\(whole)")
        let detection = try XCTUnwrap(whole.first)
        // The reported span is a window that holds the word: 1.5 s long, starting before the word and ending after it.
        XCTAssertEqual(detection.endSample - detection.startSample, 24_000, "\(detection)")
        XCTAssertLessThanOrEqual(detection.startSample, word.lowerBound, "\(detection) vs word \(word)")
        XCTAssertGreaterThanOrEqual(detection.endSample, word.upperBound, "\(detection) vs word \(word)")
        XCTAssertEqual(try run(777).map(\.startSample), whole.map(\.startSample))
    }

    func testReplayingRecordedPosteriorsUsesTheModelsWindow() throws {
        let (samples, _) = try stream(before: 2.5, after: 2.0)
        let spotter = try KeywordSpotter(model: model())
        spotter.recordsPosteriors = true
        let live = spotter.feed(samples) + spotter.finish()
        XCTAssertEqual(spotter.posteriorTrack.windowSamples, 24_000)
        XCTAssertEqual(try spotter.posteriorTrack.detections(configuration: spotter.configuration), live)
    }

    func testDetectAndStreamCommandsLoadIt() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: TestPaths.kwsBinary.path), "kws binary not built")
        let detect = try ProcessRunner.kws(["detect", "-m", modelURL.path, TestPaths.file("Samples/yes.wav").path])
        XCTAssertEqual(detect.status, 0, detect.stderr)
        XCTAssertTrue(detect.stdout.contains(LongWindowModelFixture.label), detect.stdout)
        let (samples, word) = try stream(before: 2.5, after: 2.0)
        let raw = Data(samples.flatMap { sample -> [UInt8] in
            let value = Int16(max(-1, min(1, sample)) * 32767)
            return [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
        })
        let streamed = try ProcessRunner.kws(["stream", "-m", modelURL.path, "--json"], stdin: raw)
        XCTAssertEqual(streamed.status, 0, streamed.stderr)
        let detections = streamed.lines.filter { $0.contains("\"type\":\"detection\"") }
        XCTAssertEqual(detections.count, 1, streamed.stdout)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(detections[0].utf8)) as? [String: Any])
        let start = try XCTUnwrap(object["start"] as? Double), end = try XCTUnwrap(object["end"] as? Double)
        XCTAssertLessThanOrEqual(start, Double(word.lowerBound) / 16000 + 1e-3, detections[0])
        XCTAssertGreaterThanOrEqual(end, Double(word.upperBound) / 16000 - 1e-3, detections[0])
    }
}
