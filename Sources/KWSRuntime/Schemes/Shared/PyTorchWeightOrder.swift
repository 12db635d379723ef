/// Model files keep PyTorch's convolution weight order `[C_out][C_in][K]`; the network types and kernels
/// hold `[K][C_in][C_out]` (``TemporalConv/weights``). Every integer scheme's reader and writer converts with
/// this.
enum PyTorchWeightOrder {
    /// `pytorch` (`[C_out][C_in][K]`, `shape.weightCount` codes) in `[K][C_in][C_out]` order.
    static func kernelOrder(_ pytorch: [Int8], shape: TemporalConvShape) -> [Int8] {
        var weights = [Int8](repeating: 0, count: shape.weightCount)
        forEachWeight(of: shape) { kernel, file in weights[kernel] = pytorch[file] }
        return weights
    }

    /// `weights` (`[K][C_in][C_out]`) back in the files' `[C_out][C_in][K]` order: what the writers store.
    static func pytorchOrder(_ weights: [Int8], shape: TemporalConvShape) -> [Int8] {
        var pytorch = [Int8](repeating: 0, count: shape.weightCount)
        forEachWeight(of: shape) { kernel, file in pytorch[file] = weights[kernel] }
        return pytorch
    }

    /// Calls `body` with each weight's index in kernel order and in file order.
    private static func forEachWeight(of shape: TemporalConvShape, _ body: (_ kernel: Int, _ file: Int) -> Void) {
        let (inputs, outputs, taps) = (shape.inputChannels, shape.outputChannels, shape.kernelSize)
        for output in 0..<outputs {
            for channel in 0..<inputs {
                for tap in 0..<taps {
                    body((tap * inputs + channel) * outputs + output, (output * inputs + channel) * taps + tap)
                }
            }
        }
    }
}
