/// Nested model metadata (`training`, `quantization`, …) as an indented outline for `kws info`, instead of a
/// kilobyte of JSON on one line: one `key: value` per line, long text wrapped, and long runs of numbers
/// (per-layer activation ranges, split hashes are kept) summarised as a count and a range.
enum MetadataOutline {
    /// Lines are wrapped to this many columns where the text allows.
    static let width = 110
    /// A map or array of more numbers than this is summarised.
    static let longestNumberList = 6

    /// `text` (JSON, or plain text) as lines indented by `indent` spaces.
    static func lines(_ text: String, indent: Int) -> [String] {
        guard let value = JSONValue.parse(text) else { return wrap(text, indent: indent, firstPrefix: "") }
        return lines(value, indent: indent)
    }

    static func lines(_ value: JSONValue, indent: Int) -> [String] {
        switch value {
        case .object(let fields):
            return fields.flatMap { field in entry(field.key, field.value, indent: indent) }
        case .array(let items) where !isScalarList(items):
            return items.enumerated().flatMap { index, item in entry("[\(index)]", item, indent: indent) }
        default:
            return wrap(inline(value), indent: indent, firstPrefix: "")
        }
    }

    private static func entry(_ key: String, _ value: JSONValue, indent: Int) -> [String] {
        let prefix = String(repeating: " ", count: indent) + key + ": "
        if let summary = summary(value) { return [prefix + summary] }
        switch value {
        case .object, .array: return [String(repeating: " ", count: indent) + key + ":"] + lines(value, indent: indent + 2)
        default: return wrap(inline(value), indent: indent + 2, firstPrefix: prefix)
        }
    }

    /// One line for a list of scalars or a long map of numbers; nil for anything else.
    private static func summary(_ value: JSONValue) -> String? {
        switch value {
        case .array(let items) where isScalarList(items):
            if items.count <= longestNumberList { return "[" + items.map(inline).joined(separator: ", ") + "]" }
            if let range = numberRange(items) { return "\(items.count) values, \(range)" }
            return "\(items.count) values: " + items.prefix(4).map(inline).joined(separator: ", ") + ", …"
        case .object(let fields) where isScalarList(fields.map(\.value)):
            let text = "{" + fields.map { "\($0.key): \(inline($0.value))" }.joined(separator: ", ") + "}"
            if text.count <= width / 2 + 20 { return text }
            guard fields.count > longestNumberList else { return nil }
            return numberRange(fields.map(\.value)).map { "\(fields.count) values, \($0)" }
        default:
            return nil
        }
    }

    /// "low…high" when every value is a number.
    private static func numberRange(_ values: [JSONValue]) -> String? {
        let numbers = values.compactMap { value -> Double? in if case .number(let n) = value { return n } else { return nil } }
        guard numbers.count == values.count, let low = numbers.min(), let high = numbers.max() else { return nil }
        return "\(JSONValue.numberText(low))…\(JSONValue.numberText(high))"
    }

    private static func isScalarList(_ items: [JSONValue]) -> Bool {
        items.allSatisfy { if case .object = $0 { return false } else if case .array = $0 { return false } else { return true } }
    }

    private static func inline(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.jsonText
    }

    /// `text` broken at spaces into lines of at most ``width`` columns: the first starts with `firstPrefix`,
    /// the others with `indent` spaces.
    static func wrap(_ text: String, indent: Int, firstPrefix: String) -> [String] {
        var lines = [String]()
        var line = firstPrefix.isEmpty ? String(repeating: " ", count: indent) : firstPrefix
        var lineHasWords = false
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if lineHasWords, line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: indent)
                lineHasWords = false
            }
            line += (lineHasWords ? " " : "") + word
            lineHasWords = true
        }
        lines.append(line)
        return lines
    }
}
