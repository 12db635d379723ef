import Foundation
import KWSTestSupport
import XCTest

/// Issue 19: `kws train` checks its words and recordings before any training, each mistake one line and the
/// exit-status policy's status; a tiny run through the Training pipeline makes a model kws loads.
final class TrainCommandCLITests: CLITestCase {
    private func assertRefused(_ arguments: [String], status: Int32, says words: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try kws(["train"] + arguments)
        XCTAssertEqual(result.status, status, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains(words), "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n").filter { $0.hasPrefix("kws:") || $0.hasPrefix("Error:") }.count, 1,
                       "one error line: \(result.stderr)", file: file, line: line)
    }

    func testWordsAreCheckedBeforeTraining() throws {
        try assertRefused([], status: 64, says: "no word given")
        try assertRefused([""], status: 64, says: "keyword '' is empty")
        try assertRefused(["  "], status: 64, says: "is empty")
        try assertRefused(["!!!"], status: 64, says: "keyword '!!!' has no phonemes")
        try assertRefused(["hey 42"], status: 64, says: "'42' has no phonemes")
        try assertRefused(["stop", "Stop"], status: 64, says: "'stop' is given twice")
        try assertRefused(["one two three four five"], status: 64, says: "at most 4")
        try assertRefused(["stop", "--window-ms", "1200"], status: 64, says: "1000 or 1500")
        try assertRefused(["stop", "--arch", "tc-resnet9"], status: 64, says: "--arch")
        try assertRefused(["stop", "--out", "stop.onnx"], status: 64, says: ".safetensors")
    }

    func testRecordingsAreCheckedBeforeTraining() throws {
        let root = try temporaryDirectory()
        try assertRefused(["stop", "--recordings", root.appendingPathComponent("absent").path], status: 66, says: "no such directory")
        try assertRefused(["stop", "--recordings", root.path], status: 66, says: "no folder of recordings for 'stop'")
        let folder = root.appendingPathComponent("hey kiwi")  // the phrase as typed is found too
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clip = TestWAV.s16((0..<8000).map { Float(sin(Double($0) * 0.05)) * 0.3 })
        for name in ["a.wav", "b.wav"] { try clip.write(to: folder.appendingPathComponent(name)) }
        try assertRefused(["hey kiwi", "--recordings", root.path], status: 65, says: "2 recordings of 'hey kiwi'; at least 3")
        try Data("not audio".utf8).write(to: folder.appendingPathComponent("c.wav"))
        try assertRefused(["hey kiwi", "--recordings", root.path], status: 65, says: "c.wav")
        try TestWAV.s16([Float](repeating: 0.1, count: 16000 * 5)).write(to: folder.appendingPathComponent("c.wav"))
        try assertRefused(["hey kiwi", "--recordings", root.path], status: 65, says: "lasts 5.0 s")
    }

    func testAMissingTrainingFolderIsUnavailable() throws {
        let root = try temporaryDirectory()
        try assertRefused(["stop", "--training-dir", root.path], status: 69, says: "not kws's Training/ folder")
    }

    /// The whole pipeline at toy size (a few renderings, one epoch): words, voices, negatives, training, int8,
    /// operating points, report. Needs Training/.venv (make train-deps), the TTS voices and the negative corpus
    /// (make train-deps; Training/negatives.py), so it is skipped where they are missing.
    func testATinyTrainingRunMakesAModelKWSLoads() throws {
        let training = TestPaths.file("Training")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: training.appendingPathComponent(".venv/bin/python").path),
                          "Training/.venv missing (make train-deps)")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: training.appendingPathComponent("cache/negatives/index.json").path),
                          "the negative corpus is not built (Training/negatives.py)")
        let root = try temporaryDirectory()
        let model = root.appendingPathComponent("kiwi.safetensors").path
        let result = try kws(["train", "kiwi", "--out", model, "--window-ms", "1500", "--training-flags",
                              "--renderings 24 --held-out 6 --near 2 --epochs 1 --rounds 0 --per-class 40 --unknown 100 --work "
                              + root.appendingPathComponent("work").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        for stage in 1...7 { XCTAssertTrue(result.stderr.contains("[\(stage)/7]"), "stage \(stage): \(result.stderr)") }
        let info = try kws(["info", "--json", model])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("\"labels\":[\"_silence_\",\"_unknown_\",\"kiwi\"]"), info.stdout)
        XCTAssertTrue(info.stdout.contains("\"input_frames\":148"), info.stdout)
        XCTAssertTrue(info.stdout.contains("\"operating_points\":{"), info.stdout)
        XCTAssertEqual(try kws(["detect", "-m", model, sample("yes.wav")]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("kiwi-det.svg").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("kiwi-report.txt").path))
    }
}
