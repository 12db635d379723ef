/// Eval-mode batch norm `γ·(y − mean)/√(var + ε) + β` folded into the convolution before it.
struct BatchNormFolding {
    let gamma: [Float]
    let beta: [Float]
    let mean: [Float]
    let variance: [Float]
    let epsilon: Double

    /// Rewrites PyTorch conv weights `[C_out][C_in][K]` as a folded ``TemporalConv``. Computed in Double
    /// so folding adds only the final rounding to Float.
    func fold(name: String, shape: TemporalConvShape, pytorchWeights: [Float]) -> TemporalConv {
        let (outputs, inputs, taps) = (shape.outputChannels, shape.inputChannels, shape.kernelSize)
        var weights = [Float](repeating: 0, count: shape.weightCount)
        var bias = [Float](repeating: 0, count: outputs)
        for output in 0..<outputs {
            let scale = Double(gamma[output]) / (Double(variance[output]) + epsilon).squareRoot()
            bias[output] = Float(Double(beta[output]) - Double(mean[output]) * scale)
            for input in 0..<inputs {
                for tap in 0..<taps {
                    let source = Double(pytorchWeights[(output * inputs + input) * taps + tap])
                    weights[(tap * inputs + input) * outputs + output] = Float(source * scale)
                }
            }
        }
        return TemporalConv(name: name, shape: shape, weights: weights, bias: bias)
    }
}
