import Foundation
import KWSTestSupport
import XCTest

/// `kws quantize --scheme outlier` end to end on the random-weight fixture with the sample clips as calibration:
/// the file it writes loads, `kws info` describes it, the default engine for it is `outlier`, and bad ratios or
/// schemes are one-line errors.
final class OutlierQuantizeCommandTests: CLITestCase {
    static let fixture = TestPaths.file("Tests/KWSRuntimeTests/Fixtures/tc-resnet8-ref.safetensors").path

    private func calibrationFolder() throws -> URL {
        let directory = try temporaryDirectory()
        for label in ["yes", "no", "stop"] {
            let folder = directory.appendingPathComponent("clips/\(label)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: sample("\(label).wav"), toPath: folder.appendingPathComponent("a.wav").path)
        }
        return directory
    }

    func testQuantizeInfoAndDetectWithAnOutlierFile() throws {
        let directory = try calibrationFolder()
        let out = directory.appendingPathComponent("ref-ol4-2.safetensors").path
        let quantize = try kws(["quantize", Self.fixture, "--scheme", "outlier", "--outlier-ratio", "2%",
                                "--calibration", directory.appendingPathComponent("clips").path,
                                "--calibration-batches", "2", "--batch-size", "3", "--out", out])
        XCTAssertEqual(quantize.status, 0, quantize.stderr)
        XCTAssertTrue(quantize.stdout.contains("r = 2%"), quantize.stdout)
        XCTAssertTrue(quantize.stdout.contains("weight outliers"), quantize.stdout)

        let info = try kws(["info", out])
        XCTAssertEqual(info.status, 0, info.stderr)
        for text in ["outlier-aware 4-bit", "weights 4-bit + 8-bit outliers", "16-bit outliers", "r = 2%", "model bytes", "int8", "fp32"] {
            XCTAssertTrue(info.stdout.contains(text), "\(text) in \(info.stdout)")
        }

        // Default engine: outlier; naming it explicitly gives the same labels and scores.
        let automatic = try kws(["detect", "--json", "--model", out, sample("yes.wav"), sample("no.wav")])
        let named = try kws(["detect", "--json", "--model", out, "--engine", "outlier", sample("yes.wav"), sample("no.wav")])
        XCTAssertEqual(automatic.status, 0, automatic.stderr)
        XCTAssertEqual(automatic.stdout, named.stdout)
        let int8 = try kws(["detect", "--model", out, "--engine", "int8", sample("yes.wav")])
        XCTAssertNotEqual(int8.status, 0)
        XCTAssertTrue(int8.stderr.contains("int8"), int8.stderr)
    }

    func testRatioZeroWritesAFileWithoutActivationOutliers() throws {
        let directory = try calibrationFolder()
        let out = directory.appendingPathComponent("ref-ol4-0.safetensors").path
        let quantize = try kws(["quantize", Self.fixture, "--scheme", "outlier", "--outlier-ratio", "0",
                                "--calibration", directory.appendingPathComponent("clips").path,
                                "--calibration-batches", "1", "--batch-size", "3", "--out", out])
        XCTAssertEqual(quantize.status, 0, quantize.stderr)
        let info = try kws(["info", out])
        XCTAssertTrue(info.stdout.contains("no outliers"), info.stdout)
        XCTAssertTrue(info.stdout.contains("weight outliers 0 of"), info.stdout)
    }

    func testBadSchemeAndRatioAreOneLineErrors() throws {
        let directory = try calibrationFolder()
        for arguments in [["--scheme", "int3"], ["--scheme", "outlier", "--outlier-ratio", "60%"],
                          ["--scheme", "outlier", "--outlier-ratio=-0.1"], ["--scheme", "outlier", "--outlier-ratio", "lots"]] {
            let result = try kws(["quantize", Self.fixture, "--calibration", directory.path, "--out", directory.appendingPathComponent("x.safetensors").path] + arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(arguments.last!.replacingOccurrences(of: "--outlier-ratio=", with: "")), "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error") }.count, 1, result.stderr)
        }
    }

    func testHelpShowsAnOutlierExample() throws {
        let help = try kws(["quantize", "--help"])
        XCTAssertTrue(help.stdout.contains("--scheme outlier --outlier-ratio"), help.stdout)
    }
}
