import KWSTestSupport
import XCTest
@testable import KWSRuntime

/// The quantizer's math: the channel threshold as an order statistic, codes and steps per channel, outlier
/// counts against r, nibble packing, and the activation thresholds against the calibration values.
final class OutlierQuantizerTests: XCTestCase {
    func testThresholdLeavesRoundRNAbove() {
        let sorted = (1...200).map(Double.init)  // magnitudes 1…200
        XCTAssertEqual(OutlierQuantizer.threshold(sortedMagnitudes: sorted, ratio: 0).threshold, 200)
        XCTAssertEqual(OutlierQuantizer.threshold(sortedMagnitudes: sorted, ratio: 0.005).threshold, 199.5)  // round(1.0) = 1 above
        // A wide gap: T stops at 7.5/7 of the largest dense magnitude, which lands on code 7 exactly.
        XCTAssertEqual(OutlierQuantizer.threshold(sortedMagnitudes: [1, 2, 7, 100], ratio: 0.25).threshold, 7.5)
        XCTAssertEqual(OutlierQuantizer.threshold(sortedMagnitudes: sorted, ratio: 0.035).outliers, 7)       // round(7.0)
        XCTAssertEqual(OutlierQuantizer.threshold(sortedMagnitudes: sorted, ratio: 0.035).threshold, 193.5)
        XCTAssertEqual(OutlierQuantizer.weightStep(threshold: 193.5, outliers: 7, largest: 200), 193.5 / 7.5)
        XCTAssertEqual(OutlierQuantizer.weightStep(threshold: 200, outliers: 0, largest: 200), 200.0 / 7)
        XCTAssertEqual(OutlierQuantizer.weightStep(threshold: 1, outliers: 3, largest: 254), 2, "8-bit outliers bound the step")
        XCTAssertEqual(OutlierQuantizer.weightStep(threshold: 0, outliers: 0, largest: 0), 1, "all-zero channel")
        XCTAssertEqual(OutlierQuantizer.threshold(sortedMagnitudes: Array(sorted.prefix(24)), ratio: 0.005).outliers, 0)  // round(0.12)
        XCTAssertEqual(OutlierQuantizer.threshold(sortedMagnitudes: [5], ratio: 0.4).outliers, 0, "T is always a magnitude")
        XCTAssertEqual(OutlierQuantizer.threshold(sortedMagnitudes: [], ratio: 0.1).threshold, 0)
    }

    func testCodesStepsAndOutliersPerChannel() {
        var generator = SplitMix64(seed: 0x5F)
        for ratio in [0.0, 0.005, 0.01, 0.02, 0.035] {
            let outputs = 24, perChannel = 216
            var weights = (0..<(outputs * perChannel)).map { _ in Float.random(in: -1...1, using: &generator) * Float.random(in: 0...1, using: &generator) }
            // Channel 3: one huge weight (more than 18·T), so the step must grow to keep it in 8 bits.
            weights[3] = 1000
            // Channel 5: all zero.
            for index in stride(from: 5, to: weights.count, by: outputs) { weights[index] = 0 }
            let (codes, steps) = OutlierQuantizer.quantizeWeights(weights, outputs: outputs, ratio: ratio)
            var outliers = 0, allowed = 0
            for channel in 0..<outputs {
                let values = stride(from: channel, to: weights.count, by: outputs).map { Double(weights[$0]) }
                let channelCodes = stride(from: channel, to: weights.count, by: outputs).map { codes[$0] }
                let (threshold, limit) = OutlierQuantizer.threshold(sortedMagnitudes: values.map(abs).sorted(), ratio: ratio)
                allowed += limit
                let channelOutliers = channelCodes.filter(OutlierConv.isOutlier).count
                XCTAssertLessThanOrEqual(channelOutliers, limit, "r \(ratio) channel \(channel)")
                outliers += channelOutliers
                for (value, code) in zip(values, channelCodes) {
                    // No clamping anywhere: every weight is within half a step of its code.
                    XCTAssertLessThanOrEqual(abs(value - Double(code) * steps[channel]), steps[channel] / 2 + 1e-12)
                    if abs(value) < threshold { XCTAssertFalse(OutlierConv.isOutlier(code), "|w| < T is dense") }
                    if abs(value) > threshold, channel != 3, limit > 0 { XCTAssertTrue(OutlierConv.isOutlier(code), "|w| > T is an outlier") }
                }
                if channel == 3 {
                    // r = 0: no outliers, the huge weight is code 7; otherwise it is the one outlier at 127.
                    XCTAssertEqual(channelCodes[0], ratio == 0 ? 7 : 127)
                    XCTAssertEqual(steps[3], ratio == 0 ? 1000 / 7 : 1000 / 127, accuracy: 1e-9)
                } else if channel == 5 {
                    XCTAssertTrue(channelCodes.allSatisfy { $0 == 0 })
                } else {
                    XCTAssertEqual(steps[channel], threshold / (limit > 0 ? 7.5 : 7), accuracy: 1e-12)
                    XCTAssertEqual(channelCodes.filter(OutlierConv.isOutlier).count, limit, "exactly round(r·n) above T")
                }
            }
            XCTAssertLessThanOrEqual(outliers, allowed)
            if ratio == 0 { XCTAssertEqual(outliers, 0) }
        }
    }

