import FoundationEssentials
import KWSAudio
import KWSCore

/// Reads the keyword events of a recording from a truth file: one event per line, `LABEL START END`
/// (label, then start and end in seconds with START < END, separated by spaces or tabs); blank lines and
/// lines starting with `#` are ignored. `Samples/sequence.txt` is one.
public enum TruthFile {
    /// The events of the file at `path`, in file order.
    /// - Throws: ``TruthFileError`` naming the file (and line) of the first problem.
    public static func load(path: String) throws -> [KeywordEvent] {
        // open(2)/read(2) rather than String(contentsOfFile:), which refuses devices such as /dev/null.
        let descriptor: FileContents.Descriptor
        do {
            descriptor = FileContents.Descriptor(try FileContents.openForReading(path))
        } catch {
            throw TruthFileError(file: path, line: 0, reason: "cannot open the file")
        }
        var bytes = [UInt8]()
        do {
            while case let chunk = try FileContents.readChunk(descriptor.fd, upTo: 1 << 16), !chunk.isEmpty { bytes += chunk }
        } catch {
            throw TruthFileError(file: path, line: 0, reason: "cannot read the file (\(error))")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw TruthFileError(file: path, line: 0, reason: "is not UTF-8 text") }
        return try parse(text, file: path)
    }

    /// The events in `text`; `file` names it in errors.
    /// - Throws: ``TruthFileError`` at the first line that is not an event, a blank line or a comment.
    public static func parse(_ text: String, file: String) throws -> [KeywordEvent] {
        var events = [KeywordEvent]()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine).trimmingWhitespaceAndNewlines()
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ reason: String) -> TruthFileError { TruthFileError(file: file, line: index + 1, reason: reason) }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count == 3 else {
                throw fail("expected LABEL START END (3 fields), found \(fields.count): \(line)")
            }
            guard let start = Double(fields[1]), start.isFinite, start >= 0 else {
                throw fail("start '\(fields[1])' is not a number of seconds ≥ 0")
            }
            guard let end = Double(fields[2]), end.isFinite else { throw fail("end '\(fields[2])' is not a number of seconds") }
            guard start < end else { throw fail("start \(fields[1]) is not before end \(fields[2])") }
            events.append(KeywordEvent(label: fields[0], start: start, end: end, line: index + 1))
        }
        return events
    }
}
