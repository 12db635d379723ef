import Foundation
import KWSTestSupport
import XCTest

/// Issue 15, item 2: `kws models` is a table sized to its content with each file's own-engine accuracy;
/// `kws info` is readable and `kws info --json` is JSON for every shipped model.
final class ModelsAndInfoCLITests: CLITestCase {
    /// The `__metadata__` of a model file, read independently of kws.
    private func metadata(_ url: URL) throws -> [String: String] {
        try SafetensorsSurgery(bytes: [UInt8](try Data(contentsOf: url))).metadata
    }

    private var shippedModels: [URL] {
        get throws {
            try FileManager.default.contentsOfDirectory(at: TestPaths.file("Models"), includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "safetensors" }.sorted { $0.path < $1.path }
        }
    }

    private func percent(_ value: String?) -> String {
        value.flatMap(Double.init).map { String(format: "%.2f%%", $0 * 100) } ?? "–"
    }

    func testModelsIsATableWhoseColumnsNeverRunTogether() throws {
        let result = try kws(["models"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.lines
        let header = try XCTUnwrap(lines.first)
        XCTAssertTrue(header.hasPrefix("MODEL "), header)
        let columns = ["ENGINE", "PARAMS", "MACS", "TEST TOP-1", "FLOAT TOP-1"].map { header.range(of: $0)!.lowerBound.utf16Offset(in: header) }
        let models = try shippedModels
        XCTAssertEqual(lines.count, models.count + 1)
        for url in models {
            let name = url.deletingPathExtension().lastPathComponent
            let row = try XCTUnwrap(lines.first { $0.hasPrefix(name + " ") }, "no row starts with the whole name \(name)")
            let cells = row.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            XCTAssertEqual(cells.first, name, "the name is a cell of its own: \(row)")
            // The engine column starts at the same offset in every row: names never push it right.
            let characters = Array(row)
            XCTAssertEqual(String(characters[columns[0] - 2 ..< columns[0]]), "  ", row)
            XCTAssertNotEqual(characters[columns[0]], " ", row)
            let meta = try metadata(url)
            let ownFigureKnown = meta["quantization"] == nil || meta["float_test_accuracy"] != nil
            let own = ownFigureKnown ? percent(meta["test_accuracy"]) : "–"
            XCTAssertTrue(cells.contains(own), "\(name): expected its own-engine accuracy \(own) in \(row)")
            if meta["quantization"] != nil, meta["float_test_accuracy"] == nil {
                XCTAssertEqual(cells[4], "–", "\(name): an int8 file does not show its float model's figure as its own: \(row)")
                XCTAssertEqual(cells[5], percent(meta["test_accuracy"]), "\(name): the float figure is in its own column")
            }
        }
        XCTAssertTrue(lines.contains { $0.hasPrefix("tc-resnet14-1.5-ao-int8 ") && $0.hasSuffix("* default") }, result.stdout)
    }

    func testInfoJSONForEveryShippedModel() throws {
        for url in try shippedModels {
            let name = url.deletingPathExtension().lastPathComponent
            let result = try kws(["info", "--json", name])
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
            XCTAssertEqual(result.lines.count, 1, name)
            let object = try XCTUnwrap(jsonLines(result).first, name)
            XCTAssertEqual(object["type"] as? String, "model")
            XCTAssertEqual(object["model"] as? String, name)
            XCTAssertNotNil(object["training"] as? [String: Any], "\(name): training metadata as a JSON object")
            XCTAssertNotNil(object["front_end"] as? [String: Any], name)
            let meta = try metadata(url)
            for key in ["quantization", "outlier_quantization", "highway"] {
                XCTAssertEqual(object[key] is NSNull, meta[key] == nil, "\(name) \(key)")
                if meta[key] != nil { XCTAssertNotNil(object[key] as? [String: Any], "\(name) \(key) as a JSON object") }
            }
        }
    }

    func testInfoTextIsReadableForEveryShippedModel() throws {
        for url in try shippedModels {
            let name = url.deletingPathExtension().lastPathComponent
            let result = try kws(["info", name])
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
            for line in result.lines where !line.hasPrefix("model ") {  // the first line holds the file's path
                XCTAssertLessThanOrEqual(line.count, 120, "\(name): a line of \(line.count) characters: \(line.prefix(200))…")
                XCTAssertFalse(line.contains("{\""), "\(name): raw JSON in kws info: \(line.prefix(200))")
            }
            XCTAssertTrue(result.lines.contains { $0.hasPrefix("training:") }, name)
            XCTAssertTrue(result.lines.contains { $0.hasPrefix("test accuracy ") }, name)
        }
        let int8 = try kws(["info", "tc-resnet8-int8"]).stdout
        XCTAssertTrue(int8.contains("  activation_ranges: 10 values, "), "long per-layer lists are summarised: \(int8)")
        // A quantized file of the older kind (the float figure copied as test_accuracy) says its own is unknown.
        for url in try shippedModels {
            let meta = try metadata(url)
            guard meta["quantization"] != nil, meta["float_test_accuracy"] == nil, let float = meta["test_accuracy"].flatMap(Double.init) else { continue }
            let text = try kws(["info", url.deletingPathExtension().lastPathComponent]).stdout
            XCTAssertTrue(text.contains("test accuracy unknown for the int8 engine (not recorded in this file); float network "
                + String(format: "%.2f%%", float * 100)), text)
        }
    }
}
