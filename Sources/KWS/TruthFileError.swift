/// A truth file that cannot be read as keyword events (``TruthFile``).
public struct TruthFileError: Error, CustomStringConvertible, Equatable {
    /// The file, as given.
    public let file: String
    /// The 1-based line at fault, or 0 for the file as a whole.
    public let line: Int
    /// What is wrong, in words.
    public let reason: String

    /// An error at `line` of `file`.
    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `file:line: reason`, or `file: reason` for the file as a whole.
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}
