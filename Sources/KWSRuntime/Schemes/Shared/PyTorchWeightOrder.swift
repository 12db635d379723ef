/// Model files keep PyTorch's convolution weight order `[C_out][C_in][K]`; the network types and kernels
/// hold `[K][C_in][C_out]` (``TemporalConv/weights``). Every integer scheme's reader converts with this.
enum PyTorchWeightOrder {
    /// `pytorch` (`[C_out][C_in][K]`, `shape.weightCount` codes) in `[K][C_in][C_out]` order.
    static func kernelOrder(_ pytorch: [Int8], shape: TemporalConvShape) -> [Int8] {
        let (inputs, outputs, taps) = (shape.inputChannels, shape.outputChannels, shape.kernelSize)
        var weights = [Int8](repeating: 0, count: shape.weightCount)
        for output in 0..<outputs {
            for channel in 0..<inputs {
                for tap in 0..<taps {
                    weights[(tap * inputs + channel) * outputs + output] = pytorch[(output * inputs + channel) * taps + tap]
                }
            }
        }
        return weights
    }

    /// `weights` (`[K][C_in][C_out]`) back in the files' `[C_out][C_in][K]` order: what the writers store.
    static func pytorchOrder(_ weights: [Int8], shape: TemporalConvShape) -> [Int8] {
        let (inputs, outputs, taps) = (shape.inputChannels, shape.outputChannels, shape.kernelSize)
        var pytorch = [Int8](repeating: 0, count: shape.weightCount)
        for output in 0..<outputs {
            for channel in 0..<inputs {
                for tap in 0..<taps {
                    pytorch[(output * inputs + channel) * taps + tap] = weights[(tap * inputs + channel) * outputs + output]
                }
            }
        }
        return pytorch
    }
}
