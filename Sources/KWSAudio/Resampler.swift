/// Streaming sample-rate conversion by a rational factor L/M (reduced by their gcd) with a
/// band-limited, Kaiser-windowed-sinc polyphase filter (see `ResamplerFilterDesign`).
///
/// Timing: output sample n is the band-limited input evaluated at time n/outputRate — the
/// kernel is symmetric and centred on that instant, so there is no group delay to undo. The
/// price is look-ahead: an output is emitted once `lookahead` input samples beyond its instant
/// have arrived; `flush()` supplies zeros for the missing future at the end of the stream.
///
/// Length: a stream of N input samples gives ⌈N·L/M⌉ outputs in total — every output instant
/// inside [0, N/inputRate) — e.g. 48 000 samples at 48 kHz give exactly 16 000.
///
/// Chunking never changes the result: each output is computed from the same inputs, in the same
/// order, whatever the chunk sizes, so `process` + `flush` over any split is bit-identical to
/// `resample` on the whole signal. Equal rates are passed through untouched. Not thread-safe.
public final class Resampler {
    /// Rates accepted for input and output, in Hz.
    public static let supportedRates = 1...1_000_000

    /// Input sample rate in Hz.
    public let inputRate: Int
    /// Output sample rate in Hz.
    public let outputRate: Int
    /// Interpolation factor L = outputRate / gcd.
    public let upFactor: Int
    /// Decimation factor M = inputRate / gcd.
    public let downFactor: Int

    /// `nil` when the rates are equal.
    private let table: ResamplerPolyphaseTable?
    /// Input samples after an output instant that the filter reads (its half-width K).
    private let halfWidth: Int
    /// Input samples x[historyStart ..< historyStart + history.count]; x[k] = 0 for k < 0.
    private var history: [Float] = []
    private var historyStart = 0
    /// Upcoming inputs no output will read (only when M/L is so large that the next output's
    /// taps start beyond the input received so far).
    private var skip = 0
    /// Input samples received in this stream.
    private var received = 0
    /// The next output's instant: base + phase/L input samples.
    private var base = 0
    private var phase = 0

    /// A converter from `inputRate` to `outputRate` (both in `supportedRates`).
    /// - Throws: `ResamplerError.rateOutOfRange` naming the bad argument.
    public init(inputRate: Int, outputRate: Int = 16000) throws {
        guard Self.supportedRates.contains(inputRate) else {
            throw ResamplerError.rateOutOfRange(parameter: "inputRate", value: inputRate)
        }
        guard Self.supportedRates.contains(outputRate) else {
            throw ResamplerError.rateOutOfRange(parameter: "outputRate", value: outputRate)
        }
        self.inputRate = inputRate
        self.outputRate = outputRate
        let divisor = ResamplerTableCache.greatestCommonDivisor(inputRate, outputRate)
        upFactor = outputRate / divisor
        downFactor = inputRate / divisor
        if inputRate == outputRate {
            table = nil
            halfWidth = 0
        } else {
            let table = ResamplerTableCache.table(inputRate: inputRate, outputRate: outputRate)
            self.table = table
            halfWidth = table.halfWidth
        }
        reset()
    }

    /// Input samples of look-ahead: how far the input must run past an output's instant before
    /// that output is emitted (0 when the rates are equal).
    public var lookahead: Int { halfWidth }

    /// Feeds the next chunk of the stream (any size, including empty) and returns every output
    /// sample whose inputs are now complete.
    public func process(_ input: [Float]) -> [Float] {
        guard let table else { return input }
        let skipped = min(skip, input.count)
        skip -= skipped
        historyStart += skipped
        history.append(contentsOf: input[skipped...])
        received += input.count
        var output = [Float]()
        output.reserveCapacity(input.count * upFactor / downFactor + 2)
        emit(into: &output, table: table, flushing: false)
        dropConsumedHistory(table: table)
        return output
    }

    /// Ends the stream: returns the remaining outputs (the input is taken as zero past its end)
    /// so that the stream's total is ⌈N·L/M⌉, then resets for a new stream.
    public func flush() -> [Float] {
        guard let table else { return [] }
        history.append(contentsOf: repeatElement(0, count: halfWidth))
        var output = [Float]()
        emit(into: &output, table: table, flushing: true)
        reset()
        return output
    }

    /// The number of outputs a stream of `inputCount` samples gives in total: ⌈inputCount · outputRate / inputRate⌉.
    public static func outputCount(forInputCount inputCount: Int, from inputRate: Int, to outputRate: Int = 16000) -> Int {
        inputRate == outputRate ? inputCount : (inputCount * outputRate + inputRate - 1) / inputRate
    }

    /// Resamples a whole signal: `process(input)` followed by `flush()`.
    /// - Throws: `ResamplerError.rateOutOfRange` for an unsupported rate.
    public static func resample(_ input: [Float], from inputRate: Int, to outputRate: Int = 16000) throws -> [Float] {
        let resampler = try Resampler(inputRate: inputRate, outputRate: outputRate)
        return resampler.process(input) + resampler.flush()
    }

    /// Computes outputs while their last input (base + K) is in the history; when flushing, only
    /// those whose instant is inside the stream (base < received).
    private func emit(into output: inout [Float], table: ResamplerPolyphaseTable, flushing: Bool) {
        let available = historyStart + history.count
        history.withUnsafeBufferPointer { history in
            guard let start = history.baseAddress else { return }
            while base + halfWidth < available && (!flushing || base < received) {
                let first = base + table.firstOffset - historyStart
                output.append(table.output(phase: phase, inputs: start + first))
                phase += downFactor
                base += phase / upFactor
                phase %= upFactor
            }
        }
    }

    /// Forgets inputs older than the next output's first tap.
    private func dropConsumedHistory(table: ResamplerPolyphaseTable) {
        let stale = base + table.firstOffset - historyStart
        guard stale > 0 else { return }
        let dropped = min(stale, history.count)
        history.removeFirst(dropped)
        historyStart += dropped
        skip = stale - dropped
    }

    /// Back to the start of a stream: zero history before time 0, first output at time 0.
    private func reset() {
        let taps = table?.tapCount ?? 0
        history = [Float](repeating: 0, count: taps)
        historyStart = -taps
        skip = 0
        received = 0
        base = 0
        phase = 0
    }
}
