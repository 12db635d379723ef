import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

final class WAVMalformedTests: XCTestCase {
    /// Each malformed file gives its own error case at the offset the generator recorded, with a
    /// one-line description naming the file and the offset.
    func testEachMalformedFileGivesItsOwnError() throws {
        let corpus = try WAVFixtureCorpus.load()
        for (name, expected) in corpus.malformed.sorted(by: { $0.key < $1.key }) {
            XCTAssertThrowsError(try WAVDecoder.decode(contentsOf: WAVFixtureCorpus.malformedURL(name)), name) { error in
                guard let wavError = error as? WAVError else { return XCTFail("\(name): not a WAVError: \(error)") }
                XCTAssertEqual(caseName(wavError), expected.error, "\(name): \(wavError)")
                XCTAssertEqual(wavError.offset, expected.offset, "\(name): \(wavError)")
                XCTAssertTrue(wavError.file.hasSuffix(name), "\(name): \(wavError.file)")
                let text = wavError.description
                XCTAssertTrue(text.contains(name), "description lacks the file name: \(text)")
                XCTAssertTrue(text.contains("at byte \(expected.offset)"), "description lacks the offset: \(text)")
                XCTAssertFalse(text.contains("\n"), "description must be one line: \(text)")
            }
        }
    }

    /// The corpus holds a file for every error case a file's bytes can cause.
    func testCorpusCoversEveryErrorCase() throws {
        let covered = Set(try WAVFixtureCorpus.load().malformed.values.map(\.error))
        let all: Set = ["emptyFile", "notRIFF", "unsupportedRF64", "notWAVE", "truncatedHeader", "missingFormatChunk",
                        "missingDataChunk", "formatChunkTooShort", "unsupportedFormatTag", "unsupportedSubformat",
                        "unsupportedBitsPerSample", "invalidValidBitsPerSample", "zeroChannels", "absurdChannelCount",
                        "invalidSampleRate", "blockAlignMismatch", "byteRateMismatch"]
        XCTAssertEqual(all.subtracting(covered), [], "error cases without a malformed fixture")
    }

    /// Messages say what the file holds and what to do, not just that it failed.
    func testDescriptionsNameTheProblem() throws {
        let expectations = [
            "alaw.wav": "A-law", "mulaw.wav": "µ-law", "ms_adpcm.wav": "ADPCM", "ima_adpcm.wav": "IMA ADPCM",
            "mp3.wav": "MP3", "rf64.wav": "RF64", "rifx_big_endian.wav": "big-endian",
            "unknown_tag_0x1234.wav": "0x1234", "ext_alaw_subformat.wav": "A-law",
            "absurd_channels_65535.wav": "65535", "absurd_rate_2e31.wav": "2147483648 Hz", "rate_1hz.wav": "1 Hz is below the minimum of 4000 Hz",
            "zero_rate.wav": "0 Hz", "block_align_lie.wav": "block align is 3",
            "truncated_in_fmt.wav": "'fmt ' chunk", "truncated_in_chunk_header.wav": "chunk header",
            "truncated_in_list_chunk.wav": "'LIST' chunk", "ext_unknown_guid.wav": "{03020100-0504-0706-0809-0A0B0C0D0E0F}",
        ]
        for (name, phrase) in expectations.sorted(by: { $0.key < $1.key }) {
            XCTAssertThrowsError(try WAVDecoder.decode(contentsOf: WAVFixtureCorpus.malformedURL(name))) { error in
                XCTAssertTrue("\(error)".contains(phrase), "\(name): \"\(error)\" should mention \"\(phrase)\"")
            }
        }
        XCTAssertThrowsError(try WAVDecoder.decode(contentsOf: WAVFixtureCorpus.malformedURL("alaw.wav"))) { error in
            XCTAssertTrue("\(error)".contains("pcm_s16le"), "unsupported formats should say how to convert: \(error)")
        }
    }

    /// A file cut inside its sample data decodes the whole frames present and warns; never reads past the end.
    func testTruncatedSampleDataGivesSamplesAndWarning() throws {
        let name = "truncated_data_s16_stereo_16k.wav"
        let audio = try WAVDecoder.decode(contentsOf: WAVFixtureCorpus.validURL(name))
        XCTAssertEqual(audio.samples.count, 74)
        XCTAssertEqual(audio.warnings.count, 1)
        let warning = audio.warnings.first ?? ""
        XCTAssertTrue(warning.hasSuffix(
            "\(name): data chunk declares 400 bytes at offset 36 but only 297 are present; decoded 74 whole frames"),
            warning)
    }

    /// Every prefix of every valid fixture either decodes or throws a WAVError; none crashes, and a
    /// prefix that reaches the samples decodes a prefix of the full file's samples.
    func testEveryTruncationPointIsHandled() throws {
        let corpus = try WAVFixtureCorpus.load()
        for name in corpus.valid.keys.sorted() {
            let bytes = try WAVFixtureCorpus.bytes(of: WAVFixtureCorpus.validURL(name))
            let full = try WAVDecoder.decode(bytes, name: name).samples
            for length in 0..<bytes.count {
                do {
                    let audio = try WAVDecoder.decode(Array(bytes.prefix(length)), name: name)
                    XCTAssertEqual(audio.samples, Array(full.prefix(audio.samples.count)), "\(name) cut at \(length)")
                } catch let error as WAVError {
                    XCTAssertTrue(["emptyFile", "truncatedHeader", "missingDataChunk", "notRIFF"].contains(caseName(error)),
                                  "\(name) cut at \(length): \(error)")
                }
            }
        }
    }

    /// Random corruption of header bytes never crashes: the decoder returns audio or a WAVError.
    func testCorruptedHeadersNeverCrash() throws {
        var rng = SplitMix64(seed: 7)
        let corpus = try WAVFixtureCorpus.load()
        for name in corpus.valid.keys.sorted() {
            let original = try WAVFixtureCorpus.bytes(of: WAVFixtureCorpus.validURL(name))
            for _ in 0..<300 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let index = Int.random(in: 0..<min(bytes.count, 120), using: &rng)
                    bytes[index] = [0x00, 0xFF, 0x7F, 0x80, UInt8.random(in: 0...255, using: &rng)].randomElement(using: &rng) ?? 0
                }
                do {
                    let audio = try WAVDecoder.decode(bytes, name: name)
                    XCTAssertLessThanOrEqual(audio.samples.count * audio.format.blockAlign, bytes.count)
                } catch is WAVError {
                    // expected for most corruptions
                }
            }
        }
    }
}
