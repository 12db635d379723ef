import Foundation

/// A hand-made operating-point table and model files that carry it, for tests that need a model with
/// operating points before the shipped models have measured ones.
public enum OperatingPointFixture {
    /// The keywords of the shipped models, in label order.
    public static let keywords = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]

    /// Keyword `i` (0-based, in ``keywords`` order) has these rows, false alarms per hour scaled by 1 + i/10.
    static let rows: [(threshold: Double, recall: Double, falseAlarmsPerHour: Double)] = [
        (0.3, 0.99, 4.0), (0.5, 0.97, 2.0), (0.7, 0.95, 1.0), (0.8, 0.9, 0.4), (0.9, 0.85, 0.1), (0.95, 0.7, 0.02),
    ]

    /// The scale of keyword `index`'s false-alarm rates.
    public static func scale(_ index: Int) -> Double { 1 + Double(index) / 10 }

    /// The table's default budget (false alarms per hour, all keywords).
    public static let defaultFalseAlarmsPerHour = 1.0

    /// The `operating_points` JSON: 1.5 h of negative audio, 400 events, the default detector settings,
    /// a default budget of 1/h.
    public static var tableJSON: String {
        let keywordRows = keywords.enumerated().map { index, keyword in
            "\"\(keyword)\":[" + rows.map { row in
                "[\(row.threshold),\(row.recall)," + String(format: "%.4g", row.falseAlarmsPerHour * scale(index)) + "]"
            }.joined(separator: ",") + "]"
        }
        return #"{"version":1,"hop_ms":100,"smoothing_ms":300,"refractory_ms":500,"negative_hours":1.5,"positive_events":400,"#
            + #""source":"hand-made for tests","default_false_alarms_per_hour":\#(defaultFalseAlarmsPerHour),"keywords":{"#
            + keywordRows.joined(separator: ",") + "}}"
    }

    /// The trained default model (Models/tc-resnet8-int8.safetensors).
    public static var shippedModel: URL { TestPaths.file("Models/tc-resnet8-int8.safetensors") }

    /// A copy of `source` in `directory`, named `name`, whose `operating_points` metadata is `table` (nil:
    /// removed, so the copy behaves as a model without a table whatever the source carries).
    public static func modelCopy(of source: URL = shippedModel, table: String? = tableJSON, in directory: URL,
                                 name: String = "with-operating-points.safetensors") throws -> URL {
        var surgery = try SafetensorsSurgery(bytes: [UInt8](try Data(contentsOf: source)))
        surgery.metadata["operating_points"] = table
        let url = directory.appendingPathComponent(name)
        try Data(surgery.bytes()).write(to: url)
        return url
    }

    /// A fresh temporary directory; the caller removes it.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kws-op-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
