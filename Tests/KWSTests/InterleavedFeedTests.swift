import KWS
import KWSAudio
import KWSTestSupport
import XCTest

/// Issue 15, item 6: `KeywordSpotter.feed(interleaved:channels:)` hears interleaved frames as their mono mix,
/// the mix every other input path makes.
final class InterleavedFeedTests: XCTestCase {
    private func detections(_ feed: (KeywordSpotter) throws -> [Detection]) throws -> [Detection] {
        let spotter = try KeywordSpotter(model: ModelCatalog.load("tc-resnet8-int8"))
        return try feed(spotter) + spotter.finish()
    }

    func testStereoFramesGiveTheDetectionsOfTheirMonoMix() throws {
        let mono = try MisreadAudio.sequence()
        // Left louder than right: the mix is 0.75 of the recording.
        let stereo = mono.flatMap { [$0, $0 * 0.5] }
        let mixed = mono.map { ($0 + $0 * 0.5) * 0.5 }
        let expected = try detections { $0.feed(mixed) }
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(try detections { try $0.feed(interleaved: stereo, channels: 2) }, expected)
        // In chunks of any whole number of frames.
        XCTAssertEqual(try detections { spotter in
            var found = [Detection]()
            var start = 0
            while start < stereo.count {
                let end = min(stereo.count, start + 2 * 1237)
                found += try spotter.feed(interleaved: Array(stereo[start..<end]), channels: 2)
                start = end
            }
            return found
        }, expected)
    }

    func testThreeChannelsAndMonoAndTheMixRule() {
        XCTAssertEqual(InterleavedMix.mono([0.25, 0.5, 0.75, -1, -1, -1][...], channels: 3), [0.5, -1])
        XCTAssertEqual(InterleavedMix.mono([.nan, 1, .infinity, -0.5][...], channels: 2), [0.5, -0.25], "NaN and infinity are 0")
        XCTAssertEqual(InterleavedMix.mono([.nan, 0.25][...], channels: 1), [0, 0.25])
    }

    func testABadChannelCountThrows() throws {
        let spotter = try KeywordSpotter(model: ModelCatalog.load("tc-resnet8-int8"))
        XCTAssertThrowsError(try spotter.feed(interleaved: [0, 0], channels: 0)) { error in
            XCTAssertEqual(error as? PCMError, .invalidChannelCount(0))
        }
        XCTAssertThrowsError(try spotter.feed(interleaved: [], channels: WAVFormat.maximumChannels + 1))
    }
}
