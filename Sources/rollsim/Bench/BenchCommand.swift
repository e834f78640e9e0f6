import ArgumentParser

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure the hot paths: hashing, flag evaluation, the event queue.",
    discussion: """
      Build in release mode before measuring (swift build -c release). Each subcommand prints its \
      figures, or JSON with --json. scripts/benchmarks.sh runs them beside the peers (a C murmur3, \
      mmh3, yggdrasil-engine, SimPy) and writes results/benchmarks.md.
      """,
    subcommands: [HashBench.self, EvalBench.self, DESBench.self, FleetBench.self, GatesBench.self]
  )
}
