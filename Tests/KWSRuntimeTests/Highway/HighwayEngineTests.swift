import Foundation
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// The highway engine on the shipped `-hw<k>` models and real test clips: bit-exact against the trainer's
/// independent numpy integer network (logits, time sums, every activation tensor), bit-exact against
/// ``HighwayReferenceNetwork`` on every ISA, and within a stated tolerance of the fake-quantized PyTorch
/// network it was trained as.
final class HighwayEngineTests: XCTestCase {
    func testFixtureCoversEveryShippedHighwayModel() throws {
        let index = try HighwayFixtures.index()
        XCTAssertEqual(Set(index.models.keys), Set(HighwayFixtures.shipped))
        for name in HighwayFixtures.shipped {
            let model = try HighwayFixtures.model(name)
            let network = try XCTUnwrap(model.highway, name)
            XCTAssertEqual(network.weightBits, name.hasSuffix("hw2") ? 2 : 4, name)
            XCTAssertEqual(network.activationBits, network.weightBits, name)
            XCTAssertEqual(EngineKind.preferred(for: model), .highway, name)
            XCTAssertTrue(try EngineKind.highway.makeEngine(for: model) is HighwayEngine, name)
        }
    }

    func testEngineMatchesTheTrainersIntegerNetworkExactly() throws {
        let index = try HighwayFixtures.index()
        let windows = try HighwayFixtures.windows()
        for (name, expected) in index.models.sorted(by: { $0.key < $1.key }) {
            let model = try HighwayFixtures.model(name)
            for isa in KernelISA.supported {
                let engine = try HighwayEngine(model: model, isa: isa)
                var logits = [Float]()
                for (clip, window) in windows.enumerated() {
                    engine.computeLogits(window, into: &logits)
                    XCTAssertEqual(logits, expected.logits[clip], "\(name) \(isa) clip \(index.clips[clip])")
                    XCTAssertEqual(engine.lastTimeSums.map(Int64.init), expected.time_sums[clip], "\(name) \(isa) clip \(clip)")
                    guard clip == 0 else { continue }
                    let trace = engine.trace()
                    XCTAssertEqual(Set(trace.keys), Set(expected.trace.keys), name)
                    for (layer, encoded) in expected.trace {
                        let codes = try XCTUnwrap(Data(base64Encoded: encoded), layer)
                        XCTAssertEqual(trace[layer], [UInt8](codes), "\(name) \(isa) \(layer)")
                        XCTAssertEqual(trace[layer]?.count, expected.trace_shapes[layer]?.reduce(1, *), "\(name) \(layer) size")
                    }
                }
            }
        }
    }

    func testEngineMatchesTheSwiftIntegerReferenceOnEveryISA() throws {
        var windows = try HighwayFixtures.windows()
        windows.append([Float](repeating: .nan, count: 98 * 40))
        windows.append((0..<(98 * 40)).map { $0 % 3 == 0 ? 1e9 : -1e9 })
        windows.append([Float](repeating: 0, count: 98 * 40))
        for name in HighwayFixtures.shipped {
            let model = try HighwayFixtures.model(name)
            let network = try XCTUnwrap(model.highway)
            for isa in KernelISA.supported {
                let engine = try HighwayEngine(model: model, isa: isa)
                var logits = [Float]()
                for (index, window) in windows.enumerated() {
                    engine.computeLogits(window, into: &logits)
                    let reference = HighwayReferenceNetwork.run(network, features: window)
                    XCTAssertEqual(logits, reference.logits, "\(name) \(isa) window \(index)")
                    let trace = engine.trace()
                    for (layer, rows) in reference.trace {
                        XCTAssertEqual(trace[layer], rows.flatMap { $0.map(UInt8.init) }, "\(name) \(isa) window \(index) \(layer)")
                    }
                }
            }
        }
    }

    /// Tolerance against the fake-quantized PyTorch network: the integer network differs from it only in
    /// rounding ties and in the 16-bit branch multipliers (which can move a branch code by one), so the
    /// logits stay within 0.5 and top-1 agrees wherever the fake-quant top-2 margin exceeds that.
    static let fakeQuantTolerance: Float = 0.5

