import CKWSKernels
import Foundation
@testable import KWSAudio
import KWSCore
import KWSTestSupport
import XCTest

/// The fused C pass after the FFT (kws_mfcc.h, every variant this CPU runs, and `KWS_ISA=scalar`'s
/// scalar one) against the Swift stages it replaced, kept as its reference: the same bits for every
/// coefficient of random, silent, tiny, huge, non-finite and short frames and of every frame of the
/// golden speech and chirp inputs, in both front-end variants and an odd-sized configuration.
final class MFCCKernelTests: XCTestCase {
    /// Levels whose variant this CPU can run, each with the variant name the table gives it.
    private var levels: [(kws_isa, String)] {
        [KWS_ISA_SCALAR, KWS_ISA_AVX2, KWS_ISA_AVX512].filter { kws_isa_supported($0) || $0 == KWS_ISA_SCALAR }.map {
            ($0, String(cString: kws_kernels_for($0).pointee.mfcc_frame.name))
        }
    }

    private static let configs: [(String, FrontEndConfig)] = [
        ("tc-resnet", .tcResNet),
        ("audio-ops", .audioOps),
        // Odd mel count (the DCT's unpaired middle value), 13 outputs (a partial SIMD block), a longer FFT.
        ("odd", FrontEndConfig(windowLength: 400, hopLength: 160, fftLength: 1024, melBins: 33, lowerHz: 20,
                               upperHz: 8000, logOffset: 1e-3, coefficients: 13)),
    ]

    private static func frames(window: Int) throws -> [[Float]] {
        var random = SplitMix64(seed: 0x6D66_6363)
        func uniform() -> Float { Float(Double(random.next() >> 11) / Double(1 << 53)) * 2 - 1 }
        var frames: [[Float]] = []
        for scale: Float in [1, 0.3, 1e-3, 1e-6, 1e-20, 1e4, 3e18] {
            for _ in 0..<20 { frames.append((0..<window).map { _ in uniform() * scale }) }
        }
        frames.append([Float](repeating: 0, count: window))
        frames.append([Float](repeating: 1, count: window))  // DC only: most mel bands see power 0
        var nonFinite = frames[0]
        nonFinite[7] = .nan
        nonFinite[9] = .infinity
        frames.append(nonFinite)
        var huge = frames[0]
        huge[100] = .greatestFiniteMagnitude
        frames.append(huge)
        for length in [0, 1, 17, window / 2, window + 33] {
            frames.append((0..<length).map { _ in uniform() * 0.5 })
        }
        for name in ["speech_yes.input.f32", "chirp_1_37s.input.f32"] {
            let signal = try MFCCGolden.floats(name)
            for start in stride(from: 0, through: signal.count - window, by: 160) {
                frames.append(Array(signal[start ..< start + window]))
            }
        }
        return frames
    }

    func testEveryVariantGivesTheSwiftReferenceBits() throws {
        XCTAssertEqual(levels.first?.1, "mfcc_cepstrum__scalar")
        for (label, config) in Self.configs {
            let reference = try MFCC(config: config, implementation: .swiftReference)
            XCTAssertEqual(reference.kernelName, "swift")
            let frames = try Self.frames(window: config.windowLength)
            var expected = [Float]()
            var actual = [Float]()
            for (level, name) in levels {
                let fused = try MFCC(config: config, implementation: .kernels(level))
                XCTAssertEqual(fused.kernelName, name)
                var mismatches = 0
                for (index, frame) in frames.enumerated() {
                    reference.compute(frame: frame[...], into: &expected)
                    fused.compute(frame: frame[...], into: &actual)
                    for k in 0..<expected.count {
                        let same = expected[k].bitPattern == actual[k].bitPattern || (expected[k].isNaN && actual[k].isNaN)
                        if !same {
                            mismatches += 1
                            if mismatches <= 3 {
                                XCTFail("\(label) \(name) frame \(index) coefficient \(k): \(actual[k]) vs Swift \(expected[k])")
                            }
                        }
                    }
                }
                XCTAssertEqual(mismatches, 0, "\(label) \(name): \(frames.count) frames")
            }
        }
    }

    /// `MFCC(config:)` takes the kernel table's variant at the CPU's level, lowered by `KWS_ISA`.
    func testDefaultUsesTheTablesVariant() throws {
        let mfcc = try MFCC(config: .tcResNet)
        guard case .kernels(let level) = MFCCImplementation.preferred else { return XCTFail("no C pass") }
        XCTAssertEqual(mfcc.kernelName, String(cString: kws_kernels_for(level).pointee.mfcc_frame.name))
        if ProcessInfo.processInfo.environment["KWS_ISA"] == nil {
            XCTAssertEqual(level, kws_isa_detect())
        }
    }

    /// The FFT plan comes from the shipped wisdom wherever it applies (every x86-64 CPU with AVX, this FFTW
    /// build), and with it the features of the golden speech clip have one fixed checksum: the same plan, the
    /// same bits, in any process on any such machine.
    func testShippedWisdomPlanAndItsChecksum() throws {
        let (source, plan) = try FFTRealForward.planDescription(length: 512)
        print("fft r2c 512: \(source.rawValue): \(plan)")
#if arch(x86_64)
        guard kws_cpu_features_get().pointee.avx2 else { throw XCTSkip("the shipped wisdom names AVX codelets") }
        XCTAssertEqual(source, .shippedWisdom, plan)
        XCTAssertTrue(plan.contains("t2fv_4_avx") && plan.contains("n2fv_64_avx"), plan)
        let features = try FeatureExtractor.features(of: try MFCCGolden.floats("speech_yes.input.f32"))
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for value in features.values {
            hash = (hash ^ UInt64(value.bitPattern)) &* 0x0000_0100_0000_01B3
        }
        XCTAssertEqual(String(hash, radix: 16), Self.speechYesChecksum, "\(features.frames) frames")
#endif
    }

    /// FNV-1a of the speech_yes features' bit patterns with the shipped-wisdom plan.
    private static let speechYesChecksum = "100cb3b22627d211"
}
