import FoundationEssentials
import KWSCore

/// A safetensors container: string metadata plus named tensors, checked for a consistent layout
/// (every tensor's byte range inside the data section, sized for its dtype and shape, no overlaps and
/// no stray bytes). It says nothing about what the tensors mean: ``TCResNetModel`` does that.
public struct ModelFile: Sendable {
    /// The file name used in error messages.
    public let name: String
    /// `__metadata__`: every value is a string, as safetensors requires.
    public let metadata: [String: String]
    /// Header entries by tensor name.
    public let tensors: [String: TensorInfo]

    private let bytes: [UInt8]
    private let dataStart: Int

    /// The metadata key holding the lowercase hex SHA-256 of the data section (every byte after the header).
    /// It covers the tensors, not the header, so metadata-only edits (an operating-point table, a name) keep
    /// it valid.
    public static let checksumKey = "data_sha256"

    /// The hex SHA-256 of the data section, computed now.
    public var dataSHA256: String { SHA256.hex(bytes[dataStart...]) }

    /// Whether the file carries ``checksumKey`` (and so passed the check at load): an older file without it
    /// loads, but nothing vouches for its tensor bytes.
    public var isChecksummed: Bool { metadata[Self.checksumKey] != nil }

    /// Reads and checks the file at `url`; errors name the file by its last path component.
    public static func load(contentsOf url: URL) throws -> ModelFile {
        let name = url.lastPathComponent
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(url.path)
        } catch {
            throw ModelError.unreadable(file: name, reason: "\(error)")
        }
        return try ModelFile(bytes: bytes, name: name)
    }

    /// Checks `bytes` as a safetensors file called `name` (used only in error messages), including the
    /// data checksum when the file carries one (before anything reads a tensor, so a damaged file is a
    /// checksum error rather than a stranger one).
    public init(bytes: [UInt8], name: String) throws {
        let header = try SafetensorsHeader(bytes: bytes, file: name)
        self.name = name
        self.bytes = bytes
        self.metadata = header.metadata
        self.tensors = header.tensors
        self.dataStart = header.dataStart
        if let expected = metadata[Self.checksumKey] {
            guard expected.count == 64, expected.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else {
                throw ModelError.malformedChecksum(file: name, found: expected)
            }
            let found = dataSHA256
            guard found == expected else { throw ModelError.checksumMismatch(file: name, expected: expected, found: found) }
        }
    }

    /// The file with ``checksumKey`` set to its data's SHA-256: the header is rewritten (metadata and tensor
    /// entries unchanged otherwise), the tensor bytes are copied untouched.
    public func stamped() -> [UInt8] {
        var header: [String: Any] = ["__metadata__": metadata.merging([Self.checksumKey: dataSHA256]) { $1 }]
        for (name, info) in tensors {
            header[name] = ["dtype": info.dtype.rawValue, "shape": info.shape,
                            "data_offsets": [info.dataOffsets.lowerBound, info.dataOffsets.upperBound]] as [String: Any]
        }
        return ModelFileWriter.assemble(header: header, data: bytes[dataStart...])
    }

    /// The tensor's raw little-endian bytes.
    public func rawBytes(_ tensorName: String) throws -> ArraySlice<UInt8> {
        let info = try tensor(tensorName)
        return bytes[(dataStart + info.dataOffsets.lowerBound)..<(dataStart + info.dataOffsets.upperBound)]
    }

    /// The tensor's elements in row-major order; it must be `F32`.
    public func floats(_ tensorName: String) throws -> [Float] {
        let info = try tensor(tensorName)
        guard info.dtype == .f32 else {
            throw ModelError.wrongDType(file: name, tensor: tensorName, expected: TensorDType.f32.rawValue,
                                        found: info.dtype.rawValue)
        }
        let raw = try rawBytes(tensorName)
        var values = [Float]()
        values.reserveCapacity(raw.count / 4)
        var index = raw.startIndex
        while index + 4 <= raw.endIndex {
            let bits = UInt32(raw[index]) | UInt32(raw[index + 1]) << 8 | UInt32(raw[index + 2]) << 16
                | UInt32(raw[index + 3]) << 24
            values.append(Float(bitPattern: bits))
            index += 4
        }
        return values
    }

    /// The header entry of `tensorName`.
    public func tensor(_ tensorName: String) throws -> TensorInfo {
        guard let info = tensors[tensorName] else { throw ModelError.missingTensor(file: name, tensor: tensorName) }
        return info
    }
}
