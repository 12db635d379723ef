import FoundationEssentials
import KWSRuntime

/// Finds shipped models by name (`tc-resnet8`) or a model file by path.
///
/// Search order for names: the directories in `KWS_MODEL_PATH` (colon-separated), then, for an installed
/// `<prefix>/bin/kws` (one whose `<prefix>/share/kws/models` exists), that directory and nothing else; for a
/// program run from a build tree, `./Models`, the `Models/` folder of the checkout the executable was built in,
/// and `share/kws/models` or `Models` in the executable's ancestors. An installed `libkws.so` searches
/// `KWS_MODEL_PATH` and its own prefix's models only (``searchDirectories(inserting:)``).
public enum ModelCatalog {
    /// The model used when none is named: the always-on TC-ResNet14-1.5 with its int8 parameters and its
    /// measured operating points (Models/README.md, "Always-on models"); the file also holds the float
    /// weights, so `--engine float` runs it too.
    public static let defaultModelName = "tc-resnet14-1.5-ao-int8"

    /// Directories searched for shipped models, in order (only those that exist).
    public static var searchDirectories: [URL] {
        if let installed = installedModelDirectory(forBinaryAt: executableURL) {
            return existingOnce(environmentSearchDirectories + [installed])
        }
        return existingOnce(environmentSearchDirectories + buildTreeSearchDirectories)
    }

    /// `<prefix>/share/kws/models` when it exists beside `binary`, a `<prefix>/bin/kws` or `<prefix>/lib/libkws.so.1`
    /// that `make install` put there; nil for a binary in a build tree (`.build/release/kws`).
    public static func installedModelDirectory(forBinaryAt binary: URL) -> URL? {
        let directory = binary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/kws/models")
        var isDirectory = false
        return FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory ? directory : nil
    }

    /// Where a program run from a checkout finds the models: `./Models`, the executable's ancestors, the checkout.
    private static var buildTreeSearchDirectories: [URL] {
        var candidates = [URL]()
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Models"))
        var directory = executableURL.deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory.appendingPathComponent("share/kws/models"))
            candidates.append(directory.appendingPathComponent("Models"))
            directory = directory.deletingLastPathComponent()
        }
        // The checkout this module was compiled from: lets tests and `swift run` find Models/.
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Models"))
        return candidates
    }

    /// The existing directories of `candidates`, each once, in order.
    static func existingOnce(_ candidates: [URL]) -> [URL] {
        var seen = Set<String>()
        return candidates.filter { url in
            var isDirectory = false
            let path = url.standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory else { return false }
            return seen.insert(path).inserted
        }
    }

    /// Resolves a model name or a path to a model file.
    public static func url(for nameOrPath: String) throws -> URL {
        if isPath(nameOrPath) {
            let url = URL(fileURLWithPath: nameOrPath)
            if FileManager.default.fileExists(atPath: url.path) { return url }
            throw KWSError.modelNotFound(name: nameOrPath, searched: [url.path])
        }
        let directories = searchDirectories
        for directory in directories {
            let url = directory.appendingPathComponent(nameOrPath + ".safetensors")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw KWSError.modelNotFound(name: nameOrPath, searched: directories.map(\.path))
    }

    /// Loads a model by name or path.
    public static func load(_ nameOrPath: String = defaultModelName) throws -> TCResNetModel {
        try TCResNetModel.load(contentsOf: url(for: nameOrPath))
    }

    /// Every shipped model, by name, from the first directory that holds each name.
    public static func shipped() -> [(name: String, url: URL)] {
        var found = [String: URL]()
        for directory in searchDirectories.reversed() {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files where file.hasSuffix(".safetensors") {
                found[String(file.dropLast(".safetensors".count))] = directory.appendingPathComponent(file)
            }
        }
        return found.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private static var executableURL: URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
    }
}
