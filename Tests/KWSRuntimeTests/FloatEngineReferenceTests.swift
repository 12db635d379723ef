import KWSRuntime
import XCTest

/// The float engine against the numpy reference logits (float64, unfolded batch norm), per ISA.
final class FloatEngineReferenceTests: XCTestCase {
    /// |engine − reference| ≤ tolerance · max(1, |reference|): absolute for logits of moderate size.
    static let tolerance: Float = 1e-4

    func testLogitsMatchNumpyReference() throws {
        let index = try ReferenceFixtures.index()
        let windows = try ReferenceFixtures.windows()
        for name in ReferenceFixtures.modelNames {
            let expected = try XCTUnwrap(index.models[name], name)
            let model = try ReferenceFixtures.model(name)
            XCTAssertEqual(model.labels, expected.labels)
            XCTAssertEqual(model.architecture.channels, expected.channels)
            for isa in KernelISA.supported {
                let engine = FloatEngine(model: model, isa: isa)
                var logits = [Float]()
                var worst: Float = 0
                for (window, reference) in zip(windows, expected.logits) {
                    engine.computeLogits(window, into: &logits)
                    XCTAssertEqual(logits.count, reference.count)
                    for (actual, wanted) in zip(logits, reference) {
                        let error = abs(actual - Float(wanted)) / max(1, abs(Float(wanted)))
                        worst = max(worst, error)
                    }
                }
                print(String(format: "%@ %@: max |logit error| %.2e (scaled by max(1, |logit|))", name, isa.rawValue, worst))
                XCTAssertLessThanOrEqual(worst, Self.tolerance, "\(name) \(isa)")
            }
        }
    }

    func testEngineIsReusableAndDeterministic() throws {
        let model = try ReferenceFixtures.model("tc-resnet8-ref.safetensors")
        let windows = try ReferenceFixtures.windows()
        let engine = FloatEngine(model: model)
        var first = [Float](), other = [Float](), again = [Float](repeating: 0, count: model.labels.count)
        engine.computeLogits(windows[0], into: &first)
        engine.computeLogits(windows[1], into: &other)
        engine.computeLogits(windows[0], into: &again)
        XCTAssertEqual(first, again, "no state may leak from one window to the next")
        XCTAssertNotEqual(first, other)
        // A second engine on the same (shared) model gives the same bits.
        var fresh = [Float]()
        FloatEngine(model: model, isa: engine.isa).computeLogits(windows[0], into: &fresh)
        XCTAssertEqual(first, fresh)
    }

    func testPosteriorsAndEngineKind() throws {
        let model = try ReferenceFixtures.model("tc-resnet8-0.75-ref.safetensors")
        let engine = try EngineKind.float.makeEngine(for: model)
        XCTAssertTrue(engine is FloatEngine)
        XCTAssertEqual(engine.kind, .float)
        let posteriors = engine.posteriors(try ReferenceFixtures.windows()[1])
        XCTAssertEqual(posteriors.count, 5)
        XCTAssertEqual(posteriors.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertTrue(posteriors.allSatisfy { $0 > 0 && $0 < 1 })
    }

    /// Within the network, every ISA agrees with the scalar reference kernel to 1e-4 relative.
    func testVariantsAgreeOnWholeNetwork() throws {
        let windows = try ReferenceFixtures.windows()
        for name in ReferenceFixtures.modelNames {
            let model = try ReferenceFixtures.model(name)
            let scalar = FloatEngine(model: model, isa: .scalar)
            for isa in KernelISA.supported where isa != .scalar {
                let engine = FloatEngine(model: model, isa: isa)
                var a = [Float](), b = [Float]()
                for window in windows {
                    scalar.computeLogits(window, into: &a)
                    engine.computeLogits(window, into: &b)
                    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-4 * max(1, abs(x)), "\(name) \(isa)") }
                }
            }
        }
    }
}
