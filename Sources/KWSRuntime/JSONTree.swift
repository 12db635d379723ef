/// JSON as `Any` values, the shapes `JSONSerialization` used (FoundationEssentials has no
/// `JSONSerialization`): objects `[String: Any]`, arrays `[Any]`, strings, numbers (`Int` when the text is an
/// integer that fits, else `Double`), `Bool`, and ``Null``. The safetensors header is read and written this way.
package enum JSONTree {
    /// JSON's `null`.
    package struct Null: Equatable {}

    /// The value `bytes` hold (any JSON value at the top level).
    /// - Throws: ``JSONTreeReader/SyntaxError`` (where and why) when `bytes` are not JSON, not UTF-8, or nested
    ///   too deeply.
    package static func parse<Bytes: Collection>(_ bytes: Bytes) throws -> Any where Bytes.Element == UInt8 {
        var reader = JSONTreeReader(Array(bytes))
        return try reader.document()
    }

    /// Compact JSON text of `value` (objects, arrays, strings, `Int`, `Bool`, ``Null``), written as
    /// `JSONSerialization.data(withJSONObject:options: [.sortedKeys])` wrote it, so headers kws writes keep their
    /// bytes: keys in Foundation's sorted-keys order (``keyPrecedes(_:_:)``), "/" escaped as "\/".
    package static func serialize(_ value: Any) -> [UInt8] {
        var out = [UInt8]()
        write(value, to: &out)
        return out
    }

    private static func write(_ value: Any, to out: inout [UInt8]) {
        switch value {
        case let object as [String: Any]:
            out.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sorted(by: keyPrecedes).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(object[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let string as String: writeString(string, to: &out)
        case let bool as Bool: out += Array((bool ? "true" : "false").utf8)
        case let integer as Int: out += Array(String(integer).utf8)
        case is Null: out += Array("null".utf8)
        default: preconditionFailure("JSONTree.serialize: unsupported value \(type(of: value))")
        }
    }

    private static func writeString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += Array("\\\"".utf8)
            case "\\": out += Array("\\\\".utf8)
            case "/": out += Array("\\/".utf8)
            case "\u{8}": out += Array("\\b".utf8)
            case "\u{C}": out += Array("\\f".utf8)
            case "\n": out += Array("\\n".utf8)
            case "\r": out += Array("\\r".utf8)
            case "\t": out += Array("\\t".utf8)
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: out += Array(String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Foundation's `.sortedKeys` order for ASCII keys. It compares with `.numeric, .caseInsensitive,
    /// .forcedOrdering` in the root locale (ICU collation), not by code point: space, then punctuation and symbols
    /// in collation order (`_` `-` `,` `;` `:` `!` `?` `.` … `$`), then runs of digits by their value, then
    /// letters ignoring case; keys equal so far put lower case first, then fewer leading zeros.
    package static func keyPrecedes(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.unicodeScalars), b = Array(rhs.unicodeScalars)
        var i = 0, j = 0
        var caseOrder: Bool?, zeroOrder: Bool?
        while i < a.count, j < b.count {
            if isDigit(a[i]), isDigit(b[j]) {
                var endA = i, endB = j
                while endA < a.count, isDigit(a[endA]) { endA += 1 }
                while endB < b.count, isDigit(b[endB]) { endB += 1 }
                let digitsA = a[i..<endA].drop { $0 == "0" }, digitsB = b[j..<endB].drop { $0 == "0" }
                if digitsA.count != digitsB.count { return digitsA.count < digitsB.count }
                for (x, y) in zip(digitsA, digitsB) where x != y { return x.value < y.value }
                if zeroOrder == nil, endA - i != endB - j { zeroOrder = endA - i < endB - j }
                i = endA; j = endB
                continue
            }
            let x = collationWeight(a[i]), y = collationWeight(b[j])
            if x != y { return x < y }
            if caseOrder == nil, a[i] != b[j] { caseOrder = ("a"..."z").contains(a[i]) }
            i += 1; j += 1
        }
        if (a.count - i) != (b.count - j) { return (a.count - i) < (b.count - j) }
        if let caseOrder { return caseOrder }
        if let zeroOrder { return zeroOrder }
        return lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// ASCII in root collation order: space and punctuation, digits (a digit meets a non-digit here), letters
    /// folded to lower case; other scalars after every ASCII one, by code point.
    private static let punctuationOrder = Array(" _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$".unicodeScalars)
    private static func collationWeight(_ scalar: Unicode.Scalar) -> UInt32 {
        if let index = punctuationOrder.firstIndex(of: scalar) { return UInt32(index) }
        if isDigit(scalar) { return 0x80 }
        if ("a"..."z").contains(scalar) { return 0x100 + scalar.value }
        if ("A"..."Z").contains(scalar) { return 0x100 + scalar.value + 32 }
        return 0x1000 + scalar.value
    }
}
