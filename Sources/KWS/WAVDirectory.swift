import Glibc

/// The one place that lists directories of clips, for `kws eval`, `detect`, `lab quantize` and the clip
/// statistics: sorted names, `.wav` matched case-insensitively, and a ``DirectoryError`` that names the
/// directory when it is missing or unreadable.
///
/// Not `FileManager.contentsOfDirectory`: on a missing directory it throws a raw `NSCocoaErrorDomain
/// Code=260` error that reached users as a multi-line dump.
public enum WAVDirectory {
    /// True when `path` is a directory (symbolic links followed).
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in directory `path` (without `.` and `..`), sorted.
    /// - Throws: ``DirectoryError`` when `path` is missing, not a directory or cannot be listed.
    public static func entries(of path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            let code = errno
            switch code {
            case ENOENT: throw DirectoryError.missing(path)
            case ENOTDIR: throw DirectoryError.notADirectory(path)
            case EACCES, EPERM: throw DirectoryError.unreadable(path, reason: "permission denied")
            default: throw DirectoryError.unreadable(path, reason: String(cString: strerror(code)))
            }
        }
        defer { closedir(directory) }
        var names = [String]()
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Paths of the `*.wav` files below `path`, relative to it, sorted. Symbolic links to files count; links
    /// to directories are not followed (no loops).
    /// - Throws: ``DirectoryError`` for `path` itself; unreadable subdirectories are skipped.
    public static func wavFiles(under path: String) throws -> [String] {
        var found = [String]()
        try collect(path, relative: "", into: &found)
        return found.sorted()
    }

    /// The subdirectories of `path` with the `.wav` files directly in each (names relative to the
    /// subdirectory), both sorted: the `<label>/*.wav` layout of labelled clips.
    /// - Throws: ``DirectoryError`` for `path` itself; unreadable subdirectories are skipped.
    public static func labelledFolders(in path: String) throws -> [(folder: String, files: [String])] {
        try entries(of: path).compactMap { folder in
            let full = join(path, folder)
            guard isDirectory(full), let names = try? entries(of: full) else { return nil }
            return (folder, names.filter { isWAVName($0) && !isDirectory(join(full, $0)) })
        }
    }

    /// Whether a file name ends in `.wav` (any case).
    public static func isWAVName(_ name: String) -> Bool { name.lowercased().hasSuffix(".wav") }

    /// `directory/name` without a doubled slash.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func collect(_ directory: String, relative: String, into found: inout [String]) throws {
        let names = relative.isEmpty ? try entries(of: directory) : ((try? entries(of: directory)) ?? [])
        for name in names {
            let full = join(directory, name)
            let path = relative.isEmpty ? name : relative + "/" + name
            var link = stat()
            guard lstat(full, &link) == 0 else { continue }
            if (link.st_mode & S_IFMT) == S_IFDIR {
                try collect(full, relative: path, into: &found)
            } else if isWAVName(name), !isDirectory(full) {
                found.append(path)
            }
        }
    }
}
