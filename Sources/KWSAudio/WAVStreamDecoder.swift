/// Incremental WAV decoding for streams (stdin): header bytes first, then sample data of unknown length.
///
/// Feeding the bytes of a WAV file in chunks of any sizes yields exactly the samples, and at
/// ``finish()`` the warnings, that ``WAVDecoder`` gives for the whole file.
public struct WAVStreamDecoder {
    /// Decoding state once the header is known.
    private struct SampleData {
        let header: WAVHeader
        var assembler: PCMFrameAssembler
        /// Sample bytes accepted so far (never more than the declared size).
        var receivedByteCount = 0

        /// Bytes still to come before the declared size is reached; nil when the size is unknown.
        var remainingByteCount: Int? { header.declaredDataSize.map { $0 - receivedByteCount } }
    }

    private let name: String
    /// Header bytes collected so far; emptied once the header has been parsed.
    private var headerBuffer: [UInt8] = []
    /// Parsing is retried only once this many header bytes are present, so a header arriving one
    /// byte at a time is not re-parsed on every byte.
    /// Starts at 4 so a wrong RIFF tag is reported whole, as the file decoder reports it.
    private var headerBytesNeeded = 4
    private var sampleData: SampleData?
    /// A header error, reported again by every later ``feed(_:)``.
    private var failure: WAVError?

    /// Creates a decoder; `name` (e.g. "stdin") is used in errors and warnings.
    public init(name: String) {
        self.name = name
    }

    /// The validated format; nil until the header (up to the `data` chunk) has been parsed.
    public var format: WAVFormat? { sampleData?.header.format }

    /// Mono samples decoded from `bytes` (may be empty). An incomplete final frame is carried over
    /// to the next call; bytes after the end of a declared data size are ignored.
    /// - Throws: ``WAVError`` as soon as the header bytes received are invalid, and again on later calls.
    public mutating func feed(_ bytes: [UInt8]) throws -> [Float] {
        if let failure { throw failure }
        if sampleData != nil { return decodeSamples(bytes[...]) }

        headerBuffer.append(contentsOf: bytes)
        guard headerBuffer.count >= headerBytesNeeded else { return [] }
        let outcome: WAVHeaderParser.Outcome
        do {
            outcome = try WAVHeaderParser.parse(headerBuffer, name: name)
        } catch let error as WAVError {
            failure = error
            headerBuffer = []
            throw error
        }
        switch outcome {
        case let .incomplete(shortfall):
            headerBytesNeeded = shortfall.neededByteCount
            return []
        case let .complete(header):
            let format = header.format
            sampleData = SampleData(header: header,
                                    assembler: PCMFrameAssembler(encoding: format.encoding, channels: format.channels))
            let buffered = headerBuffer
            headerBuffer = []
            return decodeSamples(buffered[min(header.dataOffset, buffered.count)...])
        }
    }

    /// Ends the input and returns warnings about it, e.g. a partial final frame, sample data shorter
    /// than declared, or a header that never completed (then no samples were decoded).
    public mutating func finish() -> [String] {
        if failure != nil { return [] }
        if let sampleData {
            return WAVDataWarnings.atEnd(name: name, header: sampleData.header,
                                         presentByteCount: sampleData.receivedByteCount)
        }
        do {
            try requireCompleteHeader()
        } catch {
            return ["\(error)"]
        }
        return []
    }

    /// At the end of the input: throws the ``WAVError`` that ``WAVDecoder`` throws for a whole file ending
    /// where this input did, when it ended before the header was complete (then no samples were decoded).
    /// Does nothing once the header is known, or after a header error (``feed(_:)`` has thrown it).
    public func requireCompleteHeader() throws {
        guard failure == nil, sampleData == nil else { return }
        // The whole input was header bytes: fail on them exactly as WAVDecoder would.
        if case let .incomplete(shortfall) = try WAVHeaderParser.parse(headerBuffer, name: name) {
            throw shortfall.error(file: name, availableByteCount: headerBuffer.count)
        }
    }

    /// Decodes sample bytes up to the declared data size.
    private mutating func decodeSamples(_ bytes: ArraySlice<UInt8>) -> [Float] {
        // Mutating through optional chaining keeps the assembler's pending bytes uniquely referenced.
        guard sampleData != nil else { return [] }
        let usable = sampleData?.remainingByteCount.map { bytes.prefix($0) } ?? bytes
        sampleData?.receivedByteCount += usable.count
        return sampleData?.assembler.decode(usable) ?? []
    }
}
