import FoundationEssentials
import KWSAudio
import KWSCore

/// A WAV file decoded a chunk at a time, so an hours-long recording needs memory for one chunk only.
///
/// The samples and warnings are exactly those ``AudioFile`` gets by decoding the whole file
/// (``WAVStreamDecoder`` guarantees it), at the file's own rate: feed them to a ``KeywordSpotter`` made
/// for ``sampleRate``.
public struct AudioFileStream {
    /// The file, as given (errors and warnings name it so).
    public let path: String
    private let descriptor: FileContents.Descriptor
    private var decoder: WAVStreamDecoder
    private let chunkBytes: Int
    /// Bytes read so far.
    public private(set) var bytesRead = 0
    /// The file's size in bytes (for progress).
    public let byteCount: Int
    /// Non-fatal problems found at the end of the data (e.g. truncated sample data).
    public private(set) var warnings: [String] = []

    /// Opens `path`; errors name it.
    public init(path: String, chunkBytes: Int = 1 << 16) throws {
        try self.init(opening: path, named: path, chunkBytes: chunkBytes)
    }

    /// Opens the file at `url`; errors and warnings name it as ``AudioFile/init(contentsOf:)`` does (its
    /// relative path as given), so the two readers describe a file in the same words.
    public init(contentsOf url: URL, chunkBytes: Int = 1 << 16) throws {
        try self.init(opening: url.path, named: url.isFileURL ? url.relativePath : url.absoluteString, chunkBytes: chunkBytes)
    }

    private init(opening file: String, named name: String, chunkBytes: Int) throws {
        let descriptor: Int32
        do {
            descriptor = try FileContents.openForReading(file)
        } catch let error as FileContents.ReadError {
            throw WAVError.unreadableFile(file: name, offset: 0, reason: error.reason)
        }
        path = name
        self.descriptor = FileContents.Descriptor(descriptor)
        self.chunkBytes = max(64, chunkBytes)
        decoder = WAVStreamDecoder(name: name)
        byteCount = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
    }

    /// The file's sample rate, once the header has been read (after the first ``next()`` that returns samples).
    public var sampleRate: Int? { decoder.format?.sampleRate }

    /// The next mono samples (possibly empty while the header is read), or nil at the end of the file.
    /// - Throws: ``WAVError`` for a file kws cannot decode.
    public mutating func next() throws -> [Float]? {
        let data: [UInt8]
        do {
            data = try FileContents.readChunk(descriptor.fd, upTo: chunkBytes)
        } catch {
            throw WAVError.unreadableFile(file: path, offset: bytesRead, reason: "\(error)")
        }
        if data.isEmpty {
            descriptor.close()
            // The header never completed: that is an error, the one a whole-file decode throws.
            try decoder.requireCompleteHeader()
            warnings = decoder.finish()
            return nil
        }
        bytesRead += data.count
        return try decoder.feed(data)
    }
}
