import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

/// Issue 15, item 4 (in part): README's eval example runs from a plain clone and scores the test split; a
/// missing directory is one clear line; `make demo` states the real length of Samples/sequence.wav and scores
/// itself against Samples/sequence.txt, printing each keyword found or missed.
final class ReadmeAndDemoCLITests: CLITestCase {
    private var readme: String { get throws { try String(contentsOf: TestPaths.file("README.md"), encoding: .utf8) } }
    private var makefile: String { get throws { try String(contentsOf: TestPaths.file("Makefile"), encoding: .utf8) } }

    func testReadmeEvalExampleScoresTheTestSplit() throws {
        let command = try XCTUnwrap(try readme.split(separator: "\n").first { $0.contains("kws eval --list Training/splits/test.txt ../shared/data/speech_commands") },
                                    "README has no eval example on the test split")
        XCTAssertTrue(command.contains("test split"), "README says what the example scores: \(command)")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: TestPaths.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/speech_commands").path),
                          "no ../shared/data beside the checkout")
        let shell = String(command.prefix { $0 != "#" }).replacingOccurrences(of: ".build/release/kws", with: "\"$KWS\"")
        let result = try shellInRepository(shell)
        XCTAssertEqual(result.status, 0, result.stderr)
        let list = try String(contentsOf: TestPaths.file("Training/splits/test.txt"), encoding: .utf8).split(separator: "\n").count
        XCTAssertTrue(result.stdout.contains(": \(list) clips, accuracy "), "scores every test-split clip: \(result.stdout.prefix(200))")
    }

    func testAMissingDataDirectoryIsOneClearLine() throws {
        let result = try shellInRepository("\"$KWS\" eval /nonexistent/speech_commands")
        XCTAssertEqual(result.status, 66)
        XCTAssertEqual(result.stderr, "kws: /nonexistent/speech_commands: no such directory\n")
        let listed = try shellInRepository("\"$KWS\" eval --list Training/splits/test.txt /nonexistent/speech_commands")
        XCTAssertEqual(listed.stderr, "kws: /nonexistent/speech_commands: no such directory\n")
    }

    /// The recipe lines of `make demo`, as the shell runs them (`$$` is `$` to make).
    private func demoCommands() throws -> [String] {
        let lines = try makefile.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("demo:") })
        return lines[(start + 1)...].prefix { $0.hasPrefix("\t") }.map { String($0.dropFirst()).replacingOccurrences(of: "$$", with: "$") }
    }

    func testDemoBannerStatesTheRealLengthOfTheRecording() throws {
        let audio = try WAVDecoder.decode(contentsOf: TestPaths.file("Samples/sequence.wav"))
        let seconds = Double(audio.samples.count) / Double(audio.sampleRate)
        let banner = try XCTUnwrap(try demoCommands().first { $0.contains("s recording") }, "no banner names the recording's length")
        let stated = try XCTUnwrap(banner.range(of: "[0-9]+(\\.[0-9]+)? s recording", options: .regularExpression).map { Double(banner[$0].split(separator: " ")[0]) } ?? nil)
        XCTAssertEqual(stated, seconds, accuracy: 0.05, banner)
    }

    func testDemoScoresItselfAgainstTheTruthAndSaysWhatWasFoundAndMissed() throws {
        let commands = try demoCommands().filter { $0.contains("--truth Samples/sequence.txt") }
        XCTAssertFalse(commands.isEmpty, "make demo does not score against Samples/sequence.txt")
        let truth = try String(contentsOf: TestPaths.file("Samples/sequence.txt"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        for command in commands {
            let result = try shellInRepository(command.replacingOccurrences(of: "$(BIN)", with: "\"$KWS\""))
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertTrue(result.stdout.contains("recall "), result.stdout)
            let verdicts = result.lines.filter { $0.hasPrefix("  found ") || $0.hasPrefix("  MISSED ") }
            XCTAssertEqual(verdicts.count, truth.count, "one line per spoken keyword: \(result.stdout)")
            for line in truth {
                let word = String(line.split(separator: " ")[0])
                XCTAssertTrue(verdicts.contains { $0.split(separator: " ").dropFirst().first.map(String.init) == word }, "\(word): \(result.stdout)")
            }
            XCTAssertTrue(result.stdout.contains("false alarms in Samples/sequence.wav"), result.stdout)
        }
    }
}
