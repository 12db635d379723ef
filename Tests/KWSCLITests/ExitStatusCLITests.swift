import Foundation
import KWSTestSupport
import XCTest

/// Issue 14, items 3 and 4 through the real binary: output that cannot be written is an error (EPIPE
/// excepted), and SIGINT/SIGTERM or a pause in the audio still print the detection that was pending.
final class ExitStatusCLITests: CLITestCase {
    /// Runs `command` in `sh -c` (for redirections the runner cannot express), returning status and stderr.
    private func shell(_ command: String, stdin: Data = Data()) throws -> ProcessResult {
        try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", command], stdin: stdin,
                              environment: ["KWS": TestPaths.kwsBinary.path])
    }

    func testAFullDiskIsOneLineAndAFailure() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "no /dev/full")
        // stdin comes from a file: kws stops reading at the first failed write, and a pipe from this
        // process would then raise SIGPIPE here.
        for command in ["\"$KWS\" detect '\(sample("sequence.wav"))' > /dev/full",
                        "\"$KWS\" detect '\(sample("yes.wav"))' > /dev/full",
                        "\"$KWS\" stream < '\(sample("sequence.wav"))' > /dev/full"] {
            let result = try shell(command)
            XCTAssertEqual(result.status, 74, command)  // EX_IOERR
            XCTAssertEqual(result.stderr, "kws: cannot write to stdout: No space left on device\n", command)
        }
    }

    func testAClosedStdoutIsAFailure() throws {
        let result = try shell("\"$KWS\" detect '\(sample("yes.wav"))' >&-")
        XCTAssertEqual(result.status, 74)
        XCTAssertTrue(result.stderr.hasPrefix("kws: cannot write to stdout: "), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
    }

    func testAReaderThatLeavesEarlyIsStillQuiet() throws {
        // EPIPE: `kws … | head -c 1` is a normal way to use kws, so it stays status 0 and silent.
        let piped = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"),
                                          ["-c", "\"$KWS\" detect \(String(repeating: "'\(sample("sequence.wav"))' ", count: 4))| head -c 1 >/dev/null; exit ${PIPESTATUS[0]}"],
                                          environment: ["KWS": TestPaths.kwsBinary.path])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stderr, "")
    }

    /// Starts `kws stream --json` with extra arguments on a pipe we keep open, writes `audio`, and returns
    /// the process and the pipe so the test decides what happens next.
    private func liveStream(_ arguments: [String], audio: Data) throws -> (Process, Pipe, Pipe, Pipe) {
        let process = Process()
        process.executableURL = TestPaths.kwsBinary
        process.arguments = ["stream", "--json"] + arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(audio)
        return (process, input, output, errors)
    }

    /// One keyword clip followed by silence too short for the detector to decide it before more audio
    /// comes: without the fix, the detection waits for input that never comes.
    private func keywordThenShortSilence() throws -> Data {
        let path = sample("yes.wav")
        let wav = try Data(contentsOf: URL(fileURLWithPath: path))
        return wav.suffix(from: 44) + Data(count: 2 * 1600)  // 44-byte header; 0.1 s of silence after it
    }

    /// Waits (up to 30 s) until the reader has taken every byte written to `pipe`: a loaded machine may take
    /// a while, and a signal before that would end the stream before the keyword was heard.
    private func waitUntilRead(_ pipe: Pipe) {
        let deadline = Date().addingTimeInterval(30)
        var unread: Int32 = 1
        while Date() < deadline {
            guard ioctl(pipe.fileHandleForWriting.fileDescriptor, UInt(FIONREAD), &unread) == 0, unread > 0 else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.2)
    }

    /// The first line `pipe` delivers within `timeout` seconds (read by a collector that keeps reading).
    private func readLine(_ pipe: Pipe, timeout: TimeInterval) -> String? {
        OutputCollector(pipe).firstLine(within: timeout)
    }

    func testSignalsPrintThePendingDetectionThenExit128PlusTheSignal() throws {
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let (process, input, output, errors) = try liveStream([], audio: try keywordThenShortSilence())
            waitUntilRead(input)  // kws has read (and so processed) all of it: the word is pending
            kill(process.processIdentifier, signal)
            let line = readLine(output, timeout: 20)
            process.waitUntilExit()
            try? input.fileHandleForWriting.close()
            XCTAssertEqual(process.terminationReason, .exit, "signal \(signal)")
            XCTAssertEqual(process.terminationStatus, status, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            XCTAssertTrue(line?.contains("\"label\":\"yes\"") ?? false, "signal \(signal): \(line ?? "no line")")
        }
    }

    func testAPauseInTheAudioPrintsThePendingDetection() throws {
        let (process, input, output, _) = try liveStream(["--flush-after-ms", "300"], audio: try keywordThenShortSilence())
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        let line = readLine(output, timeout: 20)
        XCTAssertTrue(line?.contains("\"label\":\"yes\"") ?? false, line ?? "no detection while the input paused")
    }

    func testWithoutAPauseOptionNothingIsDecidedEarly() throws {
        // The default keeps `kws stream` deterministic for piped files: no timer decides anything.
        let (process, input, output, _) = try liveStream([], audio: try keywordThenShortSilence())
        let collector = OutputCollector(output)
        XCTAssertNil(collector.firstLine(within: 1.5))
        try input.fileHandleForWriting.close()
        XCTAssertTrue(collector.firstLine(within: 20)?.contains("\"label\":\"yes\"") ?? false)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }
}

/// Reads a pipe on a background thread until EOF, so a test can look at what has arrived so far.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                data += chunk
                lock.unlock()
            }
        }
    }

    /// The first complete line, once one has arrived within `timeout` seconds; nil otherwise.
    func firstLine(within timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lock.lock()
            let text = String(decoding: data, as: UTF8.self)
            lock.unlock()
            if let end = text.firstIndex(of: "\n") { return String(text[..<end]) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }
}
