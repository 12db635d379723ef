import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

final class WAVDecoderTests: XCTestCase {
    /// Every valid fixture decodes to exactly what numpy computed from its raw bytes.
    func testValidFixturesMatchNumpyReference() throws {
        let corpus = try WAVFixtureCorpus.load()
        XCTAssertGreaterThanOrEqual(corpus.valid.count, 20)
        for (name, expected) in corpus.valid.sorted(by: { $0.key < $1.key }) {
            let audio = try WAVDecoder.decode(contentsOf: WAVFixtureCorpus.validURL(name))
            XCTAssertEqual(encodingName(audio.format.encoding), expected.encoding, name)
            XCTAssertEqual(audio.format.channels, expected.channels, name)
            XCTAssertEqual(audio.format.sampleRate, expected.sample_rate, name)
            XCTAssertEqual(audio.format.blockAlign, expected.block_align, name)
            XCTAssertEqual(audio.sampleRate, expected.sample_rate, name)
            XCTAssertEqual(audio.samples.count, expected.sample_count, name)
            XCTAssertEqual(Array(audio.samples.prefix(8)), expected.first.map { Float($0) }, name)
            XCTAssertEqual(Array(audio.samples.suffix(8)), expected.last.map { Float($0) }, name)
            XCTAssertEqual(fnv1a64(audio.samples), expected.fnv1a64, "\(name): samples differ from numpy's decode")
            if expected.warning_substrings.isEmpty {
                XCTAssertEqual(audio.warnings, [], name)
            } else {
                XCTAssertEqual(audio.warnings.count, 1, name)
                let warning = audio.warnings.first ?? ""
                XCTAssertTrue(warning.contains(name), "warning should name the file: \(warning)")
                for part in expected.warning_substrings {
                    XCTAssertTrue(warning.contains(part), "\(name): warning \"\(warning)\" lacks \"\(part)\"")
                }
            }
        }
    }

