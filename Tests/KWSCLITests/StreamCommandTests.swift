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
