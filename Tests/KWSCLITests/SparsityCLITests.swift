import Foundation
import KWSTestSupport
import XCTest

/// `kws info --stats` and `kws zena-sim` end to end on Samples/: JSON contents, files, help, and one-line
/// errors for bad input.
final class SparsityCLITests: CLITestCase {
    func testStatsJSONCountsEveryConvolution() throws {
        let result = try kws(["info", "--stats", "tc-resnet8-int8", "--audio", TestPaths.file("Samples").path, "--json", "--limit", "4"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try XCTUnwrap(jsonLines(result).first)
        XCTAssertEqual(report["clips"] as? Int, 4)
        let layers = try XCTUnwrap(report["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.map { $0["name"] as? String }, ["stem.conv"] + (0..<3).flatMap { block in
            ["shortcut.conv", "conv1", "conv2"].map { "blocks.\(block).\($0)" }
        })
        let total = try XCTUnwrap(report["total"] as? [String: Double])
        // Convolution MACs of TC-ResNet8: 1,522,560 per inference minus the 48 × 12 FC head.
        XCTAssertEqual(total["macs_per_window"], 1_521_984)
        for layer in layers {
            let values = try ["weight_zero_mac_pct", "activation_zero_mac_pct", "both_zero_mac_pct", "either_zero_mac_pct"]
                .map { try XCTUnwrap(layer[$0] as? Double, $0) }
            XCTAssertTrue(values.allSatisfy { (0...100).contains($0) })
            // Union = weight zeros + activation zeros − both (printed to 4 decimals each).
            XCTAssertEqual(values[3], values[0] + values[1] - values[2], accuracy: 0.001)
        }
        // Post-ReLU layers have many zero activations on real speech; the stem's zero point keeps it near 0.
        XCTAssertGreaterThan(try XCTUnwrap(layers[2]["zero_activation_pct"] as? Double), 20)
        XCTAssertLessThan(try XCTUnwrap(layers[0]["zero_activation_pct"] as? Double), 5)
        XCTAssertNotNil(report["both_zero_means"] as? String)
    }

    func testStatsTextStatesWhatBothMeans() throws {
        let directory = try temporaryDirectory()
        let nested = directory.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: sample("yes.wav"), toPath: nested.appendingPathComponent("yes.wav").path)
        let result = try kws(["info", "--stats", "tc-resnet8-int8", "--audio", directory.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("on 1 clips"), result.stdout)
        XCTAssertTrue(result.stdout.contains("BOTH are zero (the intersection)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("stem input:"), result.stdout)
    }

    func testZenaSimJSONAndPlot() throws {
        let directory = try temporaryDirectory()
        let plot = directory.appendingPathComponent("zena.svg").path
        let list = directory.appendingPathComponent("list.txt")
        try "yes.wav\nstop.wav\nmissing.wav\n".write(to: list, atomically: true, encoding: .utf8)
        let result = try kws(["zena-sim", "tc-resnet8-int8", "--audio", TestPaths.file("Samples").path, "--list", list.path,
                              "--pes", "32", "--groups", "2", "--dataflow", "kernel", "--json", "--plot", plot])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try XCTUnwrap(jsonLines(result).first)
        XCTAssertEqual(report["clips"] as? Int, 2)
        XCTAssertEqual(report["mismatched_outputs"] as? Int, 0)
        XCTAssertEqual(report["checked_outputs"] as? Int, 2 * 10 * 4)
        let array = try XCTUnwrap(report["array"] as? [String: Any])
        XCTAssertEqual(array["pes"] as? Int, 32)
        XCTAssertEqual(array["dataflow"] as? String, "kernel")
        XCTAssertGreaterThan(try XCTUnwrap(report["speedup_vs_zero_agnostic"] as? Double), 1)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(report["speedup_vs_activation_only"] as? Double), 1)
        let total = try XCTUnwrap(report["total"] as? [String: [String: Double]])
        XCTAssertEqual(Set(total.keys), ["zero-agnostic", "activation-only", "zero-aware", "zena"])
        let agnostic = try XCTUnwrap(total["zero-agnostic"]?["cycles_per_window"])
        let zena = try XCTUnwrap(total["zena"]?["cycles_per_window"])
        XCTAssertEqual(try XCTUnwrap(report["speedup_vs_zero_agnostic"] as? Double), agnostic / zena, accuracy: 1e-3)
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertEqual(svg.components(separatedBy: "<rect x=").count - 1, 10 * 4 + 4)  // bars + legend
    }

    func testZenaSimTextTableHasTotalsAndTheTalksFigures() throws {
        let result = try kws(["zena-sim", "tc-resnet8-int8", "--audio", TestPaths.file("Samples").path, "--limit", "1"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("total"), result.stdout)
        XCTAssertTrue(result.stdout.contains("talk: 4× AlexNet, 5.2× VGG-16"), result.stdout)
        XCTAssertTrue(result.stdout.contains("verified: all 40 simulated layer outputs"), result.stdout)
    }

    /// The what-if pruning reaches the asked sparsity in every layer, and the simulator still matches the
    /// engine on the pruned network's activations.
    func testPruneWhatIf() throws {
        let samples = TestPaths.file("Samples").path
        let stats = try kws(["info", "--stats", "tc-resnet8-int8", "--audio", samples, "--limit", "1", "--prune", "0.7", "--json"])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        let report = try XCTUnwrap(jsonLines(stats).first)
        XCTAssertTrue(try XCTUnwrap(report["model"] as? String).contains("magnitude-pruned to 70% zero weights"))
        for layer in try XCTUnwrap(report["layers"] as? [[String: Any]]) {
            XCTAssertEqual(try XCTUnwrap(layer["zero_weight_pct"] as? Double), 70, accuracy: 0.5, "\(layer["name"] ?? "")")
        }
        let simulation = try kws(["zena-sim", "tc-resnet8-int8", "--audio", samples, "--limit", "1", "--prune", "0.85", "--json"])
        XCTAssertEqual(simulation.status, 0, simulation.stderr)
        let result = try XCTUnwrap(jsonLines(simulation).first)
        XCTAssertEqual(result["mismatched_outputs"] as? Int, 0)
        XCTAssertGreaterThan(try XCTUnwrap(result["speedup_vs_activation_only"] as? Double), 1.5)
    }

    func testHelpHasExamples() throws {
        for command in [["zena-sim"], ["info"]] {
            let result = try kws(command + ["--help"])
            XCTAssertEqual(result.status, 0)
            XCTAssertTrue(result.stdout.contains("Example"), result.stdout)
        }
        XCTAssertTrue(try kws(["info", "--help"]).stdout.contains("--stats"))
    }

    func testBadInputIsOneLineAndNonZero() throws {
        let empty = try temporaryDirectory()
        let samples = TestPaths.file("Samples").path
        let cases: [([String], String)] = [
            (["zena-sim", "--audio", empty.appendingPathComponent("nope").path], "no such directory"),
            (["zena-sim", "--audio", empty.path], "no *.wav clips"),
            (["zena-sim", "tc-resnet8", "--audio", samples], "has no int8 parameters"),
            (["zena-sim", "--pes", "0", "--audio", samples], "--pes must be at least 1"),
            (["zena-sim", "--pes", "6", "--groups", "4", "--audio", samples], "do not split into 4 equal work groups"),
            (["zena-sim", "--dataflow", "diagonal", "--audio", samples], "--dataflow diagonal"),
            (["zena-sim", "--queue-depth", "0", "--audio", samples], "--queue-depth must be at least 1"),
            (["zena-sim", "--prune", "1.5", "--audio", samples], "--prune 1.5"),
            (["info", "--stats", "tc-resnet8-int8"], "--audio DIR is required"),
            (["info", "--stats", "tc-resnet8", "--audio", samples], "has no int8 parameters"),
            (["info", "--stats", "tc-resnet8-int8", "--audio", empty.path], "no *.wav clips"),
            (["info", "--stats", "tc-resnet8-int8", "--audio", samples, "--limit", "0"], "--limit must be at least 1"),
        ]
        for (arguments, message) in cases {
            let result = try kws(arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
