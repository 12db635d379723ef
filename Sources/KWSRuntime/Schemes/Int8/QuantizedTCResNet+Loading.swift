import FoundationEssentials

extension QuantizedTCResNet {
    /// Reads and checks the `quant.` tensors of `file` (their presence, dtypes and shapes were already
    /// checked against ``Architecture/quantizedTensorSpecs(inputCoefficients:labelCount:)``): every input
    /// scale finite and positive, zero points and weights in range, every multiplier representable, and
    /// the s32 headroom rule of the kernels for every channel. Never recalibrates.
    init(_ context: SchemeLoadingContext) throws {
        let (file, architecture, inputFrames, inputCoefficients) =
            (context.file, context.architecture, context.inputFrames, context.inputCoefficients)
        let reader = QuantizedTensorReader(file: file)
        guard let text = file.metadata["quantization"] else {
            throw QuantizedModelError.malformedQuantizationMetadata(file: file.name, reason: "missing")
        }
        do {
            info = try JSONDecoder().decode(QuantizationInfo.self, from: Data(text.utf8))
        } catch {
            throw QuantizedModelError.malformedQuantizationMetadata(
                file: file.name, reason: String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        input = try reader.input(prefix: "quant")

        let shapes = architecture.convolutionShapes(inputFrames: inputFrames, inputCoefficients: inputCoefficients)
        var convolutions = [String: QuantizedConv]()
        for (name, shape) in zip(architecture.convolutionNames(), shapes) {
            convolutions[name] = try reader.convolution(name, shape: shape)
        }
        func conv(_ name: String) -> QuantizedConv? { convolutions[name] }
        guard let stem = conv("stem.conv") else { throw ModelError.missingTensor(file: file.name, tensor: "quant.stem.conv.weight") }
        self.stem = stem
        var blocks = [QuantizedBlock]()
        for index in 0..<architecture.blockCount {
            guard let conv1 = conv("blocks.\(index).conv1"), let conv2 = conv("blocks.\(index).conv2") else {
                throw ModelError.missingTensor(file: file.name, tensor: "quant.blocks.\(index).conv1.weight")
            }
            blocks.append(QuantizedBlock(conv1: conv1, conv2: conv2, shortcut: conv("blocks.\(index).shortcut.conv")))
        }
        self.blocks = blocks
        classifier = try reader.classifier(prefix: "quant")
    }
}

/// Typed reads of `quant.` tensors with range checks; errors name the file, tensor and index.
struct QuantizedTensorReader {
    let file: ModelFile

    func floats(_ name: String) throws -> [Float] { try file.floats(name) }

    func int32s(_ name: String) throws -> [Int32] {
        let raw = try file.rawBytes(name)
        return stride(from: raw.startIndex, to: raw.endIndex - 3, by: 4).map { (index: Int) -> Int32 in
            let low = UInt32(raw[index]) | UInt32(raw[index + 1]) << 8
            let high = UInt32(raw[index + 2]) << 16 | UInt32(raw[index + 3]) << 24
            return Int32(bitPattern: low | high)
        }
    }

    /// `<prefix>.input.scale` (every scale finite and positive, with a finite inverse) and its zero points.
    func input(prefix: String) throws -> QuantizedInput {
        let scales = try floats("\(prefix).input.scale")
        if let index = scales.firstIndex(where: { !($0.isFinite && $0 > 0 && (1 / $0).isFinite) }) {
            throw QuantizedModelError.valueOutOfRange(file: file.name, tensor: "\(prefix).input.scale", index: index,
                                                      value: "\(scales[index])", allowed: "finite positive numbers")
        }
        return QuantizedInput(scales: scales, zeroPoints: Array(try file.rawBytes("\(prefix).input.zero_point")))
    }

    /// `<prefix>.fc.weight` (s8 codes) and `<prefix>.fc.scale` (finite).
    func classifier(prefix: String) throws -> QuantizedClassifier {
        let scales = try floats("\(prefix).fc.scale")
        if let index = scales.firstIndex(where: { !$0.isFinite }) {
            throw QuantizedModelError.valueOutOfRange(file: file.name, tensor: "\(prefix).fc.scale", index: index,
                                                      value: "\(scales[index])", allowed: "finite numbers")
        }
        return QuantizedClassifier(weights: try weights("\(prefix).fc.weight"), outputScales: scales)
    }

    /// s8 codes, each in −127…127 (−128 would break the symmetric scheme's bounds).
    func weights(_ name: String) throws -> [Int8] {
        let codes = try file.rawBytes(name).map { Int8(bitPattern: $0) }
        if let index = codes.firstIndex(of: Int8.min) {
            throw QuantizedModelError.valueOutOfRange(file: file.name, tensor: name, index: index, value: "-128", allowed: "-127...127")
        }
        return codes
    }

    /// Per-channel multipliers; requantization ones (`minimumShift` 31) must be below 1 so the kernels'
    /// requantized values fit in s32.
    func multipliers(_ prefix: String, minimumShift: Int32 = 1) throws -> [FixedPointMultiplier] {
        let multipliers = try int32s("\(prefix).multiplier")
        let shifts = try int32s("\(prefix).shift")
        return try zip(multipliers, shifts).enumerated().map { index, pair in
            guard pair.1 >= minimumShift, let value = FixedPointMultiplier(multiplier: pair.0, shift: pair.1) else {
                let bad = pair.0 < 0 ? "\(prefix).multiplier" : "\(prefix).shift"
                throw QuantizedModelError.valueOutOfRange(file: file.name, tensor: bad, index: index,
                                                          value: pair.0 < 0 ? "\(pair.0)" : "\(pair.1)",
                                                          allowed: pair.0 < 0 ? "0...2147483647" : "\(minimumShift)...62")
            }
            return value
        }
    }

    func convolution(_ name: String, shape: TemporalConvShape) throws -> QuantizedConv {
        let prefix = "quant.\(name)"
        let weights = PyTorchWeightOrder.kernelOrder(try weights("\(prefix).weight"), shape: shape)
        var residual: [FixedPointMultiplier]?
        if name.hasSuffix(".conv2") {
            residual = try multipliers("quant.\(name.dropLast(".conv2".count)).residual")
        }
        let conv = QuantizedConv(name: name, shape: shape, weights: weights, bias: try int32s("\(prefix).bias"),
                                 requantization: try multipliers(prefix, minimumShift: FixedPointMultiplier.requantizationMinimumShift),
                                 residualRescale: residual)
        if let channel = QuantizedConvBounds.firstOverflowingChannel(conv) {
            throw QuantizedModelError.accumulatorOverflow(file: file.name, tensor: "\(prefix).bias", channel: channel)
        }
        return conv
    }
}
