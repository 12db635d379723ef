import Foundation

// `make bench`: every benchmark section prints what it measured, how, and on what CPU.
let sections: [(name: String, run: () throws -> Void)] = [
    ("audio", AudioBenchmarks.run),
    ("engine", EngineBenchmarks.run),
    ("int8", Int8Benchmarks.run),
    ("zeroskip", ZeroSkipBenchmarks.run),
    ("highway", HighwayBenchmarks.run),
    ("outlier", OutlierBenchmarks.run),
    ("allocation", AllocationBenchmarks.run),
]
let wanted = Set(CommandLine.arguments.dropFirst())
print("kws-bench on \(BenchmarkTiming.cpuModel), 1 thread")
for section in sections where wanted.isEmpty || wanted.contains(section.name) {
    do { try section.run() } catch {
        FileHandle.standardError.write("kws-bench: \(section.name): \(error)\n".data(using: .utf8)!)
        exit(1)
    }
}
