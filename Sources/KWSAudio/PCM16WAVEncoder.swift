/// Encodes mono samples as a 16-bit PCM WAV file: the plain layout every tool reads, used where kws hands
/// audio to another program (`kws train` gives the training pipeline the user's recordings this way).
public enum PCM16WAVEncoder {
    /// The bytes of a canonical 44-byte-header WAV file; samples are clipped to [-1, 1] and rounded.
    public static func encode(_ samples: [Float], sampleRate: Int) -> [UInt8] {
        let dataBytes = samples.count * 2
        var out = [UInt8]()
        out.reserveCapacity(44 + dataBytes)
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { out += $0 } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian) { out += $0 } }
        out += Array("RIFF".utf8); u32(36 + dataBytes); out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); u32(16); u16(1); u16(1); u32(sampleRate); u32(sampleRate * 2); u16(2); u16(16)
        out += Array("data".utf8); u32(dataBytes)
        for sample in samples {
            let clipped = sample.isNaN ? 0 : min(max(sample, -1), 1)
            u16(Int(Int16((clipped * 32767).rounded())))
        }
        return out
    }
}
