/// One convolution of a TC-ResNet as a plan places it: the activation it reads, the one it writes and, for a
/// block's conv2, the shortcut it adds. Activations are named as calibration and traces name them: `stem`,
/// then per block `blocks.<i>.shortcut` (projection only), `blocks.<i>.conv1` and `blocks.<i>.out`.
struct PlacedLayer<Conv> {
    let conv: Conv
    /// The activation it writes.
    let name: String
    let target: ArenaRegion
    let source: ArenaRegion
    /// nil for the stem, which reads the network input.
    let sourceName: String?
    /// The shortcut conv2 adds (the block input, or its projection); nil for every other layer.
    let residual: (name: String, region: ArenaRegion)?
}

extension ArenaLayout {
    /// Places the network input and every activation of a TC-ResNet in execution order, the layout the float,
    /// int8 and outlier plans share: halo rows of `halo` everywhere except projection outputs (only added,
    /// never convolved). `place` receives each convolution as soon as its output region exists.
    /// - Returns: the input region and the last block's output.
    mutating func placeResidualNetwork<Conv>(stem: Conv, blocks: [(conv1: Conv, conv2: Conv, shortcut: Conv?)],
                                             shape: (Conv) -> TemporalConvShape, halo: Int,
                                             place: (PlacedLayer<Conv>) -> Void) -> (input: ArenaRegion, output: ArenaRegion) {
        let stemShape = shape(stem)
        let input = allocate(length: stemShape.inputLength, channels: stemShape.inputChannels, halo: halo)
        var current = (name: "stem", region: allocate(length: stemShape.outputLength, channels: stemShape.outputChannels, halo: halo))
        place(PlacedLayer(conv: stem, name: current.name, target: current.region, source: input, sourceName: nil, residual: nil))
        for (index, block) in blocks.enumerated() {
            let (length, channels) = (shape(block.conv1).outputLength, shape(block.conv1).outputChannels)
            var residual = current
            if let shortcut = block.shortcut {
                residual = ("blocks.\(index).shortcut", allocate(length: length, channels: channels, halo: 0))
                place(PlacedLayer(conv: shortcut, name: residual.name, target: residual.region, source: current.region,
                                  sourceName: current.name, residual: nil))
            }
            let hidden = (name: "blocks.\(index).conv1", region: allocate(length: length, channels: channels, halo: halo))
            place(PlacedLayer(conv: block.conv1, name: hidden.name, target: hidden.region, source: current.region,
                              sourceName: current.name, residual: nil))
            let output = (name: "blocks.\(index).out", region: allocate(length: length, channels: channels, halo: halo))
            place(PlacedLayer(conv: block.conv2, name: output.name, target: output.region, source: hidden.region,
                              sourceName: hidden.name, residual: residual))
            current = output
        }
        return (input, current.region)
    }
}
