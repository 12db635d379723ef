import Foundation
import KWSTestSupport
import XCTest

/// `--jobs N` (`kws detect`, `kws eval`) works on N files at once but must print exactly what `--jobs 1`
/// prints, in the same order: stdout byte for byte, the error lines, and the exit status.
final class ParallelJobsCLITests: CLITestCase {
    /// Runs `arguments` with `--jobs` 1, 2 and 3 and asserts that the three runs agree; returns the `--jobs 1` run.
    @discardableResult
    private func assertSameForEveryJobCount(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let command = Array(arguments.prefix(1))
        let rest = Array(arguments.dropFirst())
        let sequential = try kws(command + ["--jobs", "1"] + rest)
        for jobs in ["2", "3"] {
            let parallel = try kws(command + ["--jobs", jobs] + rest)
            XCTAssertEqual(parallel.stdout, sequential.stdout, "stdout with --jobs \(jobs)", file: file, line: line)
            XCTAssertEqual(parallel.stderr, sequential.stderr, "stderr with --jobs \(jobs)", file: file, line: line)
            XCTAssertEqual(parallel.status, sequential.status, "status with --jobs \(jobs)", file: file, line: line)
        }
        return sequential
    }

    func testDetectPrintsTheSameInFileOrderWithErrorsInPlace() throws {
        let directory = try temporaryDirectory()
        let malformed = directory.appendingPathComponent("cut.wav")
        try Data("RIFF".utf8).write(to: malformed)
        let missing = directory.appendingPathComponent("missing.wav").path
        let files = [sample("yes.wav"), missing, sample("sequence.wav"), sample("no.wav"), malformed.path,
                     sample("left.wav"), sample("silence.wav"), sample("go.wav")]
        for format in [[], ["--json"]] {
            let result = try assertSameForEveryJobCount(["detect"] + format + files)
            XCTAssertEqual(result.status, 66, "the first failure (missing) decides the status")
            let errors = result.stderr.split(separator: "\n")
            XCTAssertEqual(errors.count, 2, result.stderr)
            XCTAssertTrue(errors.first?.contains("missing.wav") ?? false, result.stderr)
            XCTAssertTrue(errors.last?.contains("cut.wav") ?? false, result.stderr)
        }
        // Merged into one stream, each error still sits between the files before and after it.
        let quoted = files.map { "'\($0)'" }.joined(separator: " ")
        let merged = try (1...3).map { try shellInRepository("\"$KWS\" detect --jobs \($0) \(quoted) 2>&1").stdout }
        XCTAssertEqual(Set(merged).count, 1, merged.joined(separator: "\n---\n"))
        let lines = merged[0].split(separator: "\n")
        XCTAssertTrue(lines.first?.hasPrefix(sample("yes.wav")) ?? false, merged[0])
        XCTAssertTrue(lines.dropFirst().first?.contains("missing.wav") ?? false, merged[0])
        XCTAssertTrue(lines.last?.hasPrefix(sample("go.wav")) ?? false, merged[0])
    }

    func testEvalClipsReportTheSame() throws {
        let directory = try temporaryDirectory()
        let folders = ["yes": ["yes", "left"], "no": ["no", "up"], "_unknown_": ["unknown_bird"], "_silence_": ["silence", "go"]]
        for (label, names) in folders {
            let folder = directory.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in names {
                try FileManager.default.copyItem(atPath: sample("\(name).wav"), toPath: folder.appendingPathComponent("\(name).wav").path)
            }
        }
        let result = try assertSameForEveryJobCount(["eval", "--json", directory.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(jsonLines(result).first?["count"] as? Int, 7)
    }

    func testEvalStreamReportsAndSweepsTheSame() throws {
        let result = try assertSameForEveryJobCount(["eval", "--stream", sample("sequence.wav"), "--truth", sample("sequence.txt"),
                                                     "--negative", sample("yes.wav"), "--negative", sample("silence.wav"),
                                                     "--sweep", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = jsonLines(result).first
        XCTAssertEqual((report?["files"] as? [[String: Any]])?.compactMap { $0["file"] as? String },
                       [sample("sequence.wav"), sample("yes.wav"), sample("silence.wav")])
        XCTAssertNotNil(report?["total"], "the sweep's all-keyword rows")
    }

    func testZeroJobsIsAUsageErrorOfOneLine() throws {
        for command in [["detect", sample("yes.wav")], ["eval", "--stream", sample("sequence.wav")]] {
            let result = try kws([command[0], "--jobs", "0"] + command.dropFirst())
            XCTAssertEqual(result.status, 64, result.stderr)
            XCTAssertEqual(result.stdout, "")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains("--jobs 0"), result.stderr)
        }
    }
}
