enum AudioBenchmarks { static func run() throws {} }
