import Glibc
import KWSAudio

/// The input warnings of a spotter's stream, with their messages as C strings that stay valid until the
/// list is replaced (the next feed, finish or reset) or the spotter is freed.
final class InputWarningMessages {
    private(set) var warnings: [InputWarning] = []
    private var cStrings: [InputWarning.Kind: UnsafeMutablePointer<CChar>] = [:]

    deinit { clear() }

    /// Takes `current` (a stream's list only grows, so a list of the same length is the same list).
    func update(_ current: [InputWarning]) {
        guard current != warnings else { return }
        clear()
        warnings = current
    }

    func clear() {
        cStrings.values.forEach { free($0) }
        cStrings = [:]
        warnings = []
    }

    /// The message of `kind` as a C string, or nil when it was not raised.
    func cString(_ kind: InputWarning.Kind) throws -> UnsafePointer<CChar>? {
        if let made = cStrings[kind] { return UnsafePointer(made) }
        guard let warning = warnings.first(where: { $0.kind == kind }) else { return nil }
        guard let copy = warning.message.withCString({ strdup($0) }) else { throw CAPIError.outOfMemory(bytes: warning.message.utf8.count + 1) }
        cStrings[kind] = copy
        return UnsafePointer(copy)
    }
}
