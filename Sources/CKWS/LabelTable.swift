import Glibc

/// The model's labels as C strings that live as long as the spotter, so every `const char *label` handed
/// to C (detections, classifications, `kws_label`) stays valid until `kws_spotter_free`.
final class LabelTable {
    let names: [String]
    private let cStrings: [UnsafeMutablePointer<CChar>]
    private let indexByName: [String: Int]

    init(_ names: [String]) throws {
        var copies = [UnsafeMutablePointer<CChar>]()
        for name in names {
            guard let copy = name.withCString({ strdup($0) }) else {
                copies.forEach { free($0) }
                throw CAPIError.outOfMemory(bytes: name.utf8.count + 1)
            }
            copies.append(copy)
        }
        self.names = names
        cStrings = copies
        indexByName = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    deinit { cStrings.forEach { free($0) } }

    var count: Int { names.count }

    /// The C string of label `index`, or nil when out of range.
    func cString(at index: Int) -> UnsafePointer<CChar>? {
        cStrings.indices.contains(index) ? UnsafePointer(cStrings[index]) : nil
    }

    /// The C string of a label by name (a detection's label is always one of the model's).
    func cString(named name: String) -> UnsafePointer<CChar>? {
        indexByName[name].flatMap(cString(at:))
    }
}
