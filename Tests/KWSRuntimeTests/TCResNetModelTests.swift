import KWSAudio
import KWSCore
@testable import KWSRuntime
import KWSTestSupport
import XCTest

final class TCResNetModelTests: XCTestCase {
    func testReferenceModelProperties() throws {
        let model = try ReferenceFixtures.model("tc-resnet8-ref.safetensors")
        XCTAssertEqual(model.name, "tc-resnet8-ref")
        XCTAssertEqual(model.architecture.family, .tcResNet8)
        XCTAssertEqual(model.architecture.widthMultiplier, 1)
        XCTAssertEqual(model.architecture.channels, [16, 24, 32, 48])
        XCTAssertEqual(model.labels.count, 12)
        XCTAssertEqual(model.labels.first, "_silence_")
        XCTAssertEqual(model.frontEnd, FrontEndConfig.tcResNet)
        XCTAssertEqual(model.testAccuracy, 0.0833)
        XCTAssertEqual(model.inputFrames, 98)
        XCTAssertEqual(model.inputCoefficients, 40)
        XCTAssertEqual(model.parameterCount, 64_512)
        XCTAssertEqual(model.repositoryVariableCount, 65_920)
        XCTAssertEqual(model.macsPerInference, 1_522_560)
        XCTAssertEqual(model.batchNormEpsilon, 0.001)
        XCTAssertEqual(model.blocks.count, 3)
        XCTAssertTrue(model.blocks.allSatisfy { $0.shortcut != nil })
        XCTAssertEqual(model.convolutions.map(\.shape.outputLength), [98, 49, 49, 49, 25, 25, 25, 13, 13, 13])
        XCTAssertEqual(model.convolutions.map(\.name).prefix(4),
                       ["stem.conv", "blocks.0.shortcut.conv", "blocks.0.conv1", "blocks.0.conv2"])
        XCTAssertEqual(model.classifierWeights.count, 12 * 48)
        XCTAssertNotNil(model.metadata["training"])
    }

    func testIdentityBlocksAndNarrowWidth() throws {
        let model = try ReferenceFixtures.model("tc-resnet14-0.5-ref.safetensors")
        XCTAssertEqual(model.architecture.channels, [8, 12, 12, 16, 16, 24, 24])
        XCTAssertEqual(model.blocks.map { $0.shortcut != nil }, [true, false, true, false, true, false])
        XCTAssertEqual(model.blocks.map(\.conv1.shape.stride), [2, 1, 2, 1, 2, 1])
        XCTAssertNil(model.testAccuracy)
        XCTAssertEqual(model.macsPerInference,
                       model.convolutions.reduce(0) { $0 + $1.shape.macs } + 24 * 12)
    }

    /// w' = w·γ/√(var+ε), b' = β − mean·γ/√(var+ε), recomputed from the raw tensors.
    func testBatchNormFolding() throws {
        let file = try ModelFile.load(contentsOf: ReferenceFixtures.url("tc-resnet8-ref.safetensors"))
        let model = try TCResNetModel(file: file)
        let conv = model.blocks[1].conv1
        let raw = try file.floats("blocks.1.conv1.weight")  // [32][24][9]
        let gamma = try file.floats("blocks.1.bn1.weight"), beta = try file.floats("blocks.1.bn1.bias")
        let mean = try file.floats("blocks.1.bn1.running_mean"), variance = try file.floats("blocks.1.bn1.running_var")
        XCTAssertTrue(mean.contains { $0 != 0 } && variance.contains { $0 != 1 }, "fixture BN stats must be non-trivial")
        for (output, input, tap) in [(0, 0, 0), (31, 23, 8), (7, 11, 4), (16, 3, 2)] {
            let scale = Double(gamma[output]) / (Double(variance[output]) + 0.001).squareRoot()
            let expected = Double(raw[(output * 24 + input) * 9 + tap]) * scale
            XCTAssertEqual(Double(conv.weight(output: output, input: input, tap: tap)), expected, accuracy: 1e-6 * max(1, abs(expected)))
            XCTAssertEqual(Double(conv.bias[output]), Double(beta[output]) - Double(mean[output]) * scale, accuracy: 1e-6)
        }
    }

