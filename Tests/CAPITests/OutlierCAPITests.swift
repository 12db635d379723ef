import CKWSHeader
import Foundation
import KWSTestSupport
import XCTest

/// The C API selects the outlier-aware backend by name ("outlier") and by default for an `-ol4-` file, with the
/// same posteriors either way, and refuses mismatched engine/file pairs with a message.
final class OutlierCAPITests: XCTestCase {
    func classify(_ model: String, engine: String?, clip: String) throws -> [Float] {
        try CAPIFixtures.classify(model, engine: engine, clip: clip).posteriors
    }

    func testOutlierByNameAndByDefaultGiveTheSamePosteriors() throws {
        let model = TestPaths.file("Models/tc-resnet8-ol4-0.5.safetensors").path
        try XCTSkipUnless(FileManager.default.fileExists(atPath: model), "no shipped ol4 model")
        for clip in try CAPIFixtures.clipPaths().prefix(3) {
            let named = try classify(model, engine: "outlier", clip: clip)
            XCTAssertEqual(named, try classify(model, engine: nil, clip: clip), clip)
            XCTAssertEqual(named.count, 12)
            XCTAssertEqual(named.reduce(0, +), 1, accuracy: 1e-4)
        }
    }

    func testMismatchedEngineAndFileFailWithAMessage() throws {
        let clip = try XCTUnwrap(try CAPIFixtures.clipPaths().first)
        XCTAssertThrowsError(try classify(TestPaths.file("Models/tc-resnet8-int8.safetensors").path, engine: "outlier", clip: clip)) { error in
            XCTAssertTrue(String(describing: error).contains("--scheme outlier"), "\(error)")
        }
        XCTAssertThrowsError(try classify(TestPaths.file("Models/tc-resnet8-ol4-3.5.safetensors").path, engine: "int8", clip: clip)) { error in
            XCTAssertTrue(String(describing: error).contains("int8"), "\(error)")
        }
    }
}
