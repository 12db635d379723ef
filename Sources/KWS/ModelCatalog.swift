import Foundation
import KWSRuntime

/// Finds shipped models by name (`tc-resnet8`) or a model file by path.
///
/// Search order for names: the directories in `KWS_MODEL_PATH` (colon-separated), `./Models`, the
/// `Models/` folder of the checkout the executable was built in, and `<prefix>/share/kws/models` beside an
/// installed `bin/kws` or `lib/libkws.so`.
public enum ModelCatalog {
    /// The model used when none is named: the always-on TC-ResNet14-1.5 with its int8 parameters and its
    /// measured operating points (Models/README.md, "Always-on models"); the file also holds the float
    /// weights, so `--engine float` runs it too.
    public static let defaultModelName = "tc-resnet14-1.5-ao-int8"

    /// Directories searched for shipped models, in order (only those that exist).
    public static var searchDirectories: [URL] {
        var candidates = [URL]()
        if let list = ProcessInfo.processInfo.environment["KWS_MODEL_PATH"] {
            candidates += list.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        }
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
        var seen = Set<String>()
        return candidates.filter { url in
            var isDirectory: ObjCBool = false
            let path = url.standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
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
