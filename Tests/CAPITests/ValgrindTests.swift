import Foundation
import KWSTestSupport
import XCTest

/// The installed C example under valgrind memcheck, over a stream of several minutes: no invalid reads or
/// writes and no definite or indirect leaks.
///
/// "Possibly lost" and "still reachable" blocks are not errors here: they are the Swift runtime's one-time
/// metadata caches, kept for the life of the process. Undefined-value tracking is off (it doubles the run
/// time and is not what this test is for), so no suppressions file is needed. Minutes long: `make test-long`.
final class ValgrindTests: XCTestCase {
    private static let valgrind = URL(fileURLWithPath: "/usr/bin/valgrind")
    private static let options = ["--error-exitcode=99", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
                                  "--show-leak-kinds=definite,indirect", "--undef-value-errors=no"]

    private var installed: InstalledPrefix!

    override func setUpWithError() throws {
        try XCTSkipUnless(LongTests.enabled, LongTests.skipped)
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Self.valgrind.path), "valgrind is not installed")
        installed = try InstalledPrefix()
        addTeardownBlock { [installed] in installed?.remove() }
    }

    func testThreeMinuteStreamIsMemcheckClean() throws {
        let pcm = try CAPIFixtures.rawPCM(try CAPIFixtures.sequencePath(), repeatedToAtLeast: 180)
        // The scalar kernels: a debug build's SIMD intrinsics run twice as slowly under valgrind.
        let result = try memcheck(stdin: pcm, environment: ["KWS_ISA": "scalar"])
        let plain = try installed.run(installed.detect, ["--model", CAPIFixtures.modelPath, "-"], stdin: pcm,
                                      environment: ["KWS_ISA": "scalar"])
        XCTAssertEqual(result.stdout, plain.stdout, "valgrind changed the detections")
    }

    func testSIMDKernelsAreMemcheckCleanToo() throws {
        // Whatever the CPU has that valgrind emulates (AVX2 at most).
        _ = try memcheck(stdin: try CAPIFixtures.rawPCM(try CAPIFixtures.sequencePath()), environment: [:])
    }

    @discardableResult
    private func memcheck(stdin: Data, environment: [String: String], file: StaticString = #filePath,
                          line: UInt = #line) throws -> ProcessResult {
        let result = try installed.run(Self.valgrind, Self.options + [installed.detect.path, "--model", CAPIFixtures.modelPath, "-"],
                                       stdin: stdin, environment: environment)
        let summary = result.stderr.split(separator: "\n").filter { $0.contains("ERROR SUMMARY") || $0.contains("lost:") }
        XCTAssertEqual(result.status, 0, "valgrind found errors:\n\(result.stderr.suffix(6000))", file: file, line: line)
        XCTAssertTrue(result.stderr.contains("ERROR SUMMARY: 0 errors"), summary.joined(separator: "\n"), file: file, line: line)
        XCTAssertFalse(result.lines.isEmpty, "no detection printed", file: file, line: line)
        return result
    }
}
