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
        var steps = [Step]()
        let (input, output) = layout.placeResidualNetwork(
            stem: network.stem, blocks: network.blocks.map { ($0.conv1, $0.conv2, $0.shortcut) }, shape: \.shape, halo: halo
        ) { layer in
            let conv = layer.conv
            let packed = PackedInt8Conv(conv, kernel: kernel)
            ArenaLayout.checkOutput(layer.target, for: conv.shape, layer: conv.name)
            steps.append(Step(conv: packed,
                              input: ArenaLayout.inputStart(of: layer.source, for: conv.shape, paddedLength: packed.paddedInputLength,
                                                            layer: conv.name),
                              output: layer.target.interior, residual: layer.residual?.region.interior))
        }
        layout.reserve(PackedInt8Conv.inputSlack)
        self.steps = steps
        arenaCount = layout.count
        self.input = input
        self.output = output
        initialArena = layout.bytes(input: input, zeroPoints: network.input.zeroPoints)
    }
}
