import Foundation
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// ol4 model files: the round trip through ``OutlierTCResNet/modelFile(float:model:network:name:)`` and the
/// loader, engine selection, stored sizes, and one corruption per check, each a typed error naming the tensor
/// or key (never a crash).
final class OutlierModelFileTests: XCTestCase {
    static let fileName = "q.safetensors"

    private static var cachedGoodFile: (ModelFile, TCResNetModel)?

    /// The first fixture quantized at r = 3.5% and written as a file (made once: every corruption starts from it).
    static func goodFile() throws -> (ModelFile, TCResNetModel) {
        if let cachedGoodFile { return cachedGoodFile }
        let (model, file) = try OutlierEngineTests.quantized(ReferenceFixtures.modelNames[0], ratio: 0.035)
        let network = try XCTUnwrap(model.outlier)
        let bytes = try OutlierTCResNet.modelFile(float: file, model: model, network: network, name: "q").encoded()
        let result = (try ModelFile(bytes: bytes, name: fileName), model)
        cachedGoodFile = result
        return result
    }

    func testFileRoundTripsAndLoadsWithoutRecalibrating() throws {
        for name in ReferenceFixtures.modelNames {
            for ratio in [0.0, 0.02] {
                let (model, file) = try OutlierEngineTests.quantized(name, ratio: ratio)
                let network = try XCTUnwrap(model.outlier)
                let bytes = try OutlierTCResNet.modelFile(float: file, model: model, network: network, name: "x-ol4").encoded()
                let stored = try ModelFile(bytes: bytes, name: "x-ol4.safetensors")
                let loaded = try TCResNetModel(file: stored)
                XCTAssertEqual(loaded.outlier, network)
                XCTAssertNil(loaded.quantized)
                XCTAssertEqual(loaded.name, "x-ol4")
                XCTAssertEqual(loaded.classifierWeights, model.classifierWeights, "float tensors ride along")
                XCTAssertEqual(EngineKind.preferred(for: loaded), .outlier)
                XCTAssertTrue(try EngineKind.outlier.makeEngine(for: loaded) is OutlierEngine)
                // The size accounting is exactly what the file stores under ol4.
                let stored4 = stored.tensors.values.filter { $0.name.hasPrefix("ol4.") }.reduce(0) { $0 + $1.dataOffsets.count }
                XCTAssertEqual(OutlierModelSize(network).totalBytes, stored4)
                XCTAssertLessThan(OutlierModelSize(network).totalBytes, OutlierModelSize(network).int8Bytes)
            }
        }
    }

    func testEnginesRefuseTheWrongParameters() throws {
        let float = try ReferenceFixtures.model(ReferenceFixtures.modelNames[0])
        XCTAssertEqual(EngineKind(rawValue: "outlier"), .outlier)
        XCTAssertThrowsError(try EngineKind.outlier.makeEngine(for: float)) { error in
            XCTAssertEqual(error as? OutlierModelError, .notOutlierQuantized(model: float.name))
            XCTAssertTrue("\(error)".contains("--scheme outlier"))
        }
        let loaded = try TCResNetModel(file: Self.goodFile().0)
        XCTAssertThrowsError(try EngineKind.int8.makeEngine(for: loaded)) { error in
            XCTAssertTrue(error is QuantizedModelError)
        }
        XCTAssertTrue(try EngineKind.float.makeEngine(for: loaded) is FloatEngine)
    }

    /// Rewrites one tensor (bytes, dtype, shape) or metadata key of a good file and returns the load error.
    private func loadError(_ tensor: String = "", dtype: TensorDType? = nil, shape: [Int]? = nil,
                           _ transform: ([UInt8]) -> [UInt8] = { $0 }, fields: [String: String?] = [:],
                           info: ((inout OutlierQuantizationInfo) -> Void)? = nil) throws -> Error? {
        let (good, _) = try Self.goodFile()
        var metadata = good.metadata
        if let info {
            var decoded = try JSONDecoder().decode(OutlierQuantizationInfo.self, from: Data(XCTUnwrap(metadata["outlier_quantization"]).utf8))
            info(&decoded)
            metadata["outlier_quantization"] = decoded.json
        }
        for (key, value) in fields { metadata[key] = value }
        var writer = ModelFileWriter(metadata: metadata)
        for name in good.tensors.keys.sorted() {
            let entry = try good.tensor(name)
            var bytes = Array(try good.rawBytes(name))
            if name == tensor { bytes = transform(bytes) }
            writer.append(name, dtype: name == tensor ? dtype ?? entry.dtype : entry.dtype,
                          shape: name == tensor ? shape ?? entry.shape : entry.shape, bytes: bytes)
        }
        do {
            _ = try TCResNetModel(file: ModelFile(bytes: writer.encoded(), name: Self.fileName))
            return nil
        } catch {
            XCTAssertFalse("\(error)".contains("\n"), "one-line message: \(error)")
            XCTAssertTrue("\(error)".hasPrefix(Self.fileName), "names the file: \(error)")
            return error
        }
    }

