import Synchronization

/// Polyphase tables by rate pair, made once per process: `Resampler.resample` is called once
/// per file, and designing a table (44.1 → 16 kHz: 160 phases × 224 Kaiser-windowed taps)
/// would otherwise cost more than resampling a short clip.
enum ResamplerTableCache {
    private struct Key: Equatable {
        let inputRate: Int
        let outputRate: Int
    }

    /// Rate pairs kept; a process normally sees a handful.
    private static let capacity = 8
    private static let entries = Mutex<[(key: Key, table: ResamplerPolyphaseTable)]>([])

    /// The table for converting `inputRate` to `outputRate` (which must differ).
    static func table(inputRate: Int, outputRate: Int) -> ResamplerPolyphaseTable {
        let key = Key(inputRate: inputRate, outputRate: outputRate)
        if let cached = entries.withLock({ $0.first { $0.key == key }?.table }) { return cached }
        let design = ResamplerFilterDesign(inputRate: inputRate, outputRate: outputRate)
        let divisor = greatestCommonDivisor(inputRate, outputRate)
        let table = ResamplerPolyphaseTable(design: design, upFactor: outputRate / divisor)
        entries.withLock { entries in
            if entries.count == capacity { entries.removeFirst() }
            entries.append((key, table))
        }
        return table
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
