/// Reads and validates the `fmt ` chunk (WAVEFORMATEX, optionally WAVEFORMATEXTENSIBLE).
enum WAVFormatChunk {
    /// The base GUID `XXXXXXXX-0000-0010-8000-00AA00389B71` of extensible subformats; its first
    /// two bytes hold a classic format tag. These are bytes 2..<16 in file order.
    private static let subformatGUIDTail: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
                                                     0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]

    /// Validates the chunk at `chunkOffset` whose body (`size` bytes) is fully present.
    static func parse(_ reader: WAVFieldReader, chunkOffset: Int, size: Int, name: String) throws -> WAVFormat {
        let body = chunkOffset + 8
        guard size >= 16 else {
            throw WAVError.formatChunkTooShort(file: name, offset: chunkOffset, size: size, required: 16)
        }
        let declaredTag = Int(reader.uint16(at: body))
        let channels = Int(reader.uint16(at: body + 2))
        let sampleRate = Int(reader.uint32(at: body + 4))
        let byteRate = Int(reader.uint32(at: body + 8))
        let blockAlign = Int(reader.uint16(at: body + 12))
        let bits = Int(reader.uint16(at: body + 14))

        var tag = declaredTag
        var tagOffset = body
        var validBits = bits
        if declaredTag == WAVFormatTag.extensible {
            // cbSize (at +16) must cover the 22 extension bytes that end with the subformat GUID.
            guard size >= 40, reader.uint16(at: body + 16) >= 22 else {
                throw WAVError.formatChunkTooShort(file: name, offset: chunkOffset, size: size, required: 40)
            }
            let guidOffset = body + 24
            let guid = reader.bytes(guidOffset..<guidOffset + 16)
            guard Array(guid.dropFirst(2)) == subformatGUIDTail else {
                throw WAVError.unsupportedSubformat(file: name, offset: guidOffset, guid: formatGUID(guid))
            }
            tag = Int(reader.uint16(at: guidOffset))
            tagOffset = guidOffset
            // Some writers leave wValidBitsPerSample 0, meaning "all of the container".
            let declaredValid = Int(reader.uint16(at: body + 18))
            validBits = declaredValid == 0 ? bits : declaredValid
            if validBits > bits {
                throw WAVError.invalidValidBitsPerSample(file: name, offset: body + 18, valid: validBits, container: bits)
            }
        }

        guard tag == WAVFormatTag.pcm || tag == WAVFormatTag.ieeeFloat else {
            throw WAVError.unsupportedFormatTag(file: name, offset: tagOffset, tag: tag)
        }
        guard channels > 0 else { throw WAVError.zeroChannels(file: name, offset: body + 2) }
        guard channels <= WAVFormat.maximumChannels else {
            throw WAVError.absurdChannelCount(file: name, offset: body + 2, channels: channels)
        }
        guard InputAudio.supportedSampleRates.contains(sampleRate) else {
            throw WAVError.invalidSampleRate(file: name, offset: body + 4, sampleRate: sampleRate)
        }
        guard let encoding = encoding(tag: tag, bitsPerSample: bits, extensible: declaredTag == WAVFormatTag.extensible) else {
            throw WAVError.unsupportedBitsPerSample(file: name, offset: body + 14, tag: tag, bits: bits)
        }
        let frameSize = channels * encoding.bytesPerSample
        guard blockAlign == frameSize else {
            throw WAVError.blockAlignMismatch(file: name, offset: body + 12, declared: blockAlign, expected: frameSize)
        }
        guard byteRate == sampleRate * blockAlign else {
            throw WAVError.byteRateMismatch(file: name, offset: body + 8, declared: byteRate, expected: sampleRate * blockAlign)
        }
        return WAVFormat(encoding: encoding, channels: channels, sampleRate: sampleRate, blockAlign: blockAlign)
    }

    /// The storage encoding for a tag and bit depth, or nil if kws cannot decode it.
    ///
    /// Plain PCM may declare a depth that is not a multiple of 8 (e.g. 12 or 20 bits); the spec stores
    /// such samples left-justified in whole bytes, so decoding the container is exact. Extensible
    /// headers put the container size in wBitsPerSample, which must then be a whole number of bytes.
    private static func encoding(tag: Int, bitsPerSample bits: Int, extensible: Bool) -> SampleEncoding? {
        if tag == WAVFormatTag.ieeeFloat {
            return bits == 32 ? .float32 : bits == 64 ? .float64 : nil
        }
        guard bits >= 1, bits <= 32, !extensible || bits % 8 == 0 else { return nil }
        switch (bits + 7) / 8 {
        case 1: return .unsignedInt8
        case 2: return .signedInt16
        case 3: return .signedInt24
        default: return .signedInt32
        }
    }

    /// Registry form of a GUID as stored little-endian in the file, e.g. `{00000001-0000-0010-8000-00AA00389B71}`.
    private static func formatGUID(_ bytes: [UInt8]) -> String {
        guard bytes.count == 16 else { return "(truncated)" }
        func hex(_ slice: [UInt8]) -> String {
            slice.map { byte in byte < 16 ? "0" + String(byte, radix: 16, uppercase: true) : String(byte, radix: 16, uppercase: true) }.joined()
        }
        let groups = [hex(bytes[0..<4].reversed()), hex(bytes[4..<6].reversed()), hex(bytes[6..<8].reversed()),
                      hex(Array(bytes[8..<10])), hex(Array(bytes[10..<16]))]
        return "{" + groups.joined(separator: "-") + "}"
    }
}
