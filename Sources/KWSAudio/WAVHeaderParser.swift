/// Walks the RIFF chunks of a WAV file up to the start of the `data` chunk.
///
/// Works on a prefix of the input: if the bytes end before the `data` chunk header, it says how many
/// bytes it needs instead of failing, so ``WAVStreamDecoder`` can wait and ``WAVDecoder`` can report
/// exactly where the file was cut.
enum WAVHeaderParser {
    /// The header, or how far the available bytes fell short of one.
    enum Outcome: Equatable {
        case complete(WAVHeader)
        case incomplete(WAVHeaderShortfall)
    }

    /// Parses `bytes` (the start of a WAV file) up to the first sample byte.
    ///
    /// The RIFF size field is ignored: streaming writers leave it 0 or 0xFFFFFFFF, others get it
    /// wrong, and the `data` chunk size alone decides where the samples end.
    ///
    /// - Throws: ``WAVError`` for anything already wrong in the bytes present.
    static func parse(_ bytes: [UInt8], name: String) throws -> Outcome {
        let reader = WAVFieldReader(bytes)
        if let problem = try riffPreamble(reader, name: name) { return .incomplete(problem) }

        var offset = 12
        var format: WAVFormat?
        var previousChunk: (id: String, offset: Int)?
        while true {
            guard reader.has(offset + 8) else {
                // Past the end means the input stopped inside the previous chunk's body.
                if let previousChunk, offset > bytes.count {
                    return .incomplete(WAVHeaderShortfall(
                        neededByteCount: offset + 8, structure: "'\(previousChunk.id)' chunk",
                        structureOffset: previousChunk.offset, endedBetweenChunks: false))
                }
                return .incomplete(WAVHeaderShortfall(
                    neededByteCount: offset + 8, structure: "chunk header", structureOffset: offset,
                    endedBetweenChunks: offset == bytes.count))
            }
            let id = reader.fourCC(at: offset)
            let size = Int(reader.uint32(at: offset + 4))
            switch id {
            case "data":
                guard let format else { throw WAVError.missingFormatChunk(file: name, offset: offset) }
                // 0 and 0xFFFFFFFF are what writers that could not seek back leave in the size field.
                let known = size != 0 && size != 0xFFFF_FFFF
                return .complete(WAVHeader(format: format, dataChunkOffset: offset, declaredDataSize: known ? size : nil))
            case "fmt " where format == nil:
                guard reader.has(offset + 8 + size) else {
                    return .incomplete(WAVHeaderShortfall(
                        neededByteCount: offset + 8 + size, structure: "'fmt ' chunk", structureOffset: offset,
                        endedBetweenChunks: false))
                }
                format = try WAVFormatChunk.parse(reader, chunkOffset: offset, size: size, name: name)
            default:
                // Chunks kws does not use (LIST, fact, cue, JUNK, a repeated fmt, ...) are skipped
                // without being read, so their body may still be arriving.
                break
            }
            previousChunk = (id, offset)
            // RIFF pads every odd-sized chunk with one byte that its size does not count.
            offset += 8 + size + (size & 1)
        }
    }

    /// Checks `RIFF....WAVE`; returns the shortfall if fewer than 12 bytes are present.
    private static func riffPreamble(_ reader: WAVFieldReader, name: String) throws -> WAVHeaderShortfall? {
        if !reader.has(4) {
            // A partial tag can already be wrong; reject it now rather than wait for more bytes.
            let prefix = reader.bytes(0..<reader.count)
            let known = ["RIFF", "RF64", "BW64"].map { Array($0.utf8.prefix(prefix.count)) }
            if !known.contains(prefix) {
                throw WAVError.notRIFF(file: name, offset: 0, found: WAVFieldReader.printable(prefix))
            }
        } else {
            switch reader.fourCC(at: 0) {
            case "RIFF": break
            case "RF64", "BW64": throw WAVError.unsupportedRF64(file: name, offset: 0)
            default:
                throw WAVError.notRIFF(file: name, offset: 0, found: WAVFieldReader.printable(reader.bytes(0..<4)))
            }
        }
        guard reader.has(12) else {
            return WAVHeaderShortfall(neededByteCount: 12, structure: "RIFF header", structureOffset: 0,
                                      endedBetweenChunks: false)
        }
        guard reader.fourCC(at: 8) == "WAVE" else {
            throw WAVError.notWAVE(file: name, offset: 8, found: WAVFieldReader.printable(reader.bytes(8..<12)))
        }
        return nil
    }
}
