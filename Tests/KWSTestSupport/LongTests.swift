import Foundation

/// The tests that take minutes (valgrind memcheck, an hour of audio through the CLI) run only when
/// `KWS_LONG_TESTS=1`: `make test-long` sets it and CI runs it after `make test`, so the everyday
/// `make test` stays short without losing them.
public enum LongTests {
    /// Whether this run includes the long tests.
    public static var enabled: Bool { ProcessInfo.processInfo.environment["KWS_LONG_TESTS"] == "1" }
    /// The skip message of a long test in a run without them.
    public static let skipped = "a long test: `make test-long` (KWS_LONG_TESTS=1) runs it"

    /// The shipped models a test runs: every one in a long run; otherwise the first `count` of the
    /// TC-ResNet8 family (the smallest, so the quickest), or of `models` when there is none. The
    /// everyday run still checks the property end to end on a real file; the long run on each file.
    public static func models<T>(_ models: [T], short count: Int = 1, name: (T) -> String) -> [T] {
        guard !enabled else { return models }
        let small = models.filter { name($0).hasPrefix("tc-resnet8") }
        return Array((small.isEmpty ? models : small).prefix(count))
    }

    /// Every item in a long run; otherwise every `stride`-th from the first (an evenly spread subset).
    public static func sample<T>(_ items: [T], every stride: Int) -> [T] {
        enabled ? items : Swift.stride(from: 0, to: items.count, by: max(1, stride)).map { items[$0] }
    }
}
