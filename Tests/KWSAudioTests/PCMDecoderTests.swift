import KWSAudio
import KWSTestSupport
import XCTest

final class PCMDecoderTests: XCTestCase {
    func testRejectsInvalidChannelCounts() {
        for channels in [0, -1, WAVFormat.maximumChannels + 1, 1 << 31, Int.max, Int.min] {
            XCTAssertThrowsError(try PCMDecoder(format: .s16le, channels: channels)) { error in
                XCTAssertEqual(error as? PCMError, .invalidChannelCount(channels))
                XCTAssertTrue("\(error)".contains("\(channels)"))
            }
        }
        XCTAssertNoThrow(try PCMDecoder(format: .f32le, channels: WAVFormat.maximumChannels))
    }

    func testFormatsUseTheWAVEncodings() {
        XCTAssertEqual(PCMFormat.allCases.map(\.encoding), [.signedInt16, .signedInt32, .float32])
        XCTAssertEqual(PCMFormat(rawValue: "s16le"), .s16le)
    }

    func testExactValues() throws {
        var s16 = try PCMDecoder(format: .s16le, channels: 1)
        XCTAssertEqual(s16.decode([0x00, 0x80, 0xFF, 0x7F, 0x01, 0x00]), [-1, 32767 / 32768, 1 / 32768])
        var s32 = try PCMDecoder(format: .s32le, channels: 2)
        XCTAssertEqual(s32.decode([0, 0, 0, 0x80, 0, 0, 0, 0x40]), [(-1 + 0.5) / 2])
        var f32 = try PCMDecoder(format: .f32le, channels: 1)
        XCTAssertEqual(f32.decode(WAVTestFile.le32(Float(0.3).bitPattern)), [0.3])
    }

    func testPartialFramesAreHeldBackNotDropped() throws {
        var decoder = try PCMDecoder(format: .s16le, channels: 2)
        XCTAssertEqual(decoder.decode([0x00, 0x40, 0x00]), [])
        XCTAssertEqual(decoder.pendingByteCount, 3)
        XCTAssertEqual(decoder.decode([0x40, 0x00]), [0.5])
        XCTAssertEqual(decoder.pendingByteCount, 1)
        XCTAssertEqual(decoder.decode([]), [])
        XCTAssertEqual(decoder.decode([0x20, 0x00, 0x00]), [0.125])
        XCTAssertEqual(decoder.pendingByteCount, 0)
    }

    /// Decoding in random chunk sizes gives exactly the samples of decoding the whole buffer at once.
    func testRandomChunkSizesGiveTheWholeBufferDecode() throws {
        var rng = SplitMix64(seed: 2024)
        for format in PCMFormat.allCases {
            for channels in [1, 2, 3, 5, 8] {
                var bytes = randomBytes(format.encoding.bytesPerSample * channels * 2000 + 3, using: &rng)
                if format == .f32le { bytes = bytes.map { $0 & 0x3F } }  // finite floats so == compares
                var whole = try PCMDecoder(format: format, channels: channels)
                let expected = whole.decode(bytes)
                XCTAssertEqual(expected, format.encoding.monoSamples(fromInterleaved: bytes[...], channels: channels))
                XCTAssertEqual(whole.pendingByteCount, bytes.count % (format.encoding.bytesPerSample * channels))
                for trial in 0..<10 {
                    var decoder = try PCMDecoder(format: format, channels: channels)
                    let pieces = trial == 0 ? chunked(bytes, size: 1, using: &rng) : chunked(bytes, using: &rng)
                    let samples = pieces.flatMap { decoder.decode($0) }
                    XCTAssertEqual(samples, expected, "\(format) \(channels) ch, trial \(trial)")
                    XCTAssertEqual(decoder.pendingByteCount, whole.pendingByteCount)
                }
            }
        }
    }

    /// Raw PCM and the same bytes inside a WAV decode identically (one conversion implementation).
    func testMatchesTheWAVDecoder() throws {
        var rng = SplitMix64(seed: 5)
        let bytes = randomBytes(4 * 3 * 500, using: &rng)
        var pcm = try PCMDecoder(format: .s32le, channels: 3)
        let wav = WAVTestFile.make(channels: 3, sampleRate: 16000, bitsPerSample: 32, sampleBytes: bytes)
        XCTAssertEqual(pcm.decode(bytes), try WAVDecoder.decode(wav, name: "same.wav").samples)
    }

    /// Found by `make fuzz` (target pcm): channels of huge finite floats sum to infinity; the mix obeys the
    /// rule each value does (InputAudio.heard) and is silence, never a non-finite sample.
    func testAnOverflowingMixIsSilence() throws {
        for channels in [2, 5] {
            var decoder = try PCMDecoder(format: .f32le, channels: channels)
            var bytes = [UInt8]()
            for value in [Float.greatestFiniteMagnitude, .greatestFiniteMagnitude, 1, 1, 1].prefix(channels) + [Float](repeating: 0.5, count: channels) {
                bytes += withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init)
            }
            XCTAssertEqual(decoder.decode(bytes), [0, 0.5], "\(channels) channels")
        }
    }
}
