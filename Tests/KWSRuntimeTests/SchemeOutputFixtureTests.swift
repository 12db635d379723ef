import Foundation
import KWSRuntime
import KWSTestSupport
import XCTest

/// Every shipped model file, on every engine that accepts it, gives the logits recorded in
/// `Fixtures/scheme_logits.json` bit for bit: the file was written by the build before the
/// `QuantizationScheme` refactor (issue 16 item 2), so any change to the numbers of any scheme fails here.
///
/// Float and `int8-acc16` results depend on the kernel variant (summation order, saturation), so they are
/// compared only on a machine whose ``KernelISA/preferred`` is the one the fixture was written with; the
/// exact integer engines are bit-identical on every variant and are always compared.
///
/// `KWS_WRITE_SCHEME_FIXTURE=1` rewrites the fixture from the current build instead of comparing (only
/// for a deliberate change of numbers, which this test exists to make visible).
final class SchemeOutputFixtureTests: XCTestCase {
    static let fixture = TestPaths.file("Tests/KWSRuntimeTests/Fixtures/scheme_logits.json")

    /// Model name → engine name → one line per window: the logits' Float bit patterns in hex.
    typealias Record = [String: [String: [String]]]

    struct Fixture: Codable {
        /// The ``KernelISA/preferred`` the logits were computed with.
        let isa: String
        let models: Record
    }

    /// Engines whose logits are the same on every kernel variant.
    static let exactOnEveryISA: Set<String> = ["int8", "zeroskip", "outlier", "highway"]

    func testEveryShippedModelAndEngineGivesTheRecordedLogits() throws {
        let actual = try Self.record()
        try XCTSkipIf(actual.isEmpty, "no Models/*.safetensors")
        if ProcessInfo.processInfo.environment["KWS_WRITE_SCHEME_FIXTURE"] == "1" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(Fixture(isa: KernelISA.preferred.rawValue, models: actual)).write(to: Self.fixture, options: .atomic)
            return
        }
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Self.fixture))
        let sameISA = fixture.isa == KernelISA.preferred.rawValue
        let expected = fixture.models
        XCTAssertEqual(Set(actual.keys), Set(expected.keys), "model files")
        for (model, engines) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(Set(actual[model]?.keys ?? [:].keys), Set(engines.keys), "\(model): engines that accept it")
            for (engine, windows) in engines.sorted(by: { $0.key < $1.key }) where sameISA || Self.exactOnEveryISA.contains(engine) {
                XCTAssertEqual(actual[model]?[engine], windows, "\(model) on \(engine): logits differ")
            }
        }
    }

    /// The logits of every shipped model on every engine that builds for it, on ``windows(frames:coefficients:)``.
    static func record() throws -> Record {
        let directory = TestPaths.file("Models")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".safetensors") }.sorted()
        var record = Record()
        for file in files {
            let model = try TCResNetModel.load(contentsOf: directory.appendingPathComponent(file))
            let windows = windows(frames: model.inputFrames, coefficients: model.inputCoefficients)
            var engines = [String: [String]]()
            for kind in EngineKind.allCases {
                guard let engine = try? kind.makeEngine(for: model) else { continue }
                engines[kind.rawValue] = windows.map { window in
                    var logits = [Float]()
                    engine.computeLogits(window, into: &logits)
                    return logits.map { String($0.bitPattern, radix: 16) }.joined(separator: " ")
                }
            }
            record[String(file.dropLast(".safetensors".count))] = engines
        }
        return record
    }

    /// Four fixed windows from a seeded ``SplitMix64`` (integer arithmetic, so the same on every machine): zeros,
    /// small values around 0, MFCC-like ranges (c0 in −250…0, the rest within ±50), and values far past every
    /// quantizer's range (saturation, outliers).
    static func windows(frames: Int, coefficients: Int) -> [[Float]] {
        var generator = SplitMix64(seed: 0x5EED_0016_0002)
        func unit() -> Float { Float(generator.next() >> 40) / Float(1 << 24) }
        let count = frames * coefficients
        let zeros = [Float](repeating: 0, count: count)
        let small = (0..<count).map { _ in unit() * 2 - 1 }
        let mfcc = (0..<count).map { index in index % coefficients == 0 ? -250 * unit() : 100 * unit() - 50 }
        let wide = (0..<count).map { _ in 4000 * unit() - 2000 }
        return [zeros, small, mfcc, wide]
    }
}
