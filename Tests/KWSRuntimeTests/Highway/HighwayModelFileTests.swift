import Foundation
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// The loader's checks on a shipped highway file corrupted one thing at a time: each gives its typed error
/// naming the tensor (or metadata key), never a crash.
final class HighwayModelFileTests: XCTestCase {
    /// The shipped file without its data checksum, so each corrupted tensor meets the check under test
    /// rather than the checksum (ModelChecksumTests covers that).
    static func surgery(_ name: String = "tc-resnet8-hw2") throws -> SafetensorsSurgery {
        var surgery = try SafetensorsSurgery(bytes: [UInt8](Data(contentsOf: HighwayFixtures.modelURL(name))))
        surgery.metadata["data_sha256"] = nil
        return surgery
    }

    func load(_ surgery: SafetensorsSurgery) throws -> TCResNetModel {
        try TCResNetModel(file: ModelFile(bytes: surgery.bytes(), name: "x.safetensors"))
    }

    func expect(_ surgery: SafetensorsSurgery, file: StaticString = #filePath, line: UInt = #line,
                _ check: (Error) -> Void) {
        XCTAssertThrowsError(try load(surgery), file: file, line: line) { check($0) }
    }

    func setInt32(_ surgery: inout SafetensorsSurgery, _ tensor: String, index: Int, _ value: Int32) {
        let at = surgery.offsets(tensor)[0] + index * 4
        for byte in 0..<4 { surgery.data[at + byte] = UInt8(truncatingIfNeeded: UInt32(bitPattern: value) >> (8 * UInt32(byte))) }
    }

    func testTheShippedFileLoadsUnchangedThroughSurgery() throws {
        let model = try load(try Self.surgery())
        XCTAssertNotNil(model.highway)
    }

    func testMissingWrongShapeAndWrongDTypeTensorsAreNamed() throws {
        var missing = try Self.surgery()
        missing.remove("hw.blocks.1.conv2.weight")
        expect(missing) { XCTAssertEqual($0 as? ModelError, .missingTensor(file: "x.safetensors", tensor: "hw.blocks.1.conv2.weight")) }

        var short = try Self.surgery()
        let offsets = short.offsets("hw.blocks.0.conv1.weight")
        let bytes = Array(short.data[offsets[0]..<(offsets[1] - 1)])
        short.remove("hw.blocks.0.conv1.weight")
        short.append("hw.blocks.0.conv1.weight", dtype: "U8", shape: [bytes.count], bytes: bytes)
        expect(short) { error in
            guard case let .wrongShape(_, tensor, expected, found) = error as? ModelError else { return XCTFail("\(error)") }
            XCTAssertEqual(tensor, "hw.blocks.0.conv1.weight")
            XCTAssertEqual(expected, [24 * 16 * 9 * 2 / 8])
            XCTAssertEqual(found, [bytes.count])
        }

        var dtype = try Self.surgery()
        dtype.setField("hw.blocks.0.conv2.weight", "dtype", "I8")
        expect(dtype) { XCTAssertEqual($0 as? ModelError, .wrongDType(file: "x.safetensors", tensor: "hw.blocks.0.conv2.weight", expected: "U8", found: "I8")) }

        var extra = try Self.surgery()
        extra.append("hw.blocks.9.conv1.weight", dtype: "U8", shape: [4], bytes: [0, 0, 0, 0])
        expect(extra) { XCTAssertEqual($0 as? ModelError, .unexpectedTensor(file: "x.safetensors", tensor: "hw.blocks.9.conv1.weight")) }
    }

