extension ModelFileWriter {
    /// Appends every `ol4.` tensor of `network` (OutlierTensorSpecs.swift) for a model of `architecture`.
    public mutating func appendOutlier(_ network: OutlierTCResNet, architecture: Architecture) {
        let input = network.input
        append("ol4.input.scale", floats: input.scales, shape: [input.scales.count])
        append("ol4.input.zero_point", dtype: .u8, shape: [input.zeroPoints.count], bytes: input.zeroPoints)
        for (name, conv) in zip(architecture.convolutionNames(), network.convolutions) {
            let shape = conv.shape
            let (outputs, inputs, taps) = (shape.outputChannels, shape.inputChannels, shape.kernelSize)
            // Row o in PyTorch order: j = input · K + tap.
            func row(_ output: Int) -> [Int8] {
                (0..<inputs).flatMap { input in (0..<taps).map { tap in conv.weight(output: output, input: input, tap: tap) } }
            }
            if conv.weightBits == 8 {
                append("ol4.\(name).weight", dtype: .i8, shape: [outputs, inputs, taps],
                       bytes: (0..<outputs).flatMap(row).map { UInt8(bitPattern: $0) })
            } else {
                var nibbles = [UInt8]()
                var offsets: [Int32] = [0]
                var indices = [UInt8]()
                var values = [UInt8]()
                for output in 0..<outputs {
                    let codes = row(output)
                    nibbles += Int4Packing.pack(codes.map { OutlierConv.isOutlier($0) ? 0 : $0 })
                    for (index, code) in codes.enumerated() where OutlierConv.isOutlier(code) {
                        indices += [UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8)]
                        values.append(UInt8(bitPattern: code))
                    }
                    offsets.append(Int32(values.count))
                }
                append("ol4.\(name).weight4", dtype: .u8, shape: [outputs, Int4Packing.byteCount(inputs * taps)], bytes: nibbles)
                appendOutlierInt32("ol4.\(name).outlier_offsets", offsets)
                append("ol4.\(name).outlier_index", dtype: .u16, shape: [values.count], bytes: indices)
                append("ol4.\(name).outlier_value", dtype: .i8, shape: [values.count], bytes: values)
            }
            appendOutlierInt32("ol4.\(name).bias", conv.bias)
            appendOutlierInt32("ol4.\(name).multiplier", conv.requantization.map(\.multiplier))
            appendOutlierInt32("ol4.\(name).shift", conv.requantization.map(\.shift))
            if let residual = conv.residualRescale {
                let block = String(name.dropLast(".conv2".count))
                appendOutlierInt32("ol4.\(block).residual.multiplier", residual.map(\.multiplier))
                appendOutlierInt32("ol4.\(block).residual.shift", residual.map(\.shift))
            }
        }
        let classifier = network.classifier
        let labels = classifier.outputScales.count
        append("ol4.fc.weight", dtype: .i8, shape: [labels, classifier.weights.count / Swift.max(labels, 1)],
               bytes: classifier.weights.map { UInt8(bitPattern: $0) })
        append("ol4.fc.scale", floats: classifier.outputScales, shape: [labels])
    }

    private mutating func appendOutlierInt32(_ name: String, _ values: [Int32]) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            let bits = UInt32(bitPattern: value)
            bytes += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                      UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
        }
        append(name, dtype: .i32, shape: [values.count], bytes: bytes)
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
        metadata["quantization"] = nil
        if let accuracy = metadata.removeValue(forKey: "test_accuracy") { metadata["float_test_accuracy"] = accuracy }
        metadata[Architecture.outlierMetadataKey] = network.info.json
        var writer = ModelFileWriter(metadata: metadata)
        let specs = model.architecture.tensorSpecs(inputCoefficients: model.inputCoefficients, labelCount: model.labels.count)
        for spec in specs {
            let info = try float.tensor(spec.name)
            writer.append(spec.name, dtype: info.dtype, shape: info.shape, bytes: Array(try float.rawBytes(spec.name)))
        }
        writer.appendOutlier(network, architecture: model.architecture)
        return writer
    }
}
