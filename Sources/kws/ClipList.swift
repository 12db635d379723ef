import FoundationEssentials
import Glibc
import KWSAudio
import KWSCore

/// A `--list FILE` of clip paths (relative to the clip directory, one per line; blank lines ignored), as
/// `eval --list`, `info --stats --list` and `lab quantize --calibration-list` read it.
enum ClipList {
    /// The listed paths, in file order.
    /// - Throws: ``InputFileError`` naming `option` and `path` when the file cannot be read or is not UTF-8.
    static func read(_ path: String, option: String) throws -> [String] {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path)
        } catch let error as FileContents.ReadError {
            throw InputFileError(option: option, path: path, reason: error.reason, missing: true)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputFileError(option: option, path: path, reason: "not UTF-8 text", missing: false)
        }
        return text.split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}

/// A file named on the command line that could not be used: one line naming the option and the file.
struct InputFileError: Error, CustomStringConvertible {
    let option: String
    let path: String
    let reason: String
    /// True when the file could not be opened (exit status 66), false when its content is unusable (65).
    let missing: Bool

    var description: String { "\(option) \(path): \(reason)" }
}
