import FoundationEssentials

/// Builds a safetensors file (Models/FORMAT.md): tensors are stored back to back in the order
/// appended, and the JSON header is padded with spaces to a multiple of 8 bytes so the data section
/// stays aligned, as the reference implementation does.
public struct ModelFileWriter {
    /// `__metadata__`.
    public var metadata: [String: String]
    private var entries: [(name: String, dtype: TensorDType, shape: [Int], bytes: [UInt8])] = []

    /// An empty file with `metadata`.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Appends an `F32` tensor; `floats.count` must equal the product of `shape`.
    public mutating func append(_ name: String, floats: [Float], shape: [Int]) {
        append(name, dtype: .f32, shape: shape, bytes: Self.littleEndian(floats.map(\.bitPattern)))
    }

    /// Appends a one-dimensional `I32` tensor.
    public mutating func append(_ name: String, int32s: [Int32]) {
        append(name, dtype: .i32, shape: [int32s.count], bytes: Self.littleEndian(int32s.map { UInt32(bitPattern: $0) }))
    }

    private static func littleEndian(_ words: [UInt32]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(words.count * 4)
        for bits in words {
            bytes += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                      UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
        }
        return bytes
    }

    /// Appends a tensor given as little-endian bytes; `bytes.count` must equal `dtype.byteSize` times
    /// the product of `shape`.
    public mutating func append(_ name: String, dtype: TensorDType, shape: [Int], bytes: [UInt8]) {
        precondition(bytes.count == shape.reduce(dtype.byteSize, *), "\(name): \(bytes.count) bytes do not fit \(dtype.rawValue) \(shape)")
        precondition(name != "__metadata__" && !entries.contains { $0.name == name }, "\(name): duplicate tensor name")
        entries.append((name, dtype, shape, bytes))
    }

    /// The complete file, with ``ModelFile/checksumKey`` set to the SHA-256 of its tensor data (whatever
    /// `metadata` said), so every file kws writes is verified when it is loaded.
    public func encoded() -> [UInt8] {
        var header = [String: Any]()
        var data = [UInt8]()
        for entry in entries {
            header[entry.name] = ["dtype": entry.dtype.rawValue, "shape": entry.shape,
                                  "data_offsets": [data.count, data.count + entry.bytes.count]] as [String: Any]
            data += entry.bytes
        }
        header["__metadata__"] = metadata.merging([ModelFile.checksumKey: SHA256.hex(data)]) { $1 }
        return Self.assemble(header: header, data: data[...])
    }

    /// Header length, JSON header (sorted keys, padded with spaces to a multiple of 8 bytes), data.
    static func assemble(header: [String: Any], data: ArraySlice<UInt8>) -> [UInt8] {
        // Only strings, integers, arrays and dictionaries, written as JSONSerialization's .sortedKeys wrote them.
        var json = JSONTree.serialize(header)
        json += [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
        var file = [UInt8]()
        file.reserveCapacity(8 + json.count + data.count)
        let length = UInt64(json.count)
        for byte in 0..<8 { file.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(byte)))) }
        file += json
        file += data
        return file
    }

    /// Writes ``encoded()`` to `url` atomically.
    public func write(to url: URL) throws {
        try Data(encoded()).write(to: url, options: .atomic)
    }
}
