#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The natural logarithm of four floats at once, for the 64 log-mel values of every frame.
///
/// Cephes' `logf` reduction and polynomial (x = m·2ᵉ with m ∈ [√½, √2), ln m by a degree-9
/// polynomial in m − 1, e·ln 2 split in two constants): ≈1e-7 relative error, within an ulp or
/// two of glibc's `logf`, at about a quarter of the cost of four calls. Lanes that are not
/// positive, normal and finite (0, subnormals, ∞, NaN, negatives) go to `logf` instead, so the
/// special values are exactly libm's.
enum MFCCVectorLog {
    /// ln(x) for each lane.
    @inline(__always)
    static func log(_ x: SIMD4<Float>) -> SIMD4<Float> {
        let inDomain = (x .>= Float.leastNormalMagnitude) .& (x .<= Float.greatestFiniteMagnitude)
        guard all(inDomain) else {
            return SIMD4(logf(x[0]), logf(x[1]), logf(x[2]), logf(x[3]))
        }
        let bits = unsafeBitCast(x, to: SIMD4<UInt32>.self)
        var exponent = SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: bits &>> 23) &- 126)
        // Mantissa with the exponent of 0.5: m ∈ [0.5, 1).
        var mantissa = unsafeBitCast((bits & 0x807F_FFFF) | 0x3F00_0000, to: SIMD4<Float>.self)
        let small = mantissa .< 0.707106781186547524
        exponent.replace(with: exponent - 1, where: small)
        mantissa.replace(with: mantissa + mantissa, where: small)
        let f = mantissa - 1
        let z = f * f
        // Horner with every constant a full vector: scalar operands let LLVM split the lanes.
        var p = SIMD4<Float>(repeating: 7.0376836292e-2)
        p = p * f + SIMD4(repeating: -1.1514610310e-1)
        p = p * f + SIMD4(repeating: 1.1676998740e-1)
        p = p * f + SIMD4(repeating: -1.2420140846e-1)
        p = p * f + SIMD4(repeating: 1.4249322787e-1)
        p = p * f + SIMD4(repeating: -1.6668057665e-1)
        p = p * f + SIMD4(repeating: 2.0000714765e-1)
        p = p * f + SIMD4(repeating: -2.4999993993e-1)
        p = p * f + SIMD4(repeating: 3.3333331174e-1)
        var y = f * z * p
        y += exponent * SIMD4(repeating: -2.12194440e-4)
        y -= SIMD4(repeating: 0.5) * z
        return (f + y) + exponent * SIMD4(repeating: 0.693359375)
    }
}
