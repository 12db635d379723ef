import Foundation
import KWSTestSupport
import XCTest

final class EvalAndInfoTests: CLITestCase {
    func testEvalJSONHasTheContractKeysAndConsistentCounts() throws {
        let directory = try temporaryDirectory()
        for label in ["yes", "no", "_silence_"] {
            let folder = directory.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let source = label == "_silence_" ? "silence.wav" : "\(label).wav"
            try FileManager.default.copyItem(atPath: sample(source), toPath: folder.appendingPathComponent("a.wav").path)
        }
        let plot = directory.appendingPathComponent("confusion.svg").path
        let result = try kws(["eval", "--json", "--plot", plot, directory.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try XCTUnwrap(jsonLines(result).first)
        XCTAssertEqual(report["count"] as? Int, 3)
        let labels = try XCTUnwrap(report["labels"] as? [String])
        let confusion = try XCTUnwrap(report["confusion"] as? [[Int]])
        XCTAssertEqual(confusion.count, labels.count)
        XCTAssertEqual(confusion.flatMap { $0 }.reduce(0, +), 3)
        let accuracy = try XCTUnwrap(report["accuracy"] as? Double)
        let diagonal = labels.indices.reduce(0) { $0 + confusion[$1][$1] }
        XCTAssertEqual(accuracy, Double(diagonal) / 3, accuracy: 1e-6)
        XCTAssertNotNil(report["per_class"] as? [String: Any])
        XCTAssertTrue(try String(contentsOfFile: plot, encoding: .utf8).hasPrefix("<svg"))
    }

    func testInfoShowsArchitectureAndCost() throws {
        let result = try kws(["info", "tc-resnet8"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("tc-resnet8"))
        XCTAssertTrue(result.stdout.contains("1522560"), result.stdout)
    }

    func testCorruptModelIsOneLineAndNonZero() throws {
        let directory = try temporaryDirectory()
        let model = directory.appendingPathComponent("broken.safetensors")
        try Data([1, 2, 3]).write(to: model)
        let result = try kws(["detect", "--model", model.path, sample("yes.wav")])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("broken.safetensors"), result.stderr)
    }

    func testFeaturesNPYHasTheExpectedShape() throws {
        let out = try temporaryDirectory().appendingPathComponent("yes.npy")
        let result = try kws(["features", sample("yes.wav"), "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let data = try Data(contentsOf: out)
        let header = String(decoding: data.prefix(128), as: UTF8.self)
        XCTAssertTrue(header.contains("'shape': (98, 40)"), header)
        XCTAssertEqual(data.count % 64, (98 * 40 * 4) % 64)
    }
}
