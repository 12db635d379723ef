@testable import KWS
import XCTest

final class EvaluationTests: XCTestCase {
    private let labels = ["_silence_", "_unknown_", "yes", "no"]

    private func result(_ posteriors: [Float]) -> Classification { Classification(labels: labels, posteriors: posteriors) }

    func testAccuracyRecallConfusionAndROC() {
        var evaluation = Evaluation(labels: labels)
        evaluation.record(truth: 2, result([0, 0.1, 0.9, 0]))      // yes, right, confident
        evaluation.record(truth: 2, result([0, 0.5, 0.3, 0.2]))    // yes, heard as unknown
        evaluation.record(truth: 3, result([0, 0, 0.4, 0.6]))      // no, right
        evaluation.record(truth: 1, result([0.1, 0.2, 0.7, 0]))    // unknown, heard as yes: a false alarm at ≤ 0.7
        XCTAssertEqual(evaluation.count, 4)
        XCTAssertEqual(evaluation.accuracy, 0.5)
        XCTAssertEqual(evaluation.recall, [nil, 0, 0.5, 1])
        XCTAssertEqual(evaluation.confusion[1][2], 1)
        let at = { (t: Float) in evaluation.roc.first { abs($0.threshold - t) < 1e-4 }! }
        XCTAssertEqual(at(0.5).detectionRate, 2.0 / 3)    // 0.9 and 0.6; the 0.3 yes does not reach it
        XCTAssertEqual(at(0.5).falseAlarmRate, 1)
        XCTAssertEqual(at(0.8).detectionRate, 1.0 / 3)
        XCTAssertEqual(at(0.8).falseAlarmRate, 0)
        XCTAssertEqual(at(0.35).wrongKeywordRate, 0, "the no clip's top keyword is no")
    }
}
