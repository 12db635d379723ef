import FoundationEssentials

/// The parsed and layout-checked header of a safetensors file.
struct SafetensorsHeader {
    /// The format's own cap (safetensors rejects larger headers), so a corrupt length cannot make us
    /// hand gigabytes to the JSON parser.
    static let maximumHeaderLength: UInt64 = 100_000_000

    let metadata: [String: String]
    let tensors: [String: TensorInfo]
    /// File offset of the data section (8 + header length).
    let dataStart: Int

    init(bytes: [UInt8], file: String) throws {
        guard bytes.count >= 8 else { throw ModelError.fileTooShort(file: file, size: bytes.count) }
        let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(bytes.count - 8), headerLength <= Self.maximumHeaderLength else {
            throw ModelError.headerLengthOutOfRange(file: file, headerLength: headerLength, fileSize: bytes.count)
        }
        dataStart = 8 + Int(headerLength)
        let json: Any
        do {
            json = try JSONTree.parse(bytes[8..<dataStart])
        } catch {
            throw ModelError.headerNotJSON(file: file, reason: Self.oneLine(error))
        }
        guard let entries = json as? [String: Any] else { throw ModelError.headerNotObject(file: file) }
        metadata = try Self.parseMetadata(entries["__metadata__"], file: file)

        var tensors = [String: TensorInfo]()
        let dataSize = bytes.count - dataStart
        for name in entries.keys.sorted() where name != "__metadata__" {
            let info = try Self.parseTensor(name: name, entry: entries[name] as Any, file: file)
            let offsets = info.dataOffsets
            guard offsets.upperBound <= dataSize else {
                throw ModelError.tensorOffsetsOutOfRange(file: file, tensor: name, end: offsets.upperBound, dataSize: dataSize)
            }
            tensors[name] = info
        }
        try Self.checkCoverage(tensors: tensors, dataSize: dataSize, file: file)
        self.tensors = tensors
    }

    private static func parseMetadata(_ value: Any?, file: String) throws -> [String: String] {
        guard let value else { throw ModelError.missingMetadata(file: file) }
        guard let object = value as? [String: Any] else { throw ModelError.metadataNotStrings(file: file, key: "") }
        var metadata = [String: String]()
        for (key, entry) in object {
            guard let text = entry as? String else { throw ModelError.metadataNotStrings(file: file, key: key) }
            metadata[key] = text
        }
        return metadata
    }

    private static func parseTensor(name: String, entry: Any, file: String) throws -> TensorInfo {
        func malformed(_ why: String) -> ModelError { .malformedTensorEntry(file: file, tensor: name, reason: why) }
        guard let object = entry as? [String: Any] else { throw malformed("is not an object") }
        guard let dtypeName = object["dtype"] as? String else { throw malformed("has no string \"dtype\"") }
        guard let dtype = TensorDType(rawValue: dtypeName) else {
            throw ModelError.unknownDType(file: file, tensor: name, dtype: dtypeName)
        }
        guard let shape = integers(object["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw malformed("has no \"shape\" array of non-negative integers")
        }
        guard let offsets = integers(object["data_offsets"]), offsets.count == 2, offsets[0] >= 0 else {
            throw malformed("has no \"data_offsets\" pair of non-negative integers")
        }
        guard offsets[1] >= offsets[0] else {
            throw ModelError.tensorOffsetsReversed(file: file, tensor: name, begin: offsets[0], end: offsets[1])
        }
        var expectedBytes = dtype.byteSize
        for dimension in shape {
            let (product, overflow) = expectedBytes.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw malformed("has a shape \(shape) too large to address") }
            expectedBytes = product
        }
        guard offsets[1] - offsets[0] == expectedBytes else {
            throw ModelError.tensorSizeMismatch(file: file, tensor: name, expectedBytes: expectedBytes,
                                                foundBytes: offsets[1] - offsets[0])
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
    }

    /// The JSON value as integers, or nil unless it is an array of numbers that are exactly integers.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result = [Int]()
        for element in array {
            if let integer = element as? Int {
                result.append(integer)
            } else if let real = element as? Double, let integer = Int(exactly: real) {
                result.append(integer)
            } else {
                return nil
            }
        }
        return result
    }

    /// Sorted by start, each tensor must begin where the previous one ended and the last must end at
    /// the end of the data section.
    private static func checkCoverage(tensors: [String: TensorInfo], dataSize: Int, file: String) throws {
        let ordered = tensors.values.sorted {
            ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name)
                < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name)
        }
        var covered = 0
        var previous: TensorInfo?
        for info in ordered {
            if info.dataOffsets.lowerBound < covered, let previous {
                throw ModelError.tensorsOverlap(file: file, tensor: info.name, other: previous.name)
            }
            if info.dataOffsets.lowerBound > covered {
                throw ModelError.dataSectionNotCovered(file: file, offset: covered, dataSize: dataSize)
            }
            covered = info.dataOffsets.upperBound
            previous = info
        }
        guard covered == dataSize else {
            throw ModelError.dataSectionNotCovered(file: file, offset: covered, dataSize: dataSize)
        }
    }

    private static func oneLine(_ error: Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
