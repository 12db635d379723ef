import XCTest

final class HelpTests: CLITestCase {
    func testEveryCommandHasHelpWithAnExample() throws {
        for command in [[], ["detect"], ["stream"], ["eval"], ["features"], ["info"], ["models"]] {
            let result = try kws(command + ["--help"])
            XCTAssertEqual(result.status, 0, "\(command) --help")
            XCTAssertTrue(result.stdout.contains("Example"), "\(command) --help lacks an example:\n\(result.stdout)")
        }
    }

    func testUnknownEngineIsAUsageError() throws {
        let result = try kws(["detect", "--engine", "quantum", sample("yes.wav")])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("unknown engine 'quantum'"), result.stderr)
    }
}
