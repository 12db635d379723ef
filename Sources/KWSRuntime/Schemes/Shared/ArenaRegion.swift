/// One activation tensor in an engine's arena, laid out `[halo + length + halo][channels]`: the zero-padding
/// rows a convolution reads sit in memory around the real rows, and no layer ever writes them.
struct ArenaRegion: Equatable {
    /// Arena index of the first leading halo row.
    let offset: Int
    /// Real rows (time steps).
    let length: Int
    let channels: Int
    /// Padding rows on each side.
    let halo: Int

    /// Arena index of row 0, channel 0 (after the leading halo).
    var interior: Int { offset + halo * channels }
    /// Elements of the real rows.
    var count: Int { length * channels }
    /// Elements of the whole region, halos included.
    var elementCount: Int { (length + 2 * halo) * channels }
}