    func testIntegerConversionIsExactAtTheExtremes() throws {
        let s16 = WAVTestFile.make(channels: 1, sampleRate: 16000, bitsPerSample: 16,
                                   sampleBytes: [0x00, 0x80, 0xFF, 0x7F, 0x00, 0x00, 0xFF, 0xFF])
        XCTAssertEqual(try WAVDecoder.decode(s16, name: "s16").samples, [-1, 32767 / 32768, 0, -1 / 32768])

        let u8 = WAVTestFile.make(channels: 1, sampleRate: 8000, bitsPerSample: 8, sampleBytes: [0, 128, 255, 1])
        XCTAssertEqual(try WAVDecoder.decode(u8, name: "u8").samples, [-1, 0, 127 / 128, -127 / 128])

        let s24 = WAVTestFile.make(channels: 1, sampleRate: 16000, bitsPerSample: 24,
                                   sampleBytes: [0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(try WAVDecoder.decode(s24, name: "s24").samples, [-1, 8_388_607 / 8_388_608, -1 / 8_388_608])

        // Int32.max rounds to 2^31 in Float, so it decodes to exactly 1.0.
        let s32 = WAVTestFile.make(channels: 1, sampleRate: 16000, bitsPerSample: 32,
                                   sampleBytes: [0, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(try WAVDecoder.decode(s32, name: "s32").samples, [-1, 1, -1 / 2_147_483_648])
    }

    func testFloatSamplesPassThroughAndFloat64IsNarrowed() throws {
        let values: [Float] = [0.25, -1.5, .leastNonzeroMagnitude, 3]
        let f32 = WAVTestFile.make(formatTag: 3, channels: 1, sampleRate: 16000, bitsPerSample: 32,
                                   sampleBytes: values.flatMap { WAVTestFile.le32($0.bitPattern) })
        XCTAssertEqual(try WAVDecoder.decode(f32, name: "f32").samples, values)

        let doubles: [Double] = [0.1, -0.7, 1e-300]
        let f64 = WAVTestFile.make(formatTag: 3, channels: 1, sampleRate: 16000, bitsPerSample: 64,
                                   sampleBytes: doubles.flatMap { value in
                                       (0..<8).map { UInt8((value.bitPattern >> (8 * UInt64($0))) & 0xFF) }
                                   })
        XCTAssertEqual(try WAVDecoder.decode(f64, name: "f64").samples, doubles.map { Float($0) })
    }

    func testChannelsAreAveraged() throws {
        // Three channels of s16: 16384, -16384, 8192 -> (0.5 - 0.5 + 0.25) / 3
        let bytes = [Int16(16384), -16384, 8192].flatMap { WAVTestFile.le16(UInt16(bitPattern: $0)) }
        let audio = try WAVDecoder.decode(WAVTestFile.make(channels: 3, sampleRate: 16000, bitsPerSample: 16,
                                                           sampleBytes: bytes), name: "3ch")
        XCTAssertEqual(audio.samples, [Float(0.25) / 3])
        XCTAssertEqual(audio.format, WAVFormat(encoding: .signedInt16, channels: 3, sampleRate: 16000, blockAlign: 6))
    }

    func testLooksLikeWAV() throws {
        let wav = WAVTestFile.make(channels: 1, sampleRate: 16000, bitsPerSample: 16, sampleBytes: [])
        XCTAssertTrue(WAVDecoder.looksLikeWAV(wav))
        XCTAssertTrue(WAVDecoder.looksLikeWAV(Array(wav.prefix(12))))
        XCTAssertTrue(WAVDecoder.looksLikeWAV(Array(wav.prefix(4))), "a first pipe read may hold only the tag")
        XCTAssertFalse(WAVDecoder.looksLikeWAV(Array(wav.prefix(3))))
        XCTAssertFalse(WAVDecoder.looksLikeWAV([]))
        XCTAssertFalse(WAVDecoder.looksLikeWAV([UInt8](repeating: 0, count: 64)), "raw PCM silence is not WAV")
        XCTAssertFalse(WAVDecoder.looksLikeWAV(Array("RIFF\0\0\0\0AVI ".utf8)))
        // RF64 is recognised so it gets a clear "unsupported" error rather than being read as raw PCM.
        XCTAssertTrue(WAVDecoder.looksLikeWAV(Array("RF64".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + Array("WAVE".utf8)))
    }

    func testUnreadableFilesAreWAVErrors() {
        let missing = URL(fileURLWithPath: "/nonexistent/kws/missing.wav")
        XCTAssertThrowsError(try WAVDecoder.decode(contentsOf: missing)) { error in
            guard case let .unreadableFile(file, offset, reason)? = error as? WAVError else {
                return XCTFail("expected unreadableFile, got \(error)")
            }
            XCTAssertTrue(file.hasSuffix("missing.wav"))
            XCTAssertEqual(offset, 0)
            XCTAssertEqual(reason, "no such file")
            XCTAssertTrue("\(error)".contains("missing.wav"))
        }
        let directory = TestPaths.file(WAVFixtureCorpus.directory)
        XCTAssertThrowsError(try WAVDecoder.decode(contentsOf: directory)) { error in
            guard case .unreadableFile? = error as? WAVError else { return XCTFail("expected unreadableFile, got \(error)") }
        }
    }

    /// Ten minutes of 44.1 kHz 16-bit stereo (106 MB). Timed only in release builds: the bound is the
    /// issue's "well under 100 ms"; debug builds just check a shorter decode for correctness.
    func testTenMinutesOfStereoDecodesQuickly() throws {
        #if DEBUG
        let seconds = 5
        #else
        let seconds = 600
        #endif
        let frames = 44100 * seconds
        var sampleBytes = [UInt8](repeating: 0, count: frames * 4)
        for i in stride(from: 0, to: sampleBytes.count, by: 997) { sampleBytes[i] = UInt8(truncatingIfNeeded: i) }
        let wav = WAVTestFile.make(channels: 2, sampleRate: 44100, bitsPerSample: 16, sampleBytes: sampleBytes)

        var best = Double.infinity
        var audio: DecodedAudio?
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            audio = try WAVDecoder.decode(wav, name: "ten-minutes.wav")
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        XCTAssertEqual(audio?.samples.count, frames)
        print("WAVDecoder: \(seconds) s of 44.1 kHz s16 stereo (\(wav.count) bytes) decoded in \(best) ms (best of 3)")
        #if !DEBUG
        XCTAssertLessThan(best, 100, "decoding 10 minutes of 16-bit stereo must take well under 100 ms")
        #endif
    }
}
