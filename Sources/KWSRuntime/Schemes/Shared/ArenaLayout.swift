/// Lays out an engine's activations back to back in one arena, fixed at init, and checks that each
/// convolution's reads stay inside its input region; every scheme's plan builds on it.
struct ArenaLayout {
    /// Elements allocated so far: the arena's size once every region is placed.
    private(set) var count = 0

    /// The next `length × channels` region with `halo` padding rows on each side.
    mutating func allocate(length: Int, channels: Int, halo: Int) -> ArenaRegion {
        let region = ArenaRegion(offset: count, length: length, channels: channels, halo: halo)
        count += region.elementCount
        return region
    }

    /// `extra` elements past every region (the slack some kernels read beyond their last row).
    mutating func reserve(_ extra: Int) {
        count += extra
    }

    /// Arena index of the first row a convolution of `shape` reads from `source`: `padding` rows before its
    /// first real row. Traps unless `source` matches the layer and its `paddedLength` rows stay inside it.
    static func inputStart(of source: ArenaRegion, for shape: TemporalConvShape, paddedLength: Int, layer: String) -> Int {
        precondition(source.length == shape.inputLength && source.channels == shape.inputChannels
            && source.halo >= shape.padding, "\(layer): plan does not match layer shape")
        let first = source.halo - shape.padding
        precondition(first + paddedLength <= source.length + 2 * source.halo, "\(layer): padded input runs past its region")
        return source.offset + first * source.channels
    }

    /// Traps unless `target` has the rows and channels a convolution of `shape` writes.
    static func checkOutput(_ target: ArenaRegion, for shape: TemporalConvShape, layer: String) {
        precondition(target.length == shape.outputLength && target.channels == shape.outputChannels,
                     "\(layer): plan does not match layer shape")
    }

    /// A u8 arena of ``count`` zero bytes whose `input` halo rows hold each coefficient's zero point (the u8
    /// code of real 0 the stem must read as padding); every other halo holds 0, a ReLU output's real 0.
    func bytes(input: ArenaRegion, zeroPoints: [UInt8]) -> [UInt8] {
        var arena = [UInt8](repeating: 0, count: count)
        for row in 0..<(input.length + 2 * input.halo) where row < input.halo || row >= input.halo + input.length {
            for channel in 0..<input.channels { arena[input.offset + row * input.channels + channel] = zeroPoints[channel] }
        }
        return arena
    }
}
