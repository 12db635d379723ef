import Foundation

/// A Python interpreter that can import numpy, for tests that check kws against an independent numpy
/// reference: Training/.venv's (made by `make train-deps`) when present, else the first `python3` on PATH
/// that has numpy (CI machines ship one). nil when neither exists; such tests skip.
public enum NumpyPython {
    public static let url: URL? = {
        let venv = TestPaths.file("Training/.venv/bin/python")
        let onPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent("python3") }
        return ([venv] + onPath).first { candidate in
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else { return false }
            return (try? ProcessRunner.run(candidate, ["-c", "import numpy"]).status) == 0
        }
    }()
}
