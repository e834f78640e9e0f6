import Foundation

/// Log-likelihood ratio of `events` in `sessions` Bernoulli trials, rate `p1` against `p0`: the one-sample
/// tests' step against a fixed baseline.
@inline(__always)
func bernoulliLogLikelihoodRatio(events: UInt64, sessions: UInt64, p0: Double, p1: Double) -> Double {
  let x = Double(events)
  let n = Double(sessions)
  return x * log(p1 / p0) + (n - x) * log((1 - p1) / (1 - p0))
}
