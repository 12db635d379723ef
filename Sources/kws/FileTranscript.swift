/// What one file of `kws detect` prints, in the order it came: stdout lines, warnings, and a failure. Kept
/// while earlier files are still being worked on (`--jobs`), then printed in its turn, so that the output
/// is the same as when the files are read one after another.
struct FileTranscript: Sendable {
    enum Entry: Sendable {
        case line(String)
        case warning(String)
        case failure(any Error)

        /// Prints the entry now, as ``Terminal`` and ``FailureTally`` do.
        func print(failures: inout FailureTally) {
            switch self {
            case let .line(text): Terminal.printLine(text)
            case let .warning(message): Terminal.warn(message)
            case let .failure(error): failures.record(error)
            }
        }
    }

    private(set) var entries: [Entry] = []

    mutating func append(_ entry: Entry) {
        entries.append(entry)
    }

    func print(failures: inout FailureTally) {
        entries.forEach { $0.print(failures: &failures) }
    }
}
