import Glibc

/// The message behind `kws_last_error()`: one heap C string per thread, replaced by each failing call
/// and freed by the thread-exit destructor, so threads never see each other's errors.
enum LastError {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        // Cannot fail short of PTHREAD_KEYS_MAX keys in the process; `set` then just keeps nothing.
        _ = pthread_key_create(&key) { free($0) }
        return key
    }()

    /// Stored for the empty message, so `current` is never NULL.
    private static let empty: UnsafePointer<CChar> = UnsafeRawPointer(("" as StaticString).utf8Start)
        .assumingMemoryBound(to: CChar.self)

    /// Replaces this thread's message.
    static func set(_ message: String) {
        let previous = pthread_getspecific(key)
        let copy = message.withCString { strdup($0) }
        _ = pthread_setspecific(key, copy)
        free(previous)
    }

    /// This thread's message, valid until its next `set`; "" if none.
    static var current: UnsafePointer<CChar> {
        guard let stored = pthread_getspecific(key) else { return empty }
        return UnsafePointer(stored.assumingMemoryBound(to: CChar.self))
    }
}
