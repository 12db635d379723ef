import CKWSKernels

/// Where each step of a ``HighwayEngine`` reads and writes in its u8 arena, fixed at init.
///
/// Every activation is `[halo + length + halo][channels]` with halo rows no step writes, holding the code of
/// real 0: 0 for the trunk and branch tensors (unsigned, zero point 0), the per-coefficient zero point for
/// the input. The arena ends with ``PackedInt8Conv/inputSlack`` spare bytes the kernels may read.
struct HighwayEnginePlan {
    typealias Region = ArenaRegion

    enum Step {
        /// An 8-bit convolution (stem, projection shortcut) on the int8 kernels.
        case eightBit(PackedInt8Conv, input: Int, output: Int)
        /// Trunk u8 → k-bit branch input, element-wise over `count` bytes.
        case branchInput(BranchRequantization, source: Int, target: Int, count: Int)
        /// A k-bit convolution: unpack its weights, run it, then clamp its output to `clamp` (conv1) if set.
        case branch(PackedHighwayConv, input: Int, output: Int, residual: Int?, clamp: UInt8?, count: Int)
    }

    let steps: [Step]
    let input: Region
    let output: Region
    /// Every activation tensor by the names the trainer's trace uses (`stem`, `blocks.0.branch`, ...).
    let named: [(name: String, region: Region)]
    /// Bytes of the largest unpacked weight operand.
    let scratchCount: Int
    /// The arena with every halo already filled.
    let initialArena: [UInt8]

    /// Lays out `network`, the 8-bit layers packed for `kernel` (the engine's ``KernelTable`` entry).
    init(network: HighwayTCResNet, kernel: kws_conv1d_u8s8_config) {
        let halo = ([network.stem.shape.padding] + network.branchConvolutions.map(\.shape.padding)).max() ?? 0
        var layout = ArenaLayout()
        var named = [(name: String, region: Region)]()
        func allocate(_ name: String, length: Int, channels: Int, halo: Int) -> Region {
            let region = layout.allocate(length: length, channels: channels, halo: halo)
            named.append((name, region))
            return region
        }
        func start(of source: Region, for shape: TemporalConvShape, paddedLength: Int) -> Int {
            ArenaLayout.inputStart(of: source, for: shape, paddedLength: paddedLength, layer: "highway")
        }
        var steps = [Step]()
        let stemShape = network.stem.shape
        let input = allocate("input", length: stemShape.inputLength, channels: stemShape.inputChannels, halo: halo)
        var current = allocate("stem", length: stemShape.outputLength, channels: stemShape.outputChannels, halo: halo)
        let stem = PackedInt8Conv(network.stem, kernel: kernel)
        steps.append(.eightBit(stem, input: start(of: input, for: stemShape, paddedLength: stem.paddedInputLength),
                               output: current.interior))
        var scratch = 0
        for (index, block) in network.blocks.enumerated() {
            let prefix = "blocks.\(index)"
            let branch = allocate("\(prefix).branch", length: current.length, channels: current.channels, halo: halo)
            steps.append(.branchInput(block.branchInput, source: current.interior, target: branch.interior, count: current.count))
            let (length, channels) = (block.conv1.shape.outputLength, block.conv1.shape.outputChannels)
            var residual = current.interior
            if let shortcut = block.shortcut {
                let projected = allocate("\(prefix).shortcut", length: length, channels: channels, halo: 0)
                let packed = PackedInt8Conv(shortcut, kernel: kernel)
                steps.append(.eightBit(packed, input: start(of: current, for: shortcut.shape, paddedLength: packed.paddedInputLength),
                                       output: projected.interior))
                residual = projected.interior
            }
            let hidden = allocate("\(prefix).conv1", length: length, channels: channels, halo: halo)
            let conv1 = PackedHighwayConv(block.conv1)
            steps.append(.branch(conv1, input: start(of: branch, for: block.conv1.shape, paddedLength: conv1.paddedInputLength),
                                 output: hidden.interior, residual: nil, clamp: block.branchInput.maximum, count: hidden.count))
            let output = allocate("\(prefix).out", length: length, channels: channels, halo: halo)
            let conv2 = PackedHighwayConv(block.conv2)
            steps.append(.branch(conv2, input: start(of: hidden, for: block.conv2.shape, paddedLength: conv2.paddedInputLength),
                                 output: output.interior, residual: residual, clamp: nil, count: output.count))
            scratch = max(scratch, conv1.unpackedCount, conv2.unpackedCount)
            current = output
        }
        layout.reserve(PackedInt8Conv.inputSlack)
        self.steps = steps
        self.input = input
        self.output = current
        self.named = named
        self.scratchCount = scratch
        initialArena = layout.bytes(input: input, zeroPoints: network.input.zeroPoints)
    }
}