    func testEpsilonFromMetadataIsUsed() throws {
        var surgery = try SafetensorsSurgery(bytes: try ReferenceFixtures.bytes("tc-resnet8-ref.safetensors"))
        surgery.metadata["bn_epsilon"] = "0.5"
        let file = try ModelFile(bytes: surgery.bytes(), name: "eps.safetensors")
        let model = try TCResNetModel(file: file)
        XCTAssertEqual(model.batchNormEpsilon, 0.5)
        let gamma = try file.floats("stem.bn.weight"), variance = try file.floats("stem.bn.running_var")
        let raw = try file.floats("stem.conv.weight")
        let expected = Double(raw[0]) * Double(gamma[0]) / (Double(variance[0]) + 0.5).squareRoot()
        XCTAssertEqual(Double(model.stem.weight(output: 0, input: 0, tap: 0)), expected, accuracy: 1e-6)
        surgery.metadata["name"] = nil
        let unnamed = try TCResNetModel(file: ModelFile(bytes: surgery.bytes(), name: "no-name.safetensors"))
        XCTAssertEqual(unnamed.name, "no-name")
    }

    func testModelFileAccessors() throws {
        let file = try ModelFile(bytes: try ReferenceFixtures.bytes("tc-resnet8-ref.safetensors"), name: "m.safetensors")
        XCTAssertEqual(file.metadata["architecture"], "tc-resnet8")
        let info = try file.tensor("fc.weight")
        XCTAssertEqual(info.dtype, .f32)
        XCTAssertEqual(info.shape, [12, 48])
        XCTAssertEqual(info.elementCount, 576)
        XCTAssertEqual(try file.rawBytes("fc.weight").count, 576 * 4)
        XCTAssertEqual(try file.floats("fc.weight").count, 576)
        XCTAssertThrowsError(try file.floats("nope")) { error in
            XCTAssertEqual(error as? ModelError, .missingTensor(file: "m.safetensors", tensor: "nope"))
        }
    }

    func testWriterRoundTrip() throws {
        var writer = ModelFileWriter(metadata: ["k": "v", "json": "{\"a\": [1, 2]}"])
        writer.append("a", floats: [1, -2.5, .pi, 0], shape: [2, 2])
        writer.append("b", dtype: .i8, shape: [3], bytes: [1, 0xFF, 7])
        writer.append("empty", floats: [], shape: [0, 4])
        let bytes = writer.encoded()
        let headerLength = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        XCTAssertEqual(headerLength % 8, 0, "header padded to 8 bytes")
        let file = try ModelFile(bytes: bytes, name: "w.safetensors")
        XCTAssertEqual(file.metadata, ["k": "v", "json": "{\"a\": [1, 2]}", ModelFile.checksumKey: file.dataSHA256])
        XCTAssertEqual(try file.floats("a"), [1, -2.5, .pi, 0])
        XCTAssertEqual(Array(try file.rawBytes("b")), [1, 0xFF, 7])
        XCTAssertEqual(try file.tensor("empty").shape, [0, 4])
        XCTAssertThrowsError(try file.floats("b")) { error in
            XCTAssertEqual(error as? ModelError, .wrongDType(file: "w.safetensors", tensor: "b", expected: "F32", found: "I8"))
        }
    }

    /// A model rebuilt by ModelFileWriter from another model file's tensors loads to the same weights.
    func testWriterReproducesFixture() throws {
        let original = try ModelFile.load(contentsOf: ReferenceFixtures.url("tc-resnet14-0.5-ref.safetensors"))
        var writer = ModelFileWriter(metadata: original.metadata)
        for name in original.tensors.keys.sorted() {
            writer.append(name, floats: try original.floats(name), shape: original.tensors[name]!.shape)
        }
        let copy = try TCResNetModel(file: ModelFile(bytes: writer.encoded(), name: "copy.safetensors"))
        let model = try TCResNetModel(file: original)
        XCTAssertEqual(copy.convolutions.map(\.weights), model.convolutions.map(\.weights))
        XCTAssertEqual(copy.classifierWeights, model.classifierWeights)
    }
}
