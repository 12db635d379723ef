/// The exit statuses of kws, one per kind of outcome, after sysexits(3). Every status the CLI ends with is
/// one of these; ``ExitStatus/init(for:)`` (ExitStatus+Errors.swift) decides which one an error gets.
enum ExitStatus: Int32, CaseIterable {
    /// Everything worked.
    case success = 0
    /// A check answered no: `info --verify` on a file without a checksum, `lab zena-sim` outputs that differ
    /// from the int8 engine's.
    case checkFailed = 1
    /// EX_USAGE: the command line is wrong (unknown command, option, model name or engine; a value out of
    /// range; a threshold or false-alarm budget that cannot work). Parse-time and run-time alike.
    case usage = 64
    /// EX_DATAERR: an input is there but cannot be used (an undecodable or empty WAV, a damaged model file,
    /// a malformed truth file).
    case dataError = 65
    /// EX_NOINPUT: an input file or directory does not exist or cannot be opened, or a directory holds no clips.
    case noInput = 66
    /// EX_UNAVAILABLE: a program `kws train` needs is missing (Training/ or its virtualenv) or failed.
    case unavailable = 69
    /// EX_SOFTWARE: a bug in kws (an error it did not expect).
    case software = 70
    /// EX_CANTCREAT: an output file (`--out`, `--plot`, `--roc`, a stamped model) cannot be written.
    case cannotCreate = 73
    /// EX_IOERR: reading stdin or an open file failed, or stdout cannot be written (a full disk, a closed stdout).
    case ioError = 74
    /// 128 + SIGINT: `kws stream` was interrupted (after printing the pending detection).
    case interrupted = 130
    /// 128 + SIGTERM: `kws stream` was terminated (after printing the pending detection).
    case terminated = 143

    /// One line per status, for `kws --help` (README "Exit status" has the same table).
    static var table: String {
        let meanings: [(ExitStatus, String)] = [
            (.success, "success"),
            (.checkFailed, "a check said no (info --verify, lab zena-sim)"),
            (.usage, "usage: unknown command, option, model, engine; bad value"),
            (.dataError, "bad input data: undecodable audio, damaged model, bad truth"),
            (.noInput, "input file or directory missing, unreadable or empty"),
            (.unavailable, "kws train: Training/ setup missing or its pipeline failed"),
            (.software, "internal error (a bug in kws)"),
            (.cannotCreate, "an output file cannot be written"),
            (.ioError, "I/O error: reading input or writing stdout failed"),
            (.interrupted, "stream ended by SIGINT (pending detection printed)"),
            (.terminated, "stream ended by SIGTERM (pending detection printed)"),
        ]
        return meanings.map { "  " + String($0.0.rawValue).leftPadded(3) + "  " + $0.1 }.joined(separator: "\n")
    }
}
