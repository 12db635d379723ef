import Foundation
import KWS
import KWSRuntime
import KWSTestSupport
import XCTest

/// The shipped precision-highway models, through kws's own front end and the highway engine, reproduce the
/// test accuracy their metadata records (the trainer's numpy integer network on the trainer's features) on
/// the held-out speaker split: `make test` for one TC-ResNet8 file, `make test-long` for all four.
final class HighwayAccuracyTests: XCTestCase {
    private let data = TestPaths.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/speech_commands")

    func testHighwayModelsReproduceTheirMetadataAccuracy() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: data.path), "no ../shared/data beside the checkout")
        let list = try String(contentsOf: TestPaths.file("Training/splits/test.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        let shipped = ModelCatalog.shipped().filter { $0.name.contains("-hw") }
        XCTAssertEqual(shipped.count, 4, "tc-resnet8 and tc-resnet14-1.5 at hw4 and hw2")
        let models = LongTests.models(shipped, name: \.name)
        let clips = try list.map { path -> (AudioFile, String) in
            (try AudioFile(contentsOf: data.appendingPathComponent(path)), String(path.split(separator: "/")[0]))
        }
        for (name, url) in models {
            let model = try TCResNetModel.load(contentsOf: url)
            let claimed = try XCTUnwrap(model.testAccuracy, "\(name) has no test_accuracy")
            let spotter = try KeywordSpotter(model: model)
            XCTAssertEqual(spotter.engine.kind, .highway, name)
            var evaluation = Evaluation(labels: model.labels)
            for (audio, label) in clips {
                let truth = try XCTUnwrap(model.labels.firstIndex(of: label))
                evaluation.record(truth: truth, try spotter.classify(clip: audio.samples, sampleRate: KeywordSpotter.sampleRate))
            }
            // The trainer's front end differs from kws's by float rounding (≤ 2e-4), which can flip a
            // near-tie: two clips of slack.
            XCTAssertEqual(evaluation.accuracy, claimed, accuracy: 2.0 / Double(clips.count) + 1e-9, name)
        }
    }
}
