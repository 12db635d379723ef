import Foundation

/// Where the repository and its built products are, for tests that read fixtures or run `kws`.
public enum TestPaths {
    /// The repository root (tests run from a checkout; fixtures are committed beside the tests).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file under the repository root, e.g. `fixture("Tests/KWSAudioTests/Fixtures/x.wav")`.
    public static func file(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent(relativePath)
    }

    /// The directory holding the test bundle, which is also where SwiftPM puts the `kws` executable.
    public static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    /// The `kws` binary under test (`KWS_BINARY` overrides).
    public static var kwsBinary: URL {
        if let path = ProcessInfo.processInfo.environment["KWS_BINARY"] { return URL(fileURLWithPath: path) }
        return productsDirectory.appendingPathComponent("kws")
    }
}
