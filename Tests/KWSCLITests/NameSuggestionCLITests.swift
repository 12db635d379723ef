import Foundation
import XCTest

/// Issue 15, item 2: a mistyped command, model or engine name gets "did you mean …?" with the nearest real
/// name, and the status of a usage error (64), whether found while parsing or while running.
final class NameSuggestionCLITests: CLITestCase {
    private func assertSuggests(_ arguments: [String], _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try kws(arguments)
        XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.contains(expected), "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
    }

    func testMistypedCommands() throws {
        try assertSuggests(["detcet", sample("yes.wav")], "unknown command 'detcet'; did you mean 'detect'?")
        try assertSuggests(["stram"], "did you mean 'stream'?")
        try assertSuggests(["modles"], "did you mean 'models'?")
        try assertSuggests(["quantise"], "did you mean 'lab quantize'?")
        try assertSuggests(["lab", "zenasim"], "unknown command 'zenasim'; did you mean 'zena-sim'?")
        let far = try kws(["transcribe"])
        XCTAssertEqual(far.status, 64)
        XCTAssertFalse(far.stderr.contains("did you mean"), "no suggestion for a name far from every command: \(far.stderr)")
        XCTAssertTrue(far.stderr.contains("'kws --help' lists the commands"), far.stderr)
    }

    func testMistypedModelNames() throws {
        try assertSuggests(["detect", "-m", "tc-resnet9", sample("yes.wav")], "no model named 'tc-resnet9'; did you mean 'tc-resnet8'?")
        try assertSuggests(["info", "tc-resnet8-itn8"], "did you mean 'tc-resnet8-int8'?")
        try assertSuggests(["stream", "--model", "tc-resnet14-1.5-ao-int"], "did you mean 'tc-resnet14-1.5-ao-int8'?")
        // A path is not a name to correct: it is a missing input file.
        let path = try kws(["detect", "-m", "/nonexistent/tc-resnet8.safetensors", sample("yes.wav")])
        XCTAssertEqual(path.status, 66)
        XCTAssertEqual(path.stderr, "kws: /nonexistent/tc-resnet8.safetensors: no such model file\n")
    }

    func testMistypedEngineAndOptionValues() throws {
        try assertSuggests(["detect", "--engine", "flaot", sample("yes.wav")], "unknown engine 'flaot'; did you mean 'float'?")
        try assertSuggests(["stream", "--format", "s16be"], "did you mean 's16le'?")
        try assertSuggests(["features", sample("yes.wav"), "--frontend", "audio-op"], "did you mean 'audio-ops'?")
        // ArgumentParser's own suggestion for a mistyped option, with the same status.
        try assertSuggests(["detect", "--treshold", "0.8", sample("yes.wav")], "--threshold")
    }
}
