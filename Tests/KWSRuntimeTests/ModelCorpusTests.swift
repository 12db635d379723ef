import KWSRuntime
import KWSTestSupport
import XCTest

/// One corrupted variant of a valid model file per failure mode, each asserted to give its own error.
final class ModelCorpusTests: XCTestCase {
    static let fileName = "tc-resnet8-ref.safetensors"
    var valid: [UInt8] = []

    override func setUpWithError() throws {
        valid = try ReferenceFixtures.bytes(Self.fileName)
    }

    private func surgery() throws -> SafetensorsSurgery { try SafetensorsSurgery(bytes: valid) }

    /// Loads `bytes` as model file `fileName`, expecting exactly `expected`, and checks the message is one
    /// line naming the file.
    private func assertRejects(_ bytes: [UInt8], _ expected: ModelError, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try TCResNetModel(file: ModelFile(bytes: bytes, name: Self.fileName))
            XCTFail("loaded a corrupt file; expected \(expected)", file: file, line: line)
        } catch let error as ModelError {
            XCTAssertEqual(error, expected, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(Self.fileName + ": "), error.description, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), error.description, file: file, line: line)
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
        }
    }

    private func withMetadata(_ key: String, _ value: String?) throws -> [UInt8] {
        var file = try surgery()
        file.metadata[key] = value
        return file.bytes()
    }

    func testValidFileLoads() throws {
        XCTAssertNoThrow(try TCResNetModel(file: ModelFile(bytes: valid, name: Self.fileName)))
        // Re-serialising without changes must also load (the surgery itself is not a corruption).
        XCTAssertNoThrow(try TCResNetModel(file: ModelFile(bytes: try surgery().bytes(), name: Self.fileName)))
    }

    // MARK: container

    func testTruncatedBelowHeaderLength() {
        assertRejects(Array(valid[0..<5]), .fileTooShort(file: Self.fileName, size: 5))
        assertRejects([], .fileTooShort(file: Self.fileName, size: 0))
    }

    func testTruncatedDataSection() throws {
        let file = try surgery()
        let dataSize = file.data.count
        assertRejects(Array(valid.dropLast(4)),
                      .tensorOffsetsOutOfRange(file: Self.fileName, tensor: "fc.weight", end: dataSize, dataSize: dataSize - 4))
    }

    func testHeaderLengthPastEnd() {
        var bytes = valid
        let claimed = UInt64(valid.count)  // 8 more than the bytes after the length field
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: claimed >> (8 * UInt64(i))) }
        assertRejects(bytes, .headerLengthOutOfRange(file: Self.fileName, headerLength: claimed, fileSize: valid.count))
        for i in 0..<8 { bytes[i] = 0xFF }
        assertRejects(bytes, .headerLengthOutOfRange(file: Self.fileName, headerLength: .max, fileSize: valid.count))
    }

    func testHeaderNotJSON() throws {
        let bytes = SafetensorsSurgery.assemble(header: Array("{\"__metadata__\": oops".utf8), data: try surgery().data)
        guard case .headerNotJSON? = loadError(bytes) else { return XCTFail("expected headerNotJSON, got \(String(describing: loadError(bytes)))") }
        let invalidUTF8 = SafetensorsSurgery.assemble(header: [0x7B, 0xFF, 0xFE, 0x7D], data: [])
        guard case .headerNotJSON? = loadError(invalidUTF8) else { return XCTFail("invalid UTF-8 header accepted") }
        let empty = SafetensorsSurgery.assemble(header: [], data: [])
        guard case .headerNotJSON? = loadError(empty) else { return XCTFail("empty header accepted") }
        // Deep nesting must be refused by the parser, not overflow the stack.
        let deep = SafetensorsSurgery.assemble(header: [UInt8](repeating: UInt8(ascii: "["), count: 200_000), data: [])
        XCTAssertNotNil(loadError(deep))
    }

    func testHeaderNotObject() {
        assertRejects(SafetensorsSurgery.assemble(header: Array("[1, 2, 3]".utf8), data: []),
                      .headerNotObject(file: Self.fileName))
    }

    func testMissingMetadata() throws {
        var file = try surgery()
        file.header["__metadata__"] = nil
        assertRejects(file.bytes(), .missingMetadata(file: Self.fileName))
    }

    func testMetadataValueNotString() throws {
        var file = try surgery()
        var metadata = file.header["__metadata__"] as! [String: Any]
        metadata["labels"] = ["yes", "no"]
        file.header["__metadata__"] = metadata
        assertRejects(file.bytes(), .metadataNotStrings(file: Self.fileName, key: "labels"))
        file.header["__metadata__"] = "format_version=1"
        assertRejects(file.bytes(), .metadataNotStrings(file: Self.fileName, key: ""))
    }

    func testMalformedTensorEntries() throws {
        for (field, value) in [("shape", "[16, 40, 3]" as Any), ("shape", [16, -40, 3]), ("shape", [16.5, 40, 3]),
                               ("data_offsets", [0]), ("data_offsets", [-4, 0]), ("dtype", 32)] {
            var file = try surgery()
            file.setField("stem.conv.weight", field, value)
            guard case .malformedTensorEntry(_, "stem.conv.weight", _)? = loadError(file.bytes()) else {
                return XCTFail("\(field) = \(value): expected malformedTensorEntry, got \(String(describing: loadError(file.bytes())))")
            }
        }
    }

    func testUnknownDType() throws {
        var file = try surgery()
        file.setField("stem.bn.bias", "dtype", "F99")
        assertRejects(file.bytes(), .unknownDType(file: Self.fileName, tensor: "stem.bn.bias", dtype: "F99"))
    }

    func testOverlappingOffsets() throws {
        var file = try surgery()
        file.setField("stem.bn.bias", "data_offsets", file.offsets("stem.bn.weight"))
        // Same range: sorted by name, 'stem.bn.bias' comes first and 'stem.bn.weight' overlaps it.
        assertRejects(file.bytes(), .tensorsOverlap(file: Self.fileName, tensor: "stem.bn.weight", other: "stem.bn.bias"))
    }

    func testOffsetsOutOfRange() throws {
        var file = try surgery()
        let size = file.data.count
        file.setField("fc.weight", "data_offsets", [size, size + 12 * 48 * 4])
        assertRejects(file.bytes(), .tensorOffsetsOutOfRange(file: Self.fileName, tensor: "fc.weight",
                                                             end: size + 12 * 48 * 4, dataSize: size))
    }

    func testOffsetsReversed() throws {
        var file = try surgery()
        let range = file.offsets("stem.bn.bias")
        file.setField("stem.bn.bias", "data_offsets", [range[1], range[0]])
        assertRejects(file.bytes(), .tensorOffsetsReversed(file: Self.fileName, tensor: "stem.bn.bias",
                                                           begin: range[1], end: range[0]))
    }

    func testSizeNotMatchingShape() throws {
        var file = try surgery()
        file.setField("stem.bn.bias", "shape", [15])
        assertRejects(file.bytes(), .tensorSizeMismatch(file: Self.fileName, tensor: "stem.bn.bias",
                                                        expectedBytes: 60, foundBytes: 64))
        file.setField("stem.bn.bias", "shape", [Int.max / 2, 4])
        guard case .malformedTensorEntry(_, "stem.bn.bias", _)? = loadError(file.bytes()) else {
            return XCTFail("overflowing shape accepted")
        }
    }

    func testDataSectionNotCovered() throws {
        var file = try surgery()
        let size = file.data.count
        file.data += [0, 0, 0, 0]
        assertRejects(file.bytes(), .dataSectionNotCovered(file: Self.fileName, offset: size, dataSize: size + 4))
        // A gap: move the first tensor's range 4 bytes up and grow the data to match.
        var gap = try surgery()
        let first = gap.header.keys.filter { $0 != "__metadata__" }.first { gap.offsets($0)[0] == 0 }!
        gap.data.insert(contentsOf: [0, 0, 0, 0], at: 0)
        for name in gap.header.keys where name != "__metadata__" {
            let range = gap.offsets(name)
            gap.setField(name, "data_offsets", [range[0] + 4, range[1] + 4])
        }
        _ = first
        assertRejects(gap.bytes(), .dataSectionNotCovered(file: Self.fileName, offset: 0, dataSize: size + 4))
    }

    // MARK: metadata

    func testMissingRequiredKeys() throws {
        for key in ["format_version", "architecture", "width_multiplier", "labels", "frontend"] {
            assertRejects(try withMetadata(key, nil), .missingMetadataKey(file: Self.fileName, key: key))
        }
    }

    func testUnknownFormatVersion() throws {
        assertRejects(try withMetadata("format_version", "2"), .unsupportedFormatVersion(file: Self.fileName, found: "2"))
    }

    func testUnknownArchitecture() throws {
        assertRejects(try withMetadata("architecture", "tc-resnet99"),
                      .unknownArchitecture(file: Self.fileName, found: "tc-resnet99"))
    }

    func testBadWidthMultiplier() throws {
        for value in ["0", "-1", "abc", "nan", "inf", "1e9", "0.01", ""] {
            assertRejects(try withMetadata("width_multiplier", value), .badWidthMultiplier(file: Self.fileName, found: value))
        }
    }

    func testWidthMultiplierNotMatchingTensors() throws {
        assertRejects(try withMetadata("width_multiplier", "1.5"),
                      .wrongShape(file: Self.fileName, tensor: "stem.conv.weight", expected: [24, 40, 3], found: [16, 40, 3]))
        assertRejects(try withMetadata("architecture", "tc-resnet14"),
                      .wrongShape(file: Self.fileName, tensor: "blocks.1.conv1.weight", expected: [24, 24, 9], found: [32, 24, 9]))
    }

    func testLabels() throws {
        assertRejects(try withMetadata("labels", "yes,no"), .labelsNotStringArray(file: Self.fileName))
        assertRejects(try withMetadata("labels", "[1, 2]"), .labelsNotStringArray(file: Self.fileName))
        assertRejects(try withMetadata("labels", "{\"a\": 1}"), .labelsNotStringArray(file: Self.fileName))
        assertRejects(try withMetadata("labels", "[]"), .emptyLabels(file: Self.fileName))
        assertRejects(try withMetadata("labels", "[\"yes\", \"no\", \"yes\"]"), .duplicateLabel(file: Self.fileName, label: "yes"))
    }

    func testWrongLabelCount() throws {
        let eleven = "[" + (0..<11).map { "\"w\($0)\"" }.joined(separator: ",") + "]"
        assertRejects(try withMetadata("labels", eleven), .wrongLabelCount(file: Self.fileName, labels: 11, fcRows: 12))
    }

    func testFrontEnd() throws {
        guard case .malformedFrontEnd? = loadError(try withMetadata("frontend", "{")) else { return XCTFail("bad JSON") }
        guard case .malformedFrontEnd(_, let reason)? = loadError(try withMetadata("frontend", "{\"variant\": \"tf-signal\"}")),
              reason.contains("sample_rate")
        else { return XCTFail("missing key not named") }
        var file = try surgery()
        file.metadata["frontend"] = file.metadata["frontend"]!.replacingOccurrences(of: "16000", with: "8000")
        guard case .unsupportedFrontEnd(_, let why)? = loadError(file.bytes()), why.contains("8000") else {
            return XCTFail("8 kHz front end accepted: \(String(describing: loadError(file.bytes())))")
        }
        file.metadata["frontend"] = file.metadata["frontend"]!.replacingOccurrences(of: "\"variant\": \"tf-signal\"", with: "\"variant\": \"htk\"")
        guard case .malformedFrontEnd? = loadError(file.bytes()) else { return XCTFail("unknown variant accepted") }
    }

    func testPaddingAndEpsilon() throws {
        assertRejects(try withMetadata("padding", "same"), .unsupportedPadding(file: Self.fileName, found: "same"))
        // Both keys are required (FORMAT.md): a default would silently run weights trained another way.
        assertRejects(try withMetadata("padding", nil), .missingMetadataKey(file: Self.fileName, key: "padding"))
        assertRejects(try withMetadata("bn_epsilon", nil), .missingMetadataKey(file: Self.fileName, key: "bn_epsilon"))
        for value in ["-1", "0", "nan", "x"] {
            assertRejects(try withMetadata("bn_epsilon", value), .badBatchNormEpsilon(file: Self.fileName, found: value))
        }
    }

    // MARK: tensors

    func testWrongDType() throws {
        var file = try surgery()
        file.setField("stem.conv.weight", "dtype", "I32")
        assertRejects(file.bytes(), .wrongDType(file: Self.fileName, tensor: "stem.conv.weight", expected: "F32", found: "I32"))
    }

    func testWrongShape() throws {
        var file = try surgery()
        file.setField("blocks.0.conv1.weight", "shape", [24, 9, 16])
        assertRejects(file.bytes(), .wrongShape(file: Self.fileName, tensor: "blocks.0.conv1.weight",
                                                expected: [24, 16, 9], found: [24, 9, 16]))
    }

    func testMissingTensor() throws {
        var file = try surgery()
        file.remove("blocks.2.shortcut.bn.running_var")
        assertRejects(file.bytes(), .missingTensor(file: Self.fileName, tensor: "blocks.2.shortcut.bn.running_var"))
    }

    func testUnexpectedTensor() throws {
        var file = try surgery()
        file.append("fc2.weight", dtype: "F32", shape: [2, 48], bytes: [UInt8](repeating: 0, count: 2 * 48 * 4))
        assertRejects(file.bytes(), .unexpectedTensor(file: Self.fileName, tensor: "fc2.weight"))
    }

    func testNaNWeight() throws {
        var file = try surgery()
        file.setFloat("blocks.1.conv2.weight", index: 5, .nan)
        assertRejects(file.bytes(), .nonFiniteWeight(file: Self.fileName, tensor: "blocks.1.conv2.weight", index: 5, value: "nan"))
    }

    func testInfWeight() throws {
        var file = try surgery()
        file.setFloat("fc.weight", index: 3, -.infinity)
        assertRejects(file.bytes(), .nonFiniteWeight(file: Self.fileName, tensor: "fc.weight", index: 3, value: "-inf"))
        file.setFloat("fc.weight", index: 3, 0)
        file.setFloat("stem.bn.running_mean", index: 0, .infinity)
        assertRejects(file.bytes(), .nonFiniteWeight(file: Self.fileName, tensor: "stem.bn.running_mean", index: 0, value: "inf"))
    }

    func testNegativeVariance() throws {
        var file = try surgery()
        file.setFloat("blocks.0.bn2.running_var", index: 7, -0.5)
        assertRejects(file.bytes(), .negativeVariance(file: Self.fileName, tensor: "blocks.0.bn2.running_var", index: 7, value: -0.5))
    }

    func testUnreadableFile() {
        let url = URL(fileURLWithPath: "/nonexistent/kws-model.safetensors")
        XCTAssertThrowsError(try TCResNetModel.load(contentsOf: url)) { error in
            guard case ModelError.unreadable(file: "kws-model.safetensors", _) = error else { return XCTFail("\(error)") }
        }
    }

    private func loadError(_ bytes: [UInt8]) -> ModelError? {
        do {
            _ = try TCResNetModel(file: ModelFile(bytes: bytes, name: Self.fileName))
            return nil
        } catch {
            return error as? ModelError
        }
    }
}
