import Foundation
import KWSAudio
import KWSTestSupport
import XCTest

/// The committed WAV fixtures and what `make_fixtures.py` (numpy) says they decode to.
struct WAVFixtureCorpus: Decodable {
    /// Expected decode of a valid fixture, computed by numpy from the raw sample bytes.
    struct Valid: Decodable {
        let encoding: String
        let channels: Int
        let sample_rate: Int
        let block_align: Int
        let sample_count: Int
        /// FNV-1a 64 over the little-endian float32 bit patterns of all samples.
        let fnv1a64: String
        let first: [Double]
        let last: [Double]
        /// Each must occur in one of the decoder's warnings; empty means no warnings at all.
        let warning_substrings: [String]
    }

    /// The error a malformed fixture must produce.
    struct Malformed: Decodable {
        let error: String
        let offset: Int
    }

    let valid: [String: Valid]
    let malformed: [String: Malformed]

    static let directory = "Tests/KWSAudioTests/Fixtures/wav"

    static func load() throws -> WAVFixtureCorpus {
        let data = try Data(contentsOf: TestPaths.file("\(directory)/expected.json"))
        return try JSONDecoder().decode(WAVFixtureCorpus.self, from: data)
    }

    static func validURL(_ name: String) -> URL { TestPaths.file("\(directory)/valid/\(name)") }
    static func malformedURL(_ name: String) -> URL { TestPaths.file("\(directory)/malformed/\(name)") }

    static func bytes(of url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
}

/// Checksum matching `fnv1a64` in make_fixtures.py.
func fnv1a64(_ samples: [Float]) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for sample in samples {
        var bits = sample.bitPattern
        for _ in 0..<4 {
            hash = (hash ^ UInt64(bits & 0xFF)) &* 0x100_0000_01B3
            bits >>= 8
        }
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// The case name of a WAVError, as make_fixtures.py writes it. Exhaustive, so a new case must be added here.
func caseName(_ error: WAVError) -> String {
    switch error {
    case .unreadableFile: return "unreadableFile"
    case .emptyFile: return "emptyFile"
    case .notRIFF: return "notRIFF"
    case .unsupportedRF64: return "unsupportedRF64"
    case .notWAVE: return "notWAVE"
    case .truncatedHeader: return "truncatedHeader"
    case .missingFormatChunk: return "missingFormatChunk"
    case .missingDataChunk: return "missingDataChunk"
    case .formatChunkTooShort: return "formatChunkTooShort"
    case .unsupportedFormatTag: return "unsupportedFormatTag"
    case .unsupportedSubformat: return "unsupportedSubformat"
    case .unsupportedBitsPerSample: return "unsupportedBitsPerSample"
    case .invalidValidBitsPerSample: return "invalidValidBitsPerSample"
    case .zeroChannels: return "zeroChannels"
    case .absurdChannelCount: return "absurdChannelCount"
    case .invalidSampleRate: return "invalidSampleRate"
    case .blockAlignMismatch: return "blockAlignMismatch"
    case .byteRateMismatch: return "byteRateMismatch"
    }
}

/// The Swift spelling of a SampleEncoding, as make_fixtures.py writes it.
func encodingName(_ encoding: SampleEncoding) -> String {
    switch encoding {
    case .unsignedInt8: return "unsignedInt8"
    case .signedInt16: return "signedInt16"
    case .signedInt24: return "signedInt24"
    case .signedInt32: return "signedInt32"
    case .float32: return "float32"
    case .float64: return "float64"
    }
}
