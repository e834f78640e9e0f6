// swift-tools-version: 6.1
// Rollsim's package-benchmark targets, one per hot path, as a package of their own beside the root one
// (as swift-nio keeps its Benchmarks/): the root package, its build and its users never resolve or build
// package-benchmark. Run from this folder, or from the root with --package-path Benchmarks:
//
//   swift package benchmark                                  # run and print
//   swift package benchmark thresholds check                 # CI: compare with Thresholds/
//   swift package --allow-writing-to-package-directory benchmark thresholds update
//
// Thresholds/ holds the p90 of each metric as last recorded; the tolerances are in Sources/BenchmarkGate:
// allocations must not change at all, time may grow up to 4x (the recording machine and CI are a shared
// 2-core machine). Benchmark names carry no spaces: package-benchmark 1.38.1 writes a thresholds file
// with spaces turned into "_" but looks it up by the name as it is.
import PackageDescription

// The root package is a path dependency, whose identity is its folder's name (a clone may be called
// anything), so products are named through it.
let root = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "rollsim"

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
let benchmark: [Target.Dependency] = [.product(name: "Benchmark", package: "benchmark"), "BenchmarkGate"]
let plugins: [Target.PluginUsage] = [.plugin(name: "BenchmarkPlugin", package: "benchmark")]

let package = Package(
  name: "RollsimBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // The configuration and CI gate every benchmark shares.
    .target(
      name: "BenchmarkGate", dependencies: [.product(name: "Benchmark", package: "benchmark")],
      path: "Sources/BenchmarkGate", swiftSettings: strict),
    // MurmurHash3 x86_32 over the keys bench.group:<i> (rollsim bench hash).
    .executableTarget(
      name: "Murmur3Benchmarks",
      dependencies: benchmark + [.product(name: "FlagEngine", package: root)],
      path: "Benchmarks/Murmur3Benchmarks", swiftSettings: strict, plugins: plugins),
    // Flag evaluation, the cases of rollsim bench eval: simple, rollout, constrained, variants, large-state.
    .executableTarget(
      name: "EvaluationBenchmarks",
      dependencies: benchmark + [.product(name: "FlagEngine", package: root)],
      path: "Benchmarks/EvaluationBenchmarks", swiftSettings: strict, plugins: plugins),
    // The hold model on the kernel's event queue (rollsim bench des).
    .executableTarget(
      name: "EventQueueBenchmarks",
      dependencies: benchmark + [.product(name: "Simulation", package: root)],
      path: "Benchmarks/EventQueueBenchmarks", swiftSettings: strict, plugins: plugins),
  ]
)
