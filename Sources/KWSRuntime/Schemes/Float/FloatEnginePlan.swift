import CKWSKernels

/// Where each layer of a ``FloatEngine`` reads and writes, fixed at init so inference only runs kernels.
///
/// Every activation lives in one `[Float]` arena as `[halo + length + halo][channels]` with zero halo
/// rows, so a convolution reads its zero padding straight from memory: its input pointer starts
/// `padding` rows before the first real row, and no layer ever writes a halo row. Projection-shortcut
/// outputs have no halo (they are only added, never convolved).
struct FloatEnginePlan {
    typealias Region = ArenaRegion

    /// One kernel call; all positions are arena / parameter indices.
    struct Step {
        let name: String
        let shape: kws_conv1d_f32_shape
        let input: Int
        let output: Int
        let residual: Int?
        let weights: Int
        let bias: Int
        let relu: Bool
    }

    let steps: [Step]
    /// Packed weights and biases of every step, back to back.
    let parameters: [Float]
    /// Floats the arena needs.
    let arenaCount: Int
    /// Where `computeLogits` copies the features.
    let input: Region
    /// The last block's output, averaged over time by the classifier.
    let output: Region
    /// `output.channels` floats for the time-average.
    let pooled: Int

    init(model: TCResNetModel) {
        let halo = model.convolutions.map(\.shape.padding).max() ?? 0
        var layout = ArenaLayout()
        var parameters = [Float]()
        var steps = [Step]()
        let (input, output) = layout.placeResidualNetwork(
            stem: model.stem, blocks: model.blocks.map { ($0.conv1, $0.conv2, $0.shortcut) }, shape: \.shape, halo: halo
        ) { layer in
            let (conv, target) = (layer.conv, layer.target)
            let packed = PackedFloatConv(conv)
            ArenaLayout.checkOutput(target, for: conv.shape, layer: conv.name)
            let input = ArenaLayout.inputStart(of: layer.source, for: conv.shape, paddedLength: packed.paddedInputLength,
                                               layer: conv.name)
            steps.append(Step(name: conv.name, shape: packed.kernelShape, input: input, output: target.interior,
                              residual: layer.residual?.region.interior, weights: parameters.count,
                              bias: parameters.count + packed.weights.count, relu: true))
            parameters += packed.weights
            parameters += packed.bias
        }
        pooled = layout.count
        layout.reserve(output.channels)
        self.steps = steps
        self.parameters = parameters
        arenaCount = layout.count
        self.input = input
        self.output = output
    }
}
