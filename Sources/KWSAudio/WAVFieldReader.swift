/// Bounds-aware little-endian field reads over the bytes of a WAV header.
/// Callers check ``has(_:)`` before reading; reads past the end return zero instead of trapping.
struct WAVFieldReader {
    private let storage: [UInt8]

    init(_ bytes: [UInt8]) { storage = bytes }

    var count: Int { storage.count }

    /// Whether the first `byteCount` bytes are present (false for negative or overflowing counts too).
    func has(_ byteCount: Int) -> Bool { byteCount >= 0 && byteCount <= storage.count }

    func uint8(at offset: Int) -> UInt8 {
        offset >= 0 && offset < storage.count ? storage[offset] : 0
    }

    func uint16(at offset: Int) -> UInt16 {
        UInt16(uint8(at: offset)) | UInt16(uint8(at: offset + 1)) << 8
    }

    func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16
    }

    /// The bytes in `range`, clamped to what is present.
    func bytes(_ range: Range<Int>) -> [UInt8] {
        let clamped = range.clamped(to: 0..<storage.count)
        return Array(storage[clamped])
    }

    /// A four-character chunk or form id as text (non-ASCII bytes become "?").
    func fourCC(at offset: Int) -> String {
        String(decoding: bytes(offset..<offset + 4).map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    /// How an unexpected tag is shown in an error: quoted text if printable, else hex bytes.
    static func printable(_ bytes: [UInt8]) -> String {
        if !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "'" + String(decoding: bytes, as: UTF8.self) + "'"
        }
        return bytes.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + hex : hex
        }.joined(separator: " ")
    }
}
