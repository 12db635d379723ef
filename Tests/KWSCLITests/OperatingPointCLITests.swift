import Foundation
import KWSTestSupport
import XCTest

/// `--false-alarms-per-hour`, `kws info` on a model with operating points, and the reason fields of
/// `--json` detections, on a copy of the default model with the hand-made table of ``OperatingPointFixture``.
final class OperatingPointCLITests: CLITestCase {
    private func model(table: String? = OperatingPointFixture.tableJSON) throws -> String {
        try OperatingPointFixture.modelCopy(table: table, in: temporaryDirectory()).path
    }

    /// The fixture's choices (keyword i's rates are scaled by 1 + i/10). 5/h: 0.5/h each, so the 0.4·s/h row
    /// at 0.8 fits for yes, no, up (s ≤ 1.2) and the others need 0.9. 1/h (the default): 0.1/h each, so
    /// yes (0.1/h at 0.9) takes 0.9 and the others 0.95.
    static let thresholdsAt5: [String: Double] = ["yes": 0.8, "no": 0.8, "up": 0.8, "down": 0.9, "left": 0.9, "right": 0.9, "on": 0.9, "off": 0.9, "stop": 0.9, "go": 0.9]
    static let defaultThresholds: [String: Double] = Dictionary(uniqueKeysWithValues: keywords.map { ($0, $0 == "yes" ? 0.9 : 0.95) })

    func testABudgetThatCannotWorkIsAUsageErrorOfOneLine() throws {
        let model = try model()
        let cases = [("nan", "use a number > 0"), ("-1", "use a number > 0"), ("0", "use a number > 0"), ("inf", "use a number > 0"),
                     ("1e9", "outside the table: 0 < X ≤ 58"), ("0.01", "below what the table reaches for 'go' (lowest: 0.38/h")]
        for (value, words) in cases {
            for command in [["detect", sample("sequence.wav")], ["stream"], ["eval", "--stream", sample("sequence.wav")]] {
                let result = try kws(command + ["--model", model, "--false-alarms-per-hour", value])
                XCTAssertEqual(result.status, 64, "\(command) \(value): \(result.stderr)")
                XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
                XCTAssertTrue(result.stderr.contains(words), "\(value): \(result.stderr)")
                XCTAssertEqual(result.stdout, "")
            }
        }
        let plain = try kws(["detect", "--model", try self.model(table: nil), "--false-alarms-per-hour", "1", sample("sequence.wav")])
        XCTAssertEqual(plain.status, 64)
        XCTAssertEqual(plain.stderr.split(separator: "\n").count, 1, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("has no operating points"), plain.stderr)
    }

    func testHelpStatesTheOptionAndItsExitStatus() throws {
        for command in ["detect", "stream", "eval"] {
            let help = try kws([command, "--help"]).stdout
            XCTAssertTrue(help.contains("--false-alarms-per-hour"), "\(command) --help")
            XCTAssertTrue(help.replacingOccurrences(of: "\n", with: " ").contains("status 64"), "\(command) --help: \(help)")
        }
    }

    func testJSONDetectionsSayWhichThresholdFiredAndForHowManyWindows() throws {
        let model = try model()
        for (arguments, expected) in [(["--false-alarms-per-hour", "5"], Self.thresholdsAt5), ([], Self.defaultThresholds),
                                      (["--false-alarms-per-hour", "5", "--threshold", "0.6"], Dictionary(uniqueKeysWithValues: Self.keywords.map { ($0, 0.6) })),
                                      (["--false-alarms-per-hour", "5", "--threshold", "yes=0.5"], Self.thresholdsAt5.merging(["yes": 0.5]) { $1 })] {
            let result = try kws(["detect", "--json", "--model", model] + arguments + [sample("sequence.wav")])
            XCTAssertEqual(result.status, 0, result.stderr)
            let detections = jsonLines(result)
            XCTAssertFalse(detections.isEmpty, "\(arguments)")
            for detection in detections {
                let label = try XCTUnwrap(detection["label"] as? String)
                let threshold = try XCTUnwrap(detection["threshold"] as? Double)
                XCTAssertEqual(threshold, try XCTUnwrap(expected[label]), accuracy: 1e-4, "\(arguments) \(label)")
                XCTAssertGreaterThanOrEqual(try XCTUnwrap(detection["score"] as? Double), threshold - 1e-4)
                XCTAssertGreaterThanOrEqual(try XCTUnwrap(detection["windows_above"] as? Int), 1)
            }
        }
    }

    func testAModelWithoutATableDetectsExactlyAsBefore() throws {
        let model = try model(table: nil)
        let implicit = try kws(["detect", "--json", "--model", model, sample("sequence.wav")])
        let explicit = try kws(["detect", "--json", "--model", model, "--threshold", "0.7", sample("sequence.wav")])
        XCTAssertEqual(implicit.status, 0, implicit.stderr)
        XCTAssertEqual(implicit.stdout, explicit.stdout)
        XCTAssertTrue(jsonLines(implicit).allSatisfy { ($0["threshold"] as? Double) == 0.7 })
    }

    func testInfoShowsTheTableAtAFewBudgets() throws {
        let model = try model()
        let text = try kws(["info", model])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("operating points  measured on 1.5 h of audio and 400 keyword events"), text.stdout)
        XCTAssertTrue(text.stdout.contains("0.38…58"), text.stdout)
        XCTAssertTrue(text.stdout.contains("1/h default"), text.stdout)
        let yes = try XCTUnwrap(text.lines.first { $0.hasPrefix("  yes ") }, text.stdout)
        XCTAssertTrue(yes.contains("0.8 90% 0.4"), "at 5/h: \(yes)")
        XCTAssertTrue(yes.contains("0.9 85% 0.1"), "at 1/h: \(yes)")

        let json = try kws(["info", "--json", model])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(jsonLines(json).first)
        let points = try XCTUnwrap(object["operating_points"] as? [String: Any])
        let table = try XCTUnwrap(points["table"] as? [String: Any])
        XCTAssertEqual(table["default_false_alarms_per_hour"] as? Double, 1)
        XCTAssertEqual((table["keywords"] as? [String: [[Double]]])?["yes"]?.first, [0.3, 0.99, 4])
        let budgets = try XCTUnwrap(points["budgets"] as? [[String: Any]])
        XCTAssertEqual(budgets.map { $0["false_alarms_per_hour"] as? Double }, [0.1, 0.5, 1, 2, 5])
        XCTAssertEqual(budgets.map { $0["default"] as? Bool }, [false, false, true, false, false])
        XCTAssertNotNil(budgets[0]["error"], "0.1/h is below the table")
        let atFive = try XCTUnwrap(budgets[4]["keywords"] as? [String: [String: Double]])
        XCTAssertEqual(atFive.mapValues { $0["threshold"] ?? -1 }, Self.thresholdsAt5)

        let plain = try kws(["info", "--json", try self.model(table: nil)])
        XCTAssertTrue(try XCTUnwrap(jsonLines(plain).first)["operating_points"] is NSNull)
    }
}
