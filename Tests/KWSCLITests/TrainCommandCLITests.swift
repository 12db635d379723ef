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

/// The contract between `kws train` and the pipeline, checked with a stand-in Training/ folder whose
/// `.venv/bin/python` is a shell script: the arguments it gets, the recordings as 16 kHz copies that exist
/// while it runs and are gone after, and how its failure or death is reported.
final class TrainCommandPipelineCLITests: CLITestCase {
    private func fakeTraining(_ body: String) throws -> URL {
        let training = try temporaryDirectory().appendingPathComponent("Training")
        try FileManager.default.createDirectory(at: training.appendingPathComponent(".venv/bin"), withIntermediateDirectories: true)
        try Data("# stand-in\n".utf8).write(to: training.appendingPathComponent("custom_keyword.py"))
        let python = training.appendingPathComponent(".venv/bin/python")
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: python)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python.path)
        return training
    }

    func testThePipelineGetsTheLabelsAndTheRecordingsAsSixteenKilohertzCopies() throws {
        let log = try temporaryDirectory().appendingPathComponent("args.txt")
        // Logs each argument on its own line, and the recordings folder's listing and first file's header.
        let training = try fakeTraining("""
            for a in "$@"; do echo "$a"; done > \(log.path)
            rec=$(awk 'prev == "--recordings" { print } { prev = $0 }' \(log.path))
            [ -n "$rec" ] && ls "$rec"/hey_kiwi >> \(log.path) && od -An -tu4 -j24 -N4 "$rec"/hey_kiwi/000.wav >> \(log.path)
            exit 0
            """)
        let recordings = try temporaryDirectory()
        let folder = recordings.appendingPathComponent("hey kiwi")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["a.wav", "b.wav", "c.wav"] {
            try TestWAV.s16((0..<4410).map { Float(sin(Double($0) * 0.1)) * 0.3 }, sampleRate: 44100).write(to: folder.appendingPathComponent(name))
        }
        let result = try kws(["train", "Hey Kiwi", "--recordings", recordings.path, "--training-dir", training.path,
                              "--window-ms", "1500", "--out", "kiwi.safetensors", "--training-flags", "--epochs 2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(lines.first, training.appendingPathComponent("custom_keyword.py").path)
        XCTAssertEqual(lines[1], "hey_kiwi")
        func value(_ flag: String) -> String? { lines.firstIndex(of: flag).map { lines[$0 + 1] } }
        XCTAssertEqual(value("--window-ms"), "1500")
        XCTAssertEqual(value("--arch"), "tc-resnet8")
        XCTAssertEqual(value("--epochs"), "2")
        XCTAssertEqual(value("--out"), FileManager.default.currentDirectoryPath + "/kiwi.safetensors")
        XCTAssertTrue(value("--kws")?.hasSuffix("/kws") ?? false, "\(lines)")
        XCTAssertTrue(lines.contains("000.wav") && lines.contains("002.wav"), "three copies: \(lines)")
        XCTAssertEqual(lines.last, "16000", "the copies are 16 kHz: \(lines)")
        let copies = try XCTUnwrap(value("--recordings"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: copies), "the copies are removed after the run")
    }

    func testAFailedOrKilledPipelineIsStatus69() throws {
        let failing = try fakeTraining("echo 'keyword: something went wrong' >&2; exit 3")
        let failed = try kws(["train", "kiwi", "--training-dir", failing.path])
        XCTAssertEqual(failed.status, 69, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("keyword: something went wrong"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("the training pipeline failed (exit status 3)"), failed.stderr)
        let killed = try fakeTraining("kill -TERM $$")
        let result = try kws(["train", "kiwi", "--training-dir", killed.path])
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertTrue(result.stderr.contains("training stopped by signal 15"), result.stderr)
        let noVenv = try fakeTraining("exit 0")
        try FileManager.default.removeItem(at: noVenv.appendingPathComponent(".venv"))
        let missing = try kws(["train", "kiwi", "--training-dir", noVenv.path])
        XCTAssertEqual(missing.status, 69, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("make train-deps"), missing.stderr)
    }
}
