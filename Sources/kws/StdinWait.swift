import Glibc

/// What `kws stream` waits for before each read of stdin: more input, a pause in it, or SIGINT/SIGTERM.
///
/// The signals are caught rather than fatal so that a keyword heard just before Ctrl-C is still decided and
/// printed: the handler only records the signal and writes a byte to a pipe that `poll` watches beside stdin
/// (the self-pipe trick), so a signal can never be missed between a check and the wait.
enum StdinWait {
    enum Event: Equatable {
        /// stdin is readable (data, EOF or an error: the read tells which).
        case input
        /// No input for the given timeout.
        case pause
        /// SIGINT or SIGTERM arrived; the value is the signal number.
        case signal(Int32)
    }

    /// From now on SIGINT and SIGTERM wake ``next(timeoutMilliseconds:)`` instead of ending the process.
    static func catchInterrupts() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }  // no pipe: keep the default action
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)  // the handler must never block
        }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
        caughtSignal = 0
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            // Only async-signal-safe work here: a store and a write(2), with errno preserved.
            let saved = errno
            caughtSignal = signal
            var byte: UInt8 = 0
            _ = write(wakeWriteFD, &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        // SA_RESTART: writes of detections are not cut short by a signal; poll(2) is woken regardless.
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }

    /// Waits until stdin is readable, `timeoutMilliseconds` pass without input (nil: wait indefinitely), or
    /// a caught signal arrives (reported first, whatever else is ready).
    static func next(timeoutMilliseconds: Int?) -> Event {
        while true {
            if caughtSignal != 0 { return .signal(caughtSignal) }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
            if wakeReadFD >= 0 { fds.append(pollfd(fd: wakeReadFD, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(clamping: timeoutMilliseconds ?? -1))
            if caughtSignal != 0 { return .signal(caughtSignal) }
            if ready == 0 { return .pause }
            if ready > 0, fds[0].revents != 0 { return .input }
            // EINTR from another signal, or a spurious wake: wait again.
        }
    }
}

// Globals, not statics, so the handler touches no lazily initialised storage (`catchInterrupts` sets them
// before the handler is installed).
private var caughtSignal: Int32 = 0
private var wakeReadFD: Int32 = -1
private var wakeWriteFD: Int32 = -1
