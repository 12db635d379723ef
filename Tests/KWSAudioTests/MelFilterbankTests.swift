import KWSAudio
import KWSCore
import XCTest

final class MelFilterbankTests: XCTestCase {
    func testTFSignalMatrixMatchesGolden() throws {
        try compare(.tcResNet, variantKey: "tf-signal")
    }

    func testAudioOpsMatrixMatchesGolden() throws {
        try compare(.audioOps, variantKey: "audio-ops")
    }

    /// SPEC.md §2.3: the two recipes build the same triangles except that audio_ops drops the
    /// lowest in-band bin (bin 3 = 93.75 Hz for 80 Hz at 16 kHz / 512).
    func testVariantsDifferOnlyInTheLowestInBandBin() throws {
        let tf = try MelFilterbank(config: .tcResNet).denseMatrix()
        let ops = try MelFilterbank(config: .audioOps).denseMatrix()
        var differingBins = Set<Int>()
        for (index, (a, b)) in zip(tf, ops).enumerated() where abs(a - b) > 1e-6 { differingBins.insert(index / 64) }
        XCTAssertEqual(differingBins, [3])
    }

    func testSparseStorageIsSmall() throws {
        let bank = try MelFilterbank(config: .tcResNet)
        XCTAssertEqual(bank.binCount, 257)
        XCTAssertEqual(bank.melCount, 64)
        XCTAssertLessThan(bank.storedWeightCount, 600)
    }

    func testRejectsInvalidConfig() {
        var config = FrontEndConfig.tcResNet
        config.coefficients = 65
        XCTAssertThrowsError(try MelFilterbank(config: config))
    }

    private func compare(_ config: FrontEndConfig, variantKey: String) throws {
        let manifest = try MFCCGolden.manifest()
        let shape = try XCTUnwrap(manifest.mel_matrices[variantKey])
        let expected = try MFCCGolden.floats(shape.file)
        let bank = try MelFilterbank(config: config)
        let actual = bank.denseMatrix()
        XCTAssertEqual(bank.binCount, shape.rows)
        XCTAssertEqual(bank.melCount, shape.columns)
        XCTAssertEqual(actual.count, expected.count)
        var worst: Float = 0
        for (index, (got, want)) in zip(actual, expected).enumerated() {
            worst = max(worst, abs(got - want))
            XCTAssertEqual(got, want, accuracy: 1e-6, "\(variantKey) bin \(index / shape.columns) mel \(index % shape.columns)")
            XCTAssertEqual(got == 0, want == 0, "\(variantKey) sparsity differs at bin \(index / shape.columns) mel \(index % shape.columns)")
        }
        print("mel matrix \(variantKey): max |Δ| = \(worst)")
    }
}
