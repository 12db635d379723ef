import Foundation
import KWS
import KWSRuntime
import KWSTestSupport
import XCTest

/// The shipped quantized files (`-int8`, `-ol4-`) record their own engine's test-split accuracy as
/// `test_accuracy` and their float model's as `float_test_accuracy` (Models/FORMAT.md); a file of the older
/// kind (only the copied float figure) shows no own figure. One of them is measured again here.
final class ShippedQuantizedAccuracyTests: XCTestCase {
    private let data = TestPaths.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/speech_commands")

    private var quantized: [(name: String, model: TCResNetModel)] {
        get throws {
            try ModelCatalog.shipped().compactMap { name, url in
                let model = try TCResNetModel.load(contentsOf: url)
                let isQuantized = model.metadata["quantization"] != nil || model.metadata["outlier_quantization"] != nil
                return isQuantized ? (name, model) : nil
            }
        }
    }

    /// The files whose own figure was measured (tc-resnet8-int8 and tc-resnet14-1.5-int8 were being retrained).
    static let measured = ["tc-resnet14-1.5-ao-int8", "tc-resnet14-1.5-sparse50-int8", "tc-resnet14-1.5-sparse70-int8",
                           "tc-resnet14-1.5-sparse85-int8", "tc-resnet14-int8", "tc-resnet8-1.5-int8", "tc-resnet8-ao-int8",
                           "tc-resnet8-sparse50-int8", "tc-resnet8-sparse70-int8", "tc-resnet8-sparse85-int8",
                           "tc-resnet14-1.5-ol4-0.5", "tc-resnet14-1.5-ol4-3.5", "tc-resnet8-ol4-0.5", "tc-resnet8-ol4-3.5"]

    func testEachFileTellsItsOwnFigureFromItsFloatModels() throws {
        let files = Dictionary(try quantized.map { ($0.name, $0.model) }, uniquingKeysWith: { first, _ in first })
        for name in Self.measured {
            let model = try XCTUnwrap(files[name], "\(name) is not a shipped quantized model")
            XCTAssertNotNil(model.ownTestAccuracy, name)
            XCTAssertNotNil(model.metadata["float_test_accuracy"], name)
        }
        for (name, model) in files where model.metadata["float_test_accuracy"] == nil {
            XCTAssertNil(model.ownTestAccuracy, "\(name): an older file's test_accuracy is its float model's")
        }
    }

    func testAnInt8FileReproducesItsOwnFigure() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: data.path), "no ../shared/data beside the checkout")
        let model = try ModelCatalog.load("tc-resnet8-ao-int8")
        let claimed = try XCTUnwrap(model.ownTestAccuracy)
        XCTAssertNotEqual(model.metadata["test_accuracy"], model.metadata["float_test_accuracy"], "measured, not copied")
        let list = try String(contentsOf: TestPaths.file("Training/splits/test.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        let spotter = try KeywordSpotter(model: model)
        var evaluation = Evaluation(labels: model.labels)
        for path in list {
            let audio = try AudioFile(contentsOf: data.appendingPathComponent(path))
            let truth = try XCTUnwrap(model.labels.firstIndex(of: String(path.split(separator: "/")[0])))
            evaluation.record(truth: truth, try spotter.classify(clip: audio.samples, sampleRate: KeywordSpotter.sampleRate))
        }
        // What `kws eval --list Training/splits/test.txt` measured with the release build (one clip of slack).
        XCTAssertEqual(evaluation.accuracy, claimed, accuracy: 1.0 / Double(list.count) + 1e-9)
    }
}
