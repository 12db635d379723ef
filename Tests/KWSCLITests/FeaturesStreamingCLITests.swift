import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

/// Issue 14: `kws features` reads, resamples and frames the file a chunk at a time and writes rows as they
/// come; its output must stay, byte for byte, the features of the whole decoded and resampled signal, and a
/// file output must still appear whole or not at all.
final class FeaturesStreamingCLITests: CLITestCase {
    /// A reproducible 44.1 kHz signal with energy across the band (a chirp plus noise).
    private func signal(seconds: Double, rate: Int) -> [Float] {
        var state: UInt64 = 42
        return (0..<Int(seconds * Double(rate))).map { n in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let t = Double(n) / Double(rate)
            return 0.5 * Float(sin(2 * .pi * (150 + 40 * t) * t)) + 0.1 * Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
        }
    }

    /// The reference: the whole file decoded, resampled in one piece and framed in one piece.
    private func wholeSignalFeatures(_ path: String) throws -> FeatureMatrix {
        let decoded = try WAVDecoder.decode(contentsOf: URL(fileURLWithPath: path))
        return try FeatureExtractor.features(of: Resampler.resample(decoded.samples, from: decoded.sampleRate, to: 16000))
    }

    private func csv(_ matrix: FeatureMatrix) -> String {
        (0..<matrix.frames).map { frame in
            (0..<matrix.coefficients).map { String(matrix[frame, $0]) }.joined(separator: ",") + "\n"
        }.joined()
    }

