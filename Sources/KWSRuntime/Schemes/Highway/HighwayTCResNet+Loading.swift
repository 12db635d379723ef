import FoundationEssentials

extension HighwayQuantizationInfo {
    /// The `highway` metadata of `file`, or nil when it has none; bit widths checked against what the
    /// engine implements.
    static func read(from file: ModelFile) throws -> HighwayQuantizationInfo? {
        guard let text = file.metadata["highway"] else { return nil }
        let info: HighwayQuantizationInfo
        do {
            info = try JSONDecoder().decode(HighwayQuantizationInfo.self, from: Data(text.utf8))
        } catch {
            throw HighwayModelError.malformedMetadata(
                file: file.name, reason: String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        guard info.scheme == "highway" else {
            throw HighwayModelError.malformedMetadata(file: file.name, reason: "scheme is \"\(info.scheme)\", expected \"highway\"")
        }
        for (key, value) in [("weight_bits", info.weightBits), ("activation_bits", info.activationBits)]
        where !supportedBranchBits.contains(value) {
            throw HighwayModelError.unsupportedBitWidth(file: file.name, key: key, value: value, allowed: "2 or 4")
        }
        guard info.highwayBits == highwayBits else {
            throw HighwayModelError.unsupportedBitWidth(file: file.name, key: "highway_bits", value: info.highwayBits, allowed: "8")
        }
        return info
    }
}

extension HighwayTCResNet {
    /// Reads and checks the `hw.` tensors of `file` (presence, dtypes and shapes already checked against
    /// ``Architecture/highwayTensorSpecs(inputCoefficients:labelCount:weightBits:)``): input scales finite
    /// and positive, every code in its symmetric range and no stray bits after the last packed code, every
    /// multiplier representable, and per channel the s32 headroom of the kernels, including a requantized
    /// result that fits in s32. Errors name the tensor.
    init(_ context: SchemeLoadingContext, info: HighwayQuantizationInfo) throws {
        let (file, architecture, inputFrames, inputCoefficients) =
            (context.file, context.architecture, context.inputFrames, context.inputCoefficients)
        self.info = info
        let reader = QuantizedTensorReader(file: file)
        input = try reader.input(prefix: "hw")
        var shapes = architecture.convolutionShapes(inputFrames: inputFrames, inputCoefficients: inputCoefficients)[...]
        stem = try reader.highwayEightBit("stem.conv", shape: shapes.removeFirst())
        let activationMaximum = (1 << info.activationBits) - 1
        var blocks = [HighwayBlock]()
        for index in 0..<architecture.blockCount {
            let prefix = "blocks.\(index)"
            let shortcut = architecture.blockHasProjection(index)
                ? try reader.highwayEightBit("\(prefix).shortcut.conv", shape: shapes.removeFirst()) : nil
            let conv1 = try reader.branch("\(prefix).conv1", shape: shapes.removeFirst(), bits: info.weightBits,
                                          inputMaximum: activationMaximum, outputMaximum: activationMaximum, residual: nil)
            let conv2 = try reader.branch("\(prefix).conv2", shape: shapes.removeFirst(), bits: info.weightBits,
                                          inputMaximum: activationMaximum, outputMaximum: 255, residual: prefix)
            blocks.append(HighwayBlock(branchInput: try reader.branchRequantization(prefix, maximum: UInt8(activationMaximum)),
                                       conv1: conv1, conv2: conv2, shortcut: shortcut))
        }
        self.blocks = blocks
        classifier = try reader.classifier(prefix: "hw")
    }
}

extension QuantizedTensorReader {
    /// An 8-bit convolution under `hw.` with exactly the int8 rules (s8 codes, requantization below 1,
    /// the int8 headroom rule), so the int8 kernels run it unchanged.
    func highwayEightBit(_ name: String, shape: TemporalConvShape) throws -> QuantizedConv {
        let prefix = "hw.\(name)"
        let conv = QuantizedConv(name: name, shape: shape, weights: PyTorchWeightOrder.kernelOrder(try weights("\(prefix).weight"), shape: shape),
                                 bias: try int32s("\(prefix).bias"),
                                 requantization: try multipliers(prefix, minimumShift: FixedPointMultiplier.requantizationMinimumShift),
                                 residualRescale: nil)
        if let channel = QuantizedConvBounds.firstOverflowingChannel(conv) {
            throw QuantizedModelError.accumulatorOverflow(file: file.name, tensor: "\(prefix).bias", channel: channel)
        }
        return conv
    }

    /// A packed k-bit branch convolution; `residual` is the block prefix whose `residual.` multipliers conv2 adds.
    func branch(_ name: String, shape: TemporalConvShape, bits: Int, inputMaximum: Int, outputMaximum: Int,
                residual: String?) throws -> HighwayConv {
        let prefix = "hw.\(name)"
        let tensor = "\(prefix).weight"
        let packed = try file.rawBytes(tensor)
        let count = shape.weightCount
        let limit = LowBitPacking.codeLimit(bits: bits)
        var codes = [Int8](repeating: 0, count: count)
        for index in 0..<count {
            let code = LowBitPacking.code(packed, index: index, bits: bits)
            guard abs(code) <= limit else {
                throw QuantizedModelError.valueOutOfRange(file: file.name, tensor: tensor, index: index, value: "\(code)",
                                                          allowed: "-\(limit)...\(limit) (\(bits)-bit symmetric codes)")
            }
            codes[index] = code
        }
        if LowBitPacking.hasStrayBits(packed, count: count, bits: bits) {
            throw HighwayModelError.nonzeroPadding(file: file.name, tensor: tensor)
        }
        let rescale = try residual.map { try multipliers("hw.\($0).residual") }
        let conv = HighwayConv(name: name, shape: shape, weightBits: bits, weights: PyTorchWeightOrder.kernelOrder(codes, shape: shape),
                               bias: try int32s("\(prefix).bias"), requantization: try multipliers(prefix),
                               residualRescale: rescale, outputMaximum: outputMaximum)
        if let channel = HighwayConvBounds.firstOverflowingChannel(conv, inputMaximum: inputMaximum) {
            throw QuantizedModelError.accumulatorOverflow(file: file.name, tensor: "\(prefix).bias", channel: channel)
        }
        return conv
    }

    /// `hw.<block>.branch.{multiplier,shift}`: one value each, `m < 2^23`, `n ≤ 31`.
    func branchRequantization(_ block: String, maximum: UInt8) throws -> BranchRequantization {
        let multiplier = try int32s("hw.\(block).branch.multiplier")[0]
        let shift = try int32s("hw.\(block).branch.shift")[0]
        guard multiplier >= 0, UInt32(multiplier) < BranchRequantization.multiplierLimit else {
            throw QuantizedModelError.valueOutOfRange(file: file.name, tensor: "hw.\(block).branch.multiplier", index: 0,
                                                      value: "\(multiplier)", allowed: "0...8388607")
        }
        guard shift >= 0, UInt32(shift) <= BranchRequantization.shiftLimit else {
            throw QuantizedModelError.valueOutOfRange(file: file.name, tensor: "hw.\(block).branch.shift", index: 0,
                                                      value: "\(shift)", allowed: "0...31")
        }
        return BranchRequantization(multiplier: UInt32(multiplier), shift: UInt32(shift), maximum: maximum)
    }
}

/// The s32 headroom rule of a branch convolution: per channel, the largest |accumulator| (|bias| plus
/// Σ|w|·input maximum plus the rescaled largest skip code) and its requantized value stay below 2^31, so no
/// kernel variant wraps (the AVX-512 epilogue keeps requantized values in s32 lanes).
enum HighwayConvBounds {
    /// The first channel that breaks the rule, or nil.
    static func firstOverflowingChannel(_ conv: HighwayConv, inputMaximum: Int) -> Int? {
        let shape = conv.shape
        let limit = Int64(Int32.max)
        for channel in 0..<shape.outputChannels {
            var bound = abs(Int64(conv.bias[channel])) + 1
            for q in 0..<(shape.kernelSize * shape.inputChannels) {
                bound += Int64(abs(Int(conv.weights[q * shape.outputChannels + channel]))) * Int64(inputMaximum)
            }
            if let residual = conv.residualRescale {
                guard bound < limit else { return channel }
                bound += residual[channel].apply(255)
            }
            guard bound < limit, conv.requantization[channel].apply(bound) < limit else { return channel }
        }
        return nil
    }
}
