/// The warnings both WAV decoders give when sample data ends, worded identically so a stream and
/// the same bytes as a file report the same thing.
enum WAVDataWarnings {
    /// Warnings for sample data that ended after `presentByteCount` bytes (capped at the declared size).
    static func atEnd(name: String, header: WAVHeader, presentByteCount: Int) -> [String] {
        let frameSize = header.format.blockAlign
        let frames = presentByteCount / frameSize
        let leftover = presentByteCount % frameSize
        if let declared = header.declaredDataSize, presentByteCount < declared {
            return ["\(name): data chunk declares \(declared) bytes at offset \(header.dataChunkOffset) "
                + "but only \(presentByteCount) are present; decoded \(frames) whole frames"]
        }
        guard leftover > 0 else { return [] }
        if let declared = header.declaredDataSize {
            return ["\(name): data chunk size \(declared) at offset \(header.dataChunkOffset) is not a whole number "
                + "of \(frameSize)-byte frames; the last \(leftover) bytes were ignored"]
        }
        return ["\(name): sample data ends with a partial frame: \(leftover) bytes after \(frames) whole "
            + "\(frameSize)-byte frames were dropped"]
    }
}