    func testPackedSizesFollowTheBitWidthInTheMetadata() throws {
        // The same packed bytes read as 4-bit codes are half the size 4-bit weights need.
        var surgery = try Self.surgery()
        var metadata = surgery.metadata
        var info = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(metadata["highway"]!.utf8)) as? [String: Any])
        info["weight_bits"] = 4
        metadata["highway"] = String(decoding: try JSONSerialization.data(withJSONObject: info), as: UTF8.self)
        surgery.metadata = metadata
        expect(surgery) { error in
            guard case let .wrongShape(_, tensor, _, _) = error as? ModelError else { return XCTFail("\(error)") }
            XCTAssertEqual(tensor, "hw.blocks.0.conv1.weight")
        }
    }

    func testUnsupportedBitWidthsAndMalformedMetadataAreRejected() throws {
        for (key, value) in [("weight_bits", 3), ("activation_bits", 8), ("highway_bits", 16)] {
            var surgery = try Self.surgery()
            var metadata = surgery.metadata
            var info = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(metadata["highway"]!.utf8)) as? [String: Any])
            info[key] = value
            metadata["highway"] = String(decoding: try JSONSerialization.data(withJSONObject: info), as: UTF8.self)
            surgery.metadata = metadata
            expect(surgery) { error in
                guard case let .unsupportedBitWidth(_, badKey, badValue, _) = error as? HighwayModelError else { return XCTFail("\(error)") }
                XCTAssertEqual(badKey, key)
                XCTAssertEqual(badValue, value)
            }
        }
        var surgery = try Self.surgery()
        var metadata = surgery.metadata
        metadata["highway"] = "{\"scheme\": \"highway\""
        surgery.metadata = metadata
        expect(surgery) { error in
            guard case .malformedMetadata = error as? HighwayModelError else { return XCTFail("\(error)") }
            XCTAssertTrue(String(describing: error).contains("\"highway\""))
        }
    }

    func testOutOfRangeCodesAndParametersAreNamed() throws {
        // 2-bit code pattern 10 (−2) is outside the ternary range: code 5 sits in bits 2-3 of byte 1.
        var code = try Self.surgery()
        let at = code.offsets("hw.blocks.2.conv1.weight")[0] + 1
        code.data[at] = (code.data[at] & ~0b1100) | 0b1000
        expect(code) { error in
            XCTAssertEqual(error as? QuantizedModelError, .valueOutOfRange(file: "x.safetensors", tensor: "hw.blocks.2.conv1.weight",
                                                                           index: 5, value: "-2", allowed: "-1...1 (2-bit symmetric codes)"))
        }
        var s8 = try Self.surgery()
        s8.data[s8.offsets("hw.stem.conv.weight")[0] + 3] = 0x80
        expect(s8) { XCTAssertEqual(($0 as? QuantizedModelError).map { "\($0)" }, "x.safetensors: tensor hw.stem.conv.weight[3] = -128 is outside -127...127") }

        var multiplier = try Self.surgery()
        setInt32(&multiplier, "hw.blocks.1.branch.multiplier", index: 0, 1 << 23)
        expect(multiplier) { XCTAssertEqual($0 as? QuantizedModelError, .valueOutOfRange(file: "x.safetensors", tensor: "hw.blocks.1.branch.multiplier", index: 0, value: "8388608", allowed: "0...8388607")) }

        var shift = try Self.surgery()
        setInt32(&shift, "hw.blocks.0.branch.shift", index: 0, 32)
        expect(shift) { XCTAssertEqual($0 as? QuantizedModelError, .valueOutOfRange(file: "x.safetensors", tensor: "hw.blocks.0.branch.shift", index: 0, value: "32", allowed: "0...31")) }

        var requant = try Self.surgery()
        setInt32(&requant, "hw.blocks.0.conv1.shift", index: 2, 0)
        expect(requant) { XCTAssertEqual($0 as? QuantizedModelError, .valueOutOfRange(file: "x.safetensors", tensor: "hw.blocks.0.conv1.shift", index: 2, value: "0", allowed: "1...62")) }

        var stemShift = try Self.surgery()
        setInt32(&stemShift, "hw.stem.conv.shift", index: 0, 30)
        expect(stemShift) { XCTAssertEqual($0 as? QuantizedModelError, .valueOutOfRange(file: "x.safetensors", tensor: "hw.stem.conv.shift", index: 0, value: "30", allowed: "31...62")) }

        var scale = try Self.surgery()
        scale.setFloat("hw.input.scale", index: 7, 0)
        expect(scale) { XCTAssertEqual($0 as? QuantizedModelError, .valueOutOfRange(file: "x.safetensors", tensor: "hw.input.scale", index: 7, value: "0.0", allowed: "finite positive numbers")) }

        var fc = try Self.surgery()
        fc.setFloat("hw.fc.scale", index: 1, .nan)
        expect(fc) { XCTAssertEqual($0 as? QuantizedModelError, .valueOutOfRange(file: "x.safetensors", tensor: "hw.fc.scale", index: 1, value: "nan", allowed: "finite numbers")) }
    }

    func testAccumulatorHeadroomIsCheckedPerChannel() throws {
        var bias = try Self.surgery()
        setInt32(&bias, "hw.blocks.1.conv2.bias", index: 4, Int32.max - 10)
        expect(bias) { XCTAssertEqual($0 as? QuantizedModelError, .accumulatorOverflow(file: "x.safetensors", tensor: "hw.blocks.1.conv2.bias", channel: 4)) }

        // A requantization multiplier of ~2^29 puts a small accumulator's result past s32.
        var requant = try Self.surgery()
        setInt32(&requant, "hw.blocks.0.conv1.multiplier", index: 3, Int32(1 << 30))
        setInt32(&requant, "hw.blocks.0.conv1.shift", index: 3, 1)
        expect(requant) { XCTAssertEqual($0 as? QuantizedModelError, .accumulatorOverflow(file: "x.safetensors", tensor: "hw.blocks.0.conv1.bias", channel: 3)) }

        var residual = try Self.surgery()
        setInt32(&residual, "hw.blocks.2.residual.multiplier", index: 0, Int32.max)
        setInt32(&residual, "hw.blocks.2.residual.shift", index: 0, 1)
        expect(residual) { XCTAssertEqual($0 as? QuantizedModelError, .accumulatorOverflow(file: "x.safetensors", tensor: "hw.blocks.2.conv2.bias", channel: 0)) }
    }
}
