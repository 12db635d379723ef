import FoundationEssentials
import Glibc

/// Line-oriented output that survives pipes: every line is flushed (so `kws stream | grep` sees
/// detections at once). A reader that leaves early (EPIPE: `kws … | head`) ends the process quietly with
/// status 0; any other write error (a full disk, a closed stdout) would lose output, so it is one line on
/// stderr and ``ExitStatus/ioError``.
///
/// Warnings and errors go to stderr as `kws: MESSAGE`, or under `--json` as one JSON line each
/// (`{"type":"warning",…}`, `{"type":"error",…}`; README "JSON Lines"); `--quiet` drops the warnings.
enum Terminal {
    /// Warnings and errors as JSON lines (`--json`); set once by ``KWSCommand/main()``.
    nonisolated(unsafe) static var json = false
    /// No warnings or progress on stderr (`-q`, `--quiet`); errors are still printed.
    nonisolated(unsafe) static var quiet = false

    static func setUp() {
        signal(SIGPIPE, SIG_IGN)
    }

    static func printLine(_ line: String, terminator: String = "\n") {
        var text = line
        text.append(terminator)
        let ok = text.withCString { pointer in fputs(pointer, stdout) >= 0 && fflush(stdout) == 0 }
        if !ok { outputFailed(errno) }
    }

    /// Ends the process after stdout failed with `code`.
    private static func outputFailed(_ code: Int32) -> Never {
        if code == EPIPE { exit(0) }
        let error = OutputFileError(path: "stdout", reason: String(cString: strerror(code)))
        let status = ExitStatus(for: error)
        self.error("\(error)", status: status)
        exit(status.rawValue)
    }

    /// A problem that does not stop the command (one line on stderr unless `--quiet`).
    static func warn(_ message: String) {
        guard !quiet else { return }
        if json {
            writeError(JSONText.object([("type", JSONText.string("warning")), ("message", JSONText.string(message))]))
        } else {
            writeError("kws: \(message)")
        }
    }

    /// A summary the user asked for (`kws stream --summary`): one line on stderr, even under -q, as a
    /// `"type":"summary"` object with `fields` under `--json`, else `kws: text`.
    static func summary(_ text: String, fields: [(String, String)]) {
        writeError(json ? JSONText.object([("type", JSONText.string("summary"))] + fields) : "kws: \(text)")
    }

    /// An error: one line on stderr (always), naming the exit status it implies under `--json`.
    static func error(_ message: String, status: ExitStatus) {
        if json {
            writeError(JSONText.object([("type", JSONText.string("error")), ("exit_status", String(status.rawValue)),
                                        ("message", JSONText.string(message))]))
        } else {
            writeError("kws: \(message)")
        }
    }

    private static func writeError(_ line: String) {
        fputs(line + "\n", stderr)
    }

    /// True when stderr is a terminal, where progress lines are welcome.
    static var showsProgress: Bool { !quiet && isatty(STDERR_FILENO) != 0 }

    static func progress(_ message: String) {
        guard showsProgress else { return }
        fputs("\r\u{1B}[K\(message)", stderr)
    }

    static func endProgress() {
        if showsProgress { fputs("\r\u{1B}[K", stderr) }
    }
}
