import Foundation
import KWSTestSupport
import XCTest

/// Issue 17, item 2: the front end gives the same bits in every process. The FFT plan comes from wisdom shipped
/// in kws (or FFTW_ESTIMATE where it does not apply), never from timing at start, and the C pass after it gives
/// the same bits at every kernel level; so separate `kws features` runs, at any `KWS_ISA`, write identical files.
final class FeaturesDeterminismCLITests: CLITestCase {
    func testSeparateProcessesWriteIdenticalFeatures() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("kws-features-determinism-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var outputs: [(String, Data)] = []
        for (index, isa) in ["", "", "scalar", "avx2"].enumerated() {
            for clip in ["yes.wav", "stop.wav"] {
                let path = directory.appendingPathComponent("\(index)-\(clip).npy").path
                let result = try ProcessRunner.run(TestPaths.kwsBinary, ["features", sample(clip), "-o", path],
                                                   environment: isa.isEmpty ? [:] : ["KWS_ISA": isa])
                XCTAssertEqual(result.status, 0, result.stderr)
                outputs.append(("\(clip) KWS_ISA=\(isa.isEmpty ? "unset" : isa) run \(index)",
                                try Data(contentsOf: URL(fileURLWithPath: path))))
            }
        }
        for (label, data) in outputs.dropFirst(2) {
            let first = label.hasPrefix("yes") ? outputs[0].1 : outputs[1].1
            XCTAssertGreaterThan(data.count, 98 * 40 * 4, label)
            XCTAssertEqual(data, first, label)
        }
    }
}
