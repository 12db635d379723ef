import Foundation
import KWS
import KWSTestSupport
import XCTest

/// The accuracy models (the dense float models of Training/train.py --final and their int8 files) say in
/// their metadata how they were trained and what the speaker-disjoint cross-validation of that recipe
/// measured (Training/cv.py), so a number in README can be traced to the folds behind it.
final class ShippedModelRecipeTests: XCTestCase {
    private static let names = ["tc-resnet8", "tc-resnet8-int8", "tc-resnet14-1.5", "tc-resnet14-1.5-int8"]

    func testEachModelNamesItsRecipeAndItsCrossValidationFigures() throws {
        for name in Self.names {
            let model = try ModelCatalog.load(name)
            let text = try XCTUnwrap(model.metadata["training"], name)
            let training = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], name)
            let recipe = try XCTUnwrap(training["recipe"] as? [String: Any], "\(name) names its recipe")
            XCTAssertNotNil(recipe["selection"], name)
            let runs = try XCTUnwrap(training["cross_validation"] as? [[String: Any]], "\(name) carries CV figures")
            XCTAssertFalse(runs.isEmpty, name)
            for run in runs {
                let folds = try XCTUnwrap(run["fold_accuracy"] as? [Double], name)
                XCTAssertEqual(folds.count, run["folds"] as? Int, name)
                XCTAssertGreaterThanOrEqual(folds.count, 5, "\(name): at least 5 folds")
                let mean = try XCTUnwrap(run["mean_accuracy"] as? Double, name)
                XCTAssertEqual(mean, folds.reduce(0, +) / Double(folds.count), accuracy: 1e-3, "\(name): the mean is the folds' mean")
                XCTAssertNotNil(run["ci95"] as? Double, name)
                XCTAssertTrue((run["protocol"] as? String ?? "").contains("test speakers never used"), name)
            }
        }
    }
}
