import Foundation
import KWS
import KWSRuntime
import KWSTestSupport
import XCTest

/// The shipped precision-highway models, through kws's own front end and the highway engine, reproduce the
/// test accuracy their metadata records (the trainer's numpy integer network on the trainer's features) on
/// the held-out speaker split: `make test` for one TC-ResNet8 file, `make test-long` for all four.
final class HighwayAccuracyTests: XCTestCase {
    func testHighwayModelsReproduceTheirMetadataAccuracy() throws {
        let clips = try ShippedModelAccuracyTests.testSplitClips()
        let shipped = ModelCatalog.shipped().filter { $0.name.contains("-hw") }
        XCTAssertEqual(shipped.count, 4, "tc-resnet8 and tc-resnet14-1.5 at hw4 and hw2")
        for (name, url) in LongTests.models(shipped, name: \.name) {
            let model = try TCResNetModel.load(contentsOf: url)
            let claimed = try XCTUnwrap(model.testAccuracy, "\(name) has no test_accuracy")
            let spotter = try KeywordSpotter(model: model)
            XCTAssertEqual(spotter.engine.kind, .highway, name)
            let accuracy = try ShippedModelAccuracyTests.accuracy(of: spotter, on: clips)
            // The trainer's front end differs from kws's by float rounding (≤ 2e-4), which can flip a
            // near-tie: two clips of slack.
            XCTAssertEqual(accuracy, claimed, accuracy: 2.0 / Double(clips.count) + 1e-9, name)
        }
    }
}
