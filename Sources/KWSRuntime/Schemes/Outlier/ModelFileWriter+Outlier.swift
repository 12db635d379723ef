extension ModelFileWriter {
    /// Appends every `ol4.` tensor of `network` (OutlierTensorSpecs.swift) for a model of `architecture`.
    public mutating func appendOutlier(_ network: OutlierTCResNet, architecture: Architecture) {
        appendInput(network.input, prefix: "ol4")
        for (name, conv) in zip(architecture.convolutionNames(), network.convolutions) {
            let shape = conv.shape
            let (outputs, inputs, taps) = (shape.outputChannels, shape.inputChannels, shape.kernelSize)
            let pytorch = PyTorchWeightOrder.pytorchOrder(conv.weights, shape: shape)
            // Row o in PyTorch order: j = input · K + tap.
            func row(_ output: Int) -> ArraySlice<Int8> { pytorch[(output * inputs * taps)..<((output + 1) * inputs * taps)] }
            if conv.weightBits == 8 {
                append("ol4.\(name).weight", dtype: .i8, shape: [outputs, inputs, taps], bytes: pytorch.map { UInt8(bitPattern: $0) })
            } else {
                var nibbles = [UInt8]()
                var offsets: [Int32] = [0]
                var indices = [UInt8]()
                var values = [UInt8]()
                for output in 0..<outputs {
                    let codes = row(output)
                    nibbles += Int4Packing.pack(codes.map { OutlierConv.isOutlier($0) ? 0 : $0 })
                    for (index, code) in zip(0..., codes) where OutlierConv.isOutlier(code) {
                        indices += [UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8)]
                        values.append(UInt8(bitPattern: code))
                    }
                    offsets.append(Int32(values.count))
                }
                append("ol4.\(name).weight4", dtype: .u8, shape: [outputs, Int4Packing.byteCount(inputs * taps)], bytes: nibbles)
                append("ol4.\(name).outlier_offsets", int32s: offsets)
                append("ol4.\(name).outlier_index", dtype: .u16, shape: [values.count], bytes: indices)
                append("ol4.\(name).outlier_value", dtype: .i8, shape: [values.count], bytes: values)
            }
            appendEpilogue(prefix: "ol4", name: name, bias: conv.bias, requantization: conv.requantization,
                           residual: conv.residualRescale)
        }
        appendClassifier(network.classifier, prefix: "ol4")
    }
}

extension OutlierTCResNet {
    /// A complete outlier-aware model file: `float`'s float tensors and metadata (so `--engine float` still runs
    /// it), `name`, the `outlier_quantization` JSON, then the `ol4.` tensors. The float model's `test_accuracy`
    /// moves to `float_test_accuracy` (it is not this file's), and any int8 `quantization` key is dropped
    /// (its tensors are not copied).
    public static func modelFile(float: ModelFile, model: TCResNetModel, network: OutlierTCResNet,
                                 name: String) throws -> ModelFileWriter {
        var metadata = float.metadata
        metadata["name"] = name
        // The table was measured on the float network; the new one must be measured again (kws eval --stream --sweep).
        metadata[OperatingPoints.metadataKey] = nil
        metadata["quantization"] = nil
        if let accuracy = metadata.removeValue(forKey: "test_accuracy") { metadata["float_test_accuracy"] = accuracy }
        metadata[Architecture.outlierMetadataKey] = network.info.json
        var writer = ModelFileWriter(metadata: metadata)
        try FloatScheme().appendTensors(of: model, source: float, to: &writer)
        writer.appendOutlier(network, architecture: model.architecture)
        return writer
    }
}
