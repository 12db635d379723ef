/// What a WAV file declares before its samples: the validated format and where the samples lie.
struct WAVHeader: Equatable {
    /// The validated `fmt ` chunk.
    var format: WAVFormat
    /// Byte offset of the `data` chunk's 8-byte header.
    var dataChunkOffset: Int
    /// Declared sample bytes, or nil when the writer did not know the length (a size of 0 or
    /// 0xFFFFFFFF, as streaming writers leave it): then the samples run to the end of input.
    var declaredDataSize: Int?

    /// Byte offset of the first sample byte.
    var dataOffset: Int { dataChunkOffset + 8 }
}

/// Where the input ran out before the header was complete. A stream waits for more bytes;
/// a whole file turns this into an error.
struct WAVHeaderShortfall: Equatable {
    /// Parse again once at least this many bytes are available.
    var neededByteCount: Int
    /// The structure the input ended in, e.g. "chunk header" or "'fmt ' chunk".
    var structure: String
    /// Byte offset where that structure starts.
    var structureOffset: Int
    /// True when the input ended exactly between two chunks (no partial structure): for a whole
    /// file that means the chunks simply ran out before a `data` chunk.
    var endedBetweenChunks: Bool

    /// The error a complete input of `availableByteCount` bytes ending here deserves.
    func error(file: String, availableByteCount: Int) -> WAVError {
        if availableByteCount == 0 { return .emptyFile(file: file, offset: 0) }
        if endedBetweenChunks { return .missingDataChunk(file: file, offset: structureOffset) }
        return .truncatedHeader(file: file, offset: structureOffset, inside: structure, fileSize: availableByteCount)
    }
}
