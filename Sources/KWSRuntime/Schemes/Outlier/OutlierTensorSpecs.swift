/// The tensors of an outlier-aware model file, stored beside the float ones under the `ol4.` prefix
/// (Models/README.md, "Outlier-aware 4-bit"). Conv weights keep PyTorch's `[C_out, C_in, K]` order: a 4-bit
/// layer's `weight4` row `o` holds the channel's `C_in · K` dense codes (index `j = input · K + tap`) two per
/// byte (``Int4Packing``), and its outliers are CSR rows: `outlier_offsets[o] ..< outlier_offsets[o + 1]`
/// index `outlier_index` (the same `j`, ascending) and `outlier_value` (the full 8-bit code; the dense nibble
/// there is 0).
extension Architecture {
    /// The metadata key that marks an outlier-aware file and holds ``OutlierQuantizationInfo``.
    static let outlierMetadataKey = "outlier_quantization"

    /// Every fixed-shape `ol4.` tensor, in the order they are written.
    func outlierTensorSpecs(inputCoefficients: Int, labelCount: Int) -> [QuantizedTensorSpec] {
        let shapes = convolutionShapes(inputFrames: 1, inputCoefficients: inputCoefficients)
        var specs = [QuantizedTensorSpec(name: "ol4.input.scale", dtype: .f32, shape: [inputCoefficients]),
                     QuantizedTensorSpec(name: "ol4.input.zero_point", dtype: .u8, shape: [inputCoefficients])]
        for (index, (name, shape)) in zip(convolutionNames(), shapes).enumerated() {
            let outputs = shape.outputChannels
            if index == 0 {
                specs.append(QuantizedTensorSpec(name: "ol4.\(name).weight", dtype: .i8, shape: [outputs, shape.inputChannels, shape.kernelSize]))
            } else {
                specs += [
                    QuantizedTensorSpec(name: "ol4.\(name).weight4", dtype: .u8,
                                        shape: [outputs, Int4Packing.byteCount(shape.inputChannels * shape.kernelSize)]),
                    QuantizedTensorSpec(name: "ol4.\(name).outlier_offsets", dtype: .i32, shape: [outputs + 1]),
                ]
            }
            specs += [
                QuantizedTensorSpec(name: "ol4.\(name).bias", dtype: .i32, shape: [outputs]),
                QuantizedTensorSpec(name: "ol4.\(name).multiplier", dtype: .i32, shape: [outputs]),
                QuantizedTensorSpec(name: "ol4.\(name).shift", dtype: .i32, shape: [outputs]),
            ]
            if name.hasSuffix(".conv2") {
                let block = String(name.dropLast(".conv2".count))
                specs += [QuantizedTensorSpec(name: "ol4.\(block).residual.multiplier", dtype: .i32, shape: [outputs]),
                          QuantizedTensorSpec(name: "ol4.\(block).residual.shift", dtype: .i32, shape: [outputs])]
            }
        }
        let last = channels[channels.count - 1]
        specs += [QuantizedTensorSpec(name: "ol4.fc.weight", dtype: .i8, shape: [labelCount, last]),
                  QuantizedTensorSpec(name: "ol4.fc.scale", dtype: .f32, shape: [labelCount])]
        return specs
    }

    /// The variable-length outlier tensors (`[n]`, n from the layer's offsets): per 4-bit convolution its
    /// `outlier_index` (U16) and `outlier_value` (I8).
    func outlierListTensorNames() -> [(index: String, value: String)] {
        convolutionNames().dropFirst().map { ("ol4.\($0).outlier_index", "ol4.\($0).outlier_value") }
    }

    /// Every `ol4.` tensor name.
    func outlierTensorNames(inputCoefficients: Int, labelCount: Int) -> Set<String> {
        Set(outlierTensorSpecs(inputCoefficients: inputCoefficients, labelCount: labelCount).map(\.name)
            + outlierListTensorNames().flatMap { [$0.index, $0.value] })
    }
}
