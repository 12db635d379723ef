import KWSTestSupport

/// Builds WAV files in memory, for tests that need sizes or values the committed fixtures do not hold.
enum WAVTestFile {
    /// A canonical 44-byte-header WAV (PCM tag 1 or float tag 3) around `sampleBytes`.
    static func make(formatTag: UInt16 = 1, channels: Int, sampleRate: Int, bitsPerSample: Int,
                     sampleBytes: [UInt8], dataSize: UInt32? = nil) -> [UInt8] {
        let blockAlign = channels * ((bitsPerSample + 7) / 8)
        var fmt: [UInt8] = []
        fmt += le16(formatTag) + le16(UInt16(channels)) + le32(UInt32(sampleRate))
        fmt += le32(UInt32(sampleRate * blockAlign)) + le16(UInt16(blockAlign)) + le16(UInt16(bitsPerSample))
        var body = Array("WAVE".utf8)
        body += Array("fmt ".utf8) + le32(UInt32(fmt.count)) + fmt
        body += Array("data".utf8) + le32(dataSize ?? UInt32(sampleBytes.count)) + sampleBytes
        return Array("RIFF".utf8) + le32(UInt32(body.count)) + body
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}

/// Splits `bytes` into consecutive pieces: fixed `size` if given, else random sizes mixing
/// single bytes, small odd sizes and larger runs (pieces of 0 bytes included).
func chunked(_ bytes: [UInt8], size: Int? = nil, using rng: inout SplitMix64) -> [[UInt8]] {
    var pieces: [[UInt8]] = []
    var start = 0
    while start < bytes.count {
        let length: Int
        if let size {
            length = size
        } else {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: length = 0
            case 1: length = 1
            case 2: length = Int.random(in: 2...7, using: &rng)
            case 3: length = 37
            default: length = Int.random(in: 8...600, using: &rng)
            }
        }
        let end = min(start + length, bytes.count)
        pieces.append(Array(bytes[start..<end]))
        start = end
    }
    return pieces
}

/// Random bytes of the given count.
func randomBytes(_ count: Int, using rng: inout SplitMix64) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
}
