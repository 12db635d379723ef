import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

/// Issue 14, item 2: `kws detect` on an hour of audio reads, resamples and detects it in chunks, so its peak
/// memory is that of a short file (it was 364 MB when the whole file was decoded first). So do `kws eval DIR`
/// (which reads only a clip's central second; 479 MB before) and `kws features` (359 MB before).
final class LongFileMemoryTests: CLITestCase {
    static let peakLimitKB = 64 * 1024

    /// A 16 kHz 16-bit mono WAV of `seconds` of silence with Samples/yes.wav planted at `plantedAt` seconds,
    /// written a second at a time (the test itself must not hold an hour of audio either).
    private func longWAV(seconds: Int, plantedAt: [Int]) throws -> String {
        let yes = try WAVDecoder.decode(contentsOf: URL(fileURLWithPath: sample("yes.wav"))).samples
        let header = TestWAV.make(sampleRate: 16000, bitsPerSample: 16, sampleBytes: [])
        let dataBytes = seconds * 16000 * 2
        var prefix = [UInt8](header)
        // Patch the RIFF and data sizes for the data that follows the header.
        func patch(_ offset: Int, _ value: Int) { for i in 0..<4 { prefix[offset + i] = UInt8((value >> (8 * i)) & 0xFF) } }
        patch(4, prefix.count - 8 + dataBytes)
        patch(40, dataBytes)
        let path = try TestWAV.write(Data(prefix), name: "hour.wav")
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        let silence = Data(count: 16000 * 2)
        var clip = Data(capacity: 16000 * 2)
        for i in 0..<16000 {
            let value = Int16(max(-32768, min(32767, ((i < yes.count ? yes[i] : 0) * 32768).rounded())))
            withUnsafeBytes(of: value.littleEndian) { clip.append(contentsOf: $0) }
        }
        let planted = Set(plantedAt)
        for second in 0..<seconds { try handle.write(contentsOf: planted.contains(second) ? clip : silence) }
        return path
    }

    /// Runs `kws arguments` under GNU time and returns its result and peak RSS in KB.
    private func kwsPeakRSS(_ arguments: [String]) throws -> (result: ProcessResult, peakKB: Int) {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "GNU time is not installed (.ci/run installs it)")
        let report = try TestWAV.write(Data(), name: "time.txt")
        addTeardownBlock { try? FileManager.default.removeItem(atPath: (report as NSString).deletingLastPathComponent) }
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/time"),
                                           ["-f", "%M", "-o", report, TestPaths.kwsBinary.path] + arguments)
        let peakKB = try XCTUnwrap(Int(try String(contentsOfFile: report, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        return (result, peakKB)
    }

    func testAnHourThroughDetectPeaksBelow64MB() throws {
        try XCTSkipUnless(LongTests.enabled, LongTests.skipped)
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "GNU time is not installed (.ci/run installs it)")
        let planted = [60, 900, 1800, 2700, 3540]
        let path = try longWAV(seconds: 3600, plantedAt: planted)
        // --hop-ms 1000 keeps the debug build's run short; memory does not depend on the hop.
        let (result, peakKB) = try kwsPeakRSS(["detect", "--json", "--hop-ms", "1000", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        print("kws detect on 1 h of 16 kHz audio: peak RSS \(peakKB / 1024) MB")
        XCTAssertLessThan(peakKB, Self.peakLimitKB, "peak RSS \(peakKB) KB")
        let starts = jsonLines(result).filter { $0["label"] as? String == "yes" }.compactMap { $0["start"] as? Double }
        for second in planted {
            XCTAssertTrue(starts.contains { abs($0 - Double(second)) < 1.0 }, "the yes planted at \(second) s: \(starts)")
        }
    }

    /// The clip is 3601 s long so that its central second is exactly the planted yes: the window read from the
    /// middle of the file is the right one, not just a small one.
    func testAnHourThroughEvalPeaksBelow64MB() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "GNU time is not installed (.ci/run installs it)")
        let clips = try temporaryDirectory()
        let folder = clips.appendingPathComponent("yes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: try longWAV(seconds: 3601, plantedAt: [1800]),
                                         toPath: folder.appendingPathComponent("hour.wav").path)
        let (result, peakKB) = try kwsPeakRSS(["eval", "--json", clips.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        print("kws eval on a 1 h clip at 16 kHz: peak RSS \(peakKB / 1024) MB")
        XCTAssertLessThan(peakKB, Self.peakLimitKB, "peak RSS \(peakKB) KB")
        let report = try XCTUnwrap(jsonLines(result).first { $0["type"] as? String == "evaluation" })
        XCTAssertEqual(report["count"] as? Int, 1)
        XCTAssertEqual(report["accuracy"] as? Double, 1, "the central second is the planted yes: \(result.stdout)")
    }

    func testAnHourThroughFeaturesPeaksBelow64MB() throws {
        try XCTSkipUnless(LongTests.enabled, LongTests.skipped)
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "GNU time is not installed (.ci/run installs it)")
        let path = try longWAV(seconds: 3600, plantedAt: [])
        let out = try temporaryDirectory().appendingPathComponent("hour.npy")
        let (result, peakKB) = try kwsPeakRSS(["features", path, "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        print("kws features -o x.npy on 1 h of 16 kHz audio: peak RSS \(peakKB / 1024) MB")
        XCTAssertLessThan(peakKB, Self.peakLimitKB, "peak RSS \(peakKB) KB")
        let rows = 1 + (3600 * 16000 - 480) / 160
        let handle = try FileHandle(forReadingFrom: out)
        defer { try? handle.close() }
        let header = String(decoding: try XCTUnwrap(handle.read(upToCount: 128)), as: UTF8.self)
        XCTAssertTrue(header.contains("'shape': (\(rows), 40)"), header)
        XCTAssertEqual(try handle.seekToEnd(), UInt64(128 + rows * 40 * 4))
    }

    func testAFIFOCanBeDetected() throws {
        // Item 9: a named pipe (or `<(…)`) has no size and cannot be mapped; chunked reading handles it.
        let directory = try temporaryDirectory()
        let fifo = directory.appendingPathComponent("audio.wav").path
        XCTAssertTrue(TestWAV.servePipe(try Data(contentsOf: URL(fileURLWithPath: sample("sequence.wav"))), at: fifo))
        let fromFIFO = try kws(["detect", "--json", fifo])
        XCTAssertEqual(fromFIFO.status, 0, fromFIFO.stderr)
        let fromFile = try kws(["detect", "--json", sample("sequence.wav")])
        XCTAssertEqual(fromFIFO.stdout.replacingOccurrences(of: fifo, with: sample("sequence.wav")), fromFile.stdout)
    }
}
