import Foundation
import KWSTestSupport

extension CLITestCase {
    /// Runs `command` with `sh -c` in the repository root, where README's relative paths hold, with `$KWS` set
    /// to the binary under test and `kws` on the PATH (so README and Makefile lines run as written).
    func shellInRepository(_ command: String) throws -> ProcessResult {
        let bin = TestPaths.kwsBinary.deletingLastPathComponent().path
        return try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd '\(TestPaths.repositoryRoot.path)' && \(command)"],
                                     environment: ["KWS": TestPaths.kwsBinary.path,
                                                   "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
    }
}
