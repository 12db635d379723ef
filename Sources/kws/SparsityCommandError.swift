/// Bad input to `kws info --stats` and `kws lab zena-sim`, printed as one line.
enum SparsityCommandError: Error, CustomStringConvertible {
    case missingAudio
    case noDirectory(String)
    case unreadableList(String)
    case noClips(directory: String, list: String?)
    case noReadableClips(Int)
    case notQuantized(String)
    case badCount(option: String, value: Int)
    case array(String)

    var description: String {
        switch self {
        case .missingAudio:
            return "--audio DIR is required: the zero-activation statistics are measured on real clips"
        case let .noDirectory(path):
            return "--audio \(path): no such directory"
        case let .unreadableList(path):
            return "--list \(path): cannot read the file"
        case let .noClips(directory, list):
            return "no *.wav clips under \(directory)" + (list.map { " listed in \($0)" } ?? "")
        case let .noReadableClips(count):
            return "none of the \(count) clips could be read"
        case let .notQuantized(model):
            return "model \(model) has no int8 parameters; zero statistics and the PE-array model run the int8 network "
                + "(use \(model)-int8, or make one with `kws lab quantize`)"
        case let .badCount(option, value):
            return "\(option) must be at least 1 (got \(value))"
        case let .array(reason):
            return reason
        }
    }
}
