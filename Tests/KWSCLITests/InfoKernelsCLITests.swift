import Foundation
import KWSTestSupport
import XCTest

/// Issue 16, item 1: `kws info --kernels` names the variant each kernel operation runs under `KWS_ISA`.
final class InfoKernelsCLITests: CLITestCase {
    private func kernels(isa: String, json: Bool = false) throws -> ProcessResult {
        try ProcessRunner.run(TestPaths.kwsBinary, ["info", "--kernels"] + (json ? ["--json"] : []),
                              environment: ["KWS_ISA": isa])
    }

    /// Operation → variant, from the text output.
    private func variants(_ result: ProcessResult) -> [String: String] {
        var out = [String: String]()
        for line in result.lines where line.hasPrefix("conv1d_") || line.hasPrefix("quantize_") {
            let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if cells.count == 2 { out[cells[0]] = cells[1] }
        }
        return out
    }

    func testScalarNamesTheScalarVariantOfEveryOperation() throws {
        let result = try kernels(isa: "scalar")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.lines.first?.hasPrefix("kernel level  scalar (KWS_ISA=scalar;") ?? false, result.stdout)
        XCTAssertTrue(result.lines.contains { $0.hasPrefix("cpu features  ") }, result.stdout)
        XCTAssertEqual(variants(result), [
            "conv1d_f32": "conv1d_f32_1x1__scalar", "quantize_f32_u8": "quantize_f32_u8__scalar",
            "conv1d_u8s8": "conv1d_u8s8_1x1__scalar", "conv1d_u8s8_acc16": "conv1d_u8s8_acc16_1x1__scalar",
            "conv1d_zeroskip_u8s8": "conv1d_zeroskip_u8s8_1x1__scalar", "conv1d_hw": "conv1d_u8s8_1x1__scalar",
            "conv1d_ol4": "conv1d_ol4_dense__scalar",
        ])
    }

    func testAVX2NamesTheAVX2Variants() throws {
        let result = try kernels(isa: "avx2")
        XCTAssertEqual(result.status, 0, result.stderr)
        let features = Set(result.lines.first { $0.hasPrefix("cpu features  ") }?
            .dropFirst("cpu features  ".count).split(separator: ";").first?.split(separator: " ").map(String.init) ?? [])
        guard features.isSuperset(of: ["avx2", "fma"]) else { throw XCTSkip("this CPU has no AVX2 + FMA") }
        XCTAssertTrue(result.lines.first?.hasPrefix("kernel level  avx2 (KWS_ISA=avx2;") ?? false, result.stdout)
        XCTAssertEqual(variants(result), [
            "conv1d_f32": "conv1d_f32_6x16__avx2fma", "quantize_f32_u8": "quantize_f32_u8__avx2",
            "conv1d_u8s8": "conv1d_u8s8_2x32__avx2", "conv1d_u8s8_acc16": "conv1d_u8s8_acc16_4x16__avx2",
            "conv1d_zeroskip_u8s8": features.isSuperset(of: ["bmi2", "popcnt"])
                ? "conv1d_zeroskip_u8s8_1x1__avx2bmi2" : "conv1d_zeroskip_u8s8_1x1__scalar",
            "conv1d_hw": "conv1d_hw_4x24__avx2", "conv1d_ol4": "conv1d_ol4_dense__avx2",
        ])
        let json = try kernels(isa: "avx2", json: true)
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["type"] as? String, "kernels")
        XCTAssertEqual(object["isa"] as? String, "avx2")
        XCTAssertEqual((object["kernels"] as? [String: String])?["conv1d_u8s8"], "conv1d_u8s8_2x32__avx2")
        XCTAssertEqual((object["kernels"] as? [String: String])?["mfcc_frame"], "mfcc_cepstrum__avx2")
        XCTAssertTrue((object["fft_r2c_512"] as? String)?.hasPrefix("fftw ") ?? false, json.stdout)
    }

    /// Issue 17, item 2: the MFCC pass after the FFT is a table entry, and the FFT plan is named with its source.
    func testNamesTheMFCCPassAndTheFFTPlan() throws {
        let result = try kernels(isa: "scalar")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.lines.contains { $0.hasPrefix("mfcc_frame") && $0.hasSuffix(" mfcc_cepstrum__scalar") },
                      result.stdout)
        let fft = try XCTUnwrap(result.lines.first { $0.hasPrefix("fft_r2c_512") }, result.stdout)
        XCTAssertTrue(fft.contains("fftw shipped wisdom: (") || fft.contains("fftw FFTW_ESTIMATE: ("), fft)
    }

    func testInfoHelpShowsTheKernelsExample() throws {
        let result = try kws(["info", "--help"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("--kernels"), result.stdout)
        XCTAssertTrue(result.stdout.contains("KWS_ISA=avx2 kws info --kernels"), result.stdout)
    }
}
