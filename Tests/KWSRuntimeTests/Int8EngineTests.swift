import Foundation
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// The int8 engine against ``Int8ReferenceNetwork`` (bit-exact, every ISA), quantized-file round trips and
/// the loader's checks, on the random-weight reference fixtures quantized with synthetic calibration windows.
final class Int8EngineTests: XCTestCase {
    /// MFCC-like windows: the fixture windows plus random ones with a lopsided c0, as real MFCCs have.
    static func calibrationWindows(frames: Int = 98, coefficients: Int = 40, count: Int = 24) throws -> [[Float]] {
        var generator = SplitMix64(seed: 0x63)
        var windows = try ReferenceFixtures.windows()
        for _ in 0..<count {
            windows.append((0..<(frames * coefficients)).map { index in
                index % coefficients == 0 ? Float.random(in: -250...(-20), using: &generator) : Float.random(in: -30...30, using: &generator)
            })
        }
        return windows
    }

    static func quantized(_ name: String, estimator: RangeEstimator = .minmax) throws -> (TCResNetModel, ModelFile) {
        let file = try ModelFile.load(contentsOf: ReferenceFixtures.url(name))
        let model = try TCResNetModel(file: file)
        var calibration = Calibration(model: model, estimator: estimator)
        let windows = try calibrationWindows()
        calibration.observe(batch: Array(windows[..<14]))
        calibration.observe(batch: Array(windows[14...]))
        let network = try Quantizer.quantize(model, calibration: calibration, batchSize: 14, distinctClips: windows.count,
                                             augmentedClips: 0, source: "synthetic")
        return (model.withQuantization(network, name: "\(model.name)-int8"), file)
    }

    func testEngineMatchesTheIntegerReferenceOnEveryISA() throws {
        for name in ReferenceFixtures.modelNames {
            for estimator in RangeEstimator.allCases {
                let (model, _) = try Self.quantized(name, estimator: estimator)
                let network = try XCTUnwrap(model.quantized)
                var windows = try Self.calibrationWindows(count: 4)
                windows.append([Float](repeating: .nan, count: 98 * 40))
                windows.append((0..<(98 * 40)).map { $0 % 3 == 0 ? 1e9 : -1e9 })
                for isa in KernelISA.supported {
                    let engine = try Int8Engine(model: model, isa: isa)
                    var logits = [Float]()
                    for (index, window) in windows.enumerated() {
                        engine.computeLogits(window, into: &logits)
                        XCTAssertEqual(logits, Int8ReferenceNetwork.logits(network, features: window),
                                       "\(name) \(estimator) \(isa) window \(index)")
                    }
                }
            }
        }
    }

    func testInt8TracksFloatOnTheReferenceWindows() throws {
        for name in ReferenceFixtures.modelNames {
            let (model, _) = try Self.quantized(name)
            let float = FloatEngine(model: model)
            let int8 = try Int8Engine(model: model)
            for window in try ReferenceFixtures.windows() {
                var expected = [Float](), actual = [Float]()
                float.computeLogits(window, into: &expected)
                int8.computeLogits(window, into: &actual)
                let range = (expected.max() ?? 0) - (expected.min() ?? 0)
                let worst = zip(expected, actual).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThan(worst, 0.15 * range + 1e-3, "\(name): int8 logits \(actual) vs float \(expected)")
            }
        }
    }

    func testQuantizedFileRoundTripsAndLoadsWithoutRecalibrating() throws {
        for name in ReferenceFixtures.modelNames {
            let (model, file) = try Self.quantized(name, estimator: .percentile)
            let network = try XCTUnwrap(model.quantized)
            let bytes = try QuantizedTCResNet.modelFile(float: file, model: model, quantized: network, name: "x-int8").encoded()
            let loaded = try TCResNetModel(file: ModelFile(bytes: bytes, name: "x-int8.safetensors"))
            XCTAssertEqual(loaded.quantized, network)
            XCTAssertEqual(loaded.name, "x-int8")
            XCTAssertEqual(loaded.quantized?.info.estimator, "percentile")
            // The float tensors ride along unchanged, so the float engine runs the same file.
            XCTAssertEqual(loaded.classifierWeights, model.classifierWeights)
            XCTAssertEqual(loaded.stem.weights, model.stem.weights)
        }
    }

    func testInt8EngineRefusesAFloatOnlyModel() throws {
        let model = try ReferenceFixtures.model(ReferenceFixtures.modelNames[0])
        XCTAssertThrowsError(try EngineKind.int8.makeEngine(for: model)) { error in
            XCTAssertEqual(error as? QuantizedModelError, .notQuantized(model: model.name, engine: "int8"))
            XCTAssertTrue(String(describing: error).contains("kws quantize"))
        }
        XCTAssertThrowsError(try EngineKind.int8Acc16.makeEngine(for: model))
        XCTAssertEqual(EngineKind(rawValue: "int8-acc16"), .int8Acc16)
    }

