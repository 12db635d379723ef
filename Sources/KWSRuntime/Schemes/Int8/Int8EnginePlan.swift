import CKWSKernels

/// Where each layer of an ``Int8Engine`` reads and writes in its u8 arena, fixed at init.
///
/// As in ``FloatEnginePlan``, every activation is `[halo + length + halo][channels]` with halo rows no layer
/// writes; they hold the u8 code of real 0: 0 for post-ReLU activations, the per-coefficient zero point for
/// the input. The arena ends with ``PackedInt8Conv/inputSlack`` spare bytes the kernels may read.
struct Int8EnginePlan {
    struct Region {
        let offset: Int
        let length: Int
        let channels: Int
        let halo: Int
        var interior: Int { offset + halo * channels }
        var byteCount: Int { (length + 2 * halo) * channels }
    }

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
        var arenaCount = 0
        func allocate(length: Int, channels: Int, halo: Int) -> Region {
            let region = Region(offset: arenaCount, length: length, channels: channels, halo: halo)
            arenaCount += region.byteCount
            return region
        }
        var steps = [Step]()
        func append(_ conv: QuantizedConv, from source: Region, to target: Region, residual: Int?) {
            let packed = PackedInt8Conv(conv, kernel: kernel)
            let shape = conv.shape
            precondition(source.length == shape.inputLength && source.channels == shape.inputChannels
                && source.halo >= shape.padding && target.length == shape.outputLength
                && target.channels == shape.outputChannels, "\(conv.name): plan does not match layer shape")
            let start = source.halo - shape.padding
            precondition(start + packed.paddedInputLength <= source.length + 2 * source.halo,
                         "\(conv.name): padded input runs past its region")
            steps.append(Step(conv: packed, input: source.offset + start * source.channels, output: target.interior,
                              residual: residual))
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
        arenaCount += PackedInt8Conv.inputSlack
        var arena = [UInt8](repeating: 0, count: arenaCount)
        let zeroPoints = network.input.zeroPoints
        for row in 0..<(input.length + 2 * input.halo) where row < input.halo || row >= input.halo + input.length {
            for channel in 0..<input.channels { arena[input.offset + row * input.channels + channel] = zeroPoints[channel] }
        }
        self.steps = steps
        self.arenaCount = arenaCount
        self.input = input
        self.output = current
        self.initialArena = arena
    }
}
