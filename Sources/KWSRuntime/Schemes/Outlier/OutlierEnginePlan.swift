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
        var tensorIndex = [String: Int]()
        var steps = [Step]()
        let (input, _) = layout.placeResidualNetwork(
            stem: network.stem, blocks: network.blocks.map { ($0.conv1, $0.conv2, $0.shortcut) }, shape: \.shape, halo: halo
        ) { layer in
            let conv = layer.conv
            tensors.append(Tensor(name: layer.name, region: layer.target, outliers: outlierCount))
            outlierCount += layer.target.count
            tensorIndex[layer.name] = tensors.count - 1
            let packed = PackedOutlierConv(conv, codeMax: codeMax)
            ArenaLayout.checkOutput(layer.target, for: conv.shape, layer: conv.name)
            steps.append(Step(conv: packed,
                              input: ArenaLayout.inputStart(of: layer.source, for: conv.shape, paddedLength: packed.paddedInputLength,
                                                            layer: conv.name),
                              inputTensor: layer.sourceName.flatMap { tensorIndex[$0] }, output: tensors.count - 1,
                              residual: layer.residual.flatMap { tensorIndex[$0.name] }))
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
