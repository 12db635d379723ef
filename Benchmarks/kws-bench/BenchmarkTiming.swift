import Foundation

/// Repeated-run timing with median and p90, in microseconds.
enum BenchmarkTiming {
    struct Summary: CustomStringConvertible {
        let median: Double
        let p90: Double
        let runs: Int
        var description: String { String(format: "median %.2f µs, p90 %.2f µs (%d runs)", median, p90, runs) }
    }

    /// Runs `body` `warmup` times, then `runs` times, timing each call.
    static func measure(runs: Int = 200, warmup: Int = 20, _ body: () -> Void) -> Summary {
        for _ in 0..<warmup { body() }
        var samples = [Double]()
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
        }
        samples.sort()
        return Summary(median: samples[runs / 2], p90: samples[min(runs - 1, runs * 9 / 10)], runs: runs)
    }

    static let cpuModel: String = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { $0.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    }()
}
