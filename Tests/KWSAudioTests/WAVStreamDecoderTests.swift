import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

final class WAVStreamDecoderTests: XCTestCase {
    /// Streams every valid fixture through the decoder in `pieces` and compares with the whole-file decode.
    private func assertStreamMatchesFile(_ name: String, _ bytes: [UInt8], pieces: [[UInt8]],
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        let whole = try WAVDecoder.decode(bytes, name: name)
        var stream = WAVStreamDecoder(name: name)
        var samples: [Float] = []
        for piece in pieces {
            samples += try stream.feed(piece)
        }
        let warnings = stream.finish()
        XCTAssertEqual(stream.format, whole.format, name, file: file, line: line)
        XCTAssertEqual(samples, whole.samples, "\(name): streamed samples differ", file: file, line: line)
        XCTAssertEqual(warnings, whole.warnings, name, file: file, line: line)
    }

    func testRandomChunkSizesGiveTheWholeFileDecode() throws {
        var rng = SplitMix64(seed: 42)
        let corpus = try WAVFixtureCorpus.load()
        for name in corpus.valid.keys.sorted() {
            let bytes = try WAVFixtureCorpus.bytes(of: WAVFixtureCorpus.validURL(name))
            for _ in 0..<20 {
                try assertStreamMatchesFile(name, bytes, pieces: chunked(bytes, using: &rng))
            }
            for size in [1, 2, 3, 5, 37, 44, 45, 4096] {
                try assertStreamMatchesFile(name, bytes, pieces: chunked(bytes, size: size, using: &rng))
            }
            try assertStreamMatchesFile(name, bytes, pieces: [bytes])
        }
    }

    func testLongStreamOfUnknownLengthInRandomChunks() throws {
        var rng = SplitMix64(seed: 99)
        for channels in [1, 2, 3] {
            for (tag, bits) in [(UInt16(1), 8), (1, 16), (1, 24), (1, 32), (3, 32), (3, 64)] {
                let frameBytes = channels * bits / 8
                var sampleBytes = randomBytes(frameBytes * 3000 + 1, using: &rng)
                if tag == 3 { sampleBytes = sampleBytes.map { $0 & 0x3F } }  // keep floats finite so == compares
                let wav = WAVTestFile.make(formatTag: tag, channels: channels, sampleRate: 16000, bitsPerSample: bits,
                                           sampleBytes: sampleBytes, dataSize: 0xFFFF_FFFF)
                try assertStreamMatchesFile("stdin", wav, pieces: chunked(wav, using: &rng))
            }
        }
    }

    func testFormatIsKnownOnceTheHeaderIsParsed() throws {
        let bytes = try WAVFixtureCorpus.bytes(of: WAVFixtureCorpus.validURL("odd_list_before_data_s16_16k.wav"))
        var stream = WAVStreamDecoder(name: "stdin")
        XCTAssertNil(stream.format)
        // The data chunk header is bytes 90..<98 (after fmt, an odd-sized LIST, JUNK and cue).
        XCTAssertEqual(try stream.feed(Array(bytes.prefix(97))), [])
        XCTAssertNil(stream.format, "the data chunk header is not complete yet")
        XCTAssertEqual(try stream.feed([bytes[97]]), [])
        XCTAssertEqual(stream.format, WAVFormat(encoding: .signedInt16, channels: 1, sampleRate: 16000))
    }

    func testStopsAtTheDeclaredDataSize() throws {
        let name = "trailing_list_after_data_s16_16k.wav"
        let bytes = try WAVFixtureCorpus.bytes(of: WAVFixtureCorpus.validURL(name))
        var stream = WAVStreamDecoder(name: name)
        let samples = try stream.feed(bytes) + stream.feed(Array(repeating: 0x55, count: 1000))
        XCTAssertEqual(samples.count, 60)
        XCTAssertEqual(stream.finish(), [])
    }

    func testPartialFinalFrameIsReported() throws {
        let wav = WAVTestFile.make(channels: 2, sampleRate: 16000, bitsPerSample: 16,
                                   sampleBytes: [1, 0, 2, 0, 3, 0, 4], dataSize: 0xFFFF_FFFF)
        var stream = WAVStreamDecoder(name: "stdin")
        XCTAssertEqual(try stream.feed(wav).count, 1)
        let warnings = stream.finish()
        XCTAssertEqual(warnings.count, 1)
        let warning = warnings.first ?? ""
        XCTAssertTrue(warning.hasPrefix("stdin: "), warning)
        XCTAssertTrue(warning.contains("3 bytes"), warning)
    }

    /// A malformed header fails in the stream with the same error as the file; input that ends inside
    /// the header is reported by finish() with the file decoder's error text.
    func testMalformedStreamsReportTheFileError() throws {
        let corpus = try WAVFixtureCorpus.load()
        for name in corpus.malformed.keys.sorted() {
            let bytes = try WAVFixtureCorpus.bytes(of: WAVFixtureCorpus.malformedURL(name))
            var fileError: WAVError?
            XCTAssertThrowsError(try WAVDecoder.decode(bytes, name: name)) { fileError = $0 as? WAVError }
            guard let fileError else { return XCTFail("\(name): no WAVError") }

            var stream = WAVStreamDecoder(name: name)
            var thrown: WAVError?
            for byte in bytes {
                do {
                    _ = try stream.feed([byte])
                } catch {
                    thrown = error as? WAVError
                    break
                }
            }
            if let thrown {
                XCTAssertEqual(thrown, fileError, name)
                XCTAssertThrowsError(try stream.feed([0]), "\(name): later feeds rethrow") {
                    XCTAssertEqual($0 as? WAVError, fileError)
                }
            } else {
                XCTAssertEqual(stream.finish(), [fileError.description], name)
            }
        }
    }

    func testEmptyStreamWarns() {
        var stream = WAVStreamDecoder(name: "stdin")
        XCTAssertEqual(try stream.feed([]), [])
        XCTAssertEqual(stream.finish(), [WAVError.emptyFile(file: "stdin", offset: 0).description])
    }
}
