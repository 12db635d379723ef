/// Signed 4-bit codes two per byte, as the model file stores dense weights: code `2k` in the low nibble of
/// byte `k`, code `2k + 1` in its high nibble, two's complement; an odd count leaves a zero high nibble.
public enum Int4Packing {
    /// Bytes for `count` codes.
    public static func byteCount(_ count: Int) -> Int { (count + 1) / 2 }

    /// Packs codes in −8…7 (callers pass −7…7; −8 is representable but never written).
    public static func pack(_ codes: [Int8]) -> [UInt8] {
        precondition(codes.allSatisfy { (-8...7).contains($0) }, "Int4Packing.pack: code outside −8…7")
        var bytes = [UInt8](repeating: 0, count: byteCount(codes.count))
        for (index, code) in codes.enumerated() {
            let nibble = UInt8(bitPattern: code) & 0x0F
            bytes[index / 2] |= index % 2 == 0 ? nibble : nibble << 4
        }
        return bytes
    }

    /// The signed code in the low (`high` false) or high nibble of `byte`.
    public static func nibble(_ byte: UInt8, high: Bool) -> Int8 {
        let raw = high ? byte >> 4 : byte & 0x0F
        return Int8(raw ^ 8) - 8
    }

    /// The first `count` codes of `bytes` (which must hold ``byteCount(_:)`` bytes).
    public static func unpack<C: Collection>(_ bytes: C, count: Int) -> [Int8] where C.Element == UInt8 {
        let array = Array(bytes)
        precondition(array.count >= byteCount(count), "Int4Packing.unpack: too few bytes")
        return (0..<count).map { nibble(array[$0 / 2], high: $0 % 2 == 1) }
    }
}
