/// "Did you mean …?" for a mistyped command, model, engine or option value: the one place that decides
/// which known name is near enough to suggest.
enum NameSuggestion {
    /// The candidate nearest to `typed` by edit distance (insertions, deletions, substitutions and swaps of
    /// neighbours each cost 1), if it is near enough to be a typo: at most 1 edit for names up to 4
    /// characters, 2 up to 8, 3 beyond. A candidate that starts with `typed` (a name cut short) also counts.
    /// Ties go to the earlier candidate.
    static func nearest(to typed: String, in candidates: [String]) -> String? {
        let lowered = typed.lowercased()
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != typed {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        if let best, best.distance <= allowedEdits(for: typed) { return best.name }
        if lowered.count >= 3, let prefixed = candidates.first(where: { $0.lowercased().hasPrefix(lowered) }) { return prefixed }
        return nil
    }

    /// "; did you mean 'NAME'?" for the nearest candidate, or "" when none is near.
    static func phrase(_ typed: String, among candidates: [String]) -> String {
        nearest(to: typed, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// "unknown KIND 'typed'; did you mean 'x'? (choose one of: a, b, c)": the message for a value outside a
    /// fixed set of choices.
    static func unknown(_ kind: String, _ typed: String, choices: [String]) -> String {
        "unknown \(kind) '\(typed)'" + phrase(typed, among: choices) + " (choose one of: \(choices.joined(separator: ", ")))"
    }

    static func allowedEdits(for typed: String) -> Int {
        typed.count <= 4 ? 1 : typed.count <= 8 ? 2 : 3
    }

    /// Optimal-string-alignment distance (Damerau–Levenshtein without repeated edits of one substring).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
