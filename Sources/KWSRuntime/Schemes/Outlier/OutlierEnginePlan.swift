import CKWSKernels

/// Where each layer of an ``OutlierEngine`` reads and writes: dense codes in a u8 arena laid out as
/// ``Int8EnginePlan``'s (halo rows hold the code of real 0: the zero points for the input, 0 after a ReLU),
/// and each activation tensor's outlier list in one flat buffer, a slice of capacity `length × channels`.
struct OutlierEnginePlan {
    typealias Region = ArenaRegion

    /// An activation tensor: its dense region and its slice of the outlier buffer.
    struct Tensor {
        let name: String
        let region: Region
        let outliers: Int
        var capacity: Int { region.length * region.channels }
    }

    struct Step {
        let conv: PackedOutlierConv
        /// Arena offset of the layer's first padding row.
        let input: Int
        /// Index into ``tensors`` of the input, nil for the stem (u8 MFCCs have no outlier list).
        let inputTensor: Int?
        let output: Int
        let residual: Int?
    }

    let steps: [Step]
    /// Activation tensors in production order: `stem`, then per block `shortcut` (projection only),
    /// `conv1`, `out`, named as the calibration names them.
    let tensors: [Tensor]
    let input: Region
    let arenaCount: Int
    let outlierCount: Int
    let operandBytes: Int
    let accumulatorCount: Int
    /// The arena with every halo already filled.
    let initialArena: [UInt8]

    init(network: OutlierTCResNet) {
        let halo = network.convolutions.map(\.shape.padding).max() ?? 0
        let codeMax = network.activationCodeMax
        var layout = ArenaLayout()
        var outlierCount = 0
        var tensors = [Tensor]()
        func tensor(_ name: String, length: Int, channels: Int, halo: Int) -> Int {
            let region = layout.allocate(length: length, channels: channels, halo: halo)
            tensors.append(Tensor(name: name, region: region, outliers: outlierCount))
            outlierCount += length * channels
            return tensors.count - 1
        }
        var steps = [Step]()
        func append(_ conv: OutlierConv, from source: Region, sourceTensor: Int?, to target: Int, residual: Int?) {
            let packed = PackedOutlierConv(conv, codeMax: codeMax)
            ArenaLayout.checkOutput(tensors[target].region, for: conv.shape, layer: conv.name)
            steps.append(Step(conv: packed,
                              input: ArenaLayout.inputStart(of: source, for: conv.shape, paddedLength: packed.paddedInputLength,
                                                            layer: conv.name),
                              inputTensor: sourceTensor, output: target, residual: residual))
        }
        let stem = network.stem.shape
        let input = layout.allocate(length: stem.inputLength, channels: stem.inputChannels, halo: halo)
        var current = tensor("stem", length: stem.outputLength, channels: stem.outputChannels, halo: halo)
        append(network.stem, from: input, sourceTensor: nil, to: current, residual: nil)
        for (index, block) in network.blocks.enumerated() {
            let (length, channels) = (block.conv1.shape.outputLength, block.conv1.shape.outputChannels)
            var residual = current
            if let shortcut = block.shortcut {
                residual = tensor("blocks.\(index).shortcut", length: length, channels: channels, halo: 0)
                append(shortcut, from: tensors[current].region, sourceTensor: current, to: residual, residual: nil)
            }
            let hidden = tensor("blocks.\(index).conv1", length: length, channels: channels, halo: halo)
            append(block.conv1, from: tensors[current].region, sourceTensor: current, to: hidden, residual: nil)
            let output = tensor("blocks.\(index).out", length: length, channels: channels, halo: halo)
            append(block.conv2, from: tensors[hidden].region, sourceTensor: hidden, to: output, residual: residual)
            current = output
        }
        layout.reserve(PackedOutlierConv.inputSlack)
        self.steps = steps
        self.tensors = tensors
        self.input = input
        arenaCount = layout.count
        self.outlierCount = Swift.max(outlierCount, 1)
        operandBytes = Swift.max(steps.map(\.conv.operandBytes).max() ?? 1, 1)
        accumulatorCount = Swift.max(steps.map(\.conv.accumulatorCount).max() ?? 1, 1)
        initialArena = layout.bytes(input: input, zeroPoints: network.input.zeroPoints)
    }
}
