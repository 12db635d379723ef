import Foundation
import KWS
import XCTest

/// `WAVDirectory`, the one reader of clip directories: sorted, case-insensitive `.wav`, and a one-line
/// `DirectoryError` for a missing directory instead of Foundation's NSCocoaErrorDomain Code=260 dump.
final class WAVDirectoryTests: XCTestCase {
    private func tree() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kws-dir-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        for path in ["yes/b.wav", "yes/a.WAV", "yes/notes.txt", "no/deep/c.wav", "_unknown_/d.wav", "top.wav"] {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        }
        // A link back up must not loop.
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("no/loop").path, withDestinationPath: root.path)
        return root
    }

    func testRecursiveListingIsSortedAndCaseInsensitive() throws {
        let root = try tree()
        XCTAssertEqual(try WAVDirectory.wavFiles(under: root.path), ["_unknown_/d.wav", "no/deep/c.wav", "top.wav", "yes/a.WAV", "yes/b.wav"])
    }

    func testLabelledFoldersHoldTheirOwnClips() throws {
        let folders = try WAVDirectory.labelledFolders(in: try tree().path)
        XCTAssertEqual(folders.map(\.folder), ["_unknown_", "no", "yes"])
        XCTAssertEqual(folders.map(\.files), [["d.wav"], [], ["a.WAV", "b.wav"]])
    }

    func testAMissingDirectoryIsOneLineNamingIt() throws {
        let path = "/nonexistent/kws-clips"
        XCTAssertThrowsError(try WAVDirectory.wavFiles(under: path)) { error in
            XCTAssertEqual(error as? DirectoryError, .missing(path))
            XCTAssertEqual("\(error)", "/nonexistent/kws-clips: no such directory")
        }
        var evaluation = Evaluation(labels: ["_silence_", "_unknown_", "yes"])
        XCTAssertThrowsError(try evaluation.clips(in: URL(fileURLWithPath: path))) { error in
            XCTAssertEqual(error as? DirectoryError, .missing(path))
        }
    }

    func testAFileIsNotADirectory() throws {
        let file = try tree().appendingPathComponent("top.wav").path
        XCTAssertFalse(WAVDirectory.isDirectory(file))
        XCTAssertThrowsError(try WAVDirectory.entries(of: file)) { XCTAssertEqual($0 as? DirectoryError, .notADirectory(file)) }
    }
}
