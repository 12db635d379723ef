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
        func allocate(length: Int, channels: Int, halo: Int) -> Region {
            layout.allocate(length: length, channels: channels, halo: halo)
        }
        var parameters = [Float]()
        var steps = [Step]()
        func append(_ conv: TemporalConv, from source: Region, to target: Region, residual: Int?, relu: Bool) {
            let packed = PackedFloatConv(conv)
            ArenaLayout.checkOutput(target, for: conv.shape, layer: conv.name)
            let input = ArenaLayout.inputStart(of: source, for: conv.shape, paddedLength: packed.paddedInputLength, layer: conv.name)
            steps.append(Step(name: conv.name, shape: packed.kernelShape, input: input, output: target.interior,
                              residual: residual, weights: parameters.count,
                              bias: parameters.count + packed.weights.count, relu: relu))
            parameters += packed.weights
            parameters += packed.bias
        }

        let input = allocate(length: model.stem.shape.inputLength, channels: model.stem.shape.inputChannels, halo: halo)
        var current = allocate(length: model.stem.shape.outputLength, channels: model.stem.shape.outputChannels, halo: halo)
        append(model.stem, from: input, to: current, residual: nil, relu: true)
        for block in model.blocks {
            let length = block.conv1.shape.outputLength
            let channels = block.conv1.shape.outputChannels
            var residual = current.interior
            if let shortcut = block.shortcut {
                let projected = allocate(length: length, channels: channels, halo: 0)
                append(shortcut, from: current, to: projected, residual: nil, relu: true)
                residual = projected.interior
            }
            let hidden = allocate(length: length, channels: channels, halo: halo)
            append(block.conv1, from: current, to: hidden, residual: nil, relu: true)
            let output = allocate(length: length, channels: channels, halo: halo)
            append(block.conv2, from: hidden, to: output, residual: residual, relu: true)
            current = output
        }
        pooled = layout.count
        layout.reserve(current.channels)
        self.steps = steps
        self.parameters = parameters
        arenaCount = layout.count
        self.input = input
        self.output = current
    }
}
