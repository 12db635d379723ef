import KWSAudio
import XCTest

/// Issue 15, item 1, on generated audio: each ``InputHealth`` check fires on the signal it is for, within
/// 10 s, once, and stays quiet on clean audio; results do not depend on how the stream is chunked.
/// (InputHealthRealAudioTests holds the real-audio half: Samples/, the test split, misread recordings.)
final class InputHealthTests: XCTestCase {
    /// A deterministic noise generator (xorshift), so every run hears the same audio.
    private struct Noise {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> Float {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Float(Int64(bitPattern: state >> 11) - (1 << 52)) / Float(1 << 52)
        }
    }

    /// White noise at `level` (peak), `seconds` long at 16 kHz: broadband, like fricatives and room noise.
    private func noise(seconds: Double, level: Float = 0.1, seed: UInt64 = 1) -> [Float] {
        var generator = Noise(state: 0x9E37_79B9_7F4A_7C15 &+ seed)
        return (0..<Int(seconds * 16000)).map { _ in generator.next() * level }
    }

    /// A vowel-like tone: `pitch` Hz with harmonics falling 6 dB per octave up to 8 kHz, gated on and off
    /// every 0.4 s like syllables.
    private func voice(seconds: Double, pitch: Float, level: Float = 0.2) -> [Float] {
        let count = Int(seconds * 16000)
        let harmonics = Int(7900 / pitch)
        return (0..<count).map { i in
            let t = Float(i) / 16000
            guard Int(t / 0.4) % 2 == 0 else { return 0.0005 * sin(Float(i)) }
            var value: Float = 0
            for h in 1...harmonics { value += sin(2 * .pi * pitch * Float(h) * t) / Float(h) }
            return value * level / 2
        }
    }

    private func warnings(_ samples: [Float], chunk: Int = 4096) throws -> [InputWarning] {
        let health = try InputHealth(inputSampleRate: 16000)
        var start = 0
        while start < samples.count {
            health.observe(Array(samples[start..<min(samples.count, start + chunk)]))
            start += chunk
        }
        return health.warnings
    }

    private func assertOnly(_ kind: InputWarning.Kind, in warnings: [InputWarning], within seconds: Double = 10,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(warnings.map(\.kind), [kind], warnings.map(\.message).joined(separator: "\n"), file: file, line: line)
        if let first = warnings.first {
            XCTAssertLessThanOrEqual(first.seconds, seconds, first.message, file: file, line: line)
            XCTAssertFalse(first.message.isEmpty)
        }
    }

    func testCleanAudioRaisesNothing() throws {
        XCTAssertEqual(try warnings(noise(seconds: 20)), [])
        XCTAssertEqual(try warnings(voice(seconds: 20, pitch: 140)), [], "a low voice with a full spectrum")
        XCTAssertEqual(try warnings([Float](repeating: 0, count: 16000 * 4)), [], "4 s of digital silence is a pause")
    }

    func testDigitalSilence() throws {
        let found = try warnings(noise(seconds: 1) + [Float](repeating: 0, count: 16000 * 8))
        assertOnly(.digitalSilence, in: found, within: 6.1)
        XCTAssertTrue(found[0].message.contains("5.0 s"), found[0].message)
    }

    func testClipping() throws {
        let loud = voice(seconds: 10, pitch: 140, level: 3).map { max(-1, min(1, $0)) }
        assertOnly(.clipping, in: try warnings(loud))
    }

    func testDCOffset() throws {
        assertOnly(.dcOffset, in: try warnings(noise(seconds: 10).map { $0 + 0.3 }))
        XCTAssertEqual(try warnings(noise(seconds: 10).map { $0 + 0.02 }), [], "a small offset is normal")
    }

    func testInterleavedChannelsReadAsMono() throws {
        let left = noise(seconds: 5), right = noise(seconds: 5, seed: 2).map { $0 * 0.2 }
        let interleaved = zip(left, right).flatMap { [$0, $1] }
        assertOnly(.interleavedChannels, in: try warnings(interleaved), within: 3)
        let same = left.flatMap { [$0, $0] }
        assertOnly(.interleavedChannels, in: try warnings(same), within: 3)
    }

    func testFloatsReadAsIntegers() throws {
        let floats = noise(seconds: 4)
        let bytes = floats.flatMap { sample in (0..<4).map { UInt8((sample.bitPattern >> (8 * $0)) & 0xFF) } }
        var s16 = try PCMDecoder(format: .s16le, channels: 1)
        let asS16 = try warnings(s16.decode(bytes))
        assertOnly(.floatAsInteger, in: asS16, within: 2)
        XCTAssertTrue(asS16[0].message.contains("16-bit"), asS16[0].message)
        var s32 = try PCMDecoder(format: .s32le, channels: 1)
        let asS32 = try warnings(s32.decode(bytes))
        assertOnly(.floatAsInteger, in: asS32, within: 2)
        XCTAssertTrue(asS32[0].message.contains("32-bit integers"), asS32[0].message)
    }

