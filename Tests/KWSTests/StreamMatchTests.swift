import KWS
import XCTest

/// `StreamMatch` says which detection found which spoken keyword, by the same rule `StreamScore` counts with.
final class StreamMatchTests: XCTestCase {
    private func detection(_ label: String, _ start: Double) -> Detection {
        Detection(label: label, score: 0.9, startSample: Int(start * 16000), endSample: Int((start + 1) * 16000))
    }

    func testEachEventIsFoundOnceAndTheRestAreFalseAlarms() {
        let truth = [KeywordEvent(label: "yes", start: 1.2, end: 1.5), KeywordEvent(label: "no", start: 4.2, end: 4.5),
                     KeywordEvent(label: "up", start: 8.2, end: 8.5)]
        let detections = [detection("no", 4.0), detection("yes", 1.0), detection("yes", 1.1), detection("go", 6.0)]
        let match = StreamMatch(detections: detections, truth: truth)
        XCTAssertEqual(match.found.map { $0?.label }, ["yes", "no", nil])
        XCTAssertEqual(match.found[0]?.start, 1.0, "the earliest detection finds the event")
        XCTAssertEqual(match.falseAlarms.map(\.label), ["yes", "go"])
        let score = StreamScore(detections: detections, truth: truth, seconds: 10)
        XCTAssertEqual(score.hitCount, match.found.compactMap { $0 }.count)
        XCTAssertEqual(score.falseAlarmCount, match.falseAlarms.count)
    }
}