    private func assertOutlierError(_ error: Error?, _ expected: OutlierModelError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(error as? OutlierModelError, expected, file: file, line: line)
    }

    func testUnchangedFileLoads() throws {
        XCTAssertNil(try loadError())
    }

    func testMetadataChecks() throws {
        assertOutlierError(try loadError(info: { $0.weightBits = 2 }),
                           .unsupportedBitWidth(file: Self.fileName, key: "weight_bits", found: 2, supported: "4"))
        assertOutlierError(try loadError(info: { $0.outlierActivationBits = 8 }),
                           .unsupportedBitWidth(file: Self.fileName, key: "outlier_activation_bits", found: 8, supported: "16 (or 0: none)"))
        assertOutlierError(try loadError(info: { $0.stemBits = 4 }),
                           .unsupportedBitWidth(file: Self.fileName, key: "stem_bits", found: 4, supported: "8"))
        assertOutlierError(try loadError(info: { $0.outlierRatio = 0.7 }), .badOutlierRatio(file: Self.fileName, found: 0.7))
        let stored = try XCTUnwrap(Self.goodFile().1.outlier).info.layers[1]
        XCTAssertEqual(stored.name, "blocks.0.conv1")
        assertOutlierError(try loadError(info: { $0.layers[1].weightOutliers += 1 }),
                           .layerMismatch(file: Self.fileName, layer: "blocks.0.conv1",
                                          reason: "the metadata says \(stored.weightOutliers + 1) weight outliers, the tensors hold \(stored.weightOutliers)"))
        XCTAssertNotNil(try loadError(info: { $0.layers.swapAt(0, 1) }) as? OutlierModelError)
        XCTAssertNotNil(try loadError(info: { $0.layers.removeLast() }) as? OutlierModelError)
        XCTAssertNotNil(try loadError(info: { $0.layers.append($0.layers[0]) }) as? OutlierModelError)
        let badJSON = try loadError(fields: ["outlier_quantization": "{\"scheme\": 3}"])
        guard case .malformedMetadata = try XCTUnwrap(badJSON as? OutlierModelError) else { return XCTFail("\(String(describing: badJSON))") }
        // ol4 tensors without the metadata are not part of the model.
        let orphan = try loadError(fields: ["outlier_quantization": String?.none])
        guard case .unexpectedTensor = try XCTUnwrap(orphan as? ModelError) else { return XCTFail("\(String(describing: orphan))") }
    }

