import Foundation
import KWSRuntime

extension ModelCatalog {
    /// The directories named by `KWS_MODEL_PATH` (colon-separated), in order, whether or not they exist.
    public static var environmentSearchDirectories: [URL] {
        guard let list = ProcessInfo.processInfo.environment["KWS_MODEL_PATH"] else { return [] }
        return list.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
    }

    /// ``searchDirectories`` with `extra` inserted right after the `KWS_MODEL_PATH` entries, so an
    /// embedding library can add the models folder of its own installation while the user's variable
    /// still wins. Only existing directories are kept, each once.
    public static func searchDirectories(inserting extra: [URL]) -> [URL] {
        var seen = Set<String>()
        return (environmentSearchDirectories + extra + searchDirectories).filter { url in
            var isDirectory: ObjCBool = false
            let path = url.standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
            return seen.insert(path).inserted
        }
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