    /// Rewrites one `quant.` tensor of a quantized fixture file and returns the load error.
    private func loadError(replacing tensor: String, dtype: TensorDType? = nil, shape: [Int]? = nil,
                           with transform: ([UInt8]) -> [UInt8], metadata: [String: String] = [:]) throws -> Error? {
        let (model, file) = try Self.quantized(ReferenceFixtures.modelNames[0])
        let network = try XCTUnwrap(model.quantized)
        let good = try ModelFile(bytes: QuantizedTCResNet.modelFile(float: file, model: model, quantized: network, name: "q").encoded(), name: "q.safetensors")
        var writer = ModelFileWriter(metadata: good.metadata.merging(metadata) { $1 })
        for name in good.tensors.keys.sorted() {
            let info = try good.tensor(name)
            var bytes = Array(try good.rawBytes(name))
            if name == tensor { bytes = transform(bytes) }
            writer.append(name, dtype: name == tensor ? dtype ?? info.dtype : info.dtype, shape: name == tensor ? shape ?? info.shape : info.shape, bytes: bytes)
        }
        do {
            _ = try TCResNetModel(file: ModelFile(bytes: writer.encoded(), name: "q.safetensors"))
            return nil
        } catch {
            return error
        }
    }

    func testLoaderRejectsBadQuantizedTensors() throws {
        let zeroShift = try loadError(replacing: "quant.blocks.0.conv1.shift") { bytes in [0, 0, 0, 0] + bytes.dropFirst(4) }
        XCTAssertEqual(zeroShift as? QuantizedModelError,
                       .valueOutOfRange(file: "q.safetensors", tensor: "quant.blocks.0.conv1.shift", index: 0, value: "0", allowed: "31...62"))
        // A requantization multiplier of 1 or more (shift < 31) could leave s32 in the AVX-512 epilogue.
        let largeMultiplier = try loadError(replacing: "quant.stem.conv.shift") { bytes in [30, 0, 0, 0] + bytes.dropFirst(4) }
        XCTAssertEqual(largeMultiplier as? QuantizedModelError,
                       .valueOutOfRange(file: "q.safetensors", tensor: "quant.stem.conv.shift", index: 0, value: "30", allowed: "31...62"))
        let residualShift = try loadError(replacing: "quant.blocks.0.residual.shift") { bytes in [63, 0, 0, 0] + bytes.dropFirst(4) }
        XCTAssertEqual(residualShift as? QuantizedModelError,
                       .valueOutOfRange(file: "q.safetensors", tensor: "quant.blocks.0.residual.shift", index: 0, value: "63", allowed: "1...62"))
        let minimumWeight = try loadError(replacing: "quant.stem.conv.weight") { bytes in [0x80] + bytes.dropFirst() }
        XCTAssertEqual(minimumWeight as? QuantizedModelError,
                       .valueOutOfRange(file: "q.safetensors", tensor: "quant.stem.conv.weight", index: 0, value: "-128", allowed: "-127...127"))
        let hugeBias = try loadError(replacing: "quant.blocks.1.conv2.bias") { bytes in [0xff, 0xff, 0xff, 0x7f] + bytes.dropFirst(4) }
        XCTAssertEqual(hugeBias as? QuantizedModelError,
                       .accumulatorOverflow(file: "q.safetensors", tensor: "quant.blocks.1.conv2.bias", channel: 0))
        let wrongType = try loadError(replacing: "quant.fc.weight", dtype: .u8) { $0 }
        XCTAssertEqual(wrongType as? ModelError, .wrongDType(file: "q.safetensors", tensor: "quant.fc.weight", expected: "I8", found: "U8"))
        let nanScale = try loadError(replacing: "quant.input.scale") { bytes in [0, 0, 0xc0, 0x7f] + bytes.dropFirst(4) }
        XCTAssertEqual((nanScale as? QuantizedModelError).map { "\($0)" }?.contains("quant.input.scale[0]"), true)
        let badJSON = try loadError(replacing: "", with: { $0 }, metadata: ["quantization": "{\"scheme\": 3}"])
        XCTAssertTrue(badJSON is QuantizedModelError, "\(String(describing: badJSON))")
        XCTAssertNil(try loadError(replacing: "", with: { $0 }))
    }

    func testQuantizedTensorsWithoutMetadataAreUnexpected() throws {
        let (model, file) = try Self.quantized(ReferenceFixtures.modelNames[0])
        var writer = try QuantizedTCResNet.modelFile(float: file, model: model, quantized: XCTUnwrap(model.quantized), name: "q")
        writer.metadata["quantization"] = nil
        XCTAssertThrowsError(try TCResNetModel(file: ModelFile(bytes: writer.encoded(), name: "q.safetensors"))) { error in
            guard case ModelError.unexpectedTensor = error else { return XCTFail("\(error)") }
        }
    }
}