    func testTensorChecks() throws {
        let (good, model) = try Self.goodFile()
        let network = try XCTUnwrap(model.outlier)
        let conv = network.blocks[0].conv1
        let prefix = "ol4.blocks.0.conv1"
        let depth = conv.shape.inputChannels * conv.shape.kernelSize
        // Row 0's outliers, as the file stores them.
        let offsets = try OutlierTensorReader(file: good).int32s("\(prefix).outlier_offsets")
        XCTAssertGreaterThan(offsets[1], 0, "the fixture's first row needs an outlier for these cases")
        let firstIndex = Int(try good.rawBytes("\(prefix).outlier_index").first!)

        assertOutlierError(try loadError("\(prefix).weight4") { [0x08] + $0.dropFirst() },
                           .valueOutOfRange(file: Self.fileName, tensor: "\(prefix).weight4", index: 0, value: "-8", allowed: "-7...7 (symmetric 4-bit)"))
        assertOutlierError(try loadError("\(prefix).outlier_value") { [3] + $0.dropFirst() },
                           .valueOutOfRange(file: Self.fileName, tensor: "\(prefix).outlier_value", index: 0, value: "3",
                                            allowed: "-127...-8 or 8...127 (an outlier lies outside the 4-bit range)"))
        assertOutlierError(try loadError("\(prefix).outlier_value") { [0x80] + $0.dropFirst() },
                           .valueOutOfRange(file: Self.fileName, tensor: "\(prefix).outlier_value", index: 0, value: "-128", allowed: "-127...127"))
        assertOutlierError(try loadError("\(prefix).outlier_index") { [UInt8(depth & 0xFF), UInt8(depth >> 8)] + $0.dropFirst(2) },
                           .valueOutOfRange(file: Self.fileName, tensor: "\(prefix).outlier_index", index: 0, value: "\(depth)",
                                            allowed: "0...\(depth - 1) (C_in · K of row 0)"))
        // A nonzero nibble under an outlier.
        let overlap = try loadError("\(prefix).weight4") { bytes in
            var bytes = bytes
            bytes[firstIndex / 2] |= firstIndex % 2 == 0 ? 0x01 : 0x10
            return bytes
        }
        guard case .inconsistentOutliers(_, "\(prefix).weight4", _) = try XCTUnwrap(overlap as? OutlierModelError) else { return XCTFail("\(String(describing: overlap))") }
        // Offsets that do not start at 0, decrease, or promise more outliers than stored.
        for (bad, expectedTensor) in [([1, 0, 0, 0], "\(prefix).outlier_offsets")] {
            let error = try loadError("\(prefix).outlier_offsets") { bad.map(UInt8.init) + $0.dropFirst(4) }
            guard case .inconsistentOutliers(_, expectedTensor, _) = try XCTUnwrap(error as? OutlierModelError) else { return XCTFail("\(String(describing: error))") }
        }
        let decreasing = try loadError("\(prefix).outlier_offsets") { bytes in
            var bytes = bytes
            bytes[4...7] = [0xff, 0xff, 0, 0]  // offsets[1] = 65535 > offsets[2]
            return bytes
        }
        XCTAssertNotNil(decreasing as? OutlierModelError)
        let tooMany = try loadError("\(prefix).outlier_offsets") { bytes in
            var bytes = bytes
            let last = bytes.count - 4
            bytes[last] &+= 1
            return bytes
        }
        guard case .wrongShape = try XCTUnwrap(tooMany as? ModelError) else { return XCTFail("\(String(describing: tooMany))") }
        // Indices out of order within a row (swap the first two when row 0 has two).
        if offsets[1] >= 2 {
            let swapped = try loadError("\(prefix).outlier_index") { bytes in [bytes[2], bytes[3], bytes[0], bytes[1]] + bytes.dropFirst(4) }
            guard case .inconsistentOutliers(_, "\(prefix).outlier_index", _) = try XCTUnwrap(swapped as? OutlierModelError) else { return XCTFail("\(String(describing: swapped))") }
        }
        let wrongType = try loadError("\(prefix).outlier_index", dtype: .i16)
        XCTAssertEqual(wrongType as? ModelError, .wrongDType(file: Self.fileName, tensor: "\(prefix).outlier_index", expected: "U16", found: "I16"))
        let packedShape = try loadError("\(prefix).weight4", shape: [conv.shape.outputChannels * 2, (depth + 1) / 4])
        guard case .wrongShape = try XCTUnwrap(packedShape as? ModelError) else { return XCTFail("\(String(describing: packedShape))") }
        assertOutlierError(try loadError("\(prefix).shift") { [30, 0, 0, 0] + $0.dropFirst(4) },
                           .valueOutOfRange(file: Self.fileName, tensor: "\(prefix).shift", index: 0, value: "30", allowed: "31...62"))
        assertOutlierError(try loadError("ol4.blocks.0.residual.shift") { [63, 0, 0, 0] + $0.dropFirst(4) },
                           .valueOutOfRange(file: Self.fileName, tensor: "ol4.blocks.0.residual.shift", index: 0, value: "63", allowed: "1...62"))
        assertOutlierError(try loadError("\(prefix).bias") { [0xff, 0xff, 0xff, 0x7f] + $0.dropFirst(4) },
                           .accumulatorOverflow(file: Self.fileName, tensor: "\(prefix).bias", channel: 0))
        assertOutlierError(try loadError("ol4.stem.conv.weight") { [0x80] + $0.dropFirst() },
                           .valueOutOfRange(file: Self.fileName, tensor: "ol4.stem.conv.weight", index: 0, value: "-128", allowed: "-127...127"))
        let nanScale = try loadError("ol4.input.scale") { [0, 0, 0xc0, 0x7f] + $0.dropFirst(4) }
        guard case .valueOutOfRange(_, "ol4.input.scale", 0, _, _) = try XCTUnwrap(nanScale as? OutlierModelError) else { return XCTFail("\(String(describing: nanScale))") }
    }

    func testEveryTruncationOrByteFlipIsATypedError() throws {
        // Random single-byte corruptions of the ol4 data section: each either still loads (a value that is
        // valid) or throws a typed error; none may trap. Seeded, so a failure replays; `make test-long` tries
        // twelve times as many.
        let (good, _) = try Self.goodFile()
        var generator = SplitMix64(seed: 0x0140)
        let trials = LongTests.enabled ? 1200 : 100
        let names = good.tensors.keys.filter { $0.hasPrefix("ol4.") && good.tensors[$0]!.dataOffsets.count > 0 }.sorted()
        var rejected = 0
        for _ in 0..<trials {
            let tensor = names.randomElement(using: &generator)!
            let size = good.tensors[tensor]!.dataOffsets.count
            let at = Int.random(in: 0..<size, using: &generator)
            let value = UInt8.random(in: 0...255, using: &generator)
            let error = try loadError(tensor) { bytes in
                var bytes = bytes
                bytes[at] = value
                return bytes
            }
            if let error {
                XCTAssertTrue(error is OutlierModelError || error is ModelError, "\(error)")
                rejected += 1
            }
        }
        XCTAssertGreaterThan(rejected, trials / 10)
    }
}
