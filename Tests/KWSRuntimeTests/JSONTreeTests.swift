import Foundation
@testable import KWSRuntime
import KWSTestSupport
import XCTest

/// ``JSONTree`` stands in for `JSONSerialization` (which FoundationEssentials lacks) when kws reads and writes
/// safetensors headers: headers it writes must keep the bytes `JSONSerialization` wrote.
final class JSONTreeTests: XCTestCase {
    /// Every shipped model's header (several written by Python, not all with sorted keys), parsed and written
    /// again: the bytes `JSONSerialization.data(withJSONObject:options: [.sortedKeys])` writes for the same tree.
    func testShippedHeadersSerializeAsJSONSerializationDoes() throws {
        let models = TestPaths.file("Models")
        let files = try FileManager.default.contentsOfDirectory(atPath: models.path).filter { $0.hasSuffix(".safetensors") }.sorted()
        try XCTSkipIf(files.isEmpty, "no model files in Models/")
        for file in files.prefix(LongTests.enabled ? files.count : 8) {
            let bytes = try [UInt8](Data(contentsOf: models.appendingPathComponent(file)))
            let length = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            let header = Array(bytes[8..<(8 + length)])
            let written = JSONTree.serialize(try JSONTree.parse(header))
            let foundation = [UInt8](try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: Data(header)),
                                                                options: [.sortedKeys]))
            if let at = zip(written, foundation).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset
                ?? (written.count == foundation.count ? nil : min(written.count, foundation.count)) {
                func around(_ bytes: [UInt8]) -> String { String(decoding: bytes[max(0, at - 150)..<min(bytes.count, at + 150)], as: UTF8.self) }
                XCTFail("\(file): differs at byte \(at):\nJSONTree:   \(around(written))\nFoundation: \(around(foundation))")
            }
        }
    }

    func testSerializeMatchesJSONSerialization() throws {
        let keys = ["b", "a", "B", "A", "a10", "a9", "a09", "a1b", "a_b", "aB", "conv2", "conv10", "x.10.y", "x.2.y", "_z",
                    "Z", "z", "1", "01", "10", "path/to", "", "a b", "a-b", "a.b", "a,b", "a;b", "a:b", "a!b", "a?b", "a'b", "a\"b",
                    "a(b", "a)b", "a[b", "a]b", "a{b", "a}b", "a@b", "a*b", "a/b", "a\\b", "a&b", "a#b", "a%b", "a`b", "a^b", "a+b",
                    "a<b", "a=b", "a>b", "a|b", "a~b", "a$b", "ab", "a0b", "aZb", "quant.blocks.5.conv2.shift", "quant.blocks.5.conv_2",
                    "ol4.blocks.4.shortcut.conv.outlier_index", "ol4.blocks.4.shortcut.conv.outlier_offsets", "ol4.blocks.4.shortcut.conv.outliers",
                    "hw.x-y", "hw.x_y", "hw.xy", "hw.x.y"]
        var object = [String: Any]()
        for (index, key) in keys.enumerated() { object[key] = index }
        object["strings"] = ["quote\" backslash\\ slash/ tab\t newline\n nul\u{0} esc\u{1B} bell\u{7} é ✓ 😀", "\u{8}\u{C}\r"]
        object["nested"] = ["shape": [1, 2, 3], "empty": [Int](), "flag": true, "no": false, "null": NSNull()] as [String: Any]
        var expected = [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        object["nested"] = ["shape": [1, 2, 3], "empty": [Int](), "flag": true, "no": false, "null": JSONTree.Null()] as [String: Any]
        XCTAssertEqual(String(decoding: JSONTree.serialize(object), as: UTF8.self), String(decoding: expected, as: UTF8.self))
        expected = [UInt8](try JSONSerialization.data(withJSONObject: [-5, 0, Int.max], options: [.sortedKeys]))
        XCTAssertEqual(JSONTree.serialize([-5, 0, Int.max]), expected)
    }

    func testParseGivesJSONSerializationShapes() throws {
        let text = #"{"a": [1, -2, 2.5, 1e3, true, null, "s\u00e9\/"], "b": {"c": {}}, "d": 12345678901234}"#
        let tree = try XCTUnwrap(JSONTree.parse(Array(text.utf8)) as? [String: Any])
        let array = try XCTUnwrap(tree["a"] as? [Any])
        XCTAssertEqual(array[0] as? Int, 1)
        XCTAssertEqual(array[1] as? Int, -2)
        XCTAssertEqual(array[2] as? Double, 2.5)
        XCTAssertEqual((array[3] as? Int).map(Double.init) ?? (array[3] as? Double), 1000)
        XCTAssertEqual(array[4] as? Bool, true)
        XCTAssertTrue(array[5] is JSONTree.Null)
        XCTAssertEqual(array[6] as? String, "sé/")
        XCTAssertNotNil((tree["b"] as? [String: Any])?["c"] as? [String: Any])
        XCTAssertEqual(tree["d"] as? Int, 12_345_678_901_234)
        // Rejected exactly when JSONSerialization rejects it.
        for text in ["", "{", "[1,]", "{\"a\": 1,}", "{\"a\" 1}", "nul", "[01]", "'a'", "[1] x", " [1] ", "{\"a\":1,\"a\":2}"] {
            let foundation = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
            XCTAssertEqual((try? JSONTree.parse(Array(text.utf8))) != nil, foundation, text)
        }
        XCTAssertThrowsError(try JSONTree.parse([0x7B, 0xFF, 0xFE, 0x7D]))
        XCTAssertThrowsError(try JSONTree.parse([UInt8](repeating: UInt8(ascii: "["), count: 200_000)))
    }

    /// The reader against `JSONSerialization` on texts one to four random edits away from valid JSON (a shipped
    /// header's start and a text with every JSON feature): both accept or both reject, and what both accept is
    /// the same tree (compared as `JSONSerialization` writes it with sorted keys).
    func testParseAgreesWithJSONSerializationOnMutatedTexts() throws {
        var bases = [#"{"a": [1, -2, 2.5, -0.0, 1e3, 1E-2, true, false, null, "s\u00e9\/\ud83d\ude00\n\t"], "b": {"c": {}, "": []}, "d": 12345678901234}"#]
        let model = TestPaths.file("Models/tc-resnet8-int8.safetensors")
        if let bytes = try? [UInt8](Data(contentsOf: model)) {
            let length = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            bases.append(String(decoding: bytes[8..<(8 + min(length, 2_000))], as: UTF8.self))
        }
        let alphabet = Array(#"{}[],:"\ 0123456789.eE+-truefalsn/ubx"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
        var random = SplitMix64(seed: 20261204)
        var agreedAccept = 0, agreedReject = 0
        for case_ in 0..<5_000 {
            var text = Array(bases[case_ % bases.count].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0...text.count, using: &random)
                let byte = alphabet.randomElement(using: &random)!
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where at < text.count: text[at] = byte
                case 1 where at < text.count: text.remove(at: at)
                default: text.insert(byte, at: at)
                }
            }
            let foundation = try? JSONSerialization.jsonObject(with: Data(text), options: [.fragmentsAllowed])
            let ours = try? JSONTree.parse(text)
            let shown = String(decoding: text.prefix(300), as: UTF8.self)
            guard let foundation, let ours else {
                XCTAssertEqual(ours != nil, foundation != nil, "case \(case_) (seed 20261204): \(shown)")
                agreedReject += 1
                continue
            }
            func written(_ tree: Any) throws -> String {
                String(decoding: try JSONSerialization.data(withJSONObject: tree, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
            }
            XCTAssertEqual(try written(Self.foundationShapes(ours)), try written(foundation), "case \(case_): \(shown)")
            agreedAccept += 1
        }
        print("JSONTree vs JSONSerialization on 5,000 mutated texts: \(agreedAccept) accepted by both, \(agreedReject) rejected by both")
        // Both outcomes must be exercised, or the comparison proves little.
        XCTAssertGreaterThan(agreedAccept, 150)
        XCTAssertGreaterThan(agreedReject, 1_000)
    }

    /// JSONTree's values as JSONSerialization holds them (`NSNull` for null), for writing with it.
    private static func foundationShapes(_ value: Any) -> Any {
        switch value {
        case let object as [String: Any]: return object.mapValues(foundationShapes)
        case let array as [Any]: return array.map(foundationShapes)
        case is JSONTree.Null: return NSNull()
        default: return value
        }
    }
}
