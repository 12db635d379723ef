import CKWSKernels

/// Where each layer of a ``FloatEngine`` reads and writes, fixed at init so inference only runs kernels.
///
/// Every activation lives in one `[Float]` arena as `[halo + length + halo][channels]` with zero halo
/// rows, so a convolution reads its zero padding straight from memory: its input pointer starts
/// `padding` rows before the first real row, and no layer ever writes a halo row. Projection-shortcut
/// outputs have no halo (they are only added, never convolved).
struct FloatEnginePlan {
    /// One activation tensor in the arena.
    struct Region {
        let offset: Int
        let length: Int
        let channels: Int
        let halo: Int
        /// Arena index of row 0, channel 0 (after the leading halo).
        var interior: Int { offset + halo * channels }
        var floatCount: Int { (length + 2 * halo) * channels }
    }

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
        var arenaCount = 0
        func allocate(length: Int, channels: Int, halo: Int) -> Region {
            let region = Region(offset: arenaCount, length: length, channels: channels, halo: halo)
            arenaCount += region.floatCount
            return region
        }
        var parameters = [Float]()
        var steps = [Step]()
        func append(_ conv: TemporalConv, from source: Region, to target: Region, residual: Int?, relu: Bool) {
            let packed = PackedFloatConv(conv)
            let shape = conv.shape
            precondition(source.length == shape.inputLength && source.channels == shape.inputChannels
                && source.halo >= shape.padding && target.length == shape.outputLength
                && target.channels == shape.outputChannels, "\(conv.name): plan does not match layer shape")
            // The kernel reads rows [start, start + paddedInputLength) of the source region; they must
            // stay inside it (the last real row plus at most `halo` padding rows).
            let start = source.halo - shape.padding
            precondition(start + packed.paddedInputLength <= source.length + 2 * source.halo,
                         "\(conv.name): padded input runs past its region")
            steps.append(Step(name: conv.name, shape: packed.kernelShape,
                              input: source.offset + start * source.channels, output: target.interior,
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
        self.pooled = arenaCount
        arenaCount += current.channels
        self.steps = steps
        self.parameters = parameters
        self.arenaCount = arenaCount
        self.input = input
        self.output = current
    }
}
