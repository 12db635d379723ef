import Foundation
import KWS
import KWSRuntime
import KWSTestSupport
import XCTest

/// The shipped outlier-aware models through the Swift API (``KeywordSpotter`` picks the outlier engine by
/// default) reproduce the test-split accuracy of Models/README.md's "Outlier-aware 4-bit" table exactly: the
/// network is integer, so any change of the file, the engine or the front end shows up here. `make test`
/// checks one TC-ResNet8 file, `make test-long` all four.
final class OutlierAccuracyTests: XCTestCase {
    private let data = TestPaths.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/speech_commands")

    /// Correct clips of 520, as `kws eval` measured them for the table.
    static let expected = ["tc-resnet8-ol4-0.5": 445, "tc-resnet8-ol4-3.5": 460,
                           "tc-resnet14-1.5-ol4-0.5": 446, "tc-resnet14-1.5-ol4-3.5": 443]

    func testShippedOutlierModelsReproduceTheTable() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: data.path), "no ../shared/data beside the checkout")
        let list = try String(contentsOf: TestPaths.file("Training/splits/test.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        let shipped = ModelCatalog.shipped().filter { $0.name.contains("-ol4-") }
        XCTAssertEqual(Set(shipped.map(\.name)), Set(Self.expected.keys))
        let models = LongTests.models(shipped, name: \.name)
        let clips = try list.map { path -> (AudioFile, String) in
            (try AudioFile(contentsOf: data.appendingPathComponent(path)), String(path.split(separator: "/")[0]))
        }
        for (name, url) in models {
            let model = try TCResNetModel.load(contentsOf: url)
            let spotter = try KeywordSpotter(model: model)
            XCTAssertEqual(spotter.engine.kind, .outlier, name)
            var correct = 0
            for (audio, label) in clips where try spotter.classify(clip: audio.samples, sampleRate: KeywordSpotter.sampleRate).label == label {
                correct += 1
            }
            XCTAssertEqual(clips.count, 520)
            XCTAssertEqual(correct, Self.expected[name], "\(name): \(correct)/\(clips.count)")
        }
    }
}
