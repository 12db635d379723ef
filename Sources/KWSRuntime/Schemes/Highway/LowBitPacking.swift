/// Signed k-bit codes (k = 2 or 4) packed into bytes.
///
/// File order (Models/FORMAT.md, "Precision highway models"): codes in PyTorch weight order, code `i` at bit
/// `(i·k) mod 8` of byte `⌊i·k / 8⌋`, two's complement; unused high bits of the last byte are 0. The
/// symmetric range is ±(2^(k−1) − 1), so the most negative pattern (−2 at 2 bits, −8 at 4) is never written.
///
/// Kernel order (kws_conv1d_hw.h): the quad operand's codes in blocks of 32 bytes, byte `j` of a block
/// holding codes `j + 32·p` of the block for `p` = 0…8/k − 1 in bits `k·p…k·p + k − 1`.
public enum LowBitPacking {
    /// Bytes for `codes` codes of `bits` bits in file order.
    public static func byteCount(codes: Int, bits: Int) -> Int { (codes * bits + 7) / 8 }

    /// Largest |code|: 1 for 2 bits (ternary), 7 for 4.
    public static func codeLimit(bits: Int) -> Int8 { Int8((1 << (bits - 1)) - 1) }

    /// File-order packing of codes within ±``codeLimit(bits:)``.
    public static func pack(_ codes: [Int8], bits: Int) -> [UInt8] {
        precondition(bits == 2 || bits == 4, "LowBitPacking: bits must be 2 or 4")
        let limit = codeLimit(bits: bits)
        precondition(codes.allSatisfy { abs($0) <= limit }, "LowBitPacking.pack: code outside ±\(limit)")
        let mask = UInt8((1 << bits) - 1)
        var bytes = [UInt8](repeating: 0, count: byteCount(codes: codes.count, bits: bits))
        for (index, code) in codes.enumerated() {
            bytes[index * bits / 8] |= (UInt8(bitPattern: code) & mask) << UInt8(index * bits % 8)
        }
        return bytes
    }

    /// The signed value of code `index` in file order (any bit pattern, −2^(k−1) included).
    public static func code(_ bytes: some RandomAccessCollection<UInt8>, index: Int, bits: Int) -> Int8 {
        let byte = bytes[bytes.index(bytes.startIndex, offsetBy: index * bits / 8)]
        let raw = (byte >> UInt8(index * bits % 8)) & UInt8((1 << bits) - 1)
        let sign = UInt8(1 << (bits - 1))
        return Int8(raw ^ sign) - Int8(sign)
    }

    /// The first `count` codes in file order.
    public static func unpack(_ bytes: some RandomAccessCollection<UInt8>, count: Int, bits: Int) -> [Int8] {
        precondition(bytes.count >= byteCount(codes: count, bits: bits), "LowBitPacking.unpack: too few bytes")
        return (0..<count).map { code(bytes, index: $0, bits: bits) }
    }

    /// Whether the bits after the last of `count` codes in `bytes` (file order) are not all zero.
    public static func hasStrayBits(_ bytes: some RandomAccessCollection<UInt8>, count: Int, bits: Int) -> Bool {
        let used = count * bits % 8
        guard used != 0, let last = bytes.last else { return false }
        return last >> UInt8(used) != 0
    }

    /// Bytes in one kernel-order block.
    public static let blockBytes = 32

    /// Codes in one kernel-order block.
    public static func blockCodes(bits: Int) -> Int { blockBytes * 8 / bits }

    /// Kernel-order packing of `codes` (already in the quad operand's order), zero-padded to whole blocks.
    public static func packKernelOrder(_ codes: [Int8], bits: Int) -> [UInt8] {
        let perBlock = blockCodes(bits: bits)
        let blocks = (codes.count + perBlock - 1) / perBlock
        let mask = UInt8((1 << bits) - 1)
        var bytes = [UInt8](repeating: 0, count: blocks * blockBytes)
        for (index, code) in codes.enumerated() {
            let (block, within) = index.quotientAndRemainder(dividingBy: perBlock)
            let (part, byte) = within.quotientAndRemainder(dividingBy: blockBytes)
            bytes[block * blockBytes + byte] |= (UInt8(bitPattern: code) & mask) << UInt8(part * bits)
        }
        return bytes
    }
}
