import FoundationEssentials
import Glibc

/// Writes what a command produces (`--out`, `--plot`, `--roc`, a stamped or quantized model), so a failure is
/// one line naming the file and ``ExitStatus/cannotCreate``, not a Foundation error.
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw OutputFileError(path: path, reason: reason(for: path))
        }
    }

    /// Why `path` cannot be written, in a few words.
    static func reason(for path: String) -> String {
        let directory = path.deletingLastPathComponent
        var isDirectory = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory { return "it is a directory" }
        let parent = directory.isEmpty ? "." : directory
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) else { return "no such directory: \(parent)" }
        guard isDirectory else { return "\(parent) is not a directory" }
        guard FileManager.default.isWritableFile(atPath: parent) else { return "permission denied" }
        return "cannot write the file"
    }
}

/// An output that could not be written: a file (``ExitStatus/cannotCreate``) or stdout (``ExitStatus/ioError``).
struct OutputFileError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var isStdout: Bool { path == "stdout" }

    var description: String { isStdout ? "cannot write to stdout: \(reason)" : "cannot write \(path): \(reason)" }
}
