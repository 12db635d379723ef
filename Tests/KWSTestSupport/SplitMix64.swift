import KWSCore

/// The tests' one random generator is the library's own SplitMix64 (`SeededRandom` in KWSCore): seeded, integer
/// arithmetic only, so a random case replays bit for bit on every machine from the seed its test names.
package typealias SplitMix64 = SeededRandom
