import ArgumentParser
import FoundationEssentials
import Glibc

/// `-j`/`--jobs`: how many files `detect` and `eval` work on at once (``OrderedParallelMap``).
struct JobsOptions: ParsableArguments {
    @Option(name: [.customShort("j"), .long],
            help: ArgumentHelp("Files worked on at once, each on its own thread with its own spotter; 1 reads them one after another. The output is the same for every N. (default: the number of online CPUs)", valueName: "n"))
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 {
            throw DetectorOptions.usageFailure("--jobs \(jobs): use a number of threads >= 1 (this machine has \(Self.onlineCPUs) online CPUs)")
        }
    }

    /// The threads to use: `--jobs`, else one per online CPU.
    var count: Int { jobs ?? Self.onlineCPUs }

    /// `sysconf(_SC_NPROCESSORS_ONLN)`: the CPUs the system runs on now (not the ones it could bring online).
    static var onlineCPUs: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
