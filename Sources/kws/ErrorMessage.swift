import FoundationEssentials
import Glibc
import KWS

/// The one line an error is reported with: its own description, a nearest-name suggestion for a model name
/// that does not exist, and never a Foundation error dump.
enum ErrorMessage {
    static func text(for error: Error) -> String {
        if case let KWSError.modelNotFound(name, searched) = error {
            if ModelCatalog.isPath(name) { return "\(name): no such model file" }
            let names = ModelCatalog.shipped().map(\.name)
            return "no model named '\(name)'" + NameSuggestion.phrase(name, among: names)
                + " (looked in: \(searched.joined(separator: ", ")); 'kws models' lists them)"
        }
        // Every error kws expects has a one-line description; one it does not expect (a bug: ExitStatus.software)
        // gets the first line of its description, without the dump of a nested error.
        if ExitStatus(for: error) != .software { return String(describing: error) }
        return "internal error: " + (String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "")
    }
}
