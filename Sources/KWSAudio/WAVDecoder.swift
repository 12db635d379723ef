import Foundation

/// Decodes a whole WAV file (RIFF/WAVE: PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE,
/// any channel count) to mono Float samples.
public enum WAVDecoder {
    /// Reads and decodes the file at `url`.
    /// - Throws: ``WAVError`` if the file cannot be read or is not a WAV kws can decode.
    public static func decode(contentsOf url: URL) throws -> DecodedAudio {
        let name = url.isFileURL ? url.relativePath : url.absoluteString
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw WAVError.unreadableFile(file: name, offset: 0, reason: unreadableReason(url))
        }
        return try decode([UInt8](data), name: name)
    }

    /// Decodes WAV bytes held in memory; `name` is used in errors and warnings.
    /// - Throws: ``WAVError`` if the bytes are not a WAV kws can decode.
    public static func decode(_ bytes: [UInt8], name: String) throws -> DecodedAudio {
        let header: WAVHeader
        switch try WAVHeaderParser.parse(bytes, name: name) {
        case let .complete(complete): header = complete
        case let .incomplete(shortfall): throw shortfall.error(file: name, availableByteCount: bytes.count)
        }
        let format = header.format
        let start = min(header.dataOffset, bytes.count)
        let end = header.declaredDataSize.map { min(header.dataOffset + $0, bytes.count) } ?? bytes.count
        let samples = format.encoding.monoSamples(fromInterleaved: bytes[start..<end], channels: format.channels)
        let warnings = WAVDataWarnings.atEnd(name: name, header: header, presentByteCount: end - start)
        return DecodedAudio(samples: samples, sampleRate: format.sampleRate, format: format, warnings: warnings)
    }

    /// True if `prefix` starts like a RIFF/WAVE file (used to auto-detect WAV on stdin).
    ///
    /// Needs the first 12 bytes. RIFX, RF64 and BW64 count as WAV too, so such input gets a clear
    /// "unsupported" error instead of being decoded as raw PCM noise.
    public static func looksLikeWAV(_ prefix: [UInt8]) -> Bool {
        guard prefix.count >= 12 else { return false }
        let reader = WAVFieldReader(prefix)
        return ["RIFF", "RIFX", "RF64", "BW64"].contains(reader.fourCC(at: 0)) && reader.fourCC(at: 8) == "WAVE"
    }

    /// A short reason a file could not be read, for ``WAVError/unreadableFile(file:offset:reason:)``.
    private static func unreadableReason(_ url: URL) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "it is a directory" }
        if !FileManager.default.isReadableFile(atPath: url.path) { return "permission denied" }
        return "read failed"
    }
}
