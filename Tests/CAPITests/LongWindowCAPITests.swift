import CKWSHeader
import Foundation
import KWSTestSupport
import XCTest

/// Issue 19: the C API runs a custom model with a 1.5 s window and labels of its own (LongWindowModelFixture)
/// like a shipped one: its labels, a clip classified over the long window, a detection in a stream.
final class LongWindowCAPITests: XCTestCase {
    func testALongWindowModelClassifiesAndDetects() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kws-capi-long-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hey-kiwi.safetensors").path
        try LongWindowModelFixture.write(to: URL(fileURLWithPath: path))

        var options = kws_default_options()
        var created: OpaquePointer?
        XCTAssertEqual(kws_spotter_create(path, &options, &created), KWS_OK, CAPIFixtures.lastError())
        let spotter = try XCTUnwrap(created)
        defer { kws_spotter_free(spotter) }
        XCTAssertEqual(kws_label_count(spotter), 3)

        let (clip, rate) = try CAPIFixtures.readWAV(TestPaths.file("Samples/yes.wav").path)
        var result = kws_classification()
        XCTAssertEqual(kws_classify_f32(spotter, clip, clip.count, rate, 1, &result), KWS_OK, CAPIFixtures.lastError())
        XCTAssertEqual(String(cString: result.label), LongWindowModelFixture.label)
        XCTAssertEqual(result.label_count, 3)

        let lead = 2 * Int(rate)
        let stream = [Float](repeating: 0, count: lead) + clip + [Float](repeating: 0, count: 2 * Int(rate))
        let detections = try StreamRun.detections(spotter, stream, rate: rate, chunkSizes: [1600, 333])
        XCTAssertEqual(detections.map(\.label), [LongWindowModelFixture.label], "\(detections)")
        let detection = try XCTUnwrap(detections.first)
        XCTAssertEqual(detection.endSample - detection.startSample, Int64(LongWindowModelFixture.windowSamples))
        XCTAssertLessThanOrEqual(detection.startSample, Int64(lead))
        XCTAssertGreaterThanOrEqual(detection.endSample, Int64(lead + clip.count / 2))
    }
}
