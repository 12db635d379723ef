import Foundation
import XCTest
@testable import KWSRuntime

/// The outlier engine against ``OutlierReferenceNetwork`` (bit-exact logits and per-tensor outlier counts, every
/// ISA) on the random-weight reference fixtures quantized with synthetic calibration windows at several ratios,
/// plus file round trips, engine selection and how it tracks the float engine.
final class OutlierEngineTests: XCTestCase {
    static let ratios = [0.0, 0.005, 0.02, 0.035, 0.1]

    /// `name` quantized outlier-aware at `ratio` with the int8 tests' synthetic windows, and its float file.
    static func quantized(_ name: String, ratio: Double) throws -> (TCResNetModel, ModelFile) {
        let file = try ModelFile.load(contentsOf: ReferenceFixtures.url(name))
        let model = try TCResNetModel(file: file)
        var calibration = OutlierCalibration(model: model, ratio: ratio)
        let windows = try Int8EngineTests.calibrationWindows()
        calibration.observe(batch: Array(windows[..<14]))
        calibration.observe(batch: Array(windows[14...]))
        let network = try OutlierQuantizer.quantize(model, calibration: calibration, batchSize: 14, distinctClips: windows.count,
                                                    augmentedClips: 0, source: "synthetic")
        return (model.withOutlier(network, name: "\(model.name)-ol4"), file)
    }

    static func windows() throws -> [[Float]] {
        var windows = try Int8EngineTests.calibrationWindows(count: 4)
        windows.append([Float](repeating: .nan, count: 98 * 40))
        windows.append((0..<(98 * 40)).map { $0 % 3 == 0 ? 1e9 : -1e9 })
        return windows
    }

    func testEngineMatchesTheIntegerReferenceOnEveryISA() throws {
        let windows = try Self.windows()
        var outliersSeen = 0
        for name in ReferenceFixtures.modelNames {
            for ratio in Self.ratios {
                let (model, _) = try Self.quantized(name, ratio: ratio)
                let network = try XCTUnwrap(model.outlier)
                let expected = windows.map { OutlierReferenceNetwork.run(network, features: $0) }
                for isa in KernelISA.supported {
                    let engine = try OutlierEngine(model: model, isa: isa)
                    XCTAssertEqual(engine.kind, .outlier)
                    var logits = [Float]()
                    for (index, window) in windows.enumerated() {
                        engine.computeLogits(window, into: &logits)
                        XCTAssertEqual(logits, expected[index].logits, "\(name) r \(ratio) \(isa) window \(index)")
                        let counts = expected[index].activations.map { tensor in tensor.joined().filter { $0 > 15 }.count }
                        XCTAssertEqual(engine.lastActivationOutliers.map(\.outliers), counts, "\(name) r \(ratio) \(isa) window \(index)")
                        if ratio == 0 { XCTAssertEqual(counts.reduce(0, +), 0, "r = 0 has no activation outliers") }
                        outliersSeen += counts.reduce(0, +)
                    }
                }
            }
        }
        XCTAssertGreaterThan(outliersSeen, 1000, "the windows must produce activation outliers")
    }

    /// Outliers are what make 4-bit work: on the fixture windows the mean |logit − float logit| at r = 3.5% is
    /// well below that of plain 4-bit (r = 0), for every fixture model. (Random weights and synthetic
    /// calibration, so absolute errors mean little; the shipped models' accuracy is in Models/README.md.)
    func testOutliersBringLogitsCloserToFloat() throws {
        let windows = try ReferenceFixtures.windows()
        for name in ReferenceFixtures.modelNames {
            var errors = [Double]()
            for ratio in [0.0, 0.035] {
                let (model, _) = try Self.quantized(name, ratio: ratio)
                let float = FloatEngine(model: model)
                let outlier = try OutlierEngine(model: model)
                var total = 0.0, count = 0
                for window in windows {
                    var expected = [Float](), actual = [Float]()
                    float.computeLogits(window, into: &expected)
                    outlier.computeLogits(window, into: &actual)
                    for (a, b) in zip(expected, actual) { total += Double(abs(a - b)); count += 1 }
                }
                errors.append(total / Double(count))
            }
            print("\(name): mean |Δlogit| vs float: r = 0 \(errors[0]), r = 3.5% \(errors[1])")
            XCTAssertLessThan(errors[1], 0.8 * errors[0], name)
        }
    }

    /// `network` with every requantization multiplier × `factor` (kept below 1): a valid network whose
    /// activation codes run into the thousands and up to the 65,535 clamp, which calibrated ones rarely reach.
    static func amplified(_ network: OutlierTCResNet, factor: Double) -> OutlierTCResNet {
        func louder(_ conv: OutlierConv) -> OutlierConv {
            OutlierConv(name: conv.name, shape: conv.shape, weightBits: conv.weightBits, weights: conv.weights, bias: conv.bias,
                        requantization: conv.requantization.map { FixedPointMultiplier(real: min(0.99, $0.realValue * factor))! },
                        residualRescale: conv.residualRescale)
        }
        return OutlierTCResNet(input: network.input, stem: louder(network.stem),
                               blocks: network.blocks.map { OutlierBlock(conv1: louder($0.conv1), conv2: louder($0.conv2), shortcut: $0.shortcut.map(louder)) },
                               classifier: network.classifier, activationCodeMax: network.activationCodeMax, info: network.info)
    }

    /// Codes far past 8 bits (an amplified network): the engine still equals the reference, and the reference
    /// really produces codes above 4,095 and at the 65,535 clamp.
    func testHugeActivationCodesStayExact() throws {
        let windows = try Self.windows()
        for name in ReferenceFixtures.modelNames {
            let (quiet, _) = try Self.quantized(name, ratio: 0.02)
            let network = Self.amplified(try XCTUnwrap(quiet.outlier), factor: 60)
            let model = quiet.withOutlier(network, name: "loud")
            let expected = windows.map { OutlierReferenceNetwork.run(network, features: $0) }
            let largest = expected.flatMap { $0.activations.map { $0.joined().max() ?? 0 } }.max() ?? 0
            for isa in KernelISA.supported {
                let engine = try OutlierEngine(model: model, isa: isa)
                var logits = [Float]()
                for (index, window) in windows.enumerated() {
                    engine.computeLogits(window, into: &logits)
                    XCTAssertEqual(logits, expected[index].logits, "\(name) \(isa) window \(index)")
                }
            }
            XCTAssertGreaterThan(largest, 4095, "\(name): codes this large need the 16-bit outliers")
            XCTAssertEqual(largest, 65535, "\(name): the clamp is reached")
        }
    }
}
