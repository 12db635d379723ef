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
                for isa in KernelISA.supported {
                    let engine = try OutlierEngine(model: model, isa: isa)
                    XCTAssertEqual(engine.kind, .outlier)
                    var logits = [Float]()
                    for (index, window) in windows.enumerated() {
                        engine.computeLogits(window, into: &logits)
                        let expected = OutlierReferenceNetwork.run(network, features: window)
                        XCTAssertEqual(logits, expected.logits, "\(name) r \(ratio) \(isa) window \(index)")
                        let counts = expected.activations.map { tensor in tensor.joined().filter { $0 > 15 }.count }
                        XCTAssertEqual(engine.lastActivationOutliers.map(\.outliers), counts, "\(name) r \(ratio) \(isa) window \(index)")
                        if ratio == 0 { XCTAssertEqual(counts.reduce(0, +), 0, "r = 0 has no activation outliers") }
                        outliersSeen += counts.reduce(0, +)
                    }
                }
            }
        }
        XCTAssertGreaterThan(outliersSeen, 1000, "the windows must produce activation outliers")
    }
}
