/// A positive real multiplier `r` as an integer `multiplier · 2^-shift` (gemmlowp-style requantization):
/// applying it is one 64-bit product and one rounding shift, `⌊(v·m + 2^(n−1)) / 2^n⌋` (round half up),
/// exactly what every C kernel variant computes (`kws_rescale_s64` in kws_conv1d_u8s8.h).
public struct FixedPointMultiplier: Sendable, Equatable, CustomStringConvertible {
    /// `m`, in `[2^30, 2^31)` for a normal multiplier (smaller only when `r < 2^-32`), never negative.
    public let multiplier: Int32
    /// `n`, in `1...62`.
    public let shift: Int32

    /// Smallest and largest allowed shift: 1 keeps the rounding term `2^(n−1)` an integer, 62 keeps the
    /// AVX2 path's `2^62` offset trick exact.
    public static let shiftRange: ClosedRange<Int32> = 1...62

    /// Requantization multipliers (accumulator → u8) must be below 1, i.e. have at least this shift, so a
    /// requantized s32 accumulator fits in s32 again (the AVX-512 kernel relies on it).
    public static let requantizationMinimumShift: Int32 = 31

    /// Stores `multiplier` and `shift` as they are; nil unless `multiplier ≥ 0` and `shift` is in ``shiftRange``.
    public init?(multiplier: Int32, shift: Int32) {
        guard multiplier >= 0, Self.shiftRange.contains(shift) else { return nil }
        self.multiplier = multiplier
        self.shift = shift
    }

    /// The closest representation of `real` (`0 ≤ real < 2^30`, finite), or nil outside that range.
    ///
    /// `real = f · 2^e` with `f ∈ [0.5, 1)`; `m = round(f · 2^31)`, `n = 31 − e`. Tiny multipliers whose
    /// shift would pass 62 keep `n = 62` and a smaller `m`, so they lose relative precision but stay exact to
    /// `2^-62` absolute.
    public init?(real: Double) {
        guard real.isFinite, real >= 0, real < 0x1p30 else { return nil }
        if real == 0 {
            multiplier = 0
            shift = 1
            return
        }
        let exponent = Int(real.exponent) + 1  // real = f · 2^exponent, f ∈ [0.5, 1)
        var mantissa = (real.significand / 2 * 0x1p31).rounded()
        var shift = 31 - exponent
        if mantissa == 0x1p31 {
            mantissa /= 2
            shift -= 1
        }
        if shift > 62 {
            mantissa = (real * 0x1p62).rounded()
            shift = 62
        }
        guard shift >= 1 else { return nil }
        multiplier = Int32(mantissa)
        self.shift = Int32(shift)
    }

    /// The real number this represents.
    public var realValue: Double { Double(multiplier) * Double(sign: .plus, exponent: -Int(shift), significand: 1) }

    /// `⌊(value · m + 2^(n−1)) / 2^n⌋`. Exact for `|value| < 2^31` (the product stays below 2^62).
    public func apply(_ value: Int64) -> Int64 {
        (value * Int64(multiplier) + (Int64(1) << Int64(shift - 1))) >> Int64(shift)
    }

    public var description: String { "\(multiplier)·2^-\(shift)" }
}
