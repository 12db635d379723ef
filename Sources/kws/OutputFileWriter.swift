import FoundationEssentials
import Glibc

/// An output file written a piece at a time and put in place whole, as ``OutputFile`` puts a file written from
/// memory: the pieces go to a hidden temporary file beside `path` (created with mode 0666 less the umask, and
/// synced), renamed over `path` by ``commit()``. Until then `path` is untouched; a writer dropped without
/// committing (a failed input) removes its temporary file. Failures are ``OutputFileError`` with
/// ``OutputFile``'s reasons, so `--out` fails in the same words and status however the file is written.
///
/// The temporary file is created by the first ``append(_:)`` (or by ``commit()``), not before: an input that
/// cannot be read is reported before an output that cannot be written, as when the whole output is written
/// at the end.
final class OutputFileWriter {
    /// The file being written, as given.
    let path: String
    /// Bytes appended so far.
    private(set) var byteCount = 0

    private var temporaryPath: String?
    private var descriptor: Int32 = -1
    private var pending: [UInt8] = []
    /// Appends are gathered to this size before a write(2), so many small rows cost few system calls.
    private static let bufferBytes = 1 << 16

    init(path: String) {
        self.path = path
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if let temporaryPath { unlink(temporaryPath) }
    }

    /// Appends `bytes` to the file.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        try open()
        pending.append(contentsOf: bytes)
        byteCount += bytes.count
        if pending.count >= Self.bufferBytes { try flush() }
    }

    func append(_ data: Data) throws {
        try data.withUnsafeBytes { try append($0) }
    }

    func append(_ text: String) throws {
        var text = text
        try text.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
    }

    /// Replaces bytes already appended, starting `offset` bytes into the file (e.g. a header whose fields are
    /// known only at the end).
    func overwrite(_ data: Data, at offset: Int) throws {
        precondition(offset >= 0 && offset + data.count <= byteCount, "overwrite beyond the bytes appended")
        try flush()
        let written = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        guard written == data.count else { throw failure() }
    }

    /// Puts the file in place: writes what is buffered, syncs it and renames it over `path`.
    func commit() throws {
        try open()
        try flush()
        let synced = fsync(descriptor) == 0
        let closed = close(descriptor) == 0
        descriptor = -1
        guard synced, closed, let temporaryPath, rename(temporaryPath, path) == 0 else { throw failure() }
        self.temporaryPath = nil
    }

    /// Creates the temporary file on first use.
    private func open() throws {
        guard temporaryPath == nil else { return }
        let directory = path.deletingLastPathComponent
        for _ in 0..<100 {
            // A name of fixed length, so any name that fits the directory has a temporary name that fits too.
            let random = String(UInt32.random(in: .min ... .max), radix: 16)
            let candidate = (directory.isEmpty ? "" : directory + "/") + ".kws-output-\(random).tmp"
            let opened = Glibc.open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if opened >= 0 {
                descriptor = opened
                temporaryPath = candidate
                return
            }
            guard errno == EEXIST else { break }
        }
        throw failure()
    }

    private func flush() throws {
        var start = 0
        while start < pending.count {
            let written = pending[start...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure() }
            start += written
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// The error for a failed write, sync or rename; the temporary file goes when the writer does.
    private func failure() -> OutputFileError {
        OutputFileError(path: path, reason: OutputFile.reason(for: path))
    }
}
