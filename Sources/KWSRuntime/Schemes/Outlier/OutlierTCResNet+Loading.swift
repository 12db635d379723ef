import FoundationEssentials

extension OutlierTCResNet {
    /// Reads and checks the `ol4.` tensors of `file` (presence, dtypes and shapes of the fixed-size ones were
    /// already checked against ``Architecture/outlierTensorSpecs(inputCoefficients:labelCount:)``): the
    /// metadata's bit widths, ratio and per-layer counts, every nibble and outlier code in range, outlier
    /// offsets and indices consistent, every multiplier representable, and the s32 headroom rule of the
    /// kernels for every channel. Errors name the file and the tensor; nothing is recalibrated.
    init(_ context: SchemeLoadingContext) throws {
        let (file, architecture, inputFrames, inputCoefficients) =
            (context.file, context.architecture, context.inputFrames, context.inputCoefficients)
        let info = try Self.info(file)
        self.info = info
        activationCodeMax = info.outlierActivationBits == 0 ? Self.denseActivationMax : Self.activationOutlierMax
        let reader = OutlierTensorReader(file: file)

        let scales = try file.floats("ol4.input.scale")
        if let index = scales.firstIndex(where: { !($0.isFinite && $0 > 0 && (1 / $0).isFinite) }) {
            throw OutlierModelError.valueOutOfRange(file: file.name, tensor: "ol4.input.scale", index: index,
                                                    value: "\(scales[index])", allowed: "finite positive numbers")
        }
        input = QuantizedInput(scales: scales, zeroPoints: Array(try file.rawBytes("ol4.input.zero_point")))

        let shapes = architecture.convolutionShapes(inputFrames: inputFrames, inputCoefficients: inputCoefficients)
        let names = architecture.convolutionNames()
        var convolutions = [String: OutlierConv]()
        for (index, (name, shape)) in zip(names, shapes).enumerated() {
            let conv = index == 0 ? try reader.stem(name, shape: shape) : try reader.fourBit(name, shape: shape)
            let (inputMax, residualMax) = index == 0 ? (255, 0) : (activationCodeMax, activationCodeMax)
            if let channel = OutlierConvBounds.firstOverflowingChannel(conv, inputCodeMax: inputMax, residualCodeMax: residualMax) {
                throw OutlierModelError.accumulatorOverflow(file: file.name, tensor: "ol4.\(name).bias", channel: channel)
            }
            convolutions[name] = conv
        }
        try Self.checkLayers(info, against: names.dropFirst().compactMap { convolutions[$0] }, file: file.name)

        guard let stem = convolutions["stem.conv"] else { throw ModelError.missingTensor(file: file.name, tensor: "ol4.stem.conv.weight") }
        self.stem = stem
        var blocks = [OutlierBlock]()
        for index in 0..<architecture.blockCount {
            guard let conv1 = convolutions["blocks.\(index).conv1"], let conv2 = convolutions["blocks.\(index).conv2"] else {
                throw ModelError.missingTensor(file: file.name, tensor: "ol4.blocks.\(index).conv1.weight4")
            }
            blocks.append(OutlierBlock(conv1: conv1, conv2: conv2, shortcut: convolutions["blocks.\(index).shortcut.conv"]))
        }
        self.blocks = blocks
        let fcScales = try file.floats("ol4.fc.scale")
        if let index = fcScales.firstIndex(where: { !$0.isFinite }) {
            throw OutlierModelError.valueOutOfRange(file: file.name, tensor: "ol4.fc.scale", index: index,
                                                    value: "\(fcScales[index])", allowed: "finite numbers")
        }
        classifier = QuantizedClassifier(weights: try reader.int8s("ol4.fc.weight"), outputScales: fcScales)
    }

