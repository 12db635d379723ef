/// A command line that cannot work, found after parsing (a threshold, budget or model choice): one line on
/// stderr and ``ExitStatus/usage``, the status ArgumentParser gives the same kind of mistake found while
/// parsing.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }

    init(_ message: String) { self.message = message }
}
