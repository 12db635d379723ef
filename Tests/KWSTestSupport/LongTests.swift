import Foundation

/// The tests that take minutes (valgrind memcheck, an hour of audio through the CLI) run only when
/// `KWS_LONG_TESTS=1`: `make test-long` sets it and CI runs it after `make test`, so the everyday
/// `make test` stays short without losing them.
public enum LongTests {
    /// Whether this run includes the long tests.
    public static var enabled: Bool { ProcessInfo.processInfo.environment["KWS_LONG_TESTS"] == "1" }
    /// The skip message of a long test in a run without them.
    public static let skipped = "a long test: `make test-long` (KWS_LONG_TESTS=1) runs it"
}
