/// Why a model file was rejected. Every case names the file and the header key, tensor or offset at
/// fault, and its ``description`` is one line a person can act on.
public enum ModelError: Error, CustomStringConvertible, Equatable, Sendable {
    // Reading the container (safetensors layout).
    /// The file could not be read at all.
    case unreadable(file: String, reason: String)
    /// Fewer than the 8 bytes that hold the header length.
    case fileTooShort(file: String, size: Int)
    /// The header length in bytes 0..<8 is larger than the rest of the file or than any sane header.
    case headerLengthOutOfRange(file: String, headerLength: UInt64, fileSize: Int)
    /// The header bytes are not valid UTF-8 JSON.
    case headerNotJSON(file: String, reason: String)
    /// The header is JSON but not an object.
    case headerNotObject(file: String)
    /// The header has no `__metadata__` entry.
    case missingMetadata(file: String)
    /// `__metadata__` is not an object whose values are all strings.
    case metadataNotStrings(file: String, key: String)
    /// A tensor entry lacks `dtype`, `shape` or `data_offsets`, or one of them has the wrong JSON type.
    case malformedTensorEntry(file: String, tensor: String, reason: String)
    /// A tensor's `dtype` is not a safetensors type name.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// `data_offsets` = `[begin, end]` with `end < begin`.
    case tensorOffsetsReversed(file: String, tensor: String, begin: Int, end: Int)
    /// `data_offsets` end past the data section.
    case tensorOffsetsOutOfRange(file: String, tensor: String, end: Int, dataSize: Int)
    /// The byte range does not hold `shape` elements of `dtype`.
    case tensorSizeMismatch(file: String, tensor: String, expectedBytes: Int, foundBytes: Int)
    /// Two tensors' byte ranges overlap.
    case tensorsOverlap(file: String, tensor: String, other: String)
    /// Bytes of the data section at `offset` belong to no tensor (a gap or trailing bytes).
    case dataSectionNotCovered(file: String, offset: Int, dataSize: Int)
    /// `data_sha256` is not 64 lowercase hex digits.
    case malformedChecksum(file: String, found: String)
    /// The SHA-256 of the data section is not the `data_sha256` the file was stamped with: its tensor bytes
    /// changed after it was written (a damaged copy, a flipped bit).
    case checksumMismatch(file: String, expected: String, found: String)

