import Foundation

/// Runs a program like a user would, through pipes.
public struct ProcessResult {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// Non-empty stdout lines.
    public var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

public enum ProcessRunner {
    /// Runs `executable` with `arguments`, writing `stdin` in chunks of the given sizes (cycled) so
    /// the reader sees odd-sized reads, and waits for it to exit.
    public static func run(_ executable: URL, _ arguments: [String], stdin: Data = Data(), chunkSizes: [Int] = [65536],
                           environment: [String: String] = [:]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Drain both pipes while writing stdin, so a chatty child never blocks on a full pipe.
        let stdoutData = PipeDrain(output), stderrData = PipeDrain(errors)
        var offset = 0, turn = 0
        while offset < stdin.count {
            let size = max(1, chunkSizes[turn % chunkSizes.count])
            let end = min(stdin.count, offset + size)
            input.fileHandleForWriting.write(stdin.subdata(in: offset..<end))
            offset = end
            turn += 1
        }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus,
                             stdout: String(decoding: stdoutData.wait(), as: UTF8.self),
                             stderr: String(decoding: stderrData.wait(), as: UTF8.self))
    }

    /// Runs the `kws` binary under test.
    public static func kws(_ arguments: [String], stdin: Data = Data(), chunkSizes: [Int] = [65536]) throws -> ProcessResult {
        try run(TestPaths.kwsBinary, arguments, stdin: stdin, chunkSizes: chunkSizes)
    }
}

/// Reads a pipe to EOF on a background thread.
private final class PipeDrain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
