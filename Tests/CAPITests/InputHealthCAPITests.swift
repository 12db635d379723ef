import CKWSHeader
import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

/// Issue 15, item 1, through the C API: `kws_input_warnings` and `kws_input_warning_message` report what the
/// spotter heard wrong in what it was fed, for the stream in progress or just finished, until the next stream.
final class InputHealthCAPITests: XCTestCase {
    private func mask(_ spotter: OpaquePointer) throws -> UInt32 {
        var warnings: UInt32 = 0xFFFF
        let status = kws_input_warnings(spotter, &warnings)
        guard status == KWS_OK else { throw CAPIFailure(status: status, message: CAPIFixtures.lastError()) }
        return warnings
    }

    private func feed(_ spotter: OpaquePointer, _ samples: [Int16], rate: Int32 = 16000, channels: Int32 = 1) {
        let frames = samples.count / Int(channels)
        XCTAssertEqual(samples.withUnsafeBufferPointer { kws_feed_s16(spotter, $0.baseAddress, frames, rate, channels) }, KWS_OK,
                       CAPIFixtures.lastError())
    }

    private func s16(_ samples: [Float]) -> [Int16] {
        samples.map { Int16(max(-32768, min(32767, ($0 * 32768).rounded()))) }
    }

    func testStereoFedAsMonoIsReportedWithItsMessage() throws {
        let spotter = try CAPIFixtures.spotter(self)
        XCTAssertEqual(try mask(spotter), 0)
        let stereo = s16(try MisreadAudio.sequence().flatMap { [$0, $0] })
        feed(spotter, stereo)
        XCTAssertEqual(try mask(spotter), KWS_INPUT_INTERLEAVED_CHANNELS.rawValue)
        var message: UnsafePointer<CChar>?
        XCTAssertEqual(kws_input_warning_message(spotter, KWS_INPUT_INTERLEAVED_CHANNELS, &message), KWS_OK)
        XCTAssertTrue(String(cString: try XCTUnwrap(message)).contains("interleaved channels"))
        XCTAssertEqual(kws_input_warning_message(spotter, KWS_INPUT_CLIPPING, &message), KWS_OK)
        XCTAssertNil(message, "a warning not raised has no message")

        XCTAssertEqual(kws_finish(spotter), KWS_OK)
        XCTAssertEqual(try mask(spotter), KWS_INPUT_INTERLEAVED_CHANNELS.rawValue, "kept after kws_finish")
        // The same audio fed as what it is: a new stream, nothing wrong.
        feed(spotter, stereo, channels: 2)
        XCTAssertEqual(try mask(spotter), 0)
        XCTAssertEqual(kws_reset(spotter), KWS_OK)
        XCTAssertEqual(try mask(spotter), 0)
    }

    func testFortyEightKilohertzFedAsSixteen() throws {
        let spotter = try CAPIFixtures.spotter(self)
        let samples = s16(try Resampler.resample(try MisreadAudio.sequence(), from: 16000, to: 48000))
        feed(spotter, Array(samples.prefix(16000 * 10)))
        XCTAssertEqual(try mask(spotter), KWS_INPUT_RATE_TOO_LOW.rawValue, "within 10 s")
        XCTAssertEqual(kws_reset(spotter), KWS_OK)
        feed(spotter, samples, rate: 48000)
        XCTAssertEqual(try mask(spotter), 0)
    }

    func testEveryKindHasItsOwnBitAndBadArgumentsAreRefused() throws {
        let spotter = try CAPIFixtures.spotter(self)
        let bits: [kws_input_warning] = [KWS_INPUT_RATE_TOO_LOW, KWS_INPUT_RATE_TOO_HIGH, KWS_INPUT_INTERLEAVED_CHANNELS,
                                         KWS_INPUT_FLOAT_AS_INTEGER, KWS_INPUT_INTEGER_AS_FLOAT, KWS_INPUT_DIGITAL_SILENCE,
                                         KWS_INPUT_CLIPPING, KWS_INPUT_DC_OFFSET]
        XCTAssertEqual(bits.count, InputWarning.Kind.allCases.count)
        XCTAssertEqual(Set(bits.map(\.rawValue)).count, bits.count)
        var message: UnsafePointer<CChar>?
        for bit in bits { XCTAssertEqual(kws_input_warning_message(spotter, bit, &message), KWS_OK) }
        XCTAssertEqual(kws_input_warning_message(spotter, kws_input_warning(rawValue: 3), &message), KWS_ERROR_INVALID_ARGUMENT)
        XCTAssertEqual(kws_input_warning_message(spotter, KWS_INPUT_CLIPPING, nil), KWS_ERROR_INVALID_ARGUMENT)
        XCTAssertEqual(kws_input_warnings(nil, nil), KWS_ERROR_INVALID_ARGUMENT)
        XCTAssertEqual(kws_input_warnings(spotter, nil), KWS_ERROR_INVALID_ARGUMENT)
    }
}
