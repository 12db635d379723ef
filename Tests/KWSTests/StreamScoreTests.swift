import KWS
import XCTest

/// Scoring detections against the keywords spoken in a recording, and reading those from a truth file.
final class StreamScoreTests: XCTestCase {
    private func detection(_ label: String, _ start: Double, _ end: Double) -> Detection {
        Detection(label: label, score: 0.9, startSample: Int(start * 16000), endSample: Int(end * 16000))
    }

    func testHitsMissesFalseAlarmsAndTimingFollowTheMatchingRule() throws {
        let truth = [KeywordEvent(label: "yes", start: 2.0, end: 2.5), KeywordEvent(label: "no", start: 5.0, end: 5.4),
                     KeywordEvent(label: "yes", start: 8.0, end: 8.3)]
        let detections = [
            detection("yes", 1.9, 2.9),   // duplicate of the word below, decided later: a false alarm
            detection("yes", 1.6, 2.6),   // the first yes: hit, centre 2.1 vs 2.25
            detection("no", 0.0, 1.0),    // nothing spoken there
            detection("no", 3.8, 4.8),    // reaches the word widened by 0.25 s (4.75): hit, centre 4.3 vs 5.2
            detection("up", 7.7, 8.7),    // the wrong keyword over the second yes
        ]
        let score = StreamScore(detections: detections, truth: truth, seconds: 3600)
        XCTAssertEqual(score.events, ["yes": 2, "no": 1])
        XCTAssertEqual(score.hits, ["yes": 1, "no": 1])
        XCTAssertEqual(score.falseAlarms, ["yes": 1, "no": 1, "up": 1])
        XCTAssertEqual(score.missCount, 1)
        XCTAssertEqual(try XCTUnwrap(score.recall), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(score.recall(of: "yes"), 0.5)
        XCTAssertNil(score.recall(of: "up"))
        XCTAssertEqual(score.falseAlarmsPerHour, 3)
        XCTAssertEqual(score.falseAlarmsPerHour(of: "up"), 1)
        XCTAssertEqual(try XCTUnwrap(score.meanTimingError), (0.15 + 0.9) / 2, accuracy: 1e-9)
        XCTAssertEqual(score.timingErrorMax, 0.9, accuracy: 1e-9)
    }

    func testADetectionJustOutsideTheToleranceIsAFalseAlarm() {
        let truth = [KeywordEvent(label: "no", start: 5.0, end: 5.4)]
        XCTAssertEqual(StreamScore(detections: [detection("no", 3.7, 4.7)], truth: truth, seconds: 10).falseAlarmCount, 1)
        XCTAssertEqual(StreamScore(detections: [detection("no", 5.7, 6.7)], truth: truth, seconds: 10).falseAlarmCount, 1)
        XCTAssertEqual(StreamScore(detections: [detection("no", 5.6, 6.6)], truth: truth, seconds: 10).hitCount, 1)
    }

    func testWithoutTruthEveryDetectionIsAFalseAlarmAndScoresAddUp() {
        var total = StreamScore(detections: [detection("yes", 0, 1), detection("go", 3, 4)], truth: [], seconds: 1800)
        XCTAssertNil(total.recall)
        XCTAssertEqual(total.falseAlarmsPerHour, 4)
        total.add(StreamScore(detections: [detection("yes", 0, 1)], truth: [KeywordEvent(label: "yes", start: 0.2, end: 0.6)], seconds: 1800))
        XCTAssertEqual(total.hours, 1)
        XCTAssertEqual(total.falseAlarmCount, 2)
        XCTAssertEqual(total.recall, 1)
    }

    func testATruthFileHasOneEventPerLineWithCommentsAndBlankLines() throws {
        let events = try TruthFile.parse("# spoken keywords\nyes\t1.0\t1.5\n\n  no 2   2.5  \r\n", file: "t.txt")
        XCTAssertEqual(events, [KeywordEvent(label: "yes", start: 1, end: 1.5, line: 2), KeywordEvent(label: "no", start: 2, end: 2.5, line: 4)])
    }

    func testAMalformedTruthLineNamesTheFileAndLine() {
        let cases = [("yes 1.0", "t.txt:2: expected LABEL START END"), ("yes 1 2 3", "t.txt:2: expected LABEL START END"),
                     ("yes one 2", "t.txt:2: start 'one' is not a number"), ("yes 2 1", "t.txt:2: start 2 is not before end 1"),
                     ("yes 1 1", "t.txt:2: start 1 is not before end 1"), ("yes -1 1", "t.txt:2: start '-1'"),
                     ("yes 1 nan", "t.txt:2: end 'nan' is not a number")]
        for (line, message) in cases {
            XCTAssertThrowsError(try TruthFile.parse("no 0 0.5\n\(line)\n", file: "t.txt")) { error in
                XCTAssertTrue("\(error)".hasPrefix(message), "\(error)")
            }
        }
    }
}
