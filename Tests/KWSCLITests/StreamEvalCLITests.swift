import Foundation
import KWSTestSupport
import XCTest

/// `kws eval --stream`: recall and false alarms on a recording with a truth file, the threshold sweep, and
/// the truth file's errors.
final class StreamEvalCLITests: CLITestCase {
    private struct Event { let label: String; let start: Double; let end: Double }

    /// Samples/sequence.txt's events, written as a truth file with tabs, a comment and a blank line.
    private func truthFile() throws -> (path: String, events: [Event]) {
        let events = try String(contentsOfFile: sample("sequence.txt"), encoding: .utf8).split(separator: "\n").compactMap { line -> Event? in
            let fields = line.split(separator: " ")
            guard fields.count == 3, let start = Double(fields[1]), let end = Double(fields[2]) else { return nil }
            return Event(label: String(fields[0]), start: start, end: end)
        }
        let text = "# Samples/sequence.wav\n\n" + events.map { "\($0.label)\t\($0.start)\t\($0.end)" }.joined(separator: "\n") + "\n"
        let url = try temporaryDirectory().appendingPathComponent("sequence-truth.txt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return (url.path, events)
    }

    private func report(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try kws(["eval", "--json"] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        XCTAssertEqual(result.lines.count, 1, "one JSON object", file: file, line: line)
        return try XCTUnwrap(jsonLines(result, file: file, line: line).first, file: file, line: line)
    }

    func testItReportsTheRecallAndFalseAlarmsThatDetectsDetectionsImply() throws {
        let (truth, events) = try truthFile()
        // tc-resnet8-int8 has no operating points: one threshold (0.7) for every keyword.
        let model = ["--model", "tc-resnet8-int8"]
        let detections = jsonLines(try kws(["detect", "--json"] + model + [sample("sequence.wav")]))
        // The matching rule, written again from its description: earliest detection first, same label,
        // window overlapping the event widened by 0.25 s, each event once.
        var matched = Set<Int>(), hits = [String: Int](), falseAlarms = [String: Int]()
        for detection in detections.sorted(by: { ($0["start"] as! Double) < ($1["start"] as! Double) }) {
            let label = detection["label"] as! String, start = detection["start"] as! Double, end = detection["end"] as! Double
            if let index = events.indices.first(where: { !matched.contains($0) && events[$0].label == label
                    && start < events[$0].end + 0.25 && end > events[$0].start - 0.25 }) {
                matched.insert(index)
                hits[label, default: 0] += 1
            } else {
                falseAlarms[label, default: 0] += 1
            }
        }
        let object = try report(["--stream", sample("sequence.wav"), "--truth", truth] + model)
        let seconds = try XCTUnwrap(object["hours"] as? Double) * 3600
        XCTAssertEqual(seconds, 29.94, accuracy: 0.01)
        XCTAssertEqual(object["events"] as? Int, events.count)
        XCTAssertEqual(object["hits"] as? Int, matched.count)
        XCTAssertEqual(object["misses"] as? Int, events.count - matched.count)
        XCTAssertEqual(object["recall"] as? Double ?? -1, Double(matched.count) / Double(events.count), accuracy: 1e-6)
        XCTAssertGreaterThanOrEqual(Double(matched.count), 0.7 * Double(events.count), "tc-resnet8-int8 at 0.7 finds most of the words")
        let alarms = falseAlarms.values.reduce(0, +)
        XCTAssertEqual(object["false_alarms"] as? Int, alarms)
        XCTAssertEqual(object["false_alarms_per_hour"] as? Double ?? -1, Double(alarms) / (seconds / 3600), accuracy: 1e-3)
        let perKeyword = try XCTUnwrap(object["per_keyword"] as? [String: [String: Any]])
        XCTAssertEqual(Set(perKeyword.keys), Set(Self.keywords))
        for keyword in Self.keywords {
            XCTAssertEqual(perKeyword[keyword]?["hits"] as? Int, hits[keyword] ?? 0, keyword)
            XCTAssertEqual(perKeyword[keyword]?["false_alarms"] as? Int, falseAlarms[keyword] ?? 0, keyword)
        }
        let timing = try XCTUnwrap(object["timing_error_max_s"] as? Double)
        XCTAssertLessThanOrEqual(try XCTUnwrap(object["timing_error_mean_s"] as? Double), timing)
        XCTAssertLessThan(timing, 1.0)
        XCTAssertEqual((object["thresholds"] as? [String: Double])?["yes"], 0.7)
        XCTAssertEqual((object["files"] as? [[String: Any]])?.first?["truth"] as? String, truth)
        XCTAssertNil(object["keywords"], "no sweep unless asked")
    }

    func testSweepRowsFallWithTheThresholdAndAgreeWithAPlainRun() throws {
        let (truth, _) = try truthFile()
        let object = try report(["--stream", sample("sequence.wav"), "--truth", truth, "--sweep"])
        let rows = try XCTUnwrap(object["keywords"] as? [String: [[Double]]])
        XCTAssertEqual(Set(rows.keys), Set(Self.keywords))
        // OperatingPointSweep.defaultThresholds: 0.30…0.95 by 0.01, 0.955…0.99 by 0.005, 0.991…0.999 by 0.001, 0.9995.
        let hundredths: [Float] = (30...95).map { Float($0) / 100 }
        let halves: [Float] = (191...198).map { Float($0) / 200 }
        let thousandths: [Float] = (991...999).map { Float($0) / 1000 }
        let grid: [Double] = (hundredths + halves + thousandths + [Float(0.9995)]).map { Double($0) }
        for (keyword, table) in rows {
            XCTAssertEqual(table.map { Double(Float($0[0])) }, grid, keyword)
            for (lower, higher) in zip(table, table.dropFirst()) {
                XCTAssertLessThanOrEqual(higher[1], lower[1], "\(keyword): recall rises from \(lower) to \(higher)")
                XCTAssertLessThanOrEqual(higher[2], lower[2], "\(keyword): false alarms rise from \(lower) to \(higher)")
            }
        }
        let total = try XCTUnwrap(object["total"] as? [[Double]])
        for threshold in ["0.5", "0.8", "0.95"] {
            let plain = try report(["--stream", sample("sequence.wav"), "--truth", truth, "--threshold", threshold])
            let index = try XCTUnwrap(grid.firstIndex { abs($0 - Double(threshold)!) < 1e-6 })
            let perKeyword = try XCTUnwrap(plain["per_keyword"] as? [String: [String: Any]])
            for keyword in Self.keywords {
                XCTAssertEqual(rows[keyword]?[index][1] ?? -1, perKeyword[keyword]?["recall"] as? Double ?? -2, accuracy: 1e-4, "\(keyword) at \(threshold)")
                XCTAssertEqual(rows[keyword]?[index][2] ?? -1, perKeyword[keyword]?["false_alarms_per_hour"] as? Double ?? -2, accuracy: 1e-3, "\(keyword) at \(threshold)")
            }
            XCTAssertEqual(total[index][1], plain["recall"] as? Double ?? -1, accuracy: 1e-4)
            XCTAssertEqual(total[index][2], plain["false_alarms_per_hour"] as? Double ?? -1, accuracy: 1e-3)
        }
    }

    func testTheSweepPastedIntoAModelFileIsAValidTable() throws {
        let (truth, _) = try truthFile()
        let result = try kws(["eval", "--json", "--stream", sample("sequence.wav"), "--truth", truth, "--sweep"])
        // The "keywords" object verbatim, as a script would paste it.
        let text = result.stdout
        let start = try XCTUnwrap(text.range(of: "\"keywords\":")).upperBound
        let end = try XCTUnwrap(text.range(of: ",\"total\":")).lowerBound
        let object = try XCTUnwrap(jsonLines(result).first)
        let table = #"{"version":1,"hop_ms":100,"smoothing_ms":300,"refractory_ms":500,"#
            + #""negative_hours":\#(object["hours"]!),"positive_events":\#(object["events"]!),"source":"sequence.wav","keywords":"#
            + text[start..<end] + "}"
        let model = try OperatingPointFixture.modelCopy(table: table, in: temporaryDirectory())
        let info = try kws(["info", model.path])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("operating points"), info.stdout)
    }

    func testNegativeRecordingsAddHoursAndOnlyFalseAlarms() throws {
        let (truth, events) = try truthFile()
        let alone = try report(["--stream", sample("sequence.wav"), "--truth", truth])
        let both = try report(["--stream", sample("sequence.wav"), "--truth", truth, "--negative", sample("sequence.wav")])
        let detected = jsonLines(try kws(["detect", "--json", sample("sequence.wav")])).count
        XCTAssertEqual(both["events"] as? Int, events.count)
        XCTAssertEqual(both["hits"] as? Int, alone["hits"] as? Int)
        XCTAssertEqual(both["false_alarms"] as? Int, (alone["false_alarms"] as? Int ?? 0) + detected, "every detection in a negative file is a false alarm")
        XCTAssertEqual(both["hours"] as? Double ?? 0, 2 * (alone["hours"] as? Double ?? 0), accuracy: 1e-5)
        let files = try XCTUnwrap(both["files"] as? [[String: Any]])
        XCTAssertEqual(files.count, 2)
        XCTAssertEqual(files[1]["false_alarms"] as? Int, detected)
        XCTAssertTrue(files[1]["truth"] is NSNull)

        let negativeOnly = try report(["--stream", sample("sequence.wav"), "--truth", "/dev/null"])
        XCTAssertTrue(negativeOnly["recall"] is NSNull, "no truth: no recall")
        XCTAssertEqual(negativeOnly["false_alarms"] as? Int, detected)
    }

    func testItDrawsADETCurveAndPrintsText() throws {
        let (truth, _) = try truthFile()
        let plot = try temporaryDirectory().appendingPathComponent("det.svg").path
        let result = try kws(["eval", "--stream", sample("sequence.wav"), "--truth", truth, "--plot", plot])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("recall"), result.stdout)
        XCTAssertTrue(result.stdout.contains("false alarms"), result.stdout)
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, Self.keywords.count + 1, "one line per keyword and the total")
    }

    func testAMalformedTruthLineIsAnErrorNamingFileAndLine() throws {
        let directory = try temporaryDirectory()
        for (text, words) in [("yes 1.0 1.5\n# fine\nno 2.0\n", ":3: expected LABEL START END"),
                              ("yes 1.0 1.5\nhello 2.0 2.5\n", ":2: 'hello' is not a keyword"),
                              ("yes 2.0 1.5\n", ":1: start 2.0 is not before end 1.5")] {
            let url = directory.appendingPathComponent("bad.txt")
            try text.write(to: url, atomically: true, encoding: .utf8)
            let result = try kws(["eval", "--stream", sample("sequence.wav"), "--truth", url.path])
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.stderr.contains(url.path + words), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
    }

    func testStreamModeOptionsAreCheckedBeforeAnythingRuns() throws {
        for arguments in [["eval"], ["eval", "--stream", sample("sequence.wav"), "Samples"],
                          ["eval", "--stream", sample("sequence.wav"), "--list", "x.txt"],
                          ["eval", "--stream", sample("sequence.wav"), "--plot", "x.svg"],
                          ["eval", "--sweep", "Samples"], ["eval", "--false-alarms-per-hour", "1", "Samples"]] {
            let result = try kws(arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.stderr.contains("Error:"), result.stderr)
        }
    }
}
