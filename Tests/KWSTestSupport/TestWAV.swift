import Foundation

/// WAV files built in memory, for tests (CLI and API) that need rates, sizes or values no committed
/// fixture holds.
public enum TestWAV {
    /// A canonical 44-byte-header WAV (PCM tag 1, float tag 3) around `sampleBytes`.
    public static func make(formatTag: UInt16 = 1, channels: Int = 1, sampleRate: Int, bitsPerSample: Int,
                            sampleBytes: [UInt8]) -> Data {
        let blockAlign = channels * ((bitsPerSample + 7) / 8)
        var fmt: [UInt8] = []
        fmt += le16(formatTag) + le16(UInt16(channels)) + le32(UInt32(sampleRate))
        fmt += le32(UInt32(truncatingIfNeeded: sampleRate * blockAlign)) + le16(UInt16(blockAlign)) + le16(UInt16(bitsPerSample))
        var body = Array("WAVE".utf8)
        body += Array("fmt ".utf8) + le32(UInt32(fmt.count)) + fmt
        body += Array("data".utf8) + le32(UInt32(sampleBytes.count)) + sampleBytes
        return Data(Array("RIFF".utf8) + le32(UInt32(body.count)) + body)
    }

    /// Mono 16-bit PCM of `samples` (clamped to ±1).
    public static func s16(_ samples: [Float], sampleRate: Int = 16000) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(samples.count * 2)
        for sample in samples {
            let value = Int16(max(-32768, min(32767, (sample * 32768).rounded())))
            bytes += le16(UInt16(bitPattern: value))
        }
        return make(sampleRate: sampleRate, bitsPerSample: 16, sampleBytes: bytes)
    }

    /// Mono 32-bit IEEE float of `samples`, taken bit for bit (NaN and infinities included).
    public static func f32(_ samples: [Float], sampleRate: Int = 16000) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(samples.count * 4)
        for sample in samples { bytes += le32(sample.bitPattern) }
        return make(formatTag: 3, sampleRate: sampleRate, bitsPerSample: 32, sampleBytes: bytes)
    }

    /// Makes a named pipe at `path` and writes `data` into it from another thread once a reader opens it:
    /// a file that has no size and cannot be read twice, like `<(…)`.
    /// - Returns: whether the pipe could be made.
    @discardableResult
    public static func servePipe(_ data: Data, at path: String) -> Bool {
        guard mkfifo(path, 0o600) == 0 else { return false }
        Thread.detachNewThread {
            if let handle = FileHandle(forWritingAtPath: path) { handle.write(data); try? handle.close() }
        }
        return true
    }

    /// Writes `data` to a fresh file in the temporary directory and returns its path.
    public static func write(_ data: Data, name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kws-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}
