import CKWSHeader
import Foundation
import KWSTestSupport
import XCTest

/// The C API selects the precision-highway backend by name ("highway") and by default for a `-hw<k>` file,
/// with the same posteriors either way, and refuses mismatched engine/file pairs with a message.
final class HighwayCAPITests: XCTestCase {
    func classify(_ model: String, engine: String?, clip: String) throws -> (label: String, posteriors: [Float]) {
        var options = kws_default_options()
        var spotter: OpaquePointer?
        let status: kws_status = engine.map { name in
            name.withCString { options.engine = $0; return kws_spotter_create(model, &options, &spotter) }
        } ?? kws_spotter_create(model, &options, &spotter)
        guard status == KWS_OK, let spotter else { throw CAPIFailure(status: status, message: CAPIFixtures.lastError()) }
        defer { kws_spotter_free(spotter) }
        let (samples, rate) = try CAPIFixtures.readWAV(clip)
        var result = kws_classification()
        XCTAssertEqual(kws_classify_f32(spotter, samples, samples.count, rate, 1, &result), KWS_OK, CAPIFixtures.lastError())
        return (String(cString: result.label), Array(UnsafeBufferPointer(start: result.posteriors, count: result.label_count)))
    }

    func testHighwayByNameAndByDefaultGiveTheSamePosteriors() throws {
        let model = TestPaths.file("Models/tc-resnet8-hw4.safetensors").path
        for clip in try CAPIFixtures.clipPaths().prefix(3) {
            let named = try classify(model, engine: "highway", clip: clip)
            let byDefault = try classify(model, engine: nil, clip: clip)
            XCTAssertEqual(named.posteriors, byDefault.posteriors, clip)
            XCTAssertEqual(named.posteriors.count, 12)
            XCTAssertEqual(named.posteriors.reduce(0, +), 1, accuracy: 1e-4)
        }
    }

    func testMismatchedEngineAndFileFailWithAMessage() throws {
        let clip = try XCTUnwrap(try CAPIFixtures.clipPaths().first)
        XCTAssertThrowsError(try classify(TestPaths.file("Models/tc-resnet8.safetensors").path, engine: "highway", clip: clip)) { error in
            XCTAssertTrue(String(describing: error).contains("precision-highway"), "\(error)")
        }
        XCTAssertThrowsError(try classify(TestPaths.file("Models/tc-resnet8-hw2.safetensors").path, engine: "int8", clip: clip)) { error in
            XCTAssertTrue(String(describing: error).contains("int8"), "\(error)")
        }
    }
}
