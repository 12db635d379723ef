import Foundation
@testable import KWSRuntime
import KWSTestSupport
import XCTest

/// The `operating_points` metadata: read into ``OperatingPoints`` when a model loads, written back by
/// `jsonText`, and refused, naming the file and the problem, when it is not a valid table.
final class OperatingPointsTests: XCTestCase {
    private let fileName = "op.safetensors"

    /// The reference model file with `operating_points` set to `table` (nil: absent).
    private func load(table: String?) throws -> TCResNetModel {
        var surgery = try SafetensorsSurgery(bytes: try ReferenceFixtures.bytes("tc-resnet8-ref.safetensors"))
        surgery.metadata["operating_points"] = table
        return try TCResNetModel(file: try ModelFile(bytes: surgery.bytes(), name: fileName))
    }

    /// The fixture table with `edit` applied to its JSON object.
    private func edited(_ edit: (inout [String: Any]) -> Void) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(OperatingPointFixture.tableJSON.utf8)) as! [String: Any]
        edit(&object)
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    private func setRows(_ keyword: String, _ rows: Any) -> (inout [String: Any]) -> Void {
        { object in
            var keywords = object["keywords"] as! [String: Any]
            keywords[keyword] = rows
            object["keywords"] = keywords
        }
    }

    func testTheTableRoundTripsThroughAModelFile() throws {
        let model = try load(table: OperatingPointFixture.tableJSON)
        let table = try XCTUnwrap(model.operatingPoints)
        XCTAssertEqual(table.hopMilliseconds, 100)
        XCTAssertEqual(table.smoothingMilliseconds, 300)
        XCTAssertEqual(table.refractoryMilliseconds, 500)
        XCTAssertEqual(table.negativeHours, 1.5)
        XCTAssertEqual(table.positiveEvents, 400)
        XCTAssertEqual(table.source, "hand-made for tests")
        XCTAssertEqual(table.defaultFalseAlarmsPerHour, 1.0)
        XCTAssertEqual(Set(table.keywords.keys), Set(OperatingPointFixture.keywords))
        XCTAssertEqual(table.keywords["yes"]?.first, OperatingPoint(threshold: 0.3, recall: 0.99, falseAlarmsPerHour: 4))
        XCTAssertEqual(table.keywords["go"]?.last, OperatingPoint(threshold: 0.95, recall: 0.7, falseAlarmsPerHour: 0.038))
        // Written back and read again: the same value.
        XCTAssertEqual(try load(table: table.jsonText(keywordOrder: model.labels)).operatingPoints, table)
        XCTAssertEqual(try OperatingPoints(json: table.jsonText(), labels: model.labels, file: fileName), table)
    }

    func testAModelWithoutTheKeyHasNoTable() throws {
        XCTAssertNil(try load(table: nil).operatingPoints)
    }

    func testEachMalformedTableIsRefusedWithItsOwnMessage() throws {
        let cases: [(String, String)] = [
            ("not json", "not valid JSON"),
            ("[1, 2]", "Expected to decode Dictionary"),
            (try edited { $0["version"] = 2 }, "version 2 is not supported"),
            (try edited { $0["keywords"] = nil }, "\"keywords\" is missing"),
            (try edited { $0["hop_ms"] = nil }, "\"hop_ms\" is missing"),
            (try edited { $0["negative_hours"] = 0 }, "negative_hours 0.0 must be a number > 0"),
            (try edited(setRows("maybe", [[0.5, 0.9, 1.0]])), "'maybe' is not a label of the model"),
            (try edited(setRows("_unknown_", [[0.5, 0.9, 1.0]])), "'_unknown_' never fires"),
            (try edited(setRows("yes", [[Double]]())), "keywords.yes is an empty list"),
            (try edited(setRows("yes", [[0.5, 0.9, 1.0], [0.5, 0.8, 0.5]])), "keywords.yes[1]: threshold 0.5 does not increase"),
            (try edited(setRows("yes", [[0.6, 0.9, 1.0], [0.5, 0.8, 0.5]])), "keywords.yes[1]: threshold 0.5 does not increase"),
            (try edited(setRows("yes", [[0, 0.9, 1.0]])), "keywords.yes[0]: threshold 0.0 is outside (0, 1]"),
            (try edited(setRows("yes", [[1.5, 0.9, 1.0]])), "keywords.yes[0]: threshold 1.5 is outside (0, 1]"),
            (try edited(setRows("yes", [[0.5, 1.2, 1.0]])), "keywords.yes[0]: recall 1.2 is outside [0, 1]"),
            (try edited(setRows("yes", [[0.5, 0.9, -1.0]])), "keywords.yes[0]: false alarms per hour -1.0 must be a finite number ≥ 0"),
            (try edited(setRows("yes", [[0.5, 0.9]])), "keywords.yes[0] has 2 values"),
            (try edited(setRows("yes", [[0.5, "high", 1]])), "keywords"),
            (try edited { object in var k = object["keywords"] as! [String: Any]; k["go"] = nil; object["keywords"] = k },
             "keyword 'go' of the model has no rows"),
            (try edited { $0["default_false_alarms_per_hour"] = 1000 }, "default_false_alarms_per_hour: false alarms per hour 1000 is outside the table"),
            (try edited { $0["default_false_alarms_per_hour"] = 0.01 }, "default_false_alarms_per_hour: false alarms per hour 0.01 is below what the table reaches"),
        ]
        for (table, words) in cases {
            XCTAssertThrowsError(try load(table: table), words) { error in
                guard case let .malformedOperatingPoints(file, reason)? = error as? ModelError else {
                    return XCTFail("\(words): \(error)")
                }
                XCTAssertEqual(file, fileName)
                XCTAssertTrue(reason.contains(words), "'\(reason)' does not say '\(words)'")
                XCTAssertEqual("\(error)".split(separator: "\n").count, 1)
                XCTAssertTrue("\(error)".hasPrefix("\(fileName): metadata \"operating_points\""), "\(error)")
            }
        }
    }

    func testAQuantizedFileDropsTheTableMeasuredOnTheFloatNetwork() throws {
        var surgery = try SafetensorsSurgery(bytes: try ReferenceFixtures.bytes("tc-resnet8-ref.safetensors"))
        surgery.metadata["operating_points"] = OperatingPointFixture.tableJSON
        let file = try ModelFile(bytes: surgery.bytes(), name: fileName)
        let model = try TCResNetModel(file: file)
        XCTAssertNotNil(model.operatingPoints)
        var calibration = Calibration(model: model, estimator: .minmax)
        let windows = try Int8EngineTests.calibrationWindows(count: 4)
        calibration.observe(batch: windows)
        let network = try Quantizer.quantize(model, calibration: calibration, batchSize: windows.count, distinctClips: windows.count,
                                             augmentedClips: 0, source: "synthetic")
        let written = try QuantizedTCResNet.modelFile(float: file, model: model, quantized: network, name: "op-int8").encoded()
        let quantized = try TCResNetModel(file: try ModelFile(bytes: written, name: "op-int8.safetensors"))
        XCTAssertNotNil(quantized.quantized)
        XCTAssertNil(quantized.operatingPoints, "a table describes the network it was measured on")
        XCTAssertNil(model.withQuantization(network, name: "op-int8").operatingPoints)
    }
}
