import FoundationEssentials
import KWSCore

/// The `__metadata__` keys of Models/FORMAT.md, parsed and checked in the order the format lists them.
struct ModelMetadata {
    static let supportedFormatVersion = "1"

    let architecture: Architecture
    let labels: [String]
    let frontEnd: FrontEndConfig
    let batchNormEpsilon: Double
    let name: String
    let operatingPoints: OperatingPoints?

    init(file: ModelFile) throws {
        let fileName = file.name
        func required(_ key: String) throws -> String {
            guard let value = file.metadata[key] else { throw ModelError.missingMetadataKey(file: fileName, key: key) }
            return value
        }
        let version = try required("format_version")
        guard version.trimmingWhitespace() == Self.supportedFormatVersion else {
            throw ModelError.unsupportedFormatVersion(file: fileName, found: version)
        }
        let familyName = try required("architecture")
        guard let family = Architecture.Family(rawValue: familyName) else {
            throw ModelError.unknownArchitecture(file: fileName, found: familyName)
        }
        let width = try required("width_multiplier")
        guard let multiplier = Double(width.trimmingWhitespace()),
              let architecture = Architecture(family: family, widthMultiplier: multiplier)
        else { throw ModelError.badWidthMultiplier(file: fileName, found: width) }
        self.architecture = architecture
        labels = try Self.parseLabels(try required("labels"), file: fileName)
        frontEnd = try Self.parseFrontEnd(try required("frontend"), file: fileName)

        // Required, as FORMAT.md says: a default would silently run weights trained another way.
        let padding = try required("padding")
        guard padding == "symmetric" else { throw ModelError.unsupportedPadding(file: fileName, found: padding) }
        let epsilonText = try required("bn_epsilon")
        guard let epsilon = Double(epsilonText.trimmingWhitespace()), epsilon.isFinite, epsilon > 0 else {
            throw ModelError.badBatchNormEpsilon(file: fileName, found: epsilonText)
        }
        batchNormEpsilon = epsilon
        name = file.metadata["name"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.deletingPathExtension(fileName)
        if let table = file.metadata[OperatingPoints.metadataKey] {
            operatingPoints = try OperatingPoints(json: table, labels: labels, file: fileName)
        } else {
            operatingPoints = nil
        }
    }

    private static func parseLabels(_ text: String, file: String) throws -> [String] {
        guard let labels = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw ModelError.labelsNotStringArray(file: file)
        }
        guard !labels.isEmpty else { throw ModelError.emptyLabels(file: file) }
        var seen = Set<String>()
        for label in labels where !seen.insert(label).inserted {
            throw ModelError.duplicateLabel(file: file, label: label)
        }
        return labels
    }

    private static func parseFrontEnd(_ text: String, file: String) throws -> FrontEndConfig {
        let config: FrontEndConfig
        do {
            config = try JSONDecoder().decode(FrontEndConfig.self, from: Data(text.utf8))
        } catch {
            throw ModelError.malformedFrontEnd(file: file, reason: Self.decodingReason(error))
        }
        do {
            try config.validate()
        } catch {
            throw ModelError.unsupportedFrontEnd(file: file, reason: String(describing: error))
        }
        return config
    }

    /// A one-line reason from a `DecodingError` (its default description spans several lines).
    static func decodingReason(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _):
            return "key \"\(key.stringValue)\" is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\"\(path)\": \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not valid JSON" : "\"\(path)\": \(context.debugDescription)"
        default:
            return String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        }
    }

    /// `name` without its extension (the last "." and what follows, unless the "." begins the name): what
    /// `NSString.deletingPathExtension` gave for a file name.
    static func deletingPathExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
