import CKWSKernels
@testable import KWSRuntime
import KWSTestSupport
import XCTest

/// Issue 16, item 1: one kernel table per operation, filled once from one CPU probe. The expected names are
/// derived here from the probed features by the rules kws_kernel_table.h states, independently of the C code.
final class KernelTableTests: XCTestCase {
    private static func has(_ name: String) -> Bool {
        KernelTable.cpuFeatures.first { $0.name == name }?.present ?? false
    }

    /// Operation → variant the rules pick for `level` on this CPU.
    private static func expectedNames(_ level: KernelISA) -> [String: String] {
        let avx2 = level >= .avx2 && has("avx2") && has("fma")
        let avx512f = level >= .avx512 && avx2 && has("avx512f")
        let vnni = avx512f && ["avx512bw", "avx512vl", "avx512vnni"].allSatisfy(has)
        let vbmi2 = vnni && has("avx512vbmi2")
        let bmi2 = avx2 && has("bmi2") && has("popcnt")
        return [
            "conv1d_f32": avx512f ? "conv1d_f32_8x48__avx512f" : avx2 ? "conv1d_f32_6x16__avx2fma" : "conv1d_f32_1x1__scalar",
            "quantize_f32_u8": vnni ? "quantize_f32_u8__avx512" : avx2 ? "quantize_f32_u8__avx2" : "quantize_f32_u8__scalar",
            "conv1d_u8s8": vnni ? "conv1d_u8s8_8x48__avx512vnni" : avx2 ? "conv1d_u8s8_2x32__avx2" : "conv1d_u8s8_1x1__scalar",
            "conv1d_u8s8_acc16": avx2 ? "conv1d_u8s8_acc16_4x16__avx2" : "conv1d_u8s8_acc16_1x1__scalar",
            "conv1d_zeroskip_u8s8": vbmi2 ? "conv1d_zeroskip_u8s8_1x1__avx512vbmi2"
                : bmi2 ? "conv1d_zeroskip_u8s8_1x1__avx2bmi2" : "conv1d_zeroskip_u8s8_1x1__scalar",
            "conv1d_hw": vnni ? "conv1d_u8s8_8x48__avx512vnni" : avx2 ? "conv1d_hw_4x24__avx2" : "conv1d_u8s8_1x1__scalar",
            "conv1d_ol4": vnni ? "conv1d_ol4_dense__avx512vnni" : avx2 ? "conv1d_ol4_dense__avx2" : "conv1d_ol4_dense__scalar",
            "mfcc_frame": avx512f ? "mfcc_cepstrum__avx512" : avx2 ? "mfcc_cepstrum__avx2" : "mfcc_cepstrum__scalar",
        ]
    }

    func testEveryLevelPicksTheVariantTheRulesName() {
        print("cpu features: \(KernelTable.cpuFeatures.filter(\.present).map(\.name).joined(separator: " "))")
        for level in KernelISA.allCases {
            let table = KernelTable(level)
            XCTAssertEqual(table.requested, level)
            let names = Dictionary(uniqueKeysWithValues: table.variants.map { ($0.operation, $0.name) })
            XCTAssertEqual(names, Self.expectedNames(level), "\(level)")
            for variant in table.variants {
                XCTAssertLessThanOrEqual(variant.isa, level, "\(level) \(variant.name)")
                XCTAssertTrue(variant.isa.isSupported, "\(level) \(variant.name)")
                XCTAssertTrue(variant.name.hasSuffix("__scalar") == (variant.isa == .scalar), variant.name)
            }
            print("\(level): " + table.variants.map(\.name).joined(separator: ", "))
        }
        // The CPU's own levels get their own variants, not a fallback.
        XCTAssertTrue(KernelTable(.scalar).variants.allSatisfy { $0.isa == .scalar })
        if KernelISA.avx2.isSupported { XCTAssertEqual(KernelTable(.avx2).variant(for: "conv1d_u8s8")?.name, "conv1d_u8s8_2x32__avx2") }
        XCTAssertNil(KernelTable(.scalar).variant(for: "conv2d"))
    }

    func testTheTableIsFilledOnceAndSharedAcrossThreads() {
        let first = kws_kernels_for(KWS_ISA_AVX512)
        let pointers = UnsafeMutableBufferPointer<UnsafePointer<kws_kernels>?>.allocate(capacity: 8)
        defer { pointers.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { pointers[$0] = kws_kernels_for(KWS_ISA_AVX512) }
        XCTAssertTrue(pointers.allSatisfy { $0 == first })
    }

    func testInt8ConvPacksOnlyTheLayoutItsVariantReads() {
        var generator = SplitMix64(seed: 0x52)
        let c = Int8KernelTests.randomCase(&generator, residual: true)
        for level in KernelISA.allCases {
            for accumulation in Int8Accumulation.allCases {
                let packed = PackedInt8Conv(c.conv, isa: level, accumulation: accumulation)
                let parameters = packed.kernelParameters
                let present = [parameters.weights_s8 != nil, parameters.weights_s16 != nil, parameters.weights_pairs_s8 != nil]
                let expected: Int = switch packed.kernel.layout {
                case KWS_U8S8_WEIGHTS_S16_PAIRS, KWS_U8S8_WEIGHTS_S16_QUAD_PAIRS: 1
                case KWS_U8S8_WEIGHTS_S8_PAIRS: 2
                default: 0
                }
                XCTAssertEqual(present, (0..<3).map { $0 == expected }, "\(level) \(accumulation)")
            }
        }
    }

    /// Every level the machine supports (scalar included), on random shapes: each layer's output equals the
    /// scalar reference bit for bit, through the entry the table picks for that level.
    func testEveryLevelMatchesTheScalarReferencePerLayer() {
        var generator = SplitMix64(seed: 0x53)
        for trial in 0..<60 {
            let c = Int8KernelTests.randomCase(&generator, residual: trial % 2 == 1)
            let expected = Int8KernelTests.reference(c)
            let scalarAcc16 = PackedInt8Conv(c.conv, isa: .scalar, accumulation: .acc16)
                .apply(paddedInput: c.input, residual: c.residual)
            let zeroskipScalar = ZeroSkipConv(c.conv).apply(paddedInput: c.input, residual: c.residual, isa: .scalar).output
            XCTAssertEqual(zeroskipScalar, expected, "zero-skip scalar \(c.conv.shape)")
            for level in KernelISA.supported {
                let label = "\(level) \(c.conv.shape) residual \(c.residual != nil)"
                XCTAssertEqual(PackedInt8Conv(c.conv, isa: level).apply(paddedInput: c.input, residual: c.residual), expected, label)
                XCTAssertEqual(PackedInt8Conv(c.conv, isa: level, accumulation: .acc16).apply(paddedInput: c.input, residual: c.residual),
                               scalarAcc16, "acc16 " + label)
                XCTAssertEqual(ZeroSkipConv(c.conv).apply(paddedInput: c.input, residual: c.residual, isa: level).output, expected,
                               "zero-skip " + label)
            }
        }
    }
}
