/// The extra tensors of a quantized model file (Models/FORMAT.md, "Quantized models"), stored beside the
/// float ones under the `quant.` prefix. Conv weights keep PyTorch's `[C_out, C_in, K]` order.
public struct QuantizedTensorSpec: Sendable, Equatable {
    /// The tensor's name in the model file, e.g. `quant.stem.conv.weight`.
    public let name: String
    /// Its element type.
    public let dtype: TensorDType
    /// Its shape, outermost first.
    public let shape: [Int]

    /// A tensor named `name` of `dtype` and `shape`.
    public init(name: String, dtype: TensorDType, shape: [Int]) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
    }
}

extension Architecture {
    /// The convolution prefixes in execution order (stem, then per block shortcut, conv1, conv2).
    func convolutionNames() -> [String] {
        var names = ["stem.conv"]
        for block in 0..<blockCount {
            if blockHasProjection(block) { names.append("blocks.\(block).shortcut.conv") }
            names += ["blocks.\(block).conv1", "blocks.\(block).conv2"]
        }
        return names
    }

    /// Every `quant.` tensor of a quantized file, in the order they are written.
    func quantizedTensorSpecs(inputCoefficients: Int, labelCount: Int) -> [QuantizedTensorSpec] {
        let shapes = convolutionShapes(inputFrames: 1, inputCoefficients: inputCoefficients)
        var specs = [QuantizedTensorSpec(name: "quant.input.scale", dtype: .f32, shape: [inputCoefficients]),
                     QuantizedTensorSpec(name: "quant.input.zero_point", dtype: .u8, shape: [inputCoefficients])]
        for (name, shape) in zip(convolutionNames(), shapes) {
            let outputs = shape.outputChannels
            specs += [
                QuantizedTensorSpec(name: "quant.\(name).weight", dtype: .i8, shape: [outputs, shape.inputChannels, shape.kernelSize]),
                QuantizedTensorSpec(name: "quant.\(name).bias", dtype: .i32, shape: [outputs]),
                QuantizedTensorSpec(name: "quant.\(name).multiplier", dtype: .i32, shape: [outputs]),
                QuantizedTensorSpec(name: "quant.\(name).shift", dtype: .i32, shape: [outputs]),
            ]
            if name.hasSuffix(".conv2") {
                let block = String(name.dropLast(".conv2".count))
                specs += [QuantizedTensorSpec(name: "quant.\(block).residual.multiplier", dtype: .i32, shape: [outputs]),
                          QuantizedTensorSpec(name: "quant.\(block).residual.shift", dtype: .i32, shape: [outputs])]
            }
        }
        let last = channels[channels.count - 1]
        specs += [QuantizedTensorSpec(name: "quant.fc.weight", dtype: .i8, shape: [labelCount, last]),
                  QuantizedTensorSpec(name: "quant.fc.scale", dtype: .f32, shape: [labelCount])]
        return specs
    }
}
