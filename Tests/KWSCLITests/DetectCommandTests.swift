import Foundation
import KWSTestSupport
import XCTest

final class DetectCommandTests: CLITestCase {
    func testClipsPrintOneJSONLineWithTheContractKeys() throws {
        let clips = Self.keywords.map { sample("\($0).wav") }
        let result = try kws(["detect", "--json"] + clips)
        XCTAssertEqual(result.status, 0, result.stderr)
        let objects = jsonLines(result)
        XCTAssertEqual(objects.count, clips.count)
        var correct = 0
        for (object, keyword) in zip(objects, Self.keywords) {
            XCTAssertEqual(Set(object.keys), ["type", "file", "label", "score", "start", "end"])
            XCTAssertEqual(object["type"] as? String, "clip")
            XCTAssertEqual(object["start"] as? Double, 0)
            XCTAssertEqual(object["end"] as? Double ?? 0, 1.0, accuracy: 0.001)
            if object["label"] as? String == keyword { correct += 1 }
        }
        // The samples are held-out speakers; the default model must get nearly all of them.
        XCTAssertGreaterThanOrEqual(correct, 8, "\(objects)")
    }

    func testTopKListsLabelsBestFirst() throws {
        let result = try kws(["detect", "--json", "--top", "3", sample("yes.wav")])
        XCTAssertEqual(result.status, 0, result.stderr)
        let top = jsonLines(result).first?["top"] as? [[String: Any]]
        XCTAssertEqual(top?.count, 3)
        let scores = top?.compactMap { $0["score"] as? Double } ?? []
        XCTAssertEqual(scores, scores.sorted(by: >))
    }

    func testBadFilesGetOneLineEachWhileGoodFilesStillPrint() throws {
        let directory = try temporaryDirectory()
        let notWAV = directory.appendingPathComponent("notes.wav")
        try Data("hello, this is not audio".utf8).write(to: notWAV)
        let missing = directory.appendingPathComponent("missing.wav").path
        let result = try kws(["detect", "--json", notWAV.path, sample("yes.wav"), missing])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(jsonLines(result).count, 1, "the good file still prints")
        let errorLines = result.stderr.split(separator: "\n")
        XCTAssertEqual(errorLines.count, 2, result.stderr)
        guard errorLines.count == 2 else { return }
        XCTAssertTrue(errorLines[0].contains("notes.wav"), String(errorLines[0]))
        XCTAssertTrue(errorLines[1].contains("missing.wav"), String(errorLines[1]))
    }

    func testDirectoryArgumentsAreSearchedForWAVFiles() throws {
        let result = try kws(["detect", "--json", TestPaths.file("Samples").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let files = Set(jsonLines(result).compactMap { $0["file"] as? String })
        XCTAssertTrue(files.contains { $0.hasSuffix("yes.wav") })
        XCTAssertTrue(files.contains { $0.hasSuffix("sequence.wav") })
    }
}
