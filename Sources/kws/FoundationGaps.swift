import Glibc

// What the CLI used from Foundation beyond FoundationEssentials, in the few forms it needs (the installed
// binary links FoundationEssentials alone: README "Using kws from C"). Output stays what Foundation printed.

extension String {
    /// Foundation's `padding(toLength:withPad:startingAt: 0)` for a one-character pad: cut to `length`
    /// characters, or filled up to it with `pad`.
    func padding(toLength length: Int, withPad pad: String, startingAt _: Int) -> String {
        count >= length ? String(prefix(length)) : self + String(repeating: pad, count: length - count)
    }

    /// Every occurrence of `target` replaced by `replacement` (Foundation's literal `replacingOccurrences`).
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        replacing(target, with: replacement)
    }

    /// The path without its last component ("a/b/c" → "a/b", "c" → "", "/c" → "/"), as
    /// `NSString.deletingLastPathComponent` gives it (trailing slashes ignored).
    var deletingLastPathComponent: String {
        var path = Substring(self)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        var parent = path[..<slash]
        while parent.count > 1, parent.hasSuffix("/") { parent = parent.dropLast() }
        return String(parent)
    }

    /// `component` appended with one "/" between (`NSString.appendingPathComponent`).
    func appendingPathComponent(_ component: String) -> String {
        if isEmpty { return component }
        return (hasSuffix("/") ? String(dropLast()) : self) + "/" + component
    }
}

/// A mutex and a condition variable (what `NSCondition` gave) for ``OrderedParallelMap``.
final class POSIXCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    func wait() { pthread_cond_wait(condition, mutex) }
    func broadcast() { pthread_cond_broadcast(condition) }
}

/// Starts `body` on a new detached thread with `stackSize` bytes of stack (what `Thread` with `stackSize`
/// set gave).
func startThread(stackSize: Int, _ body: @escaping @Sendable () -> Void) {
    final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, stackSize)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, &attributes, { context in
        let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
        box.body()
        return nil
    }, context)
    precondition(status == 0, "pthread_create failed: \(status)")
}
