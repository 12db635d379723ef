/// The filter of a resampler sampled at every output phase it needs, as `Float` rows of equal
/// length, and the SIMD dot product that applies one row.
///
/// Output n sits at input time t = n·M/L = base + p/L (integer base, phase p < L). It reads
/// `tapCount` consecutive inputs ending at base + K, and row p holds h(p/L − d) for the offsets
/// d = K − tapCount + 1 … K; taps with |τ| ≥ K are zero, which pads the row to a multiple of 16
/// on the old side (where the history always has samples).
///
/// When L is small enough the table keeps all L phases (exact polyphase). For awkward ratios
/// (7999 → 16000 Hz has L = 16000) it keeps Q ≤ 4096 evenly spaced phases plus one and
/// interpolates linearly between neighbouring rows: the kernel is smooth on that grid (error
/// below (π·f_c/Q)²/2 ≈ 7e-8 of its peak), and the table stays ≤ 4 MB.
struct ResamplerPolyphaseTable {
    /// Coefficients stored at most (4 MB of `Float`).
    static let coefficientBudget = 1 << 20
    /// Most phases stored when interpolating.
    static let maximumPhases = 4096

    /// Inputs read per output: a multiple of 16 (two 8-lane accumulators).
    let tapCount: Int
    /// The kernel's half-width K: inputs after an output's instant that it reads.
    let halfWidth: Int
    /// Offset of the first input read, relative to base: K − tapCount + 1 (≤ 0).
    let firstOffset: Int
    /// Number of phases L of the conversion.
    let upFactor: Int
    /// Rows kept: L when exact; Q + 1 when interpolating (row Q is position 1.0).
    let rowCount: Int
    /// Whether rows are Q grid points (interpolated) rather than the L exact phases.
    let interpolates: Bool
    private let gridSize: Int
    private let coefficients: [Float]

    init(design: ResamplerFilterDesign, upFactor: Int) {
        let tapCount = (2 * design.halfWidth + 15) / 16 * 16
        let budgetPhases = max(64, Self.coefficientBudget / tapCount)
        var gridSize = 64
        while gridSize * 2 <= min(Self.maximumPhases, budgetPhases) { gridSize *= 2 }
        self.tapCount = tapCount
        halfWidth = design.halfWidth
        self.upFactor = upFactor
        firstOffset = design.halfWidth - tapCount + 1
        interpolates = upFactor > gridSize
        self.gridSize = gridSize
        rowCount = interpolates ? gridSize + 1 : upFactor
        let rowPositions = interpolates ? gridSize : upFactor
        var coefficients = [Float](repeating: 0, count: rowCount * tapCount)
        for row in 0..<rowCount {
            let position = Double(row) / Double(rowPositions)
            for tap in 0..<tapCount {
                let offset = firstOffset + tap
                coefficients[row * tapCount + tap] = Float(design.impulse(at: position - Double(offset)))
            }
        }
        self.coefficients = coefficients
    }

    /// The filtered value at phase `phase` (< L) from the `tapCount` inputs starting at `inputs`.
    /// - Precondition: `inputs` points at `tapCount` readable samples.
    @inline(__always)
    func output(phase: Int, inputs: UnsafePointer<Float>) -> Float {
        coefficients.withUnsafeBufferPointer { table in
            guard let start = table.baseAddress else { return 0 }
            guard interpolates else { return dot(start + phase * tapCount, inputs) }
            // phase·Q < 10⁶·4096 fits easily in Int.
            let position = phase * gridSize
            let row = position / upFactor
            let fraction = Float(position % upFactor) / Float(upFactor)
            let below = dot(start + row * tapCount, inputs)
            let above = dot(start + (row + 1) * tapCount, inputs)
            return below + fraction * (above - below)
        }
    }

    /// Σ row[j]·inputs[j] over `tapCount` taps in a fixed order (two 8-lane sums, then lanes),
    /// so the result never depends on where the inputs sit in memory.
    @inline(__always)
    private func dot(_ row: UnsafePointer<Float>, _ inputs: UnsafePointer<Float>) -> Float {
        let a = UnsafeRawPointer(row)
        let x = UnsafeRawPointer(inputs)
        var even = SIMD8<Float>.zero
        var odd = SIMD8<Float>.zero
        var byte = 0
        let end = tapCount * MemoryLayout<Float>.stride
        while byte < end {
            even += a.loadUnaligned(fromByteOffset: byte, as: SIMD8<Float>.self)
                * x.loadUnaligned(fromByteOffset: byte, as: SIMD8<Float>.self)
            odd += a.loadUnaligned(fromByteOffset: byte + 32, as: SIMD8<Float>.self)
                * x.loadUnaligned(fromByteOffset: byte + 32, as: SIMD8<Float>.self)
            byte += 64
        }
        return (even + odd).sum()
    }
}
