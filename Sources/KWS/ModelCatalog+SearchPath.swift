import FoundationEssentials
import KWSRuntime

extension ModelCatalog {
    /// The directories named by `KWS_MODEL_PATH` (colon-separated), in order, whether or not they exist.
    public static var environmentSearchDirectories: [URL] {
        guard let list = ProcessInfo.processInfo.environment["KWS_MODEL_PATH"] else { return [] }
        return list.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
    }

    /// The `KWS_MODEL_PATH` entries, then `extra`, the models folder of an embedding library's own
    /// installation, so the user's variable still wins. When one of `extra` exists (the library is installed),
    /// nothing else is searched; otherwise (a library in a build tree) ``searchDirectories`` follows. Only
    /// existing directories are kept, each once.
    public static func searchDirectories(inserting extra: [URL]) -> [URL] {
        let installed = existingOnce(extra)
        return existingOnce(environmentSearchDirectories + (installed.isEmpty ? searchDirectories : installed))
    }

    /// ``url(for:)`` searching ``searchDirectories(inserting:)`` for names; paths are taken as they are.
    public static func url(for nameOrPath: String, inserting extra: [URL]) throws -> URL {
        if isPath(nameOrPath) { return try url(for: nameOrPath) }
        let directories = searchDirectories(inserting: extra)
        for directory in directories {
            let url = directory.appendingPathComponent(nameOrPath + ".safetensors")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw KWSError.modelNotFound(name: nameOrPath, searched: directories.map(\.path))
    }

    /// Loads a model by name or path, searching `extra` directories as ``url(for:inserting:)`` does.
    public static func load(_ nameOrPath: String, inserting extra: [URL]) throws -> TCResNetModel {
        try TCResNetModel.load(contentsOf: url(for: nameOrPath, inserting: extra))
    }
}
