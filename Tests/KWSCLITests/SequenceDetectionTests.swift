import Foundation
import KWSTestSupport
import XCTest

/// Keywords spoken one after another, with pauses: each is found once, at the right time.
final class SequenceDetectionTests: CLITestCase {
    private struct Truth { let label: String; let start: Double; let end: Double }

    private func truth() throws -> [Truth] {
        let text = try String(contentsOfFile: sample("sequence.txt"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, !line.hasPrefix("#"), let start = Double(fields[1]), let end = Double(fields[2]) else { return nil }
            return Truth(label: String(fields[0]), start: start, end: end)
        }
    }

    func testEachKeywordIsDetectedOnceAtItsTime() throws {
        let expected = try truth().filter { Self.keywords.contains($0.label) }
        XCTAssertGreaterThanOrEqual(expected.count, 5)
        let found = jsonLines(try kws(["detect", "--json", sample("sequence.wav")]))
        XCTAssertEqual(found.count, expected.count, "\(found)")
        for keyword in expected {
            let matches = found.filter { detection in
                guard let start = detection["start"] as? Double else { return false }
                return detection["label"] as? String == keyword.label && abs(start - keyword.start) <= 0.1
            }
            XCTAssertEqual(matches.count, 1, "\(keyword.label) at \(keyword.start) s: \(found)")
        }
    }
}
