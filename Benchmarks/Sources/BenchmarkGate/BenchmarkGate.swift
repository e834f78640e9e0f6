import Benchmark

extension Benchmark.Configuration {
  /// The configuration of every Rollsim benchmark: each iteration does 1,000 operations (the figures are
  /// per operation); wall clock and allocations are measured.
  ///
  /// None of the measured paths allocates, so allocations are gated strictly: no change at all (p90,
  /// absolute 0). Time is gated loosely: up to 4x the recorded p90 (relative 300%) before it counts as a
  /// regression, since the recorded figures and CI share a noisy 2-core machine.
  public static var rollsimGate: Benchmark.Configuration {
    Benchmark.Configuration(
      metrics: [.wallClock, .mallocCountTotal],
      warmupIterations: 10,
      scalingFactor: .kilo,
      maxDuration: .seconds(1),
      maxIterations: 100_000,
      thresholds: [
        .mallocCountTotal: .init(absolute: [.p90: 0]),
        .wallClock: .init(relative: [.p90: 300]),
      ])
  }
}
