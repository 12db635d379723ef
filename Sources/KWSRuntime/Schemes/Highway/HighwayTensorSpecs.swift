extension Architecture {
    /// Every `hw.` tensor of a precision-highway file (Models/FORMAT.md), in the order the trainer writes
    /// them: 8-bit convolutions keep `[C_out, C_in, K]` s8 weights; branch convolutions store
    /// `⌈C_out·C_in·K·k / 8⌉` packed bytes (`weightBits` = k).
    func highwayTensorSpecs(inputCoefficients: Int, labelCount: Int, weightBits: Int) -> [QuantizedTensorSpec] {
        let shapes = convolutionShapes(inputFrames: 1, inputCoefficients: inputCoefficients)
        var specs = [QuantizedTensorSpec(name: "hw.input.scale", dtype: .f32, shape: [inputCoefficients]),
                     QuantizedTensorSpec(name: "hw.input.zero_point", dtype: .u8, shape: [inputCoefficients])]
        func conv(_ name: String, _ shape: TemporalConvShape, packed: Bool) {
            let outputs = shape.outputChannels
            specs.append(packed
                ? QuantizedTensorSpec(name: "hw.\(name).weight", dtype: .u8,
                                      shape: [LowBitPacking.byteCount(codes: shape.weightCount, bits: weightBits)])
                : QuantizedTensorSpec(name: "hw.\(name).weight", dtype: .i8, shape: [outputs, shape.inputChannels, shape.kernelSize]))
            specs += ["bias", "multiplier", "shift"].map { QuantizedTensorSpec(name: "hw.\(name).\($0)", dtype: .i32, shape: [outputs]) }
        }
        for (name, shape) in zip(convolutionNames(), shapes) {
            if name.hasSuffix(".shortcut.conv") || name == "stem.conv" {
                conv(name, shape, packed: false)
                continue
            }
            let block = String(name.prefix(while: { $0 != "." })) + "." + name.split(separator: ".")[1]
            if name.hasSuffix(".conv1") {
                specs += [QuantizedTensorSpec(name: "hw.\(block).branch.multiplier", dtype: .i32, shape: [1]),
                          QuantizedTensorSpec(name: "hw.\(block).branch.shift", dtype: .i32, shape: [1])]
            }
            conv(name, shape, packed: true)
            if name.hasSuffix(".conv2") {
                specs += [QuantizedTensorSpec(name: "hw.\(block).residual.multiplier", dtype: .i32, shape: [shape.outputChannels]),
                          QuantizedTensorSpec(name: "hw.\(block).residual.shift", dtype: .i32, shape: [shape.outputChannels])]
            }
        }
        let last = channels[channels.count - 1]
        specs += [QuantizedTensorSpec(name: "hw.fc.weight", dtype: .i8, shape: [labelCount, last]),
                  QuantizedTensorSpec(name: "hw.fc.scale", dtype: .f32, shape: [labelCount])]
        return specs
    }
}
