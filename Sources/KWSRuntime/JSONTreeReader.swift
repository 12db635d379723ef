/// Reads RFC 8259 JSON text into ``JSONTree``'s shapes in one pass over the bytes.
///
/// It stands in for `JSONDecoder` decoding an "any value" node, which tried each JSON type in turn and paid for
/// a thrown error per miss: loading a model spent most of its header time there, and a fuzzed model loader
/// most of its time. Accepts and rejects what `JSONSerialization` does (JSONTreeTests checks both on the same
/// texts): any value at the top level, surrounding whitespace, a comma before a closing bracket or brace, no
/// trailing text, no leading zeros, valid UTF-8, escapes including surrogate pairs, nesting at most
/// ``maximumDepth`` deep.
struct JSONTreeReader {
    /// Deeper nesting is an error, not a stack overflow (`JSONDecoder` stops at the same depth).
    static let maximumDepth = 512

    /// Where and why the text is not JSON.
    struct SyntaxError: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "byte \(offset): \(reason)" }
    }

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The one value the whole text holds.
    mutating func document() throws -> Any {
        let value = try self.value(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw failure("text after the JSON value") }
        return value
    }

    private mutating func value(depth: Int) throws -> Any {
        skipWhitespace()
        guard let byte = peek() else { throw failure("unexpected end of text") }
        switch byte {
        case ASCII.openBrace: return try object(depth: depth + 1)
        case ASCII.openBracket: return try array(depth: depth + 1)
        case ASCII.quote: return try string()
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        case UInt8(ascii: "n"): try literal("null"); return JSONTree.Null()
        case UInt8(ascii: "-"), ASCII.zero...ASCII.nine: return try number()
        default: throw failure("unexpected character")
        }
    }

    private mutating func object(depth: Int) throws -> [String: Any] {
        guard depth <= Self.maximumDepth else { throw failure("nested more than \(Self.maximumDepth) deep") }
        index += 1
        var object = [String: Any]()
        skipWhitespace()
        if peek() == ASCII.closeBrace { index += 1; return object }
        while true {
            skipWhitespace()
            // A comma before the closing brace is accepted, as JSONSerialization accepts it.
            if !object.isEmpty, peek() == ASCII.closeBrace { index += 1; return object }
            guard peek() == ASCII.quote else { throw failure("expected a string key") }
            let key = try string()
            skipWhitespace()
            guard peek() == ASCII.colon else { throw failure("expected ':' after a key") }
            index += 1
            // A repeated key keeps its last value, as JSONSerialization does.
            object[key] = try self.value(depth: depth)
            skipWhitespace()
            switch peek() {
            case ASCII.comma: index += 1
            case ASCII.closeBrace: index += 1; return object
            default: throw failure("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func array(depth: Int) throws -> [Any] {
        guard depth <= Self.maximumDepth else { throw failure("nested more than \(Self.maximumDepth) deep") }
        index += 1
        var array = [Any]()
        skipWhitespace()
        if peek() == ASCII.closeBracket { index += 1; return array }
        while true {
            skipWhitespace()
            // A comma before the closing bracket is accepted, as JSONSerialization accepts it.
            if !array.isEmpty, peek() == ASCII.closeBracket { index += 1; return array }
            array.append(try value(depth: depth))
            skipWhitespace()
            switch peek() {
            case ASCII.comma: index += 1
            case ASCII.closeBracket: index += 1; return array
            default: throw failure("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func string() throws -> String {
        index += 1
        let start = index
        // Most strings have no escape: read them straight from the text.
        while let byte = peek(), byte != ASCII.quote, byte != ASCII.backslash, byte >= 0x20 { index += 1 }
        if peek() == ASCII.quote {
            index += 1
            return try utf8(bytes[start..<index - 1], at: start)
        }
        var buffer = Array(bytes[start..<index])
        while true {
            guard let byte = peek() else { throw failure("unterminated string") }
            switch byte {
            case ASCII.quote:
                index += 1
                return try utf8(buffer[...], at: start)
            case ASCII.backslash:
                index += 1
                try escape(into: &buffer)
            case ..<0x20:
                throw failure("control character in a string")
            default:
                buffer.append(byte)
                index += 1
            }
        }
    }

    private mutating func escape(into buffer: inout [UInt8]) throws {
        guard let byte = peek() else { throw failure("unterminated string") }
        index += 1
        switch byte {
        case ASCII.quote, ASCII.backslash, UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var code = UInt32(try hex4())
            if (0xD800..<0xDC00).contains(code) {
                guard peek() == ASCII.backslash, peek(1) == UInt8(ascii: "u") else { throw failure("unpaired surrogate escape") }
                index += 2
                let low = UInt32(try hex4())
                guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate escape") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw failure("unpaired surrogate escape") }
            buffer += Array(String(Character(scalar)).utf8)
        default:
            throw failure("unknown escape")
        }
    }

    private mutating func hex4() throws -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { throw failure("unterminated \\u escape") }
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("bad \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private func utf8(_ text: ArraySlice<UInt8>, at offset: Int) throws -> String {
        guard let string = String(validating: text, as: UTF8.self) else {
            throw SyntaxError(offset: offset, reason: "string is not valid UTF-8")
        }
        return string
    }

    /// `Int` when the text is an integer that fits, else `Double`.
    private mutating func number() throws -> Any {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), (ASCII.zero...ASCII.nine).contains(first) else { throw failure("expected a digit") }
        if first == ASCII.zero {
            index += 1
            if let next = peek(), (ASCII.zero...ASCII.nine).contains(next) { throw failure("leading zero in a number") }
        } else {
            skipDigits()
        }
        var integral = true
        if peek() == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard skipDigits() > 0 else { throw failure("expected a digit after '.'") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            integral = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw failure("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let integer = Int(text) { return integer }
        guard let real = Double(text), real.isFinite else { throw failure("number out of range") }
        return real
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while let byte = peek(), (ASCII.zero...ASCII.nine).contains(byte) { index += 1 }
        return index - start
    }

    private mutating func literal(_ word: StaticString) throws {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes.count - index >= expected.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
            throw failure("unexpected character")
        }
        index += expected.count
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private func peek(_ ahead: Int = 0) -> UInt8? { index + ahead < bytes.count ? bytes[index + ahead] : nil }

    private func failure(_ reason: String) -> SyntaxError { SyntaxError(offset: index, reason: reason) }

    private enum ASCII {
        static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
        static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
        static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        static let colon = UInt8(ascii: ":"), comma = UInt8(ascii: ",")
        static let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
    }
}