    /// NumPy format 1.0 for a float32 C-order matrix, from the format's specification.
    private func npy(_ matrix: FeatureMatrix) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(matrix.frames), \(matrix.coefficients)), }"
        header += String(repeating: " ", count: 128 - 10 - header.utf8.count - 1) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0])
        data.append(contentsOf: Array(header.utf8))
        matrix.values.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// The names in `directory`, to see that no temporary file is left behind.
    private func names(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    func testFortySecondsAt44kHzEqualTheWholeSignalInEveryOutput() throws {
        let directory = try temporaryDirectory()
        let input = directory.appendingPathComponent("forty.wav").path
        try TestWAV.s16(signal(seconds: 40, rate: 44100), sampleRate: 44100).write(to: URL(fileURLWithPath: input))
        let expected = try wholeSignalFeatures(input)
        XCTAssertEqual(expected.frames, 3998)

        let npyPath = directory.appendingPathComponent("forty.npy").path
        let npyRun = try kws(["features", input, "-o", npyPath])
        XCTAssertEqual(npyRun.status, 0, npyRun.stderr)
        XCTAssertEqual(npyRun.stderr, "")
        XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: npyPath)) == npy(expected), "the .npy differs from the whole-signal features")

        let csvPath = directory.appendingPathComponent("forty.csv").path
        let csvRun = try kws(["features", input, "--out", csvPath])
        XCTAssertEqual(csvRun.status, 0, csvRun.stderr)
        let expectedCSV = csv(expected)
        XCTAssertTrue(try String(contentsOfFile: csvPath, encoding: .utf8) == expectedCSV, "the .csv differs from the whole-signal features")

        let stdoutRun = try kws(["features", input])
        XCTAssertEqual(stdoutRun.status, 0, stdoutRun.stderr)
        XCTAssertTrue(stdoutRun.stdout == expectedCSV, "stdout differs from the whole-signal features")

        // Written like any new file (mode 0666 less the umask), and no temporary file is left.
        let mask = umask(0)
        umask(mask)
        for path in [npyPath, csvPath] {
            let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            XCTAssertEqual(mode, 0o666 & ~Int(mask), path)
        }
        XCTAssertEqual(try names(in: directory), ["forty.csv", "forty.npy", "forty.wav"])
    }

    /// Audio shorter than one window has no rows: an empty CSV and a (0, 40) array, as before.
    func testAudioShorterThanAWindowHasNoRows() throws {
        let directory = try temporaryDirectory()
        let input = directory.appendingPathComponent("short.wav").path
        try TestWAV.s16(signal(seconds: 0.02, rate: 44100), sampleRate: 44100).write(to: URL(fileURLWithPath: input))
        let expected = try wholeSignalFeatures(input)
        XCTAssertEqual(expected.frames, 0)
        let npyPath = directory.appendingPathComponent("short.npy").path
        XCTAssertEqual(try kws(["features", input, "-o", npyPath]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: npyPath)), npy(expected))
        let csvPath = directory.appendingPathComponent("short.csv").path
        XCTAssertEqual(try kws(["features", input, "-o", csvPath]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: csvPath, encoding: .utf8), "")
        let printed = try kws(["features", input])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertEqual(printed.stdout, "")
    }

    /// Truncated sample data: the decoder's warning is printed once, and the rows are those of what is there.
    func testTruncatedDataWarnsAndKeepsItsRows() throws {
        let directory = try temporaryDirectory()
        let input = directory.appendingPathComponent("cut.wav").path
        var data = TestWAV.s16(signal(seconds: 2, rate: 16000))
        data.removeLast(999)
        try data.write(to: URL(fileURLWithPath: input))
        let expected = try wholeSignalFeatures(input)
        let npyPath = directory.appendingPathComponent("cut.npy").path
        let result = try kws(["features", input, "-o", npyPath])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("cut.wav: data chunk declares"), result.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: npyPath)), npy(expected))
    }

    /// An input that fails (here, one without samples or with a header cut short) leaves an existing output
    /// as it was and no temporary file beside it.
    func testAFailedInputLeavesTheOutputAlone() throws {
        let directory = try temporaryDirectory()
        let empty = directory.appendingPathComponent("empty.wav").path
        try TestWAV.s16([]).write(to: URL(fileURLWithPath: empty))
        let cut = directory.appendingPathComponent("cut.wav").path
        try TestWAV.s16([0.1, 0.2]).prefix(30).write(to: URL(fileURLWithPath: cut))
        for out in ["old.npy", "old.csv"] {
            let target = directory.appendingPathComponent(out)
            try Data("earlier output".utf8).write(to: target)
            for (input, says) in [(empty, "no audio samples"), (cut, "cut.wav")] {
                let result = try kws(["features", input, "-o", target.path])
                XCTAssertEqual(result.status, 65, result.stderr)
                XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
                XCTAssertTrue(result.stderr.contains(says), result.stderr)
                XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "earlier output")
            }
        }
        XCTAssertEqual(try names(in: directory), ["cut.wav", "empty.wav", "old.csv", "old.npy"])
    }

    /// An output that cannot be written is one line naming it, status 73, and leaves no temporary file.
    func testAnUnwritableOutputIsOneLineAndLeavesNothing() throws {
        let directory = try temporaryDirectory()
        let taken = directory.appendingPathComponent("taken.npy")
        try FileManager.default.createDirectory(at: taken, withIntermediateDirectories: true)
        let result = try kws(["features", sample("yes.wav"), "-o", taken.path])
        XCTAssertEqual(result.status, 73, result.stderr)
        XCTAssertEqual(result.stderr, "kws: cannot write \(taken.path): it is a directory\n")
        XCTAssertEqual(try names(in: directory), ["taken.npy"])

        let nowhere = directory.appendingPathComponent("missing/x.csv").path
        let missing = try kws(["features", sample("yes.wav"), "-o", nowhere])
        XCTAssertEqual(missing.status, 73, missing.stderr)
        XCTAssertEqual(missing.stderr, "kws: cannot write \(nowhere): no such directory: \(directory.path)/missing\n")
    }

    /// One pass over the audio: a named pipe, which cannot be read twice, still gives its .npy.
    func testAFIFOGivesItsNPY() throws {
        let directory = try temporaryDirectory()
        let fifo = directory.appendingPathComponent("audio.wav").path
        XCTAssertTrue(TestWAV.servePipe(try Data(contentsOf: URL(fileURLWithPath: sample("sequence.wav"))), at: fifo))
        let out = directory.appendingPathComponent("sequence.npy").path
        let result = try kws(["features", fifo, "-o", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), npy(try wholeSignalFeatures(sample("sequence.wav"))))
    }
}
