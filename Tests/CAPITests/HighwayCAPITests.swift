import CKWSHeader
import Foundation
import KWSTestSupport
import XCTest

/// The C API selects the precision-highway backend by name ("highway") and by default for a `-hw<k>` file,
/// with the same posteriors either way, and refuses mismatched engine/file pairs with a message.
final class HighwayCAPITests: XCTestCase {
    func testHighwayByNameAndByDefaultGiveTheSamePosteriors() throws {
        let model = TestPaths.file("Models/tc-resnet8-hw4.safetensors").path
        for clip in try CAPIFixtures.clipPaths().prefix(3) {
            let named = try CAPIFixtures.classify(model, engine: "highway", clip: clip)
            let byDefault = try CAPIFixtures.classify(model, engine: nil, clip: clip)
            XCTAssertEqual(named.posteriors, byDefault.posteriors, clip)
            XCTAssertEqual(named.posteriors.count, 12)
            XCTAssertEqual(named.posteriors.reduce(0, +), 1, accuracy: 1e-4)
        }
    }

    func testMismatchedEngineAndFileFailWithAMessage() throws {
        let clip = try XCTUnwrap(try CAPIFixtures.clipPaths().first)
        XCTAssertThrowsError(try CAPIFixtures.classify(TestPaths.file("Models/tc-resnet8.safetensors").path, engine: "highway", clip: clip)) { error in
            XCTAssertTrue(String(describing: error).contains("precision-highway"), "\(error)")
        }
        XCTAssertThrowsError(try CAPIFixtures.classify(TestPaths.file("Models/tc-resnet8-hw2.safetensors").path, engine: "int8", clip: clip)) { error in
            XCTAssertTrue(String(describing: error).contains("int8"), "\(error)")
        }
    }
}
