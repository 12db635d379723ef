import ArgumentParser

/// Commands that go on after a failed file (`detect`, `eval`, `lab stamp`) report each failure as it happens
/// and end with the status of the first one.
struct FailureTally {
    private(set) var count = 0
    private var first: ExitStatus?

    /// Prints `error` (one line) and counts it.
    mutating func record(_ error: Error) {
        let status = ExitStatus(for: error)
        Terminal.endProgress()
        Terminal.error(ErrorMessage.text(for: error), status: status)
        count += 1
        if first == nil { first = status }
    }

    /// Ends the command with the first failure's status, if any failed.
    func finish() throws {
        if let first { throw ExitCode(first.rawValue) }
    }
}
