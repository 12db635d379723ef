/// The `wFormatTag` values a WAV reader meets, named so errors can say what a file holds.
enum WAVFormatTag {
    static let pcm = 0x0001
    static let ieeeFloat = 0x0003
    static let extensible = 0xFFFE

    /// A human name for a format tag, e.g. "A-law" for 6, or nil if it is not a common one.
    static func name(of tag: Int) -> String? {
        switch tag {
        case 0x0000: return "unknown/invalid"
        case 0x0001: return "PCM"
        case 0x0002: return "Microsoft ADPCM"
        case 0x0003: return "IEEE float"
        case 0x0006: return "A-law"
        case 0x0007: return "µ-law"
        case 0x0011: return "IMA ADPCM"
        case 0x0016: return "ITU G.723 ADPCM"
        case 0x0031: return "GSM 6.10"
        case 0x0040: return "ITU G.721 ADPCM"
        case 0x0050: return "MPEG"
        case 0x0055: return "MP3"
        case 0x00FF: return "AAC"
        case 0x0161, 0x0162, 0x0163: return "Windows Media Audio"
        case 0x2000: return "AC-3"
        case 0xF1AC: return "FLAC"
        case 0xFFFE: return "WAVE_FORMAT_EXTENSIBLE"
        default: return nil
        }
    }

    /// "0x0006 (A-law)" or "0x1234" when the tag has no common name.
    static func describe(_ tag: Int) -> String {
        let digits = String(tag, radix: 16, uppercase: true)
        let hex = "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return name(of: tag).map { "\(hex) (\($0))" } ?? hex
    }
}
