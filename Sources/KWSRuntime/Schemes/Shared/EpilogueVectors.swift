/// The per-channel s32 vectors of the integer kernels' fused epilogue (bias, requantization, residual
/// rescale), zero-padded to the kernel's whole tiles of output channels.
struct EpilogueVectors {
    let bias: UnsafeMutablePointer<Int32>
    let multiplier: UnsafeMutablePointer<Int32>
    let shift: UnsafeMutablePointer<Int32>
    let residualMultiplier: UnsafeMutablePointer<Int32>?
    let residualShift: UnsafeMutablePointer<Int32>?

    /// The vectors of a layer with `bias`, `requantization` and (conv2 only) `residual`, `channels` long,
    /// owned by `buffers`.
    init(bias: [Int32], requantization: [FixedPointMultiplier], residual: [FixedPointMultiplier]?, channels: Int,
         in buffers: KernelBuffers) {
        self.bias = buffers.copy(bias, count: channels)
        multiplier = buffers.copy(requantization.map(\.multiplier), count: channels)
        // Padding channels get shift 1 so even their (discarded) SIMD lanes shift by a valid amount.
        shift = buffers.copy(requantization.map(\.shift), count: channels, fill: 1)
        residualMultiplier = residual.map { buffers.copy($0.map(\.multiplier), count: channels) }
        residualShift = residual.map { buffers.copy($0.map(\.shift), count: channels, fill: 1) }
    }
}
