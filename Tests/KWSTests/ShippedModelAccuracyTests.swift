import Foundation
import KWS
import KWSRuntime
import KWSTestSupport
import XCTest

/// The shipped models reproduce, through kws's own front end and engine, the test accuracy their
/// metadata claims, on the held-out speaker split listed in Training/splits/test.txt: `make test` for one
/// TC-ResNet8 model, `make test-long` for every shipped float model.
final class ShippedModelAccuracyTests: XCTestCase {
    private let data = TestPaths.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/speech_commands")

    func testFloatModelsReproduceTheirMetadataAccuracy() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: data.path), "no ../shared/data beside the checkout")
        let list = try String(contentsOf: TestPaths.file("Training/splits/test.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        XCTAssertGreaterThan(list.count, 300)
        let floats = ModelCatalog.shipped().filter { !$0.name.contains("-int") && !$0.name.contains("-sparse") && !$0.name.contains("-ol") && !$0.name.contains("-hw") }
        XCTAssertFalse(floats.isEmpty, "no shipped float models")
        let models = LongTests.models(floats, name: \.name)
        let clips = try list.map { path -> (AudioFile, String) in
            (try AudioFile(contentsOf: data.appendingPathComponent(path)), String(path.split(separator: "/")[0]))
        }
        for (name, url) in models {
            let model = try TCResNetModel.load(contentsOf: url)
            let claimed = try XCTUnwrap(model.testAccuracy, "\(name) has no test_accuracy")
            let spotter = try KeywordSpotter(model: model)
            var evaluation = Evaluation(labels: model.labels)
            for (audio, label) in clips {
                let truth = try XCTUnwrap(model.labels.firstIndex(of: label))
                evaluation.record(truth: truth, try spotter.classify(clip: audio.samples, sampleRate: KeywordSpotter.sampleRate))
            }
            // Exactly what kws eval measured when the model was shipped (one clip of slack for float rounding).
            XCTAssertEqual(evaluation.accuracy, claimed, accuracy: 1.0 / Double(clips.count) + 1e-9, name)
        }
    }
}
