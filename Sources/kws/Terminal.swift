import Foundation

/// Line-oriented output that survives pipes: every line is flushed (so `kws stream | grep` sees
/// detections at once). A reader that leaves early (EPIPE: `kws … | head`) ends the process quietly with
/// status 0; any other write error (a full disk, a closed stdout) would lose output, so it is one line on
/// stderr and status 1.
enum Terminal {
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
        fputs("kws: cannot write to stdout: \(String(cString: strerror(code)))\n", stderr)
        exit(1)
    }

    static func warn(_ message: String) {
        fputs("kws: \(message)\n", stderr)
    }

    /// True when stderr is a terminal, where progress lines are welcome.
    static var showsProgress: Bool { isatty(STDERR_FILENO) != 0 }

    static func progress(_ message: String) {
        guard showsProgress else { return }
        fputs("\r\u{1B}[K\(message)", stderr)
    }

    static func endProgress() {
        if showsProgress { fputs("\r\u{1B}[K", stderr) }
    }
}

/// Minimal JSON text for the interface contract's fixed key order.
enum JSONText {
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func number(_ value: Double, digits: Int = 4) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "null"
    }

    /// `{"k":v,...}` with values already encoded, in the given order.
    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
