import Foundation
import KWSTestSupport
import XCTest

/// Issue 15, item 1, through `kws stream` as a user pipes audio in: the assumed raw format is announced, each
/// misread stream gets its warning (with the option that fixes it) within 10 s of audio, `-q` silences it
/// all, `--json` makes it `"type":"warning"` lines, and audio read right gets no warning.
final class StreamInputHealthCLITests: CLITestCase {
    private let announcement = "kws: stdin has no WAV header; reading raw s16le mono 16000 Hz (use --rate/--channels/--format)"

    private func stream(_ audio: MisreadAudio, _ extra: [String] = []) throws -> ProcessResult {
        let format = audio.readAs == .s16le ? [] : ["--format", audio.readAs.rawValue]
        return try kws(["stream"] + format + extra, stdin: Data(try audio.bytes()), chunkSizes: [4096])
    }

    func testEachMisreadStreamIsWarnedAboutWithItsFix() throws {
        let fixes: [MisreadAudio: String] = [.rate48kAs16k: "--rate", .rate8kAs16k: "--rate", .stereoAsMono: "--channels 2",
                                             .floatAsS16: "--format f32le", .floatAsS32: "--format f32le", .s16AsFloat: "--format s16le"]
        for audio in MisreadAudio.allCases {
            let result = try stream(audio)
            XCTAssertEqual(result.status, 0, "\(audio): \(result.stderr)")
            let warnings = result.stderr.split(separator: "\n").filter { $0.hasPrefix("kws: stdin: ") && !$0.contains("trailing byte") }
            XCTAssertEqual(warnings.count, 1, "\(audio): \(result.stderr)")
            XCTAssertTrue(warnings.first?.contains(fixes[audio]!) ?? false, "\(audio): \(result.stderr)")
            XCTAssertEqual(result.stderr.hasPrefix(announcement), audio.readAs == .s16le,
                           "\(audio): the defaults are announced only when they were assumed: \(result.stderr)")
        }
    }

    func testWarningsComeWithinTenSecondsOfAudio() throws {
        // The first 10 s of each misread stream is enough (in bytes at the rate it is read at: 16 kHz).
        for audio in MisreadAudio.allCases {
            let bytesPerSample = audio.readAs == .s16le ? 2 : 4
            let tenSeconds = Data(try audio.bytes().prefix(10 * 16000 * bytesPerSample))
            let format = audio.readAs == .s16le ? [] : ["--format", audio.readAs.rawValue]
            let result = try kws(["stream"] + format, stdin: tenSeconds)
            XCTAssertTrue(result.stderr.contains("kws: stdin: "), "\(audio): \(result.stderr)")
        }
    }

    func testJSONWarningLinesAndQuiet() throws {
        let json = try stream(.rate48kAs16k, ["--json"])
        let objects = json.stderr.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        XCTAssertEqual(objects.count, 2, json.stderr)
        XCTAssertEqual(objects.compactMap { $0["type"] as? String }, ["warning", "warning"])
        XCTAssertEqual(objects.first?["message"] as? String, String(announcement.dropFirst("kws: ".count)))
        XCTAssertTrue((objects.last?["message"] as? String ?? "").contains("3000 Hz"), json.stderr)
        for flag in ["-q", "--quiet"] {
            XCTAssertEqual(try stream(.stereoAsMono, [flag]).stderr, "", flag)
        }
    }

    func testAWAVHeaderIsBelievedOnTheOctaveButNotOnTheBand() throws {
        // The 8 kHz copy behind a 16 kHz header sounds like a high voice, which real 16 kHz audio also has
        // (README "Input health"): no warning. The 48 kHz copy has no spectrum above 2.7 kHz at all: warned,
        // with the header named as the suspect.
        let octave = TestWAV.make(sampleRate: 16000, bitsPerSample: 16, sampleBytes: try MisreadAudio.rate8kAs16k.bytes())
        XCTAssertEqual(try kws(["stream"], stdin: octave, chunkSizes: [4096]).stderr, "")
        let band = TestWAV.make(sampleRate: 16000, bitsPerSample: 16, sampleBytes: try MisreadAudio.rate48kAs16k.bytes())
        let warned = try kws(["stream"], stdin: band, chunkSizes: [4096]).stderr
        XCTAssertTrue(warned.contains("3000 Hz") && warned.contains("the header may be wrong"), warned)
    }

    func testAudioReadRightIsNotWarnedAbout() throws {
        let wav = try kws(["stream"], stdin: try Data(contentsOf: URL(fileURLWithPath: sample("sequence.wav"))), chunkSizes: [4096])
        XCTAssertEqual(wav.status, 0)
        XCTAssertEqual(wav.stderr, "", "a WAV stream says its own format")
        let raw = Data(MisreadAudio.s16(try MisreadAudio.sequence()))
        XCTAssertEqual(try kws(["stream"], stdin: raw).stderr, announcement + "\n")
        XCTAssertEqual(try kws(["stream", "--rate", "16000"], stdin: raw).stderr, "", "a format given is not assumed")
        let stereo = try kws(["stream", "--channels", "2"], stdin: Data(try MisreadAudio.stereoAsMono.bytes()))
        XCTAssertEqual(stereo.stderr, "", "stereo read as stereo")
        let fast = try kws(["stream", "--rate", "48000"], stdin: Data(try MisreadAudio.rate48kAs16k.bytes()))
        XCTAssertEqual(fast.stderr, "", "48 kHz read as 48 kHz")
    }
}
