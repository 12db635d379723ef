extension ModelFileWriter {
    /// Appends every `quant.` tensor of `network` (Models/FORMAT.md) for a model of `architecture`.
    public mutating func appendQuantized(_ network: QuantizedTCResNet, architecture: Architecture) {
        appendInput(network.input, prefix: "quant")
        for (name, conv) in zip(architecture.convolutionNames(), network.convolutions) {
            let shape = conv.shape
            append("quant.\(name).weight", dtype: .i8, shape: [shape.outputChannels, shape.inputChannels, shape.kernelSize],
                   bytes: PyTorchWeightOrder.pytorchOrder(conv.weights, shape: shape).map { UInt8(bitPattern: $0) })
            appendEpilogue(prefix: "quant", name: name, bias: conv.bias, requantization: conv.requantization,
                           residual: conv.residualRescale)
        }
        appendClassifier(network.classifier, prefix: "quant")
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
