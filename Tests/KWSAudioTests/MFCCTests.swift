import Foundation
import KWSAudio
import KWSCore
import XCTest

final class MFCCTests: XCTestCase {
    func testComputeEqualsTheWholeSignalRow() throws {
        let signal = try MFCCGolden.floats("speech_yes.input.f32")
        let matrix = try FeatureExtractor.features(of: signal)
        let mfcc = try MFCC(config: .tcResNet)
        var output = [Float]()
        mfcc.compute(frame: signal[1600 ..< 2080], into: &output)  // frame 10
        XCTAssertEqual(output.count, 40, "a wrongly sized output array is resized")
        XCTAssertEqual(output, Array(matrix.row(10)))
    }

    func testShortFrameIsZeroPaddedAndLongFrameTruncated() throws {
        let signal = try MFCCGolden.floats("chirp_1_37s.input.f32")
        let mfcc = try MFCC(config: .tcResNet)
        var short = [Float](repeating: 0, count: 40)
        var padded = short
        var long = short
        var exact = short
        mfcc.compute(frame: signal[0 ..< 300], into: &short)
        mfcc.compute(frame: (Array(signal[0 ..< 300]) + [Float](repeating: 0, count: 180))[...], into: &padded)
        mfcc.compute(frame: signal[0 ..< 1000], into: &long)
        mfcc.compute(frame: signal[0 ..< 480], into: &exact)
        XCTAssertEqual(short, padded)
        XCTAssertEqual(long, exact)
    }

    func testNonFiniteInputDoesNotTrap() throws {
        let mfcc = try MFCC(config: .tcResNet)
        var output = [Float]()
        var frame = [Float](repeating: 0.1, count: 480)
        frame[7] = .nan
        frame[9] = .infinity
        mfcc.compute(frame: frame[...], into: &output)
        XCTAssertEqual(output.count, 40)
        mfcc.compute(frame: [][...], into: &output)
        XCTAssertEqual(output[0], Float((2.0 / 64).squareRoot() * 64 * log(1e-6)), accuracy: 1e-4)
    }

    /// Plans are made under one lock and buffers are per instance: MFCCs built and run on
    /// several threads at once agree with one built alone.
    func testInstancesOnManyThreadsAgree() throws {
        let signal = try MFCCGolden.floats("speech_yes.input.f32")
        let expected = try FeatureExtractor.features(of: signal, config: .audioOps)
        let results = ResultBox(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let config: FrontEndConfig = .audioOps
            results.set(index, try? FeatureExtractor.features(of: signal, config: config))
        }
        for index in 0..<8 { XCTAssertEqual(results.get(index), expected, "thread \(index)") }
    }

    func testRealFFTMatchesADirectDFT() throws {
        let fft = try FFTRealForward(length: 512)
        XCTAssertEqual(fft.binCount, 257)
        let signal = (0..<512).map { Float(sin(0.3 * Double($0)) + 0.25 * cos(1.7 * Double($0))) }
        fft.withInput { input in for i in 0..<512 { input[i] = signal[i] } }
        fft.execute()
        let spectrum = fft.withSpectrum { Array($0) }
        for k in [0, 1, 24, 100, 139, 256] {
            var re = 0.0
            var im = 0.0
            for (n, x) in signal.enumerated() {
                re += Double(x) * cos(2 * Double.pi * Double(k * n) / 512)
                im -= Double(x) * sin(2 * Double.pi * Double(k * n) / 512)
            }
            XCTAssertEqual(Double(spectrum[2 * k]), re, accuracy: 1e-3, "bin \(k) real")
            XCTAssertEqual(Double(spectrum[2 * k + 1]), im, accuracy: 1e-3, "bin \(k) imaginary")
        }
    }

    func testFFTRejectsANonPositiveLength() {
        XCTAssertThrowsError(try FFTRealForward(length: 0)) { error in
            XCTAssertEqual(error as? FFTError, .planFailed(length: 0))
        }
    }

    func testRejectsConfigsItCannotReproduce() {
        var config = FrontEndConfig.tcResNet
        config.fftLength = 400  // not a power of two
        XCTAssertThrowsError(try MFCC(config: config))
    }
}

/// Results written from `concurrentPerform` workers, one slot each.
private final class ResultBox: @unchecked Sendable {
    private var values: [FeatureMatrix?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: FeatureMatrix?) { lock.lock(); values[index] = value; lock.unlock() }
    func get(_ index: Int) -> FeatureMatrix? { lock.lock(); defer { lock.unlock() }; return values[index] }
}
