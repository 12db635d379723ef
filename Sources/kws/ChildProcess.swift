import Glibc

/// Runs another program with kws's own stdin, stdout and stderr and waits for it (`kws train` runs the
/// training pipeline this way). While it runs, kws ignores SIGINT and SIGTERM and the child gets them with
/// their default action, so Ctrl-C stops the child and kws then reports how it ended.
enum ChildProcess {
    /// How the child ended: its exit status, or 128 + the signal that killed it (the shell's convention).
    static func run(_ arguments: [String]) throws -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let previous = (signal(SIGINT, SIG_IGN), signal(SIGTERM, SIG_IGN))
        defer { signal(SIGINT, previous.0); signal(SIGTERM, previous.1) }

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, arguments[0], nil, &attributes, &argv, environ)
        guard spawned == 0 else { throw ChildProcessError(program: arguments[0], reason: String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ChildProcessError(program: arguments[0], reason: String(cString: strerror(errno))) }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import from the C macros.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// A program kws needed could not be started.
struct ChildProcessError: Error, CustomStringConvertible {
    let program: String
    let reason: String
    var description: String { "cannot run \(program): \(reason)" }
}
