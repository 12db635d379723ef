import Foundation
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// The fused int8 call (one C call per inference, ``Int8FusedNetwork``) against the per-layer Swift path it
/// replaced (``Int8Engine/computeLogitsPerLayer(_:into:)``, kept as the reference): bit-identical logits on
/// every shipped `Models/*-int8.safetensors` and on the random-weight reference fixtures, for every kernel
/// level this CPU supports (`scalar`, `avx2` — what `KWS_ISA=avx2` selects — and `avx512`), exact and acc16.
final class Int8FusedNetworkTests: XCTestCase {
    /// Seeded MFCC-like windows (a lopsided c0, as real MFCCs have), plus NaN and out-of-range ones.
    static func windows(frames: Int, coefficients: Int, seed: UInt64, count: Int = 6) -> [[Float]] {
        var generator = SplitMix64(seed: seed)
        var windows = (0..<count).map { _ in
            (0..<(frames * coefficients)).map { index in
                index % coefficients == 0 ? Float.random(in: -250...(-20), using: &generator) : Float.random(in: -30...30, using: &generator)
            }
        }
        windows.append([Float](repeating: .nan, count: frames * coefficients))
        windows.append((0..<(frames * coefficients)).map { $0 % 3 == 0 ? 1e9 : -1e9 })
        return windows
    }

    /// Fused and per-layer logits of `model`'s int8 engines, compared bit for bit (as bit patterns, so NaN
    /// or −0 differences would show); the exact engines also agree with each other across levels.
    func assertFusedMatchesPerLayer(_ model: TCResNetModel, seed: UInt64, file: String) throws {
        let windows = Self.windows(frames: model.inputFrames, coefficients: model.inputCoefficients, seed: seed)
        var exactLogits = [[UInt32]]?.none
        for isa in KernelISA.supported {
            for accumulation in Int8Accumulation.allCases {
                let engine = try Int8Engine(model: model, isa: isa, accumulation: accumulation)
                var results = [[UInt32]]()
                // Fused first, then per-layer, then fused again on the same engine: the shared arena carries
                // nothing from one call to the next.
                for (index, window) in windows.enumerated() {
                    var fused = [Float](), perLayer = [Float](), again = [Float]()
                    engine.computeLogits(window, into: &fused)
                    engine.computeLogitsPerLayer(window, into: &perLayer)
                    engine.computeLogits(window, into: &again)
                    XCTAssertEqual(fused.count, model.labels.count)
                    XCTAssertEqual(fused.map(\.bitPattern), perLayer.map(\.bitPattern), "\(file) \(isa) \(accumulation) window \(index)")
                    XCTAssertEqual(again.map(\.bitPattern), perLayer.map(\.bitPattern), "\(file) \(isa) \(accumulation) window \(index) again")
                    results.append(fused.map(\.bitPattern))
                }
                if accumulation == .exact {
                    if let expected = exactLogits {
                        XCTAssertEqual(results, expected, "\(file): exact \(isa) differs from \(KernelISA.supported[0])")
                    } else {
                        exactLogits = results
                    }
                }
            }
        }
    }

    func testFusedCallMatchesThePerLayerPathOnShippedModels() throws {
        let models = TestPaths.file("Models")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []).filter { $0.hasSuffix("-int8.safetensors") }.sorted()
        try XCTSkipIf(files.isEmpty, "no Models/*-int8.safetensors yet")
        for (index, file) in files.enumerated() {
            let model = try TCResNetModel.load(contentsOf: models.appendingPathComponent(file))
            try assertFusedMatchesPerLayer(model, seed: 0xF05E + UInt64(index), file: file)
        }
    }

    func testFusedCallMatchesThePerLayerPathOnReferenceFixtures() throws {
        for (index, name) in ReferenceFixtures.modelNames.enumerated() {
            let (model, _) = try Int8EngineTests.quantized(name)
            try assertFusedMatchesPerLayer(model, seed: 0xF1 + UInt64(index), file: name)
        }
    }

    /// The engine chosen with the default level follows `KWS_ISA` like every other engine: whatever level
    /// this process runs at, its fused logits are the scalar reference's.
    func testPreferredLevelMatchesScalar() throws {
        let models = TestPaths.file("Models")
        let url = models.appendingPathComponent("tc-resnet8-int8.safetensors")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path), "no Models/tc-resnet8-int8.safetensors")
        let model = try TCResNetModel.load(contentsOf: url)
        let preferred = try Int8Engine(model: model)
        let scalar = try Int8Engine(model: model, isa: .scalar)
        for window in Self.windows(frames: model.inputFrames, coefficients: model.inputCoefficients, seed: 0xA5) {
            var expected = [Float](), actual = [Float]()
            scalar.computeLogitsPerLayer(window, into: &expected)
            preferred.computeLogits(window, into: &actual)
            XCTAssertEqual(actual.map(\.bitPattern), expected.map(\.bitPattern), "preferred level \(preferred.isa)")
        }
    }
}
