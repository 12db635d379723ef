import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

final class StreamCommandTests: CLITestCase {
    /// Detections without the `file` key, as comparable strings.
    private func detections(_ result: ProcessResult) -> [String] {
        jsonLines(result).map { object in
            ["label", "score", "start", "end", "threshold", "windows_above"].map { "\(object[$0] ?? "nil")" }.joined(separator: " ")
        }
    }

    private func rawPCM16(_ path: String) throws -> Data {
        let audio = try WAVDecoder.decode(contentsOf: URL(fileURLWithPath: path))
        var data = Data(capacity: audio.samples.count * 2)
        for sample in audio.samples {
            let value = Int16(max(-32768, min(32767, (sample * 32768).rounded())))
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    func testRawPipeInOddChunksGivesTheSameDetectionsAsDetect() throws {
        let path = sample("sequence.wav")
        let reference = try kws(["detect", "--json", path])
        XCTAssertEqual(reference.status, 0, reference.stderr)
        XCTAssertFalse(detections(reference).isEmpty)
        let streamed = try kws(["stream", "--json"], stdin: try rawPCM16(path), chunkSizes: [1, 37, 4093, 3, 16000])
        XCTAssertEqual(streamed.status, 0, streamed.stderr)
        XCTAssertEqual(detections(streamed), detections(reference))
        XCTAssertTrue(jsonLines(streamed).allSatisfy { Set($0.keys) == ["type", "label", "score", "start", "end", "threshold", "windows_above"] && $0["type"] as? String == "detection" })
    }

    /// `--summary` counts every sample read and fed to the detector, exactly, whatever the chunking (the soak's
    /// check that nothing is lost), and says how many detections were printed.
    func testSummaryCountsEverySampleFedAndEveryDetection() throws {
        let pcm = try rawPCM16(sample("sequence.wav"))
        let frames = pcm.count / 2
        // Stereo at 48 kHz: 3 bytes short of a whole last frame, which is not a sample.
        let stereo = Data(pcm.flatMap { [$0, $0] }.dropLast(3))
        for (arguments, input, expected, rate) in [(["stream", "--json", "--summary"], pcm, frames, 16000),
                                                   (["stream", "--json", "--summary", "--rate", "48000", "--channels", "2", "-q"],
                                                    stereo, (stereo.count) / 4, 48000)] {
            let result = try kws(arguments, stdin: input, chunkSizes: [1, 4093, 7])
            XCTAssertEqual(result.status, 0, result.stderr)
            let summary = result.stderr.split(separator: "\n").compactMap { line -> [String: Any]? in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["type"] as? String == "summary" else { return nil }
                return object
            }
            XCTAssertEqual(summary.count, 1, result.stderr)
            XCTAssertEqual(summary.first?["samples_read"] as? Int, expected)
            XCTAssertEqual(summary.first?["samples_fed"] as? Int, expected)
            XCTAssertEqual(summary.first?["sample_rate"] as? Int, rate)
            XCTAssertEqual(summary.first?["detections"] as? Int, jsonLines(result).count)
        }
        let text = try kws(["stream", "--summary"], stdin: pcm)
        XCTAssertTrue(text.stderr.contains("stream: \(frames) samples read, \(frames) fed to the detector"), text.stderr)
        XCTAssertFalse(try kws(["stream"], stdin: pcm).stderr.contains("samples read"))
    }

    func testWAVStreamIsRecognisedByItsHeader() throws {
        let path = sample("sequence.wav")
        let reference = try kws(["detect", "--json", path])
        let streamed = try kws(["stream", "--json"], stdin: try Data(contentsOf: URL(fileURLWithPath: path)), chunkSizes: [5, 999])
        XCTAssertEqual(streamed.status, 0, streamed.stderr)
        XCTAssertEqual(detections(streamed), detections(reference))
    }

    func testResampledStereoFloatInputStillDetects() throws {
        // 48 kHz stereo f32le: every detection of the 16 kHz file, at about the same times.
        let path = sample("sequence.wav")
        let audio = try WAVDecoder.decode(contentsOf: URL(fileURLWithPath: path))
        let upsampled = try Resampler.resample(audio.samples, from: 16000, to: 48000)
        var data = Data(capacity: upsampled.count * 8)
        for sample in upsampled { for _ in 0..<2 { withUnsafeBytes(of: sample.bitPattern.littleEndian) { data.append(contentsOf: $0) } } }
        let streamed = try kws(["stream", "--json", "--format", "f32le", "--rate", "48000", "--channels", "2"], stdin: data)
        XCTAssertEqual(streamed.status, 0, streamed.stderr)
        let reference = jsonLines(try kws(["detect", "--json", path]))
        let got = jsonLines(streamed)
        XCTAssertEqual(got.map { $0["label"] as? String }, reference.map { $0["label"] as? String })
        for (a, b) in zip(got, reference) {
            XCTAssertEqual(a["start"] as? Double ?? -1, b["start"] as? Double ?? 1, accuracy: 0.1)
        }
    }

    func testPartialFinalSampleIsAWarningNotACrash() throws {
        var data = Data(count: 16000 * 2)
        data.append(0x7F)  // half a sample
        let result = try kws(["stream"], stdin: data)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("1 trailing byte"), result.stderr)
    }

    func testEmptyInputIsFine() throws {
        let result = try kws(["stream", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
    }
}
