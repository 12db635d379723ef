import Foundation
import KWSTestSupport
import XCTest

/// Issue 15, item 3: every JSON line kws prints says what it is (`type`), and under `--json` warnings and
/// errors are JSON lines on stderr too (README "JSON Lines" documents each type).
final class JSONLinesSchemaCLITests: CLITestCase {
    /// The keys README documents for each type, in order.
    static let keys: [String: [String]] = [
        "clip": ["type", "file", "label", "score", "start", "end"],
        "detection": ["type", "file", "label", "score", "start", "end", "threshold", "windows_above"],
        "warning": ["type", "message"],
        "error": ["type", "exit_status", "message"],
    ]

    private func objects(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").map { line in
            let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            XCTAssertNotNil(object, "not a JSON object: \(line)")
            return object ?? [:]
        }
    }

    /// The keys of one JSON line in the order they were written.
    private func orderedKeys(_ line: Substring) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "\"([a-z_]+)\":")
        let text = String(line)
        var keys = [String]()
        var depth = 0
        var index = text.startIndex
        // Only top-level keys: skip nested objects such as "top".
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let start = Range(match.range, in: text)!.lowerBound
            depth += text[index..<start].filter { $0 == "{" || $0 == "[" }.count - text[index..<start].filter { $0 == "}" || $0 == "]" }.count
            index = start
            if depth == 1 { keys.append(String(text[Range(match.range(at: 1), in: text)!])) }
        }
        return keys
    }

    func testClipsAndDetectionsSayWhichTheyAre() throws {
        let result = try kws(["detect", "--json", sample("yes.wav"), sample("sequence.wav")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 1)
        let types = objects(result.stdout).map { $0["type"] as? String }
        XCTAssertEqual(types.first, "clip")
        XCTAssertTrue(types.dropFirst().allSatisfy { $0 == "detection" }, "\(types)")
        for line in lines {
            let type = try XCTUnwrap(objects(String(line)).first?["type"] as? String)
            XCTAssertEqual(orderedKeys(line), Self.keys[type], String(line))
        }
        let streamed = try kws(["stream", "--json"], stdin: try Data(contentsOf: URL(fileURLWithPath: sample("sequence.wav"))))
        XCTAssertFalse(streamed.stdout.isEmpty)
        for line in streamed.stdout.split(separator: "\n") {
            XCTAssertEqual(orderedKeys(line), Self.keys["detection"]!.filter { $0 != "file" }, "stream has no file: \(line)")
        }
    }

    func testErrorsAreJSONLinesOnStderrUnderJSON() throws {
        let failed = try kws(["detect", "--json", sample("yes.wav"), "/nonexistent/a.wav"])
        XCTAssertEqual(failed.status, 66)
        XCTAssertEqual(objects(failed.stdout).first?["type"] as? String, "clip")
        let error = try XCTUnwrap(objects(failed.stderr).first)
        XCTAssertEqual(orderedKeys(failed.stderr.split(separator: "\n")[0]), Self.keys["error"])
        XCTAssertEqual(error["exit_status"] as? Int, 66)
        XCTAssertTrue((error["message"] as? String ?? "").contains("/nonexistent/a.wav"))

        // A parse error, a model that does not exist and a budget that cannot work are JSON too.
        for arguments in [["detect", "--json", "--engine", "quantum", sample("yes.wav")],
                          ["detect", "--json", "-m", "tc-resnet9", sample("yes.wav")],
                          ["stream", "--json", "--false-alarms-per-hour", "-1"],
                          ["eval", "--json", "/nonexistent"]] {
            let result = try kws(arguments)
            XCTAssertNotEqual(result.status, 0)
            let lines = objects(result.stderr)
            XCTAssertEqual(lines.count, 1, "\(arguments): \(result.stderr)")
            XCTAssertEqual(lines.first?["type"] as? String, "error", "\(arguments)")
            XCTAssertEqual(lines.first?["exit_status"] as? Int, Int(result.status), "\(arguments)")
        }
    }

    func testWarningsAreJSONLinesUnderJSONAndQuietDropsThem() throws {
        let warned = try kws(["stream", "--json"], stdin: TestWAV.s16([]))
        XCTAssertEqual(warned.status, 0)
        let warning = try XCTUnwrap(objects(warned.stderr).first)
        XCTAssertEqual(orderedKeys(warned.stderr.split(separator: "\n")[0]), Self.keys["warning"])
        XCTAssertTrue((warning["message"] as? String ?? "").contains("no audio samples"))
        XCTAssertEqual(try kws(["stream", "--json", "-q"], stdin: TestWAV.s16([])).stderr, "")
    }

    func testReportsSayWhatTheyAre() throws {
        XCTAssertEqual(objects(try kws(["eval", "--json", "--stream", sample("sequence.wav")]).stdout).first?["type"] as? String, "stream_evaluation")
        XCTAssertEqual(objects(try kws(["info", "--json", "tc-resnet8"]).stdout).first?["type"] as? String, "model")
        XCTAssertEqual(objects(try kws(["info", "--json", "--verify", "tc-resnet8"]).stdout).first?["type"] as? String, "checksum")
    }

    func testReadmeDocumentsEveryType() throws {
        let readme = try String(contentsOf: TestPaths.file("README.md"), encoding: .utf8)
        for (type, keys) in Self.keys {
            XCTAssertTrue(readme.contains("`\"type\":\"\(type)\"`"), "README lacks the \(type) table")
            for key in keys { XCTAssertTrue(readme.contains("| `\(key)` |"), "README lacks key \(key) of \(type)") }
        }
    }
}
