import Foundation
import KWS
import KWSRuntime
import KWSTestSupport
import XCTest

/// The shipped models reproduce, through kws's own front end and engine, the test accuracy their
/// metadata claims, on the held-out speaker split listed in Training/splits/test.txt: `make test` for one
/// TC-ResNet8 model, `make test-long` for every shipped float model.
final class ShippedModelAccuracyTests: XCTestCase {
    static let data = TestPaths.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/speech_commands")

    /// The held-out speaker split's clips (Training/splits/test.txt), decoded, with their labels; skips without
    /// ../shared/data.
    static func testSplitClips() throws -> [(audio: AudioFile, label: String)] {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: data.path), "no ../shared/data beside the checkout")
        let list = try String(contentsOf: TestPaths.file("Training/splits/test.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        return try list.map { path in
            (try AudioFile(contentsOf: data.appendingPathComponent(path)), String(path.split(separator: "/")[0]))
        }
    }

    /// The spotter's clip accuracy on `clips` through kws's own front end and engine.
    static func accuracy(of spotter: KeywordSpotter, on clips: [(audio: AudioFile, label: String)]) throws -> Double {
        let labels = spotter.model.labels
        var evaluation = Evaluation(labels: labels)
        for (audio, label) in clips {
            let truth = try XCTUnwrap(labels.firstIndex(of: label))
            evaluation.record(truth: truth, try spotter.classify(clip: audio.samples, sampleRate: KeywordSpotter.sampleRate))
        }
        return evaluation.accuracy
    }

    func testFloatModelsReproduceTheirMetadataAccuracy() throws {
        let clips = try Self.testSplitClips()
        XCTAssertGreaterThan(clips.count, 300)
        let floats = ModelCatalog.shipped().filter { !$0.name.contains("-int") && !$0.name.contains("-sparse") && !$0.name.contains("-ol") && !$0.name.contains("-hw") }
        XCTAssertFalse(floats.isEmpty, "no shipped float models")
        for (name, url) in LongTests.models(floats, name: \.name) {
            let model = try TCResNetModel.load(contentsOf: url)
            let claimed = try XCTUnwrap(model.testAccuracy, "\(name) has no test_accuracy")
            let accuracy = try Self.accuracy(of: try KeywordSpotter(model: model), on: clips)
            // Exactly what kws eval measured when the model was shipped (one clip of slack for float rounding).
            XCTAssertEqual(accuracy, claimed, accuracy: 1.0 / Double(clips.count) + 1e-9, name)
        }
    }
}
