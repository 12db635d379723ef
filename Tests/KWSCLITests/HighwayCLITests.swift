import Foundation
import KWSTestSupport
import XCTest

/// `kws` with the precision-highway files: `info` shows the scheme, bit widths and model bytes; `detect`
/// runs them with the highway engine by default and by name; a float file under `--engine highway` is one
/// clear line.
final class HighwayCLITests: CLITestCase {
    func testInfoShowsSchemeBitWidthsAndModelBytes() throws {
        for (name, bits) in [("tc-resnet8-hw2", 2), ("tc-resnet14-1.5-hw4", 4)] {
            let result = try kws(["info", name])
            XCTAssertEqual(result.status, 0, result.stderr)
            // kws info continues a long line under its value column (14 spaces): read the lines whole.
            let text = result.stdout.replacingOccurrences(of: "\n" + String(repeating: " ", count: 14), with: " ")
            XCTAssertTrue(text.contains("precision highway: residual-branch convs \(bits)-bit weights, \(bits)-bit activations; 8-bit highway"),
                          result.stdout)
            XCTAssertTrue(text.contains("high precision input MFCCs"), result.stdout)
            let bytesLine = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("model bytes") })
            XCTAssertTrue(bytesLine.contains("weights as int8"), String(bytesLine))
            XCTAssertTrue(result.stdout.contains("--engine highway"), result.stdout)
        }
    }

    func testDetectRunsHighwayFilesByDefaultAndByName() throws {
        for arguments in [["--model", "tc-resnet8-hw4"], ["--model", "tc-resnet8-hw2", "--engine", "highway"]] {
            let result = try kws(["detect"] + arguments + ["--json", sample("yes.wav")])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertFalse(result.stdout.isEmpty)
        }
    }

    func testHighwayEngineOnAFloatModelIsOneLine() throws {
        let result = try kws(["detect", "--model", "tc-resnet8", "--engine", "highway", sample("yes.wav")])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("no precision-highway parameters"), result.stderr)
    }
}
