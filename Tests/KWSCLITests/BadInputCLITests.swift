import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

/// Issue 14, items 1, 5 and 6 through the real binary: a lying sample rate, empty audio and NaN samples
/// each get one line on stderr (or the documented rule), never a crash, a huge allocation or a made-up label.
final class BadInputCLITests: CLITestCase {
    /// A 16 KB file declaring 1 Hz once took 1 GB and 12 CPU-s; now it is refused at the header.
    func testARateBelowTheMinimumIsOneLineNamingTheFile() throws {
        let path = try TestWAV.write(TestWAV.make(sampleRate: 1, bitsPerSample: 16, sampleBytes: [UInt8](repeating: 7, count: 16384)),
                                     name: "one-hertz.wav")
        let started = Date()
        let result = try kws(["detect", path])
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        XCTAssertEqual(result.status, 65)  // EX_DATAERR
        XCTAssertEqual(result.stdout, "")
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("one-hertz.wav") && result.stderr.contains("below the minimum of 4000 Hz"), result.stderr)

        let streamed = try kws(["stream"], stdin: try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(streamed.status, 65, streamed.stderr)
        XCTAssertTrue(streamed.stderr.contains("below the minimum of 4000 Hz"), streamed.stderr)

        let raw = try kws(["stream", "--rate", "1"])
        XCTAssertEqual(raw.status, 64)  // a usage error, found while parsing
        XCTAssertTrue(raw.stderr.contains("4000…1000000 Hz"), raw.stderr)
    }

    func testEmptyAudioIsRefusedOnEveryPath() throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("yes"), withIntermediateDirectories: true)
        let empty = directory.appendingPathComponent("yes/empty.wav").path
        try TestWAV.s16([]).write(to: URL(fileURLWithPath: empty))

        let detect = try kws(["detect", empty])
        XCTAssertEqual(detect.status, 65)
        XCTAssertEqual(detect.stdout, "")
        XCTAssertEqual(detect.stderr, "kws: \(empty): no audio samples; nothing to classify\n")

        let features = try kws(["features", empty])
        XCTAssertEqual(features.status, 65)
        XCTAssertEqual(features.stdout, "")
        XCTAssertTrue(features.stderr.contains("no audio samples"), features.stderr)

        let eval = try kws(["eval", directory.path])
        XCTAssertEqual(eval.status, 65)
        XCTAssertTrue(eval.stderr.contains("no audio samples"), eval.stderr)

        let evalStream = try kws(["eval", "--stream", empty])
        XCTAssertEqual(evalStream.status, 65)
        XCTAssertTrue(evalStream.stderr.contains("no audio samples"), evalStream.stderr)

        // A stream that ends without audio classifies nothing: a warning, status 0 (StreamCommandTests).
        let stream = try kws(["stream"], stdin: TestWAV.s16([]))
        XCTAssertEqual(stream.status, 0)
        XCTAssertEqual(stream.stdout, "")
        XCTAssertTrue(stream.stderr.contains("stdin: no audio samples"), stream.stderr)
    }

    /// NaN, +inf and −inf samples are heard as silence on the clip path, the file stream path and stdin.
    func testNonFiniteSamplesAreSilenceOnEveryPath() throws {
        let yes = try WAVDecoder.decode(contentsOf: URL(fileURLWithPath: sample("yes.wav"))).samples
        let sequence = try WAVDecoder.decode(contentsOf: URL(fileURLWithPath: sample("sequence.wav"))).samples
        for (name, samples) in [("clip", yes), ("long", sequence)] {
            var bad = samples, clean = samples
            for (n, i) in stride(from: 5, to: samples.count, by: 89).enumerated() {
                bad[i] = [Float.nan, .infinity, -.infinity][n % 3]
                clean[i] = 0
            }
            let badPath = try TestWAV.write(TestWAV.f32(bad), name: "audio.wav")
            let cleanPath = try TestWAV.write(TestWAV.f32(clean), name: "audio.wav")
            for engine in ["int8", "float"] {
                let got = try kws(["detect", "--json", "--engine", engine, badPath])
                let expected = try kws(["detect", "--json", "--engine", engine, cleanPath])
                XCTAssertEqual(got.status, 0, got.stderr)
                XCTAssertFalse(got.stdout.contains("nan") || got.stdout.contains("null"), got.stdout)
                XCTAssertEqual(got.stdout.replacingOccurrences(of: badPath, with: cleanPath), expected.stdout, "\(name) \(engine)")
            }
            let streamed = try kws(["stream", "--json"], stdin: TestWAV.f32(bad))
            let streamedClean = try kws(["stream", "--json"], stdin: TestWAV.f32(clean))
            XCTAssertEqual(streamed.status, 0, streamed.stderr)
            XCTAssertEqual(streamed.stdout, streamedClean.stdout, name)
        }
    }
}

/// Issue 14, item 9: the small ones, each a clear line and an honest status.
final class SmallBadInputCLITests: CLITestCase {
    func testADeviceAsModelIsDescribedNotBlamedOnPermissions() throws {
        let result = try kws(["detect", "--model", "/dev/null", sample("yes.wav")])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("null: file is 0 bytes"), result.stderr)
        XCTAssertFalse(result.stderr.contains("permission"), result.stderr)
    }

    func testADirectoryWithoutWAVFilesIsAFailure() throws {
        let directory = try temporaryDirectory()
        let result = try kws(["detect", directory.path])
        XCTAssertEqual(result.status, 66)  // EX_NOINPUT
        XCTAssertEqual(result.stderr, "kws: \(directory.path): no .wav files in this directory\n")
    }

    func testATruncatedHeaderOnStdinFailsAsItDoesForDetect() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: sample("yes.wav"))).prefix(30)
        let path = try TestWAV.write(bytes, name: "cut.wav")
        let detect = try kws(["detect", path])
        XCTAssertEqual(detect.status, 65)
        let stream = try kws(["stream"], stdin: bytes)
        XCTAssertEqual(stream.status, 65)
        let reason = "input ends after 30 bytes, inside the 'fmt ' chunk that starts at byte 12"
        XCTAssertTrue(detect.stderr.contains(reason), detect.stderr)
        XCTAssertTrue(stream.stderr.contains("stdin: " + reason), stream.stderr)
        XCTAssertEqual(stream.stderr.split(separator: "\n").count, 1, stream.stderr)
    }

    func testAMissingFileSaysSo() throws {
        let result = try kws(["detect", "/nonexistent/x.wav"])
        XCTAssertEqual(result.status, 66)
        XCTAssertTrue(result.stderr.contains("(no such file)"), result.stderr)
    }
}
