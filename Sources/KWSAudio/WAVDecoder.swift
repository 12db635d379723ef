import FoundationEssentials
import KWSCore

/// Decodes a whole WAV file (RIFF/WAVE: PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE,
/// any channel count) to mono Float samples.
public enum WAVDecoder {
    /// Reads and decodes the file at `url`.
    /// - Throws: ``WAVError`` if the file cannot be read or is not a WAV kws can decode.
    public static func decode(contentsOf url: URL) throws -> DecodedAudio {
        let name = url.isFileURL ? url.relativePath : url.absoluteString
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(url.path)
        } catch {
            throw WAVError.unreadableFile(file: name, offset: 0, reason: "\(error)")
        }
        return try bytes.withUnsafeBytes { try decode($0, name: name) }
    }

    /// Decodes WAV bytes held in memory; `name` is used in errors and warnings.
    /// - Throws: ``WAVError`` if the bytes are not a WAV kws can decode.
    public static func decode(_ bytes: [UInt8], name: String) throws -> DecodedAudio {
        try bytes.withUnsafeBytes { try decode($0, name: name) }
    }

    /// The decoder proper, on borrowed bytes so files are not copied (a 10-minute stereo file is 100 MB).
    private static func decode(_ bytes: UnsafeRawBufferPointer, name: String) throws -> DecodedAudio {
        let header = try parseHeader(bytes, name: name)
        let format = header.format
        let start = min(header.dataOffset, bytes.count)
        let end = header.declaredDataSize.map { min(header.dataOffset + $0, bytes.count) } ?? bytes.count
        let samples = format.encoding.monoSamples(fromInterleavedRaw: UnsafeRawBufferPointer(rebasing: bytes[start..<end]),
                                                  channels: format.channels)
        let warnings = WAVDataWarnings.atEnd(name: name, header: header, presentByteCount: end - start)
        return DecodedAudio(samples: samples, sampleRate: format.sampleRate, format: format, warnings: warnings)
    }

    /// Parses the header from a copy of just the leading bytes it needs, growing the copy while the
    /// chunks before `data` extend past it.
    private static func parseHeader(_ bytes: UnsafeRawBufferPointer, name: String) throws -> WAVHeader {
        var length = min(bytes.count, 4096)
        while true {
            switch try WAVHeaderParser.parse(Array(bytes[0..<length]), name: name) {
            case let .complete(header):
                return header
            case let .incomplete(shortfall):
                // Only the whole input tells whether it really ends here, and where.
                guard length < bytes.count else { throw shortfall.error(file: name, availableByteCount: bytes.count) }
                length = min(bytes.count, max(shortfall.neededByteCount, 2 * length))
            }
        }
    }

    /// True if `prefix` starts like a RIFF/WAVE file (used to auto-detect WAV on stdin).
    ///
    /// Decides from the first 4 bytes (a pipe may deliver no more in its first read); from 12 bytes on
    /// it also requires the `WAVE` form type. RIFX, RF64 and BW64 count as WAV too, so such input
    /// gets a clear "unsupported" error instead of being decoded as raw PCM noise.
    public static func looksLikeWAV(_ prefix: [UInt8]) -> Bool {
        guard prefix.count >= 4 else { return false }
        let reader = WAVFieldReader(prefix)
        guard ["RIFF", "RIFX", "RF64", "BW64"].contains(reader.fourCC(at: 0)) else { return false }
        return prefix.count < 12 || reader.fourCC(at: 8) == "WAVE"
    }
}
