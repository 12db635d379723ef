import Foundation
import KWSTestSupport
import XCTest

/// A `make install-files` of the products this test run built, into a fresh temporary prefix, with
/// `Samples/c/detect.c` compiled against it the way a user would: `cc detect.c $(pkg-config ...)`.
final class InstalledPrefix {
    let root: URL
    /// The compiled C example.
    let detect: URL

    var kws: URL { root.appendingPathComponent("bin/kws") }
    var pkgConfigPath: String { root.appendingPathComponent("lib/pkgconfig").path }

    /// What programs run with: no loader path and no model path, so nothing is found but what the
    /// installation itself points to.
    var environment: [String: String] {
        ["LD_LIBRARY_PATH": "", "KWS_MODEL_PATH": "", "PKG_CONFIG_PATH": pkgConfigPath]
    }

    /// Installs; `compile: false` skips building the example.
    init(compile: Bool = true) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kws-capi-prefix-\(UUID().uuidString)")
        detect = root.appendingPathComponent("detect-example")
        let products = TestPaths.productsDirectory
        let library = products.appendingPathComponent("libKWSCAPI.so")
        guard FileManager.default.fileExists(atPath: library.path) else {
            throw InstallFailure("\(library.path) was not built; run 'swift build --build-tests' (make test does)")
        }
        try run("/usr/bin/env", ["make", "-s", "-C", TestPaths.repositoryRoot.path, "install-files", "PREFIX=\(root.path)",
                                 "CONFIG=debug", "BUILD_DIR=\(products.path)"], what: "make install-files")
        if compile {
            let source = TestPaths.file("Samples/c/detect.c").path
            try run("/bin/sh", ["-c", "cc -std=c99 -Wall -Wextra -Werror -pedantic -o \"$1\" \"$2\" $(pkg-config --cflags --libs kws)",
                                "sh", detect.path, source], what: "compiling Samples/c/detect.c")
        }
    }

    /// `make uninstall` for this prefix.
    func uninstall() throws {
        try run("/usr/bin/env", ["make", "-s", "-C", TestPaths.repositoryRoot.path, "uninstall", "PREFIX=\(root.path)"],
                what: "make uninstall")
    }

    /// Deletes the prefix, whatever is in it.
    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs a program of or against this installation.
    func run(_ executable: URL, _ arguments: [String], stdin: Data = Data(), environment extra: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(executable, arguments, stdin: stdin, environment: environment.merging(extra) { $1 })
    }

    private func run(_ executable: String, _ arguments: [String], what: String) throws {
        // MAKEFLAGS from an outer `make test` would hand the sub-make a jobserver it cannot reach.
        let result = try ProcessRunner.run(URL(fileURLWithPath: executable), arguments,
                                           environment: environment.merging(["MAKEFLAGS": "", "MAKELEVEL": ""]) { $1 })
        guard result.status == 0 else { throw InstallFailure("\(what) failed (\(result.status)):\n\(result.stdout)\(result.stderr)") }
    }
}

struct InstallFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
