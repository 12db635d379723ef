import Foundation
import KWSTestSupport
import XCTest

/// Shared helpers for tests that run the built `kws` binary.
class CLITestCase: XCTestCase {
    static let keywords = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: TestPaths.kwsBinary.path),
                          "kws binary not built at \(TestPaths.kwsBinary.path)")
    }

    func kws(_ arguments: [String], stdin: Data = Data(), chunkSizes: [Int] = [65536]) throws -> ProcessResult {
        try ProcessRunner.kws(arguments, stdin: stdin, chunkSizes: chunkSizes)
    }

    func sample(_ name: String) -> String { TestPaths.file("Samples/\(name)").path }

    /// Parses JSON Lines output into dictionaries, failing the test on any unparsable line.
    func jsonLines(_ result: ProcessResult, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        result.lines.compactMap { text in
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                XCTFail("not a JSON object: \(text)", file: file, line: line)
                return nil
            }
            return object
        }
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kws-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