    // Reading the model (Models/FORMAT.md).
    /// A required `__metadata__` key is absent.
    case missingMetadataKey(file: String, key: String)
    /// `format_version` is not one this build reads.
    case unsupportedFormatVersion(file: String, found: String)
    /// `architecture` is not `tc-resnet8` or `tc-resnet14`.
    case unknownArchitecture(file: String, found: String)
    /// `width_multiplier` is not a positive number that leaves every layer at least one channel.
    case badWidthMultiplier(file: String, found: String)
    /// `labels` is not a JSON array of strings.
    case labelsNotStringArray(file: String)
    /// `labels` is an empty array.
    case emptyLabels(file: String)
    /// `labels` names the same label twice.
    case duplicateLabel(file: String, label: String)
    /// `frontend` is not the JSON of a front-end configuration.
    case malformedFrontEnd(file: String, reason: String)
    /// `frontend` describes features kws cannot compute.
    case unsupportedFrontEnd(file: String, reason: String)
    /// `padding` is not `symmetric`.
    case unsupportedPadding(file: String, found: String)
    /// `bn_epsilon` is not a finite positive number.
    case badBatchNormEpsilon(file: String, found: String)
    /// `operating_points` is not a valid operating-point table for the model's labels.
    case malformedOperatingPoints(file: String, reason: String)
    /// A tensor the architecture needs is absent.
    case missingTensor(file: String, tensor: String)
    /// A tensor the architecture does not have is present.
    case unexpectedTensor(file: String, tensor: String)
    /// A tensor has a different element type than the architecture needs.
    case wrongDType(file: String, tensor: String, expected: String, found: String)
    /// A tensor has a different shape than the architecture needs.
    case wrongShape(file: String, tensor: String, expected: [Int], found: [Int])
    /// `fc.weight` has a row per logit, and that is not one per label.
    case wrongLabelCount(file: String, labels: Int, fcRows: Int)
    /// A weight is NaN or infinite (`value` is its text, e.g. `nan` or `-inf`).
    case nonFiniteWeight(file: String, tensor: String, index: Int, value: String)
    /// A batch-norm running variance is negative.
    case negativeVariance(file: String, tensor: String, index: Int, value: Float)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason))"
        case let .fileTooShort(file, size):
            return "\(file): file is \(size) bytes, shorter than the 8-byte safetensors header length"
        case let .headerLengthOutOfRange(file, length, size):
            return "\(file): header length \(length) (bytes 0..<8) runs past the end of the \(size)-byte file"
        case let .headerNotJSON(file, reason):
            return "\(file): header (from offset 8) is not JSON: \(reason)"
        case let .headerNotObject(file):
            return "\(file): header (from offset 8) is JSON but not an object"
        case let .missingMetadata(file):
            return "\(file): header has no \"__metadata__\" entry"
        case let .metadataNotStrings(file, key):
            return key.isEmpty
                ? "\(file): \"__metadata__\" is not an object"
                : "\(file): metadata key \"\(key)\" is not a string (safetensors metadata values are strings)"
        case let .malformedTensorEntry(file, tensor, reason):
            return "\(file): tensor '\(tensor)': header entry \(reason)"
        case let .unknownDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)': unknown dtype \"\(dtype)\""
        case let .tensorOffsetsReversed(file, tensor, begin, end):
            return "\(file): tensor '\(tensor)': data_offsets [\(begin), \(end)] end before they begin"
        case let .tensorOffsetsOutOfRange(file, tensor, end, dataSize):
            return "\(file): tensor '\(tensor)': data_offsets end at \(end), past the \(dataSize)-byte data section"
        case let .tensorSizeMismatch(file, tensor, expected, found):
            return "\(file): tensor '\(tensor)': data_offsets span \(found) bytes but dtype × shape needs \(expected)"
        case let .tensorsOverlap(file, tensor, other):
            return "\(file): tensor '\(tensor)': data_offsets overlap those of '\(other)'"
        case let .dataSectionNotCovered(file, offset, dataSize):
            return "\(file): data section byte \(offset) of \(dataSize) belongs to no tensor"
        case let .malformedChecksum(file, found):
            return "\(file): data_sha256 \"\(found)\" is not 64 lowercase hex digits"
        case let .checksumMismatch(file, expected, found):
            return "\(file): tensor data does not match its checksum (data_sha256 \(expected), data hashes to \(found)): the file is damaged"
        case let .missingMetadataKey(file, key):
            return "\(file): metadata key \"\(key)\" is missing"
        case let .unsupportedFormatVersion(file, found):
            return "\(file): format_version \"\(found)\" is not supported (this build reads version 1)"
        case let .unknownArchitecture(file, found):
            return "\(file): architecture \"\(found)\" is unknown (expected tc-resnet8 or tc-resnet14)"
        case let .badWidthMultiplier(file, found):
            return "\(file): width_multiplier \"\(found)\" must be a number in (0, \(Architecture.maximumWidthMultiplier)] that leaves every layer ≥ 1 channel"
        case let .labelsNotStringArray(file):
            return "\(file): metadata \"labels\" is not a JSON array of strings"
        case let .emptyLabels(file):
            return "\(file): metadata \"labels\" is an empty array"
        case let .duplicateLabel(file, label):
            return "\(file): metadata \"labels\" names \"\(label)\" more than once"
        case let .malformedFrontEnd(file, reason):
            return "\(file): metadata \"frontend\" is not a front-end configuration: \(reason)"
        case let .unsupportedFrontEnd(file, reason):
            return "\(file): metadata \"frontend\" cannot be reproduced by kws: \(reason)"
        case let .unsupportedPadding(file, found):
            return "\(file): padding \"\(found)\" is not supported (expected \"symmetric\")"
        case let .badBatchNormEpsilon(file, found):
            return "\(file): bn_epsilon \"\(found)\" must be a finite number > 0"
        case let .malformedOperatingPoints(file, reason):
            return "\(file): metadata \"operating_points\" is not a valid operating-point table: \(reason)"
        case let .missingTensor(file, tensor):
            return "\(file): tensor '\(tensor)' is missing"
        case let .unexpectedTensor(file, tensor):
            return "\(file): tensor '\(tensor)' is not part of the architecture"
        case let .wrongDType(file, tensor, expected, found):
            return "\(file): tensor '\(tensor)' has dtype \(found), expected \(expected)"
        case let .wrongShape(file, tensor, expected, found):
            return "\(file): tensor '\(tensor)' has shape \(found), expected \(expected)"
        case let .wrongLabelCount(file, labels, rows):
            return "\(file): wrong label count: \(labels) labels but fc.weight has \(rows) rows"
        case let .nonFiniteWeight(file, tensor, index, value):
            return "\(file): tensor '\(tensor)' element \(index) is \(value)"
        case let .negativeVariance(file, tensor, index, value):
            return "\(file): tensor '\(tensor)' element \(index) is \(value), a variance must be ≥ 0"
        }
    }
}
