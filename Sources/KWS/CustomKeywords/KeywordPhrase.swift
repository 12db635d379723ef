/// A word or phrase a custom model is to hear (`kws train`), checked before any training starts.
///
/// The label is the phrase in lower case with its words joined by `_` ("Hey Kiwi" → `hey_kiwi`): a label has
/// no spaces, so truth files and `LABEL=X` thresholds keep one token per field.
public struct KeywordPhrase: Equatable, Sendable {
    /// The longest phrase, in words: longer ones do not fit a 1.5 s window when spoken at a normal rate.
    public static let maximumWords = 4
    /// The longest word, in characters.
    public static let maximumWordLength = 24

    /// The words, lower case, as the voices will say them.
    public let words: [String]
    /// The model label: `words` joined by `_`.
    public var label: String { words.joined(separator: "_") }
    /// The phrase as spoken.
    public var text: String { words.joined(separator: " ") }

    /// - Throws: ``KeywordPhraseError`` naming what is wrong with `phrase`.
    public init(_ phrase: String) throws {
        let words = phrase.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "_" }).map(String.init)
        guard !words.isEmpty else { throw KeywordPhraseError(phrase: phrase, reason: "is empty") }
        guard words.count <= Self.maximumWords else {
            throw KeywordPhraseError(phrase: phrase, reason: "has \(words.count) words; at most \(Self.maximumWords) fit the longest (1.5 s) window")
        }
        for word in words {
            // In a phrase, the message names the word at fault; a single word is the phrase itself.
            let which = words.count > 1 ? "'\(word)' " : ""
            // A voice says letters; a word without one has no phonemes to learn.
            guard word.contains(where: { $0.isLetter }) else {
                throw KeywordPhraseError(phrase: phrase, reason: "\(which)has no phonemes: write it in letters (e.g. 'seven' for 7)")
            }
            guard word.allSatisfy({ $0.isLetter || $0 == "'" || $0 == "-" }) else {
                throw KeywordPhraseError(phrase: phrase, reason: "\(which)holds a character a voice cannot say; use letters, ' and - only")
            }
            guard word.count <= Self.maximumWordLength else {
                throw KeywordPhraseError(phrase: phrase, reason: "\(which)is longer than \(Self.maximumWordLength) letters")
            }
        }
        self.words = words
    }

    /// Checks a set of phrases together: at least one, each valid, no label twice.
    public static func parse(_ phrases: [String]) throws -> [KeywordPhrase] {
        guard !phrases.isEmpty else { throw KeywordPhraseError(phrase: nil, reason: "no word given: name at least one keyword") }
        let parsed = try phrases.map(KeywordPhrase.init)
        var seen = Set<String>()
        for phrase in parsed where !seen.insert(phrase.label).inserted {
            throw KeywordPhraseError(phrase: phrase.text, reason: "is given twice")
        }
        return parsed
    }
}

/// Why a phrase cannot be trained.
public struct KeywordPhraseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The phrase at fault; nil when the mistake is in the set (no phrase at all).
    public let phrase: String?
    public let reason: String
    public var description: String { phrase.map { "keyword '\($0)' \(reason)" } ?? reason }
}
