extension ModelFileWriter {
    /// Appends every `quant.` tensor of `network` (Models/FORMAT.md) for a model of `architecture`.
    public mutating func appendQuantized(_ network: QuantizedTCResNet, architecture: Architecture) {
        let input = network.input
        append("quant.input.scale", floats: input.scales, shape: [input.scales.count])
        append("quant.input.zero_point", dtype: .u8, shape: [input.zeroPoints.count], bytes: input.zeroPoints)
        for (name, conv) in zip(architecture.convolutionNames(), network.convolutions) {
            let shape = conv.shape
            var pytorch = [UInt8]()
            pytorch.reserveCapacity(conv.weights.count)
            for output in 0..<shape.outputChannels {
                for channel in 0..<shape.inputChannels {
                    for tap in 0..<shape.kernelSize {
                        pytorch.append(UInt8(bitPattern: conv.weight(output: output, input: channel, tap: tap)))
                    }
                }
            }
            let outputs = shape.outputChannels
            append("quant.\(name).weight", dtype: .i8, shape: [outputs, shape.inputChannels, shape.kernelSize], bytes: pytorch)
            append("quant.\(name).bias", int32s: conv.bias)
            append("quant.\(name).multiplier", int32s: conv.requantization.map(\.multiplier))
            append("quant.\(name).shift", int32s: conv.requantization.map(\.shift))
            if let residual = conv.residualRescale {
                let block = String(name.dropLast(".conv2".count))
                append("quant.\(block).residual.multiplier", int32s: residual.map(\.multiplier))
                append("quant.\(block).residual.shift", int32s: residual.map(\.shift))
            }
        }
        let classifier = network.classifier
        let labels = classifier.outputScales.count
        append("quant.fc.weight", dtype: .i8, shape: [labels, classifier.weights.count / Swift.max(labels, 1)],
               bytes: classifier.weights.map { UInt8(bitPattern: $0) })
        append("quant.fc.scale", floats: classifier.outputScales, shape: [labels])
    }
}

extension QuantizedTCResNet {
    /// A complete quantized model file: `float`'s metadata and float tensors unchanged (so the float engine
    /// still runs it), `name` and the `quantization` JSON added, then the `quant.` tensors. The float model's
    /// `test_accuracy` moves to `float_test_accuracy` (it is not the int8 network's; ``TCResNetModel/ownTestAccuracy``).
    public static func modelFile(float: ModelFile, model: TCResNetModel, quantized: QuantizedTCResNet,
                                 name: String) throws -> ModelFileWriter {
        var metadata = float.metadata
        metadata["name"] = name
        // The table was measured on the float network; the new one must be measured again (kws eval --stream --sweep).
        metadata[OperatingPoints.metadataKey] = nil
        metadata["quantization"] = quantized.info.json
        if let accuracy = metadata.removeValue(forKey: "test_accuracy") { metadata["float_test_accuracy"] = accuracy }
        var writer = ModelFileWriter(metadata: metadata)
        try FloatScheme().appendTensors(of: model, source: float, to: &writer)
        writer.appendQuantized(quantized, architecture: model.architecture)
        return writer
    }
}
