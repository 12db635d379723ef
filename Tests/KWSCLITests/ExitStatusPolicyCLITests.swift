import Foundation
import KWSTestSupport
import XCTest

/// Issue 15, item 2: one exit-status policy (sysexits), the same status for the same kind of mistake however
/// it is found, one line on stderr, and the table in `kws --help` (README "Exit status" repeats it).
final class ExitStatusPolicyCLITests: CLITestCase {
    private func assertStatus(_ expected: Int32, _ arguments: [String], says words: String? = nil,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try kws(arguments)
        XCTAssertEqual(result.status, expected, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertFalse(result.stderr.contains("NSCocoaErrorDomain") || result.stderr.contains("Error Domain="),
                       "a Foundation error dump: \(result.stderr)", file: file, line: line)
        if let words { XCTAssertTrue(result.stderr.contains(words), "\(arguments): \(result.stderr)", file: file, line: line) }
    }

    func testUsageErrorsAre64WhetherParsedOrValidated() throws {
        let clip = sample("yes.wav")
        try assertStatus(64, ["detect", "--no-such-option", clip])               // parse error
        try assertStatus(64, ["detect", "--hop-ms", "abc", clip])                // parse error: not a number
        try assertStatus(64, ["detect", "--hop-ms", "15", clip], says: "hop")   // a number the detector refuses
        try assertStatus(64, ["detect", "--engine", "quantum", clip])           // validate()
        try assertStatus(64, ["detect", "-t", "high", clip], says: "--threshold 'high'")
        try assertStatus(64, ["detect", "--false-alarms-per-hour", "0", clip])
        try assertStatus(64, ["detect", "-m", "no-such-model", clip])           // a model name is part of the command line
        try assertStatus(64, ["detect", "--engine", "int8", "-m", "tc-resnet8", clip], says: "no int8 parameters")
        try assertStatus(64, ["eval"])                                          // neither DIR nor --stream
        try assertStatus(64, ["stream", "--rate", "1"])
        try assertStatus(64, ["info", "--stats", "tc-resnet8-int8"], says: "--audio DIR is required")
        try assertStatus(64, ["nonsense"])
    }

    func testBadInputDataIs65() throws {
        let directory = try temporaryDirectory()
        let notWAV = directory.appendingPathComponent("notes.wav")
        try Data("not audio".utf8).write(to: notWAV)
        try assertStatus(65, ["detect", notWAV.path], says: "notes.wav")
        try assertStatus(65, ["features", notWAV.path])
        let broken = directory.appendingPathComponent("broken.safetensors")
        try Data([1, 2, 3]).write(to: broken)
        try assertStatus(65, ["detect", "-m", broken.path, sample("yes.wav")], says: "broken.safetensors")
        let truth = directory.appendingPathComponent("truth.txt")
        try "yes 2.0 1.0\n".write(to: truth, atomically: true, encoding: .utf8)
        try assertStatus(65, ["eval", "--stream", sample("sequence.wav"), "--truth", truth.path], says: "truth.txt:1")
    }

    func testMissingInputIs66AndOneLine() throws {
        let directory = try temporaryDirectory()
        let missing = directory.appendingPathComponent("missing").path
        for (arguments, words) in [(["detect", missing + ".wav"], "no such file"),
                                   (["features", missing + ".wav"], "no such file"),
                                   (["eval", missing], "\(missing): no such directory"),
                                   (["eval", "--list", missing + ".txt", TestPaths.file("Samples").path], "--list \(missing).txt: no such file"),
                                   (["eval", "--stream", missing + ".wav"], "no such file"),
                                   (["eval", "--stream", sample("sequence.wav"), "--truth", missing + ".txt"], "missing.txt"),
                                   (["detect", "-m", missing + ".safetensors", sample("yes.wav")], "no such model file"),
                                   (["detect", directory.path], "no .wav files"),
                                   (["lab", "quantize", "tc-resnet8", "--calibration", missing, "-o", missing + ".safetensors"], "no such directory")] {
            let result = try kws(arguments)
            XCTAssertEqual(result.status, 66, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(words), "\(arguments): \(result.stderr)")
        }
    }

    func testAnOutputThatCannotBeWrittenIs73() throws {
        let nowhere = "/nonexistent/kws-out"
        try assertStatus(73, ["features", sample("yes.wav"), "-o", nowhere + ".npy"], says: "cannot write \(nowhere).npy: no such directory")
        try assertStatus(73, ["eval", "--stream", sample("sequence.wav"), "--truth", sample("sequence.txt"), "--plot", nowhere + ".svg"])
        let clips = try temporaryDirectory()
        try FileManager.default.createDirectory(at: clips.appendingPathComponent("yes"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: sample("yes.wav"), toPath: clips.appendingPathComponent("yes/a.wav").path)
        try assertStatus(73, ["eval", "--plot", nowhere + ".svg", clips.path])
    }

    func testAFailedFileAmongGoodOnesGivesTheFirstFailuresStatus() throws {
        let result = try kws(["detect", sample("yes.wav"), "/nonexistent/a.wav", sample("no.wav")])
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.lines.count, 2, "the good files still print")
    }

    func testAPassingCheckIs0AndAFailingCheckIs1() throws {
        XCTAssertEqual(try kws(["info", "--verify", "tc-resnet8-int8"]).status, 0)
        let unstamped = try kws(["info", "--verify", TestPaths.file("Tests/KWSRuntimeTests/Fixtures/tc-resnet8-ref.safetensors").path])
        XCTAssertEqual(unstamped.status, 1)
    }

    func testHelpDocumentsTheTable() throws {
        let help = try kws(["--help"]).stdout
        for status in ["0", "1", "64", "65", "66", "70", "73", "74", "130", "143"] {
            XCTAssertNotNil(help.range(of: "\n *\(status)  [a-zA-Z]", options: .regularExpression), "kws --help lacks status \(status):\n\(help)")
        }
        let readme = try String(contentsOf: TestPaths.file("README.md"), encoding: .utf8)
        for status in ["64", "65", "66", "70", "73", "74", "130", "143"] {
            XCTAssertTrue(readme.contains("| \(status) |"), "README's exit-status table lacks \(status)")
        }
    }
}