    /// The metadata JSON, its bit widths and its ratio.
    private static func info(_ file: ModelFile) throws -> OutlierQuantizationInfo {
        guard let text = file.metadata[Architecture.outlierMetadataKey] else {
            throw OutlierModelError.malformedMetadata(file: file.name, reason: "missing")
        }
        let info: OutlierQuantizationInfo
        do {
            info = try JSONDecoder().decode(OutlierQuantizationInfo.self, from: Data(text.utf8))
        } catch {
            throw OutlierModelError.malformedMetadata(
                file: file.name, reason: String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        for ((key, found), (_, supported)) in zip(info.bits, OutlierQuantizationInfo.supportedBits) where found != supported {
            if key == "outlier_activation_bits" && found == 0 { continue }
            throw OutlierModelError.unsupportedBitWidth(file: file.name, key: key, found: found,
                                                        supported: key == "outlier_activation_bits" ? "16 (or 0: none)" : "\(supported)")
        }
        guard info.outlierRatio.isFinite, info.outlierRatio >= 0, info.outlierRatio < 0.5 else {
            throw OutlierModelError.badOutlierRatio(file: file.name, found: info.outlierRatio)
        }
        return info
    }

    /// The metadata's layer list names the 4-bit convolutions in order with their weight and outlier counts.
    private static func checkLayers(_ info: OutlierQuantizationInfo, against convolutions: [OutlierConv], file: String) throws {
        for (index, conv) in convolutions.enumerated() {
            guard index < info.layers.count else {
                throw OutlierModelError.layerMismatch(file: file, layer: conv.name, reason: "missing from the metadata's layer list")
            }
            let layer = info.layers[index]
            guard layer.name == conv.name else {
                throw OutlierModelError.layerMismatch(file: file, layer: conv.name, reason: "the metadata lists \"\(layer.name)\" in its place")
            }
            guard layer.weights == conv.weights.count else {
                throw OutlierModelError.layerMismatch(file: file, layer: conv.name,
                                                      reason: "the metadata says \(layer.weights) weights, the tensors hold \(conv.weights.count)")
            }
            guard layer.weightOutliers == conv.weightOutlierCount else {
                throw OutlierModelError.layerMismatch(
                    file: file, layer: conv.name,
                    reason: "the metadata says \(layer.weightOutliers) weight outliers, the tensors hold \(conv.weightOutlierCount)")
            }
        }
        if info.layers.count > convolutions.count {
            throw OutlierModelError.layerMismatch(file: file, layer: info.layers[convolutions.count].name,
                                                  reason: "the model has no such 4-bit convolution")
        }
    }
}

/// Typed reads of `ol4.` tensors with range checks; errors name the file, tensor and index.
struct OutlierTensorReader {
    let file: ModelFile

    func int32s(_ name: String) throws -> [Int32] { try QuantizedTensorReader(file: file).int32s(name) }

    /// s8 codes in −127…127.
    func int8s(_ name: String) throws -> [Int8] {
        let codes = try file.rawBytes(name).map { Int8(bitPattern: $0) }
        if let index = codes.firstIndex(of: Int8.min) {
            throw OutlierModelError.valueOutOfRange(file: file.name, tensor: name, index: index, value: "-128", allowed: "-127...127")
        }
        return codes
    }

    /// Per-channel multipliers; requantization ones need shift ≥ 31 (below 1).
    func multipliers(_ prefix: String, minimumShift: Int32) throws -> [FixedPointMultiplier] {
        let multipliers = try int32s("\(prefix).multiplier")
        let shifts = try int32s("\(prefix).shift")
        return try zip(multipliers, shifts).enumerated().map { index, pair in
            guard pair.1 >= minimumShift, let value = FixedPointMultiplier(multiplier: pair.0, shift: pair.1) else {
                let negative = pair.0 < 0
                throw OutlierModelError.valueOutOfRange(file: file.name, tensor: negative ? "\(prefix).multiplier" : "\(prefix).shift",
                                                        index: index, value: negative ? "\(pair.0)" : "\(pair.1)",
                                                        allowed: negative ? "0...2147483647" : "\(minimumShift)...62")
            }
            return value
        }
    }

    private func requantization(_ name: String) throws -> [FixedPointMultiplier] {
        try multipliers("ol4.\(name)", minimumShift: FixedPointMultiplier.requantizationMinimumShift)
    }

    private func residual(_ name: String) throws -> [FixedPointMultiplier]? {
        guard name.hasSuffix(".conv2") else { return nil }
        return try multipliers("ol4.\(name.dropLast(".conv2".count)).residual", minimumShift: 1)
    }

    /// The 8-bit stem.
    func stem(_ name: String, shape: TemporalConvShape) throws -> OutlierConv {
        OutlierConv(name: name, shape: shape, weightBits: 8, weights: PyTorchWeightOrder.kernelOrder(try int8s("ol4.\(name).weight"), shape: shape),
                    bias: try int32s("ol4.\(name).bias"), requantization: try requantization(name), residualRescale: nil)
    }

    /// A 4-bit layer: nibbles plus CSR outliers, merged into full codes.
    func fourBit(_ name: String, shape: TemporalConvShape) throws -> OutlierConv {
        let (outputs, depth) = (shape.outputChannels, shape.inputChannels * shape.kernelSize)
        let nibbleTensor = "ol4.\(name).weight4"
        let rowBytes = Int4Packing.byteCount(depth)
        let packed = Array(try file.rawBytes(nibbleTensor))
        var pytorch = [Int8]()
        pytorch.reserveCapacity(outputs * depth)
        for output in 0..<outputs {
            let row = packed[(output * rowBytes)..<((output + 1) * rowBytes)]
            let codes = Int4Packing.unpack(row, count: rowBytes * 2)
            if let bad = codes.prefix(depth).firstIndex(of: -8) {
                throw OutlierModelError.valueOutOfRange(file: file.name, tensor: nibbleTensor, index: output * depth + bad,
                                                        value: "-8", allowed: "-7...7 (symmetric 4-bit)")
            }
            if depth % 2 == 1, codes[depth] != 0 {
                throw OutlierModelError.inconsistentOutliers(file: file.name, tensor: nibbleTensor,
                                                             reason: "row \(output): the padding nibble after \(depth) codes is \(codes[depth]), must be 0")
            }
            pytorch += codes.prefix(depth)
        }
        let offsetsTensor = "ol4.\(name).outlier_offsets"
        let offsets = try int32s(offsetsTensor).map(Int.init)
        guard offsets.first == 0 else {
            throw OutlierModelError.inconsistentOutliers(file: file.name, tensor: offsetsTensor, reason: "offsets must start at 0, found \(offsets.first ?? -1)")
        }
        if let row = offsets.indices.dropLast().first(where: { offsets[$0] > offsets[$0 + 1] }) {
            throw OutlierModelError.inconsistentOutliers(file: file.name, tensor: offsetsTensor,
                                                         reason: "offsets decrease at row \(row) (\(offsets[row]) > \(offsets[row + 1]))")
        }
        let count = offsets.last ?? 0
        let (indexTensor, valueTensor) = ("ol4.\(name).outlier_index", "ol4.\(name).outlier_value")
        try checkList(indexTensor, dtype: .u16, count: count)
        try checkList(valueTensor, dtype: .i8, count: count)
        let rawIndices = Array(try file.rawBytes(indexTensor))
        let values = try int8s(valueTensor)
        for output in 0..<outputs {
            var previous = -1
            for entry in offsets[output]..<offsets[output + 1] {
                let index = Int(rawIndices[2 * entry]) | Int(rawIndices[2 * entry + 1]) << 8
                guard index < depth else {
                    throw OutlierModelError.valueOutOfRange(file: file.name, tensor: indexTensor, index: entry, value: "\(index)",
                                                            allowed: "0...\(depth - 1) (C_in · K of row \(output))")
                }
                guard index > previous else {
                    throw OutlierModelError.inconsistentOutliers(file: file.name, tensor: indexTensor,
                                                                 reason: "row \(output): indices not strictly ascending at entry \(entry) (\(index) after \(previous))")
                }
                previous = index
                let value = values[entry]
                guard OutlierConv.isOutlier(value) else {
                    throw OutlierModelError.valueOutOfRange(file: file.name, tensor: valueTensor, index: entry, value: "\(value)",
                                                            allowed: "-127...-8 or 8...127 (an outlier lies outside the 4-bit range)")
                }
                let slot = output * depth + index
                guard pytorch[slot] == 0 else {
                    throw OutlierModelError.inconsistentOutliers(file: file.name, tensor: nibbleTensor,
                                                                 reason: "row \(output): code \(index) is \(pytorch[slot]) but also an outlier; its nibble must be 0")
                }
                pytorch[slot] = value
            }
        }
        return OutlierConv(name: name, shape: shape, weightBits: 4, weights: PyTorchWeightOrder.kernelOrder(pytorch, shape: shape),
                           bias: try int32s("ol4.\(name).bias"), requantization: try requantization(name),
                           residualRescale: try residual(name))
    }

    /// A variable-length outlier list: dtype and shape `[count]`.
    private func checkList(_ name: String, dtype: TensorDType, count: Int) throws {
        let info = try file.tensor(name)
        guard info.dtype == dtype else {
            throw ModelError.wrongDType(file: file.name, tensor: name, expected: dtype.rawValue, found: info.dtype.rawValue)
        }
        guard info.shape == [count] else { throw ModelError.wrongShape(file: file.name, tensor: name, expected: [count], found: info.shape) }
    }
}