    func testNibblePackingRoundTrips() {
        var generator = SplitMix64(seed: 0x60)
        for count in [0, 1, 2, 7, 215, 216] {
            let codes = (0..<count).map { _ in Int8.random(in: -8...7, using: &generator) }
            let packed = Int4Packing.pack(codes)
            XCTAssertEqual(packed.count, (count + 1) / 2)
            XCTAssertEqual(Int4Packing.unpack(packed, count: count), codes)
            if count % 2 == 1 { XCTAssertEqual(packed.last.map { $0 >> 4 }, 0, "padding nibble") }
        }
        XCTAssertEqual(Int4Packing.pack([-1, 7]), [0x7F])
        XCTAssertEqual(Int4Packing.nibble(0x8F, high: true), -8)
        XCTAssertEqual(Int4Packing.nibble(0x8F, high: false), -1)
    }

    /// On the fixture models, each layer's share of outliers tracks r, and the activation thresholds leave about
    /// a fraction r of the calibration batch's values above them (the batch quantile, averaged over one batch).
    func testOutlierCountsTrackTheRatio() throws {
        for name in ReferenceFixtures.modelNames {
            let file = try ModelFile.load(contentsOf: ReferenceFixtures.url(name))
            let model = try TCResNetModel(file: file)
            let windows = try Int8EngineTests.calibrationWindows()
            for ratio in [0.0, 0.005, 0.01, 0.02, 0.035] {
                var calibration = OutlierCalibration(model: model, ratio: ratio)
                calibration.observe(batch: windows)
                let network = try OutlierQuantizer.quantize(model, calibration: calibration, batchSize: windows.count,
                                                            distinctClips: windows.count, augmentedClips: 0, source: "synthetic")
                let info = network.info
                XCTAssertEqual(info.layers.map(\.name), network.fourBitConvolutions.map(\.name))
                for (layer, conv) in zip(info.layers, network.fourBitConvolutions) {
                    XCTAssertEqual(layer.weightOutliers, conv.weightOutlierCount)
                    let perChannel = conv.shape.inputChannels * conv.shape.kernelSize
                    let allowed = Int((ratio * Double(perChannel)).rounded()) * conv.shape.outputChannels
                    XCTAssertLessThanOrEqual(layer.weightOutliers, allowed, "\(name) \(layer.name) r \(ratio)")
                    XCTAssertGreaterThanOrEqual(Double(layer.weightOutliers), 0.95 * Double(allowed), "\(name) \(layer.name) r \(ratio)")
                }
                XCTAssertEqual(network.activationCodeMax, ratio == 0 ? 15 : 65535)
                XCTAssertEqual(info.outlierActivationBits, ratio == 0 ? 0 : 16)
                // The thresholds against the float activations of the same windows.
                let forward = CalibrationForward(model: model)
                var values = [String: [Float]]()
                for window in windows { for (tensor, activation) in forward.activations(window) { values[tensor, default: []] += activation } }
                for (tensor, threshold) in info.activationThresholds {
                    let all = try XCTUnwrap(values[tensor])
                    let above = Double(all.filter { Double($0) > threshold }.count) / Double(all.count)
                    XCTAssertLessThanOrEqual(above, ratio + 1 / Double(all.count), "\(name) \(tensor) r \(ratio)")
                    XCTAssertGreaterThanOrEqual(above, ratio * 0.9 - 1e-4, "\(name) \(tensor) r \(ratio)")
                    XCTAssertEqual(info.activationScales[tensor] ?? 0, threshold / 15.5, accuracy: 1e-12)
                }
            }
        }
    }
}
