import FoundationEssentials
import Glibc

/// NumPy `.npy` (format 1.0) serialisation.
enum NPYFile {
    /// The length of ``header(float32Shape:)`` for a matrix of any row count (0…Int.max) and `columns`
    /// under 10¹⁸: the header is padded to a multiple of 64 bytes, and every such shape fits the same 128.
    /// A writer that learns the row count only at the end can hold the header's place and fill it in then.
    static let matrixHeaderByteCount = 128

    /// The magic, version and header dictionary of a little-endian float32 array in C order; the values follow
    /// as the machine holds them (x86-64 and arm64 Linux are little-endian).
    static func header(float32Shape shape: [Int]) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        // Magic (6) + version (2) + length (2) + header + newline must be a multiple of 64 bytes.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        return data
    }
}
