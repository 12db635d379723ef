import ArgumentParser
import FoundationEssentials
import Glibc

extension KWSCommand {
    /// Parses and runs the command, and ends every failure the same way: one line (or a JSON line under
    /// `--json`) and the status ``ExitStatus/init(for:)`` gives it. Replaces ArgumentParser's `main()`, which
    /// exits 1 for any error thrown while running.
    static func main() {
        Terminal.setUp()
        let arguments = CommandNames.rewritingAliases(Array(CommandLine.arguments.dropFirst()))
        // Before parsing, so that a parse error is already a JSON line under --json.
        let options = arguments.prefix { $0 != "--" }
        Terminal.json = options.contains("--json")
        Terminal.quiet = options.contains("-q") || options.contains("--quiet")
        if let message = CommandNames.unknownCommand(in: arguments) { end(UsageError(message)) }
        do {
            var command = try parseAsRoot(arguments)
            if let settings = command as? TerminalSettings {
                Terminal.json = settings.json
                Terminal.quiet = settings.quiet
            }
            try command.run()
        } catch {
            end(error)
        }
    }

    private static func end(_ error: Error) -> Never {
        // Thrown after the command printed its own line (a signal, a tally of failed files).
        if let code = error as? ExitCode { Glibc.exit(code.rawValue) }
        let parserCode = exitCode(for: error)
        if parserCode == .success {  // --help, --version
            Terminal.printLine(fullMessage(for: error))
            Glibc.exit(0)
        }
        // An ExitCode thrown by validate() arrives wrapped, after its line was printed.
        if parserCode != .failure, message(for: error).isEmpty { Glibc.exit(parserCode.rawValue) }
        if parserCode == .validationFailure {  // a parse or validate() error: the message and the usage
            if Terminal.json {
                Terminal.error(message(for: error), status: .usage)
            } else {
                fputs(fullMessage(for: error) + "\n", stderr)
            }
            Glibc.exit(ExitStatus.usage.rawValue)
        }
        if parserCode != .failure { Glibc.exit(parserCode.rawValue) }
        let status = ExitStatus(for: error)
        Terminal.error(ErrorMessage.text(for: error), status: status)
        Glibc.exit(status.rawValue)
    }
}
