import Foundation
import KWS
import KWSAudio
import KWSTestSupport
import XCTest

/// Issue 14: ``ClipWindow`` reads a clip's central second in two streaming passes; it must be, bit for bit,
/// what decoding the whole file (``AudioFile``) and framing it gave, with the same warnings and errors.
final class ClipWindowTests: XCTestCase {
    /// The framing `kws eval` used before ``ClipWindow``, written out here as the reference: the central
    /// second of the whole decoded file, padded with zeros at the end.
    private func wholeFileWindow(_ path: String) throws -> (samples: [Float], audio: AudioFile) {
        let audio = try AudioFile(contentsOf: URL(fileURLWithPath: path))
        var second = [Float](repeating: 0, count: 16000)
        let offset = max(0, (audio.samples.count - 16000) / 2)
        let count = min(16000, audio.samples.count)
        second.replaceSubrange(0..<count, with: audio.samples[offset..<offset + count])
        return (second, audio)
    }

    /// A reproducible signal with energy across the band (a chirp plus noise), so resampling is not trivial.
    private func signal(count: Int, rate: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { n in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
            let t = Double(n) / Double(rate)
            return 0.5 * Float(sin(2 * .pi * (200 + 900 * t) * t)) + 0.2 * noise
        }
    }

    /// 16-bit PCM with `channels` interleaved channels of `frames` frames each.
    private func pcm16(frames: Int, channels: Int, rate: Int) -> Data {
        let channelSignals = (0..<channels).map { signal(count: frames, rate: rate, seed: UInt64(7 + $0)) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(frames * channels * 2)
        for frame in 0..<frames {
            for channel in 0..<channels {
                let value = UInt16(bitPattern: Int16(max(-32768, min(32767, (channelSignals[channel][frame] * 32768).rounded()))))
                bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
            }
        }
        return TestWAV.make(channels: channels, sampleRate: rate, bitsPerSample: 16, sampleBytes: bytes)
    }

    /// `data` written to a fresh temporary file, removed with its folder after the test.
    private func written(_ data: Data, name: String) throws -> String {
        let path = try TestWAV.write(data, name: name)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        return path
    }

    private func assertSameWindow(_ data: Data, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try written(data, name: name)
        let expected = try wholeFileWindow(path)
        let window = try ClipWindow(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(window.samples.map(\.bitPattern), expected.samples.map(\.bitPattern), name, file: file, line: line)
        XCTAssertEqual(window.clipSampleCount, expected.audio.samples.count, name, file: file, line: line)
        XCTAssertEqual(window.originalSampleRate, expected.audio.originalSampleRate, name, file: file, line: line)
        XCTAssertEqual(window.warnings, expected.audio.warnings, name, file: file, line: line)
        XCTAssertEqual(ClipWindow.centralWindow(of: expected.audio.samples).map(\.bitPattern), expected.samples.map(\.bitPattern),
                       name, file: file, line: line)
    }

    func testHalfASecondIsPaddedAsBefore() throws {
        try assertSameWindow(TestWAV.s16(signal(count: 8000, rate: 16000, seed: 1)), "half.wav")
    }

    func testOneSecondIsTheWholeClip() throws {
        try assertSameWindow(TestWAV.s16(signal(count: 16000, rate: 16000, seed: 2)), "one.wav")
    }

    func testFortySecondsGiveTheCentralSecond() throws {
        try assertSameWindow(TestWAV.s16(signal(count: 40 * 16000, rate: 16000, seed: 3)), "forty.wav")
        // An odd excess, where the centre is rounded down.
        try assertSameWindow(TestWAV.s16(signal(count: 24001, rate: 16000, seed: 4)), "odd.wav")
    }

    func testStereoAt44kHzIsResampledAsAWholeFile() throws {
        try assertSameWindow(pcm16(frames: 5 * 44100, channels: 2, rate: 44100), "stereo.wav")
        // Shorter than a second after resampling, and just over: both edges of the padding.
        try assertSameWindow(pcm16(frames: 30000, channels: 2, rate: 44100), "short-stereo.wav")
        try assertSameWindow(pcm16(frames: 44101, channels: 1, rate: 44100), "just-over.wav")
    }

    /// The first pass counts input samples and takes the resampled length from ``Resampler/outputCount``; the
    /// second resamples in chunks. Both stand on the resampler's promises, checked here on this audio.
    func testTheStreamingResamplerMatchesTheWholeSignal() throws {
        let input = signal(count: 3 * 44100 + 17, rate: 44100, seed: 5)
        let whole = try Resampler.resample(input, from: 44100, to: 16000)
        XCTAssertEqual(Resampler.outputCount(forInputCount: input.count, from: 44100, to: 16000), whole.count)
        let resampler = try Resampler(inputRate: 44100, outputRate: 16000)
        var streamed = [Float]()
        for start in stride(from: 0, to: input.count, by: 16384) {
            streamed += resampler.process(Array(input[start..<min(input.count, start + 16384)]))
        }
        streamed += resampler.flush()
        XCTAssertEqual(streamed.map(\.bitPattern), whole.map(\.bitPattern))
    }

    func testTruncatedDataWarnsAsBefore() throws {
        var data = TestWAV.s16(signal(count: 20000, rate: 16000, seed: 6))
        data.removeLast(1001)  // sample data shorter than declared, ending inside a sample
        try assertSameWindow(data, "truncated.wav")
        let path = try written(data, name: "truncated.wav")
        XCTAssertFalse(try ClipWindow(contentsOf: URL(fileURLWithPath: path)).warnings.isEmpty)
    }

    /// Each bad file fails with the very error the whole-file path gives.
    func testErrorsAreThoseOfTheWholeFilePath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kws-clip-window-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let cases: [(String, Data?)] = [
            ("empty-data.wav", TestWAV.s16([])),
            ("zero-bytes.wav", Data()),
            ("header-cut.wav", TestWAV.s16([0.1, 0.2]).prefix(30)),
            ("no-data-chunk.wav", TestWAV.s16([]).prefix(36)),
            ("not-a-wav.wav", Data("just some text, not audio at all".utf8)),
            ("missing.wav", nil),
        ]
        for (name, data) in cases {
            let url = directory.appendingPathComponent(name)
            if let data { try data.write(to: url) }
            var expected: Error?
            XCTAssertThrowsError(try AudioFile(contentsOf: url), name) { expected = $0 }
            XCTAssertThrowsError(try ClipWindow(contentsOf: url), name) { error in
                XCTAssertEqual(String(describing: error), expected.map { String(describing: $0) }, name)
                XCTAssertEqual(String(describing: type(of: error)), expected.map { String(describing: type(of: $0)) }, name)
                if let wav = error as? WAVError { XCTAssertEqual(wav, expected as? WAVError, name) }
                if let kws = error as? KWSError { XCTAssertEqual(kws, expected as? KWSError, name) }
            }
        }
        XCTAssertThrowsError(try ClipWindow(contentsOf: directory.appendingPathComponent("empty-data.wav"))) {
            guard case KWSError.noAudio = $0 else { return XCTFail("\($0)") }
        }
    }

    /// A named pipe cannot be read twice: it is decoded whole, and gives the same window.
    func testAFIFOGivesTheSameWindow() throws {
        let data = TestWAV.s16(signal(count: 30000, rate: 16000, seed: 8))
        let file = try written(data, name: "clip.wav")
        let fifo = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("pipe.wav").path
        XCTAssertTrue(TestWAV.servePipe(data, at: fifo))
        let window = try ClipWindow(contentsOf: URL(fileURLWithPath: fifo))
        XCTAssertEqual(window.samples.map(\.bitPattern), try wholeFileWindow(file).samples.map(\.bitPattern))
    }

    /// ``KeywordSpotter/classify(clip:sampleRate:)`` frames with ``ClipWindow/centralWindow(of:length:)``: a clip and
    /// its window classify alike.
    func testClassifyingTheWindowEqualsClassifyingTheClip() throws {
        let spotter = try KeywordSpotter(model: ModelCatalog.load("tc-resnet8-int8"))
        let yes = try AudioFile(contentsOf: TestPaths.file("Samples/yes.wav")).samples
        let long = [Float](repeating: 0, count: 7001) + yes + [Float](repeating: 0, count: 9000)
        for clip in [yes, Array(yes.prefix(9000)), long] {
            let window = ClipWindow.centralWindow(of: clip)
            XCTAssertEqual(try spotter.classify(clip: clip, sampleRate: 16000).posteriors,
                           try spotter.classify(clip: window, sampleRate: 16000).posteriors)
        }
    }
}
