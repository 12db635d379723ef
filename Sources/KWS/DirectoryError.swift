/// Why a directory of clips could not be used: one line naming the directory (never a Foundation error dump).
public enum DirectoryError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Nothing exists at the path.
    case missing(String)
    /// The path exists but is a file, not a directory.
    case notADirectory(String)
    /// The directory exists but cannot be listed (`reason`: e.g. "permission denied").
    case unreadable(String, reason: String)
    /// The directory (and its subdirectories) hold no `.wav` file.
    case noWAVFiles(String)

    public var description: String {
        switch self {
        case .missing(let path): return "\(path): no such directory"
        case .notADirectory(let path): return "\(path): not a directory"
        case let .unreadable(path, reason): return "\(path): cannot list the directory (\(reason))"
        case .noWAVFiles(let path): return "\(path): no .wav files in this directory"
        }
    }
}
