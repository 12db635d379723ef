import KWS
import KWSRuntime
import XCTest

/// A false-alarm budget turned into per-keyword thresholds (``OperatingPoints/points(forFalseAlarmsPerHour:)``),
/// and which threshold wins when several are set (``DetectorConfiguration/keywordThresholds(labels:operatingPoints:)``).
final class OperatingPointBudgetTests: XCTestCase {
    private let labels = ["_silence_", "_unknown_", "yes", "no"]

    /// `yes` measured a rate that rises again at 0.7 (1.1/h above 0.9/h at 0.6); `no` falls monotonically.
    /// Highest total: 4 + 3 = 7/h; lowest: 2 × max(0.1, 0.05) = 0.2/h.
    private func table(defaultBudget: Double? = 1.0) -> OperatingPoints {
        func rows(_ values: [(Float, Double, Double)]) -> [OperatingPoint] {
            values.map { OperatingPoint(threshold: $0.0, recall: $0.1, falseAlarmsPerHour: $0.2) }
        }
        return OperatingPoints(hopMilliseconds: 100, smoothingMilliseconds: 300, refractoryMilliseconds: 500, negativeHours: 2,
                               positiveEvents: 100, defaultFalseAlarmsPerHour: defaultBudget, keywords: [
                                   "yes": rows([(0.3, 0.99, 4), (0.5, 0.97, 2), (0.6, 0.96, 0.9), (0.7, 0.95, 1.1), (0.8, 0.9, 0.4), (0.9, 0.8, 0.1)]),
                                   "no": rows([(0.4, 0.98, 3), (0.6, 0.95, 1), (0.8, 0.9, 0.5), (0.95, 0.7, 0.05)]),
                               ])
    }

    func testTheBudgetIsSplitEvenlyAndEachKeywordTakesTheLowestThresholdWhoseRowsAboveAllFit() throws {
        let table = table()
        XCTAssertEqual(try table.thresholds(forFalseAlarmsPerHour: 2), ["yes": 0.8, "no": 0.6],
                       "1/h each: yes skips 0.6 (0.9/h) because 0.7 above it has 1.1/h; no's 1/h at 0.6 fits exactly")
        XCTAssertEqual(try table.thresholds(forFalseAlarmsPerHour: 1), ["yes": 0.8, "no": 0.8])
        XCTAssertEqual(try table.thresholds(forFalseAlarmsPerHour: 7), ["yes": 0.5, "no": 0.4], "the whole table")
        XCTAssertEqual(try table.thresholds(forFalseAlarmsPerHour: 0.2), ["yes": 0.9, "no": 0.95], "the least the table reaches")
        XCTAssertEqual(try table.points(forFalseAlarmsPerHour: 2)["yes"], OperatingPoint(threshold: 0.8, recall: 0.9, falseAlarmsPerHour: 0.4))
        XCTAssertEqual(table.highestFalseAlarmsPerHour, 7)
        XCTAssertEqual(table.lowestFalseAlarmsPerHour, 0.2)
    }

    func testABudgetThatIsNotAPositiveNumberIsAnError() {
        for budget in [Double.nan, -1, 0, .infinity, -.infinity] {
            XCTAssertThrowsError(try table().points(forFalseAlarmsPerHour: budget)) { error in
                guard case .notPositive? = error as? OperatingPointBudgetError else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".contains("use a number > 0"), "\(error)")
            }
        }
    }

    func testABudgetAboveTheTableSaysWhatTheTableAllows() {
        XCTAssertThrowsError(try table().points(forFalseAlarmsPerHour: 7.5)) { error in
            XCTAssertEqual("\(error)", "false alarms per hour 7.5 is outside the table: 0 < X ≤ 7")
        }
    }

    func testABudgetBelowReachNamesTheKeywordThatCannotGoLower() {
        XCTAssertThrowsError(try table().points(forFalseAlarmsPerHour: 0.19)) { error in
            XCTAssertEqual(error as? OperatingPointBudgetError, .belowReach(0.19, keyword: "yes", lowest: 0.2))
            XCTAssertEqual("\(error)", "false alarms per hour 0.19 is below what the table reaches for 'yes' (lowest: 0.2/h in total)")
        }
    }

    func testExplicitThresholdsBeatTheBudgetWhichBeatsTheModelDefaultWhichBeatsTheFixedDefault() throws {
        func chosen(_ configuration: DetectorConfiguration, _ table: OperatingPoints?) throws -> [String: Float] {
            try configuration.keywordThresholds(labels: labels, operatingPoints: table)
        }
        let table = table()
        XCTAssertEqual(try chosen(DetectorConfiguration(), table), ["yes": 0.8, "no": 0.8], "the table's default budget, 1/h")
        XCTAssertEqual(try chosen(DetectorConfiguration(falseAlarmsPerHour: 2), table), ["yes": 0.8, "no": 0.6])
        XCTAssertEqual(try chosen(DetectorConfiguration(threshold: 0.55, falseAlarmsPerHour: 2), table), ["yes": 0.55, "no": 0.55])
        XCTAssertEqual(try chosen(DetectorConfiguration(threshold: 0.55), table), ["yes": 0.55, "no": 0.55])
        XCTAssertEqual(try chosen(DetectorConfiguration(thresholds: ["no": 0.42], falseAlarmsPerHour: 2), table), ["yes": 0.8, "no": 0.42])
        XCTAssertEqual(try chosen(DetectorConfiguration(threshold: 0.55, thresholds: ["no": 0.42], falseAlarmsPerHour: 2), table),
                       ["yes": 0.55, "no": 0.42])
        XCTAssertEqual(try chosen(DetectorConfiguration(), self.table(defaultBudget: nil)), ["yes": 0.7, "no": 0.7])
        XCTAssertEqual(try chosen(DetectorConfiguration(), nil), ["yes": 0.7, "no": 0.7], "no table: as before tables existed")
        XCTAssertEqual(try chosen(DetectorConfiguration(thresholds: ["yes": 0.9]), nil), ["yes": 0.9, "no": 0.7])
    }

    func testABudgetIsCheckedEvenWhenExplicitThresholdsLeaveItNothingToDecide() {
        XCTAssertThrowsError(try DetectorConfiguration(threshold: 0.5, falseAlarmsPerHour: .nan).keywordThresholds(labels: labels, operatingPoints: table()))
        XCTAssertThrowsError(try DetectorConfiguration(threshold: 0.5, falseAlarmsPerHour: 100).keywordThresholds(labels: labels, operatingPoints: table()))
        XCTAssertThrowsError(try DetectorConfiguration(falseAlarmsPerHour: 1).keywordThresholds(labels: labels, operatingPoints: nil)) { error in
            guard case let .invalidConfiguration(message)? = error as? KWSError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("the model has no operating points"), message)
        }
    }
}
