import CKWSKernels

/// Where each layer of an ``Int8Engine`` reads and writes in its u8 arena, fixed at init.
///
/// As in ``FloatEnginePlan``, every activation is `[halo + length + halo][channels]` with halo rows no layer
/// writes; they hold the u8 code of real 0: 0 for post-ReLU activations, the per-coefficient zero point for
/// the input. The arena ends with ``PackedInt8Conv/inputSlack`` spare bytes the kernels may read.
struct Int8EnginePlan {
    typealias Region = ArenaRegion

    struct Step {
        let conv: PackedInt8Conv
        let input: Int
        let output: Int
        let residual: Int?
    }

    let steps: [Step]
    let arenaCount: Int
    let input: Region
    let output: Region
    /// The arena with every halo already filled (copy it once into the engine's buffer).
    let initialArena: [UInt8]

    /// Lays out `network` with every convolution packed for `kernel` (the engine's ``KernelTable`` entry).
    init(network: QuantizedTCResNet, kernel: kws_conv1d_u8s8_config) {
        let halo = network.convolutions.map(\.shape.padding).max() ?? 0
        var layout = ArenaLayout()
        func allocate(length: Int, channels: Int, halo: Int) -> Region {
            layout.allocate(length: length, channels: channels, halo: halo)
        }
        var steps = [Step]()
        func append(_ conv: QuantizedConv, from source: Region, to target: Region, residual: Int?) {
            let packed = PackedInt8Conv(conv, kernel: kernel)
            ArenaLayout.checkOutput(target, for: conv.shape, layer: conv.name)
            steps.append(Step(conv: packed,
                              input: ArenaLayout.inputStart(of: source, for: conv.shape, paddedLength: packed.paddedInputLength,
                                                            layer: conv.name),
                              output: target.interior, residual: residual))
        }
        let stem = network.stem.shape
        let input = allocate(length: stem.inputLength, channels: stem.inputChannels, halo: halo)
        var current = allocate(length: stem.outputLength, channels: stem.outputChannels, halo: halo)
        append(network.stem, from: input, to: current, residual: nil)
        for block in network.blocks {
            let (length, channels) = (block.conv1.shape.outputLength, block.conv1.shape.outputChannels)
            var residual = current.interior
            if let shortcut = block.shortcut {
                let projected = allocate(length: length, channels: channels, halo: 0)
                append(shortcut, from: current, to: projected, residual: nil)
                residual = projected.interior
            }
            let hidden = allocate(length: length, channels: channels, halo: halo)
            append(block.conv1, from: current, to: hidden, residual: nil)
            let output = allocate(length: length, channels: channels, halo: halo)
            append(block.conv2, from: hidden, to: output, residual: residual)
            current = output
        }
        layout.reserve(PackedInt8Conv.inputSlack)
        self.steps = steps
        arenaCount = layout.count
        self.input = input
        self.output = current
        initialArena = layout.bytes(input: input, zeroPoints: network.input.zeroPoints)
    }
}
