import Foundation
import KWSTestSupport
import XCTest

/// Issue 14, item 7 through the real binary: `kws stamp`, `kws info --verify`, and a damaged file refused
/// with one line naming it.
final class ModelChecksumCLITests: CLITestCase {
    func testStampVerifyAndADamagedCopy() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("model.safetensors").path
        try FileManager.default.copyItem(atPath: TestPaths.file("Tests/KWSRuntimeTests/Fixtures/tc-resnet8-ref.safetensors").path, toPath: path)

        let unverified = try kws(["info", "--verify", path])
        XCTAssertEqual(unverified.status, 1)
        XCTAssertTrue(unverified.stdout.contains("unverified"), unverified.stdout)
        XCTAssertTrue(try kws(["info", path]).stdout.contains("checksum      none: tensor data unverified"))

        let stamp = try kws(["stamp", path])
        XCTAssertEqual(stamp.status, 0, stamp.stderr)
        XCTAssertTrue(stamp.stdout.hasSuffix("(stamped)\n"), stamp.stdout)
        let verified = try kws(["info", "--verify", path])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue(verified.stdout.contains("verified") && !verified.stdout.contains("unverified"), verified.stdout)
        XCTAssertEqual(try kws(["stamp", path]).stdout.hasSuffix("(already stamped, verified)\n"), true)

        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 100] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let damaged = try kws(["detect", "--model", path, sample("yes.wav")])
        XCTAssertNotEqual(damaged.status, 0)
        XCTAssertEqual(damaged.stdout, "")
        XCTAssertEqual(damaged.stderr.split(separator: "\n").count, 1, damaged.stderr)
        XCTAssertTrue(damaged.stderr.contains("model.safetensors: tensor data does not match its checksum"), damaged.stderr)
        XCTAssertNotEqual(try kws(["stamp", path]).status, 0, "a damaged file is not re-stamped")
    }

    func testShippedModelsVerify() throws {
        let result = try kws(["info", "--verify", "tc-resnet8-int8"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    }
}
