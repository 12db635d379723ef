import Foundation
import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// The outlier engine against Training/check_outlier.py, a numpy implementation that parses the model file's
/// bytes itself (nibble order, CSR outliers, metadata) and runs the integer network: float32 logits must be
/// bit-identical. Covers a written fixture file at several ratios and the shipped ol4 files. Skipped only when
/// no Python with numpy is found (``NumpyPython``).
final class OutlierNumpyReferenceTests: XCTestCase {
    func testEngineMatchesTheNumpyReferenceBitForBit() throws {
        guard let python = NumpyPython.url else { throw XCTSkip("no Python with numpy (make train-deps)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kws-ol4-numpy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files = [URL]()
        // The amplified case runs into activation codes in the thousands and the 65,535 clamp.
        for (ratio, factor) in [(0.0, 1.0), (0.01, 1), (0.1, 1), (0.02, 60)] {
            for name in ReferenceFixtures.modelNames.prefix(2) {
                let (model, file) = try OutlierEngineTests.quantized(name, ratio: ratio)
                let network = OutlierEngineTests.amplified(try XCTUnwrap(model.outlier), factor: factor)
                let url = directory.appendingPathComponent("\(model.name)-\(ratio)-\(factor).safetensors")
                try OutlierTCResNet.modelFile(float: file, model: model, network: network, name: model.name).write(to: url)
                files.append(url)
            }
        }
        let shipped = TestPaths.file("Models")
        files += ((try? FileManager.default.contentsOfDirectory(atPath: shipped.path)) ?? [])
            .filter { $0.contains("-ol4-") && $0.hasSuffix(".safetensors") }.sorted().map { shipped.appendingPathComponent($0) }
        let windows = try OutlierEngineTests.windows()
        let featuresURL = directory.appendingPathComponent("features.f32")
        try Data(windows.flatMap { $0 }.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } })
            .write(to: featuresURL)
        for file in files {
            let model = try TCResNetModel.load(contentsOf: file)
            let out = directory.appendingPathComponent("logits.f32")
            let result = try ProcessRunner.run(python, [TestPaths.file("Training/check_outlier.py").path, file.path,
                                                             featuresURL.path, "\(windows.count)", out.path])
            XCTAssertEqual(result.status, 0, result.stderr)
            let bytes = [UInt8](try Data(contentsOf: out))
            let labels = model.labels.count
            XCTAssertEqual(bytes.count, windows.count * labels * 4)
            let expected = stride(from: 0, to: bytes.count, by: 4).map { at in
                Float(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
            }
            for isa in KernelISA.supported {
                let engine = try OutlierEngine(model: model, isa: isa)
                var logits = [Float]()
                for (index, window) in windows.enumerated() {
                    engine.computeLogits(window, into: &logits)
                    XCTAssertEqual(logits.map(\.bitPattern), expected[(index * labels)..<((index + 1) * labels)].map(\.bitPattern),
                                   "\(file.lastPathComponent) \(isa) window \(index)")
                }
            }
        }
    }
}
