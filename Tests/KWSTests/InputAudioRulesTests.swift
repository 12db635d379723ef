import Foundation
import KWS
import KWSAudio
import KWSTestSupport
import XCTest

/// Issue 14, items 1, 5 and 6 through the Swift API: one minimum sample rate, empty audio refused, and
/// NaN/infinite samples heard as silence on the clip path exactly as on the stream path.
final class InputAudioRulesTests: XCTestCase {
    private func yes() throws -> [Float] { try AudioFile(contentsOf: TestPaths.file("Samples/yes.wav")).samples }

    func testRatesBelowTheMinimumAreRefusedEverywhere() throws {
        let model = try ModelCatalog.load()
        XCTAssertThrowsError(try KeywordSpotter(model: model, inputSampleRate: InputAudio.minimumSampleRate - 1)) { error in
            XCTAssertEqual(error as? KWSError, .unsupportedSampleRate(InputAudio.minimumSampleRate - 1))
            XCTAssertTrue("\(error)".contains("4000…1000000 Hz"), "\(error)")
        }
        XCTAssertNoThrow(try KeywordSpotter(model: model, inputSampleRate: InputAudio.minimumSampleRate))
        let spotter = try KeywordSpotter(model: model)
        XCTAssertThrowsError(try spotter.classify(clip: [0.1, 0.2], sampleRate: 1)) { error in
            XCTAssertEqual(error as? KWSError, .unsupportedSampleRate(1))
        }
    }

    func testEmptyAudioIsRefusedNotClassified() throws {
        let spotter = try KeywordSpotter(model: ModelCatalog.load())
        XCTAssertThrowsError(try spotter.classify(clip: [], sampleRate: 16000)) { error in
            XCTAssertEqual(error as? KWSError, .noAudio("clip"))
        }
        let path = try TestWAV.write(TestWAV.s16([]), name: "empty.wav")
        XCTAssertThrowsError(try AudioFile(contentsOf: URL(fileURLWithPath: path))) { error in
            XCTAssertEqual(error as? KWSError, .noAudio(path))
            XCTAssertEqual("\(error)", "\(path): no audio samples; nothing to classify")
        }
    }

    /// The poisoned copy has NaN, +inf and −inf where the clean copy has 0: both must give the same bits.
    private func poisoned(_ samples: [Float]) -> (poisoned: [Float], clean: [Float]) {
        var bad = samples, clean = samples
        for (n, i) in stride(from: 3, to: samples.count, by: 97).enumerated() {
            bad[i] = [Float.nan, .infinity, -.infinity][n % 3]
            clean[i] = 0
        }
        return (bad, clean)
    }

    func testNonFiniteSamplesAreSilenceOnTheClipPath() throws {
        let spotter = try KeywordSpotter(model: ModelCatalog.load(), engine: .float)
        let (bad, clean) = poisoned(try yes())
        let got = try spotter.classify(clip: bad, sampleRate: 16000)
        XCTAssertTrue(got.posteriors.allSatisfy(\.isFinite))
        XCTAssertEqual(got.posteriors, try spotter.classify(clip: clean, sampleRate: 16000).posteriors)
        // Resampled clips too: the rule applies before the resampler sees the value.
        XCTAssertEqual(try spotter.classify(clip: bad, sampleRate: 8000).posteriors,
                       try spotter.classify(clip: clean, sampleRate: 8000).posteriors)
    }

    func testNonFiniteSamplesAreSilenceOnTheStreamPath() throws {
        // tc-resnet8-int8 still hears "yes" through the clean copy's click train (a zeroed sample every 97,
        // a 165 Hz buzz), which the always-on default model rejects as not a keyword.
        let model = try ModelCatalog.load("tc-resnet8-int8")
        let gap = [Float](repeating: 0, count: 16000)
        let (bad, clean) = poisoned(gap + (try yes()) + gap + (try yes()) + gap)
        func run(_ samples: [Float]) throws -> [Detection] {
            let spotter = try KeywordSpotter(model: model, inputSampleRate: 16000)
            return spotter.feed(samples) + spotter.finish()
        }
        let expected = try run(clean)
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(try run(bad), expected)
    }

    func testFloatWAVValuesThatAreNotFiniteDecodeAsZero() throws {
        let path = try TestWAV.write(TestWAV.f32([0.5, .nan, .infinity, -.infinity, -0.25]), name: "nan.wav")
        XCTAssertEqual(try WAVDecoder.decode(contentsOf: URL(fileURLWithPath: path)).samples, [0.5, 0, 0, 0, -0.25])
    }

    func testOneHugeChunkEqualsManySmallOnes() throws {
        // feed() works through a large chunk a bounded step at a time; the steps must not show.
        let model = try ModelCatalog.load()
        let audio = try AudioFile(contentsOf: TestPaths.file("Samples/sequence.wav")).samples
        let whole = try KeywordSpotter(model: model)
        let expected = whole.feed(audio) + whole.finish()
        let chunked = try KeywordSpotter(model: model)
        var got = [Detection]()
        for start in stride(from: 0, to: audio.count, by: 4001) { got += chunked.feed(Array(audio[start..<min(audio.count, start + 4001)])) }
        got += chunked.finish()
        XCTAssertEqual(got, expected)
    }
}
