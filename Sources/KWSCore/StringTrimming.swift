extension String {
    /// The string without leading and trailing spaces and tabs: Foundation's
    /// `trimmingWhitespace()` (Unicode space separators and U+0009), which FoundationEssentials
    /// lacks.
    package func trimmingWhitespace() -> String { trimming { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator } }

    /// The string without leading and trailing white space and line breaks: Foundation's
    /// `trimmingWhitespaceAndNewlines()` (Unicode separators, U+0009–U+000D and U+0085).
    package func trimmingWhitespaceAndNewlines() -> String {
        trimming { scalar in
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return (0x09...0x0D).contains(scalar.value) || scalar.value == 0x85
            }
        }
    }

    private func trimming(_ isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
              let last = scalars.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