    func testEngineTracksTheFakeQuantizedTrainingNetwork() throws {
        let index = try HighwayFixtures.index()
        let windows = try HighwayFixtures.windows()
        for (name, expected) in index.models.sorted(by: { $0.key < $1.key }) {
            let engine = try HighwayEngine(model: try HighwayFixtures.model(name))
            var logits = [Float]()
            for (clip, window) in windows.enumerated() {
                engine.computeLogits(window, into: &logits)
                let fake = expected.fake_quant_logits[clip]
                let worst = zip(logits, fake).map { abs($0 - $1) }.max() ?? .infinity
                XCTAssertLessThanOrEqual(worst, Self.fakeQuantTolerance, "\(name) clip \(index.clips[clip]): \(logits) vs \(fake)")
                let sorted = fake.sorted(by: >)
                if sorted[0] - sorted[1] > Self.fakeQuantTolerance {
                    XCTAssertEqual(logits.indices.max(by: { logits[$0] < logits[$1] }),
                                   fake.indices.max(by: { fake[$0] < fake[$1] }), "\(name) clip \(clip) top-1")
                }
            }
        }
    }

    func testParameterBytesAreTheHighwayTensorsOfTheFile() throws {
        for name in HighwayFixtures.shipped {
            let file = try ModelFile.load(contentsOf: HighwayFixtures.modelURL(name))
            let network = try XCTUnwrap(try TCResNetModel(file: file).highway)
            let stored = file.tensors.filter { $0.key.hasPrefix("hw.") }.reduce(0) { $0 + $1.value.dataOffsets.count }
            XCTAssertEqual(network.parameterBytes, stored, name)
            // Weight bytes: the k-bit branch weights packed, everything else one byte per weight (as int8).
            let int8 = try XCTUnwrap(try TCResNetModel.load(contentsOf: TestPaths.file(
                "Models/\(name.components(separatedBy: "-hw")[0])-int8.safetensors")).quantized)
            let branch = int8.convolutions.filter { $0.name.hasSuffix(".conv1") || $0.name.hasSuffix(".conv2") }
            let others = int8.convolutions.filter { !branch.map(\.name).contains($0.name) }
            XCTAssertEqual(network.weightBytes,
                           others.reduce(0) { $0 + $1.weights.count } + int8.classifier.weights.count
                               + branch.reduce(0) { $0 + ($1.weights.count * network.weightBits + 7) / 8 }, name)
        }
    }

    func testOtherEnginesAndFilesAreRefusedWithTypedErrors() throws {
        let highway = try HighwayFixtures.model("tc-resnet8-hw4")
        XCTAssertThrowsError(try Int8Engine(model: highway)) { error in
            XCTAssertEqual(error as? QuantizedModelError, .notQuantized(model: "tc-resnet8-hw4", engine: "int8"))
        }
        let float = try TCResNetModel.load(contentsOf: TestPaths.file("Models/tc-resnet8.safetensors"))
        XCTAssertThrowsError(try HighwayEngine(model: float)) { error in
            XCTAssertEqual(error as? HighwayModelError, .notHighway(model: "tc-resnet8"))
            XCTAssertTrue(String(describing: error).contains("--engine highway"))
        }
        XCTAssertNil(float.highway)
        XCTAssertEqual(EngineKind(rawValue: "highway"), .highway)
    }

    func testTheFloatTensorsOfAHighwayFileCarryItsDequantizedWeights() throws {
        // `--engine float` on a highway file runs the k-bit weights with float activations: on real clips its
        // top-1 agrees with the integer engine on most windows (activation rounding is the only difference).
        let windows = try HighwayFixtures.windows()
        let model = try HighwayFixtures.model("tc-resnet8-hw4")
        let float = FloatEngine(model: model)
        let highway = try HighwayEngine(model: model)
        var agree = 0
        var a = [Float](), b = [Float]()
        for window in windows {
            float.computeLogits(window, into: &a)
            highway.computeLogits(window, into: &b)
            if a.indices.max(by: { a[$0] < a[$1] }) == b.indices.max(by: { b[$0] < b[$1] }) { agree += 1 }
        }
        XCTAssertGreaterThanOrEqual(agree, windows.count - 2)
    }
}
