import Foundation
import KWSAudio
import KWSCore
import KWSTestSupport
import XCTest

/// The committed golden vectors of `Fixtures/make_mfcc_golden.py` (numpy, float64, from SPEC.md).
enum MFCCGolden {
    struct Manifest: Decodable {
        struct Matrix: Decodable { let file: String; let rows: Int; let columns: Int }
        struct Case: Decodable {
            let name: String
            let samples: Int
            let frames: Int
            let input: String
            let features: [String: String]
        }
        let coefficients: Int
        let mel_matrices: [String: Matrix]
        let cases: [Case]
    }

    static let directory = "Tests/KWSAudioTests/Fixtures/mfcc/"

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: TestPaths.file(directory + "manifest.json")))
    }

    /// A raw little-endian float32 file.
    static func floats(_ name: String) throws -> [Float] {
        let data = try Data(contentsOf: TestPaths.file(directory + name))
        return data.withUnsafeBytes { bytes in
            (0..<(bytes.count / 4)).map {
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
            }
        }
    }
}

final class MFCCGoldenTests: XCTestCase {
    func testTFSignalVariantMatchesGoldenVectors() throws {
        try compareAllCases(variant: .tfSignal, config: .tcResNet)
    }

    func testAudioOpsVariantMatchesGoldenVectors() throws {
        try compareAllCases(variant: .audioOps, config: .audioOps)
    }

    func testFrameCountOfOneSecondIs98() throws {
        let features = try FeatureExtractor.features(of: [Float](repeating: 0, count: 16000))
        XCTAssertEqual(features.frames, 98)
        XCTAssertEqual(features.coefficients, 40)
    }

    func testAllZeroClipGivesTheLogFloorInC0() throws {
        // SPEC.md §2.2 step 9, for 64 channels: every log-mel value is ln(floor), so
        // c0 = √(2/64)·64·ln(floor) and all other coefficients vanish.
        let silence = [Float](repeating: 0, count: 16000)
        let tf = try FeatureExtractor.features(of: silence, config: .tcResNet)
        let ops = try FeatureExtractor.features(of: silence, config: .audioOps)
        XCTAssertEqual(tf[0, 0], Float((2.0 / 64).squareRoot() * 64 * log(1e-6)), accuracy: 1e-4)
        XCTAssertEqual(ops[0, 0], Float((2.0 / 64).squareRoot() * 64 * log(1e-12)), accuracy: 3e-4)
        XCTAssertEqual(tf[97, 1], 0, accuracy: 1e-4)
    }

    /// The allowed |actual − expected| for one coefficient.
    ///
    /// 1e-4 absolute for the default variant, with one exception; every excess comes from
    /// FFTW's single-precision transform and nothing else (checked by running FFTW's float r2c
    /// through ctypes with every other step in float64: the same maxima). Float32 FFT rounding
    /// puts ~1e-7 of the frame's total energy into every bin, so it only shows in bands many
    /// decades quieter than the frame's peak. FFTW_MEASURE may pick a different plan in each
    /// process; the maxima below span the plans seen (FFTW_ESTIMATE's is the worst):
    /// - `.tfSignal`, tone mix: 2.5e-4 (max reached 1.5e-4 to 1.9e-4); the ln(x + 1e-6)
    ///   offset hides most of the noise. Speech, noise, silence and chirp stay below 6.3e-5.
    /// - `.audioOps`: 2e-4 (speech reaches 7e-5 to 1.3e-4); it has no offset, only a 1e-12 floor.
    /// - `.audioOps`, tone mix: 1.5e-2 (max reached 8.8e-3 to 9.1e-3): its near-empty bands
    ///   are all rounding noise (TF computes this path in double).
    /// - `.audioOps`, |value| > 10 (c0 of quiet frames, −312.6 for silence, where one float32
    ///   ulp is 3e-5): 1e-5 relative if larger.
    private func tolerance(_ variant: FrontEndVariant, case name: String, expected: Float) -> Float {
        switch (variant, name) {
        case (.tfSignal, "tones_1k_3k"): return 2.5e-4
        case (.tfSignal, _): return 1e-4
        case (.audioOps, "tones_1k_3k"): return 1.5e-2
        case (.audioOps, _): return max(2e-4, 1e-5 * abs(expected))
        }
    }

    private func compareAllCases(variant: FrontEndVariant, config: FrontEndConfig) throws {
        let manifest = try MFCCGolden.manifest()
        XCTAssertEqual(manifest.cases.count, 5)
        for golden in manifest.cases {
            let input = try MFCCGolden.floats(golden.input)
            XCTAssertEqual(input.count, golden.samples, golden.name)
            let expected = try MFCCGolden.floats(try XCTUnwrap(golden.features[variant.rawValue]))
            let actual = try FeatureExtractor.features(of: input, config: config)
            XCTAssertEqual(actual.frames, golden.frames, golden.name)
            XCTAssertEqual(actual.coefficients, manifest.coefficients, golden.name)
            XCTAssertEqual(actual.values.count, expected.count, golden.name)
            var worst: Float = 0
            for (index, (got, want)) in zip(actual.values, expected).enumerated() {
                let difference = abs(got - want)
                worst = max(worst, difference)
                XCTAssertLessThanOrEqual(difference, tolerance(variant, case: golden.name, expected: want),
                    "\(golden.name) \(variant.rawValue) frame \(index / 40) coefficient \(index % 40): \(got) vs \(want)")
            }
            print("MFCC golden \(golden.name) \(variant.rawValue): max |Δ| = \(worst)")
        }
    }
}
