import Foundation
import KWS
import KWSAudio
import KWSRuntime
import KWSTestSupport
import XCTest

/// Issue 15, item 1, on real audio: no input warning for any file of Samples/ or for the Speech Commands test
/// split streamed clip after clip, and each misread copy of Samples/sequence.wav (48 kHz and 8 kHz read as
/// 16 kHz, stereo read as mono, floats read as integers and the reverse) raises its own warning within 10 s.
final class InputHealthRealAudioTests: XCTestCase {
    private let data = TestPaths.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/speech_commands")

    /// The warnings of `samples` streamed at `rate` through a health check, as a spotter feeds one.
    private func warnings(_ samples: [Float], rate: Int = 16000) throws -> [InputWarning] {
        let health = try InputHealth(inputSampleRate: rate)
        let resampler = rate == 16000 ? nil : try Resampler(inputRate: rate, outputRate: 16000)
        var start = 0
        while start < samples.count {
            let chunk = Array(samples[start..<min(samples.count, start + 4096)])
            health.observe(input: chunk[...])
            health.observe(resampled: (resampler?.process(chunk) ?? chunk)[...])
            start += chunk.count
        }
        return health.warnings
    }

    func testNoWarningForAnyFileOfSamples() throws {
        let directory = TestPaths.file("Samples")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".wav") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 13)
        for name in files {
            let audio = try WAVDecoder.decode(contentsOf: directory.appendingPathComponent(name))
            XCTAssertEqual(try warnings(audio.samples, rate: audio.sampleRate).map(\.message), [], name)
        }
    }

    func testNoWarningOnTheTestSplitStreamedClipAfterClip() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: data.path), "no ../shared/data beside the checkout")
        let list = try String(contentsOf: TestPaths.file("Training/splits/test.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        XCTAssertEqual(list.count, 520)
        let health = try InputHealth(inputSampleRate: 16000)
        var seconds = 0.0
        for path in list {
            let audio = try WAVDecoder.decode(contentsOf: data.appendingPathComponent(path))
            XCTAssertEqual(audio.sampleRate, 16000, path)
            health.observe(audio.samples)
            seconds += Double(audio.samples.count) / 16000
            XCTAssertEqual(health.warnings.map(\.message), [], "after \(path), \(seconds) s into the stream")
            if !health.warnings.isEmpty { break }
        }
        XCTAssertGreaterThan(seconds, 500)
    }

    func testEachMisreadRecordingRaisesItsWarningWithinTenSeconds() throws {
        for stream in MisreadAudio.allCases {
            let found = try warnings(try stream.misreadSamples())
            XCTAssertEqual(found.first?.kind, stream.expected, "\(stream): \(found.map(\.message))")
            XCTAssertEqual(found.filter { $0.kind != .digitalSilence }.count, 1, "\(stream): one cause, told once: \(found.map(\.message))")
            XCTAssertLessThanOrEqual(found.first?.seconds ?? .infinity, 10, "\(stream): \(found.map(\.message))")
        }
    }

    func testTheSpotterChecksWhatItIsFedAndForgetsAtReset() throws {
        let spotter = try KeywordSpotter(model: ModelCatalog.load("tc-resnet8-int8"))
        _ = spotter.feed(try MisreadAudio.stereoAsMono.misreadSamples())
        XCTAssertEqual(spotter.inputWarnings.map(\.kind), [.interleavedChannels])
        _ = spotter.finish()
        XCTAssertEqual(spotter.inputWarnings.map(\.kind), [.interleavedChannels], "finish keeps them")
        spotter.reset()
        XCTAssertEqual(spotter.inputWarnings, [])
        _ = spotter.feed(try MisreadAudio.sequence())
        _ = spotter.finish()
        XCTAssertEqual(spotter.inputWarnings, [], "the recording read right")
    }

    func testTheSpotterAtTheRightRateHearsNothingWrong() throws {
        // The 48 kHz copy declared as 48 kHz: the spectrum check runs on the resampled audio.
        let audio = try Resampler.resample(try MisreadAudio.sequence(), from: 16000, to: 48000)
        let spotter = try KeywordSpotter(model: ModelCatalog.load("tc-resnet8-int8"), inputSampleRate: 48000)
        _ = spotter.feed(audio)
        XCTAssertEqual(spotter.inputWarnings, [])
    }
}
