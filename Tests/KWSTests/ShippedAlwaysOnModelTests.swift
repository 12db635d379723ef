import Foundation
import KWS
import KWSRuntime
import KWSTestSupport
import XCTest

/// The always-on models ship what the detector needs to run at a documented operating point: a table for
/// every keyword, measured with the detector settings a spotter uses by default, a default budget, the
/// recipe and its data sources in the training metadata, and a verified data checksum.
final class ShippedAlwaysOnModelTests: XCTestCase {
    private static let names = ["tc-resnet8-ao", "tc-resnet8-ao-int8", "tc-resnet14-1.5-ao", "tc-resnet14-1.5-ao-int8"]

    func testTheDefaultModelIsAnAlwaysOnModelWithItsOperatingPoints() throws {
        XCTAssertTrue(Self.names.contains(ModelCatalog.defaultModelName))
        XCTAssertNotNil(try ModelCatalog.load().operatingPoints)
    }

    func testEachAlwaysOnModelCarriesATableForEveryKeywordAndTheRecipe() throws {
        let defaults = DetectorConfiguration()
        for name in Self.names {
            let model = try ModelCatalog.load(name)
            let points = try XCTUnwrap(model.operatingPoints, name)
            XCTAssertEqual(Set(points.keywords.keys), Set(model.labels.filter { !$0.hasPrefix("_") }), name)
            XCTAssertEqual(points.defaultFalseAlarmsPerHour, 0.5, name)
            XCTAssertEqual(points.hopMilliseconds, defaults.hopMilliseconds, name)
            XCTAssertEqual(points.smoothingMilliseconds, defaults.smoothingMilliseconds, name)
            XCTAssertEqual(points.refractoryMilliseconds, defaults.refractoryMilliseconds, name)
            XCTAssertGreaterThanOrEqual(points.negativeHours, 1, "\(name): at least an hour of negative audio")
            XCTAssertGreaterThan(points.positiveEvents, 100, name)
            let training = try XCTUnwrap(model.metadata["training"], name)
            XCTAssertTrue(training.contains("Training/alwayson.py"), "\(name) names its recipe")
            for source in ["CC BY 4.0", "asterisk-core-sounds-en", "CC-BY-SA 3.0", "hedgewars-data voices (GFDL 1.2+)"] {
                XCTAssertTrue(training.contains(source), "\(name) names \(source)")
            }
            XCTAssertNotNil(model.metadata["data_sha256"], "\(name) is stamped")
        }
    }

    /// With no threshold and no budget, a spotter runs each keyword at the threshold the table gives for the
    /// default budget, and each of those stays within the keyword's share of it on the measured audio.
    func testASpotterWithoutSettingsRunsAtTheDefaultOperatingPoint() throws {
        for name in Self.names {
            let model = try ModelCatalog.load(name)
            let points = try XCTUnwrap(model.operatingPoints)
            let budget = try XCTUnwrap(points.defaultFalseAlarmsPerHour)
            let spotter = try KeywordSpotter(model: model)
            XCTAssertEqual(spotter.thresholds, try points.thresholds(forFalseAlarmsPerHour: budget), name)
            let share = budget / Double(points.keywords.count)
            for (keyword, chosen) in try points.points(forFalseAlarmsPerHour: budget) {
                XCTAssertLessThanOrEqual(chosen.falseAlarmsPerHour, share, "\(name) \(keyword)")
                XCTAssertEqual(spotter.thresholds[keyword], chosen.threshold, "\(name) \(keyword)")
            }
        }
    }
}
