/// Numbers as input warnings print them: fixed decimals, without Foundation on the audio path.
enum WarningNumber {
    /// `value` with `digits` decimals, e.g. `fixed(0.0312, 3)` is "0.031".
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return String(value) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let whole = (rounded / scale).rounded(.down)
        let fraction = Int(rounded - whole * scale)
        var text = (value < 0 && rounded > 0 ? "-" : "") + String(Int(whole))
        if digits > 0 {
            let digitsText = String(fraction)
            text += "." + String(repeating: "0", count: digits - digitsText.count) + digitsText
        }
        return text
    }

    /// `share` (0…1) as a percentage with one decimal, e.g. "99.6%".
    static func percent(_ share: Double) -> String { fixed(share * 100, 1) + "%" }
}
