import FoundationEssentials
import Glibc
import KWSCore

/// A parsed JSON value, for showing model metadata (which safetensors stores as JSON strings) as an outline
/// in `kws info` and embedding it as JSON in `kws info --json`. Object keys come back sorted.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// `text` parsed, or nil when it is not JSON.
    static func parse(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else {
            let value = try container.decode([String: JSONValue].self)
            self = .object(value.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
        }
    }

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.jsonText == rhs.jsonText }

    /// Compact JSON text (keys sorted).
    var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return Self.numberText(value)
        case .string(let value): return JSONText.string(value)
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let fields): return JSONText.object(fields.map { ($0.key, $0.value.jsonText) })
        }
    }

    /// A number as short as it reads: integers without a fraction, others with up to 6 significant digits.
    static func numberText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(cFormat: "%.6g", value)
    }
}
