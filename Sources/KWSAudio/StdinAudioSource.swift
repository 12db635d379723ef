#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Mono samples from a pipe (stdin by default): a WAV stream if the input starts with a RIFF header, raw PCM in
/// the given layout otherwise. Reads at most 4 KB per call, so memory stays bounded whatever arrives.
public struct StdinAudioSource {
    private enum Decoder {
        case undecided
        case wav(WAVStreamDecoder)
        case raw(PCMDecoder)
    }

    private let fileDescriptor: Int32
    private let name: String
    private let rawFormat: PCMFormat
    private let rawRate: Int
    private let rawChannels: Int
    private var decoder = Decoder.undecided
    private var prefix = [UInt8]()
    private var buffer = [UInt8](repeating: 0, count: 4096)
    /// Problems found at the end of the input that cost no audio, e.g. a partial final frame.
    public private(set) var warnings = [String]()

    /// - Parameters:
    ///   - rawFormat, rate, channels: how to read the input when it has no WAV header.
    ///   - name: how messages name the input.
    public init(fileDescriptor: Int32 = STDIN_FILENO, name: String = "stdin", rawFormat: PCMFormat, rate: Int,
                channels: Int) {
        self.fileDescriptor = fileDescriptor
        self.name = name
        self.rawFormat = rawFormat
        rawRate = rate
        rawChannels = channels
    }

    /// The input's sample rate, once known (after the WAV header, or at once for raw PCM).
    public var sampleRate: Int? {
        switch decoder {
        case .undecided: return nil
        case .wav(let wav): return wav.format?.sampleRate
        case .raw: return rawRate
        }
    }

    /// Whether the input turned out to be raw PCM (false while undecided and for a WAV stream).
    public var isRaw: Bool {
        if case .raw = decoder { return true }
        return false
    }

    /// The next samples (possibly empty, e.g. when a signal interrupted the read), or nil at EOF.
    /// - Throws: ``AudioSourceReadError`` when reading fails; ``WAVError`` for a malformed WAV header, also when
    ///   the input ends inside one (as the same bytes are for a file); ``PCMError`` for an impossible raw layout.
    public mutating func next() throws -> [Float]? {
        let count = buffer.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { return [] }
            throw AudioSourceReadError(message: "reading \(name) failed: \(String(cString: strerror(errno)))")
        }
        if count == 0 {
            if case .undecided = decoder, !prefix.isEmpty {
                // Fewer than 4 bytes in all: too short for a RIFF header, so it is raw PCM.
                let start = prefix
                prefix = []
                decoder = .raw(try PCMDecoder(format: rawFormat, channels: rawChannels))
                return try decode(start)
            }
            try finish()
            return nil
        }
        return try decode(Array(buffer[0..<count]))
    }

    private mutating func decode(_ bytes: [UInt8]) throws -> [Float] {
        switch decoder {
        case .wav(var wav):
            let samples = try wav.feed(bytes)
            decoder = .wav(wav)
            return samples
        case .raw(var raw):
            let samples = raw.decode(bytes)
            decoder = .raw(raw)
            return samples
        case .undecided:
            prefix += bytes
            guard prefix.count >= 4 else { return [] }
            let start = prefix
            prefix = []
            decoder = WAVDecoder.looksLikeWAV(start)
                ? .wav(WAVStreamDecoder(name: name))
                : .raw(try PCMDecoder(format: rawFormat, channels: rawChannels))
            return try decode(start)
        }
    }

    private mutating func finish() throws {
        switch decoder {
        case .wav(var wav):
            try wav.requireCompleteHeader()
            warnings += wav.finish()
        case .raw(let raw) where raw.pendingByteCount > 0:
            warnings.append("\(name): input ended inside a sample frame; \(raw.pendingByteCount) trailing byte(s) ignored")
        default: break
        }
    }
}

/// Reading the input itself failed (not its content).
public struct AudioSourceReadError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
