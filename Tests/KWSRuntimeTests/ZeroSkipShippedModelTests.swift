import Foundation
import KWSAudio
import KWSCore
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// Every shipped int8 model (`Models/*-int8.safetensors`) on the real test-split clips: the zero-skipping
/// engine's logits equal the dense int8 engine's bit for bit, as shipped and magnitude-pruned, on every
/// ISA. Skipped when the data or the models are not there. `make test` takes every 4th clip; `make
/// test-long` every clip.
final class ZeroSkipShippedModelTests: XCTestCase {
    func testShippedModelsGiveTheInt8EnginesLogitsOnRealClips() throws {
        for (file, model, windows) in try Int8AgreementTests.shippedInt8Models(every: 4) {
            let network = try XCTUnwrap(model.quantized, file)
            for fraction in [0.0, 0.5, 0.85] {
                let pruned = fraction == 0 ? model : model.withQuantization(network.magnitudePruned(fraction: fraction), name: "pruned")
                let dense = try Int8Engine(model: pruned)
                var skippedShare = [Double]()
                for isa in KernelISA.supported {
                    let engine = try ZeroSkipEngine(model: pruned, isa: isa)
                    // Every clip on the fastest variant, every 13th on the slower ones (they are also checked
                    // against each other on random layers in ZeroSkipKernelTests).
                    let step = isa == KernelISA.supported.last ? 1 : 13
                    var mismatches = 0
                    for index in stride(from: 0, to: windows.count, by: step) {
                        var expected = [Float](), actual = [Float]()
                        dense.computeLogits(windows[index], into: &expected)
                        engine.computeLogits(windows[index], into: &actual)
                        if actual != expected {
                            mismatches += 1
                            if mismatches <= 3 { XCTFail("\(file) pruned \(fraction) \(isa) clip \(index): \(actual) vs \(expected)") }
                        }
                        if step == 1 {
                            let possible = engine.layers.reduce(0) { $0 + $1.denseMACs }
                            skippedShare.append(1 - Double(engine.lastIssuedMACs) / Double(possible))
                        }
                    }
                    XCTAssertEqual(mismatches, 0, "\(file) pruned \(fraction) \(isa)")
                }
                let mean = skippedShare.reduce(0, +) / Double(max(1, skippedShare.count))
                print("\(file) pruned \(fraction): zeroskip logits equal int8 on \(windows.count) clips; mean MACs skipped "
                    + String(format: "%.1f%%", 100 * mean))
                // Even unpruned, ReLU zeros must let it skip something; pruned, at least the pruned share
                // of the block layers (the stem is pruned too, the classifier is not a convolution).
                XCTAssertGreaterThan(mean, fraction * 0.9, "\(file) pruned \(fraction)")
            }
        }
    }
}
