@testable import KWSRuntime
import KWSTestSupport
import XCTest

/// Issue 14, item 7: the tensor data of a model file is checksummed (`data_sha256`), checked at load, kept
/// valid by metadata-only edits, and written by every Swift writer; older files without it still load.
final class ModelChecksumTests: XCTestCase {
    static let fileName = "tc-resnet8-ref.safetensors"

    private func stamped() throws -> [UInt8] {
        try ModelFile(bytes: try ReferenceFixtures.bytes(Self.fileName), name: Self.fileName).stamped()
    }

    private func dataStart(_ bytes: [UInt8]) -> Int { 8 + Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }

    func testSHA256KnownAnswers() {
        // FIPS 180-4 examples, plus lengths around the padding boundaries.
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: 0x61, count: 64)),
                       "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: 0x61, count: 1000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // A slice hashes its own bytes, not its base array's.
        let padded: [UInt8] = [9, 9] + Array("abc".utf8) + [9]
        XCTAssertEqual(SHA256.hex(padded[2..<5]), SHA256.hex(Array("abc".utf8)))
    }

    func testStampingRewritesTheHeaderOnlyAndTheStampedFileLoadsVerified() throws {
        let original = try ReferenceFixtures.bytes(Self.fileName)
        let unstamped = try ModelFile(bytes: original, name: Self.fileName)
        XCTAssertFalse(unstamped.isChecksummed)
        let bytes = try stamped()
        XCTAssertEqual(Array(bytes[dataStart(bytes)...]), Array(original[dataStart(original)...]), "tensor bytes untouched")
        let file = try ModelFile(bytes: bytes, name: Self.fileName)
        XCTAssertTrue(file.isChecksummed)
        XCTAssertEqual(file.metadata[ModelFile.checksumKey], unstamped.dataSHA256)
        var others = file.metadata
        others[ModelFile.checksumKey] = nil
        XCTAssertEqual(others, unstamped.metadata)
        XCTAssertEqual(file.tensors, unstamped.tensors)
        XCTAssertNoThrow(try TCResNetModel(file: file))
    }

    /// Every flipped byte of the data section is a checksum error, whatever it hit (a weight, a sign, an
    /// exponent that would have made a weight huge but finite).
    func testEveryFlippedDataByteIsAChecksumError() throws {
        let bytes = try stamped()
        let start = dataStart(bytes)
        let positions = Array(Set([start, bytes.count - 1] + stride(from: start, to: bytes.count, by: (bytes.count - start) / 40)))
        for position in positions.sorted() {
            for flip: UInt8 in [0x01, 0x80] {
                var damaged = bytes
                damaged[position] ^= flip
                XCTAssertThrowsError(try ModelFile(bytes: damaged, name: Self.fileName), "byte \(position)") { error in
                    guard case .checksumMismatch(let file, _, _)? = error as? ModelError else { return XCTFail("\(error)") }
                    XCTAssertEqual(file, Self.fileName)
                    XCTAssertTrue("\(error)".contains("damaged"), "\(error)")
                }
            }
        }
    }

    func testMetadataOnlyEditsKeepTheChecksumValid() throws {
        var surgery = try SafetensorsSurgery(bytes: try stamped())
        surgery.metadata["name"] = "renamed"
        surgery.metadata["test_accuracy"] = "0.5"
        let model = try TCResNetModel(file: ModelFile(bytes: surgery.bytes(), name: Self.fileName))
        XCTAssertEqual(model.name, "renamed")
    }

    func testAMalformedChecksumIsRefused() throws {
        for bad in ["", "abc", String(repeating: "A", count: 64), String(repeating: "g", count: 64)] {
            var surgery = try SafetensorsSurgery(bytes: try stamped())
            surgery.metadata[ModelFile.checksumKey] = bad
            XCTAssertThrowsError(try ModelFile(bytes: surgery.bytes(), name: Self.fileName)) { error in
                XCTAssertEqual(error as? ModelError, .malformedChecksum(file: Self.fileName, found: bad))
            }
        }
    }

    func testTheWriterStampsWhatItWrites() throws {
        var writer = ModelFileWriter(metadata: ["a": "b", ModelFile.checksumKey: String(repeating: "0", count: 64)])
        writer.append("x", floats: [1, 2, 3], shape: [3])
        let file = try ModelFile(bytes: writer.encoded(), name: "w.safetensors")
        XCTAssertEqual(file.metadata[ModelFile.checksumKey], SHA256.hex(writer.encoded()[(writer.encoded().count - 12)...]))
        XCTAssertEqual(file.metadata["a"], "b")
    }

    /// Shipped files are stamped (`kws stamp`), so a damaged install is a load error.
    func testShippedModelsAreStamped() throws {
        let directory = TestPaths.file("Models")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".safetensors") }.sorted()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let file = try ModelFile.load(contentsOf: directory.appendingPathComponent(name))
            XCTAssertTrue(file.isChecksummed, "\(name) has no \(ModelFile.checksumKey): run kws stamp Models/\(name)")
        }
    }

    func testPaddingAndEpsilonAreRequired() throws {
        for key in ["padding", "bn_epsilon"] {
            var surgery = try SafetensorsSurgery(bytes: try ReferenceFixtures.bytes(Self.fileName))
            surgery.metadata[key] = nil
            XCTAssertThrowsError(try TCResNetModel(file: ModelFile(bytes: surgery.bytes(), name: Self.fileName))) { error in
                XCTAssertEqual(error as? ModelError, .missingMetadataKey(file: Self.fileName, key: key))
            }
        }
    }

    func testFrontEndParametersAreBoundedSoLoadingStaysFast() throws {
        for (from, to) in [("\"mel_bins\": 64", "\"mel_bins\": 100000"), ("\"fft_length\": 512", "\"fft_length\": 1048576"),
                           ("\"mel_bins\": 64", "\"mel_bins\": 258")] {
            var surgery = try SafetensorsSurgery(bytes: try ReferenceFixtures.bytes(Self.fileName))
            let frontEnd = try XCTUnwrap(surgery.metadata["frontend"])
            XCTAssertTrue(frontEnd.contains(from), frontEnd)
            surgery.metadata["frontend"] = frontEnd.replacingOccurrences(of: from, with: to)
            let started = Date()
            XCTAssertThrowsError(try TCResNetModel(file: ModelFile(bytes: surgery.bytes(), name: Self.fileName)), to) { error in
                guard case .unsupportedFrontEnd? = error as? ModelError else { return XCTFail("\(error)") }
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), 2, to)
        }
    }
}
