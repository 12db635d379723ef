enum EngineBenchmarks { static func run() throws {} }