    func testIntegersReadAsFloats() throws {
        var bytes = [UInt8]()
        for sample in noise(seconds: 4) {
            let value = UInt16(bitPattern: Int16((sample * 32767).rounded()))
            bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
        }
        var f32 = try PCMDecoder(format: .f32le, channels: 1)
        assertOnly(.integerAsFloat, in: try warnings(f32.decode(bytes)), within: 2)
        // NaN and infinities, which the decoders silence, count too when the raw values are observed.
        let health = try InputHealth(inputSampleRate: 16000)
        health.observe(input: [Float](repeating: .nan, count: 32000)[...])
        XCTAssertEqual(health.warnings.map(\.kind), [.integerAsFloat])
    }

    func testAudioAtThreeTimesTheDeclaredRate() throws {
        // Broadband noise at 48 kHz read as 16 kHz: its 8 kHz band lands below 2.7 kHz.
        let slowed = try Resampler.resample(noise(seconds: 4, level: 0.3), from: 16000, to: 48000)
        assertOnly(.rateTooLow, in: try warnings(slowed))
        // The same at its declared rate: resampled to 16 kHz it is the original again.
        let health = try InputHealth(inputSampleRate: 48000)
        health.observe(input: slowed[...])
        health.observe(resampled: try Resampler.resample(slowed, from: 48000, to: 16000)[...])
        XCTAssertEqual(health.warnings, [])
    }

    func testAnEightKilohertzStreamIsNotBandLimitedAtItsOwnRate() throws {
        // Telephone audio at 8 kHz has nothing above 4 kHz by nature: the band check does not apply to it.
        let narrow = try Resampler.resample(noise(seconds: 12, level: 0.3), from: 16000, to: 8000)
        let health = try InputHealth(inputSampleRate: 8000)
        health.observe(input: narrow[...])
        health.observe(resampled: try Resampler.resample(narrow, from: 8000, to: 16000)[...])
        XCTAssertEqual(health.warnings, [])
    }

    func testVoicesAnOctaveUp() throws {
        // A 200 Hz voice sped up twice (8 kHz read as 16 kHz) sings at 400 Hz, its spectrum twice as high.
        let low = voice(seconds: 20, pitch: 140)
        XCTAssertEqual(try warnings(low), [])
        let fast = voice(seconds: 10, pitch: 400)
        assertOnly(.rateTooHigh, in: try warnings(fast))
    }

    func testAHeaderDeclaredRateIsBelievedOnTheOctaveOnly() throws {
        // A high voice at 16 kHz and an octave-up misread look alike; a WAV header's rate settles it.
        let health = try InputHealth(inputSampleRate: 16000, rateFromHeader: true)
        health.observe(voice(seconds: 10, pitch: 400))
        XCTAssertEqual(health.warnings, [])
        // The band check still runs: 48 kHz audio behind a 16 kHz header is told.
        let slowed = try Resampler.resample(noise(seconds: 4, level: 0.3), from: 16000, to: 48000)
        let header = try InputHealth(inputSampleRate: 16000, rateFromHeader: true)
        header.observe(slowed)
        XCTAssertEqual(header.warnings.map(\.kind), [.rateTooLow])
    }

    func testEachKindOnceAndChunkingDoesNotMatter() throws {
        let signal = noise(seconds: 1) + [Float](repeating: 0, count: 16000 * 12)
        let whole = try warnings(signal, chunk: signal.count)
        XCTAssertEqual(whole.map(\.kind), [.digitalSilence], "once, although the silence goes on")
        for chunk in [1, 37, 512, 16000] {
            XCTAssertEqual(try warnings(signal, chunk: chunk), whole, "chunks of \(chunk)")
        }
    }

    func testMisreadSamplesSilenceTheChecksTheyExplain() throws {
        // Floats read as integers also look clipped-free, offset and two-channelled; only the cause is told.
        let floats = voice(seconds: 6, pitch: 140, level: 1.5)
        let bytes = floats.flatMap { sample in (0..<4).map { UInt8((sample.bitPattern >> (8 * $0)) & 0xFF) } }
        var s16 = try PCMDecoder(format: .s16le, channels: 1)
        XCTAssertEqual(try warnings(s16.decode(bytes)).map(\.kind), [.floatAsInteger])
    }

    func testResetForgetsTheStream() throws {
        let health = try InputHealth(inputSampleRate: 16000)
        health.observe([Float](repeating: 0, count: 16000 * 6))
        XCTAssertEqual(health.warnings.map(\.kind), [.digitalSilence])
        health.reset()
        XCTAssertEqual(health.warnings, [])
        health.observe([Float](repeating: 0, count: 16000 * 6))
        XCTAssertEqual(health.warnings.map(\.kind), [.digitalSilence], "a new stream may warn again")
    }
}
