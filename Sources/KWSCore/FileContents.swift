import Glibc

/// Reads a whole file with open(2)/read(2), for the decoders and the model loader.
///
/// Not `Data(contentsOf:)`: on Linux it leaks a 4 KB buffer for every empty file (valgrind: 4,096 bytes
/// definitely lost per call, which `kws_read_wav` on a 0-byte file inherited), and it describes a device such
/// as /dev/null as a permission problem. Read this way, FIFOs and `<(…)` work too.
public enum FileContents {
    /// Why a file could not be read, in a few words (e.g. "no such file", "it is a directory").
    public struct ReadError: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// The bytes of the file at `path`.
    /// - Throws: ``ReadError`` naming the cause.
    public static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(reason: describe(errno)) }
        defer { close(fd) }
        var status = stat()
        if fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR { throw ReadError(reason: "it is a directory") }
        var bytes = [UInt8]()
        if status.st_size > 0 { bytes.reserveCapacity(Int(status.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(reason: describe(errno))
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// A descriptor open for reading `path` (the caller closes it), for readers that read in chunks. Opened
    /// once: opening a FIFO twice (once to check, once to read) lets a writer that starts between the two
    /// write into a pipe without a reader and die of SIGPIPE.
    /// - Throws: ``ReadError`` naming the cause (a directory is refused).
    public static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(reason: describe(errno)) }
        var status = stat()
        if fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ReadError(reason: "it is a directory")
        }
        return fd
    }

    /// Up to `count` bytes read from `fd` (retrying EINTR); empty at the end of the file.
    /// - Throws: ``ReadError`` naming the cause.
    public static func readChunk(_ fd: Int32, upTo count: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: max(1, count))
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if got >= 0 { return Array(chunk[0..<got]) }
            if errno != EINTR { throw ReadError(reason: describe(errno)) }
        }
    }

    /// An open descriptor closed when the last reference goes (what `FileHandle(fileDescriptor:closeOnDealloc:
    /// true)` did), for structs that read a file in chunks.
    public final class Descriptor {
        public let fd: Int32
        private var isOpen = true
        public init(_ fd: Int32) { self.fd = fd }
        /// Closes it now (later calls do nothing).
        public func close() {
            if isOpen { isOpen = false; _ = Glibc.close(fd) }
        }
        deinit { close() }
    }

    /// Why `path` cannot be opened for reading, or nil if it can (for readers that open files themselves).
    public static func openFailure(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return describe(errno) }
        defer { close(fd) }
        var status = stat()
        if fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR { return "it is a directory" }
        return nil
    }

    private static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "it is a directory"
        default: return String(cString: strerror(code))
        }
    }
}
