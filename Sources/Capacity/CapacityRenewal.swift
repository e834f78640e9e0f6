import Foundation

/// The distribution of the wait between two requests of one client on the model's tick grid, with the
/// chance that the client is still there to make the next one.
///
/// Waits are uniform on `interval × (1 ± jitter)` (a fixed interval when `jitter` is 0). Each wait is
/// split between the two ticks around it in proportion to its position, so the grid keeps the mean wait,
/// hence the long-run rate, exactly. A client leaves (goes offline) at rate `leaving` per second, so a wait
/// `x` is followed by a request with probability `exp(-leaving × x)`.
struct RenewalKernel: Sendable {
  /// Smallest wait, in ticks (at least 1).
  let first: Int
  /// `weights[i]`: probability that the next request comes `first + i` ticks later.
  let weights: [Double]

  init(interval: Double, jitter: Double, leaving: Double, tick: Double) {
    let points = jitter > 0 ? 4096 : 1
    var low = Int.max
    var high = 0
    var samples: [(Int, Double, Double)] = []
    samples.reserveCapacity(points)
    for q in 0..<points {
      let x = jitter > 0 ? interval * (1 + jitter * (2 * (Double(q) + 0.5) / Double(points) - 1)) : interval
      let weight = exp(-leaving * x) / Double(points)
      var position = Swift.max(x / tick, 1)
      // A wait that is a whole number of ticks up to rounding is that number of ticks.
      if abs(position - position.rounded()) < 1e-9 { position = position.rounded() }
      let floor = Int(position)
      let fraction = position - Double(floor)
      samples.append((floor, weight, fraction))
      low = Swift.min(low, floor)
      high = Swift.max(high, fraction > 0 ? floor + 1 : floor)
    }
    var weights = [Double](repeating: 0, count: high - low + 1)
    for (floor, weight, fraction) in samples {
      weights[floor - low] += weight * (1 - fraction)
      if fraction > 0 { weights[floor + 1 - low] += weight * fraction }
    }
    first = low
    self.weights = weights
  }

  init(first: Int, weights: [Double]) {
    self.first = first
    self.weights = weights
  }

  /// The mean wait in ticks, for checks.
  var meanTicks: Double {
    let total = weights.reduce(0, +)
    return weights.enumerated().reduce(0) { $0 + Double(first + $1.offset) * $1.element } / total
  }
}

/// The renewal equation on the tick grid: the expected requests of clients that each start with a request
/// at the times counted in `starts`, then wait from the kernel before each next one.
///
/// `r[t] = starts[t] + Σ_d f[d] · r[t − d]`, where the sum only reaches back to the last cut at or before
/// `t`: a cut (the start of an outage) ends every client's regular schedule, and the clients' walks put
/// their next requests back in `starts`. For a fixed interval it is the exact count; with jitter it is the
/// expected count given the start times, which is the exact mean of the superposed clients.
///
/// - Complexity: O(ticks × kernel width); kernels wider than 2,048 ticks run on a coarser grid and are
///   spread back evenly.
enum Renewal {
  static func run(starts: [Double], kernel: RenewalKernel, cuts: [Int]) -> [Double] {
    let width = kernel.weights.count
    if width > 2048 {
      return coarse(starts: starts, kernel: kernel, cuts: cuts, factor: (width + 2047) / 2048)
    }
    let n = starts.count
    var r = [Double](repeating: 0, count: n)
    let first = kernel.first
    let last = first + width - 1
    var cutIndex = 0
    var epochStart = 0
    starts.withUnsafeBufferPointer { s in
      kernel.weights.withUnsafeBufferPointer { f in
        r.withUnsafeMutableBufferPointer { r in
          for t in 0..<n {
            while cutIndex < cuts.count && cuts[cutIndex] <= t {
              epochStart = cuts[cutIndex]
              cutIndex += 1
            }
            var sum = s[t]
            let reach = Swift.min(last, t - epochStart)
            if reach >= first {
              for d in first...reach { sum += f[d - first] * r[t - d] }
            }
            r[t] = sum
          }
        }
      }
    }
    return r
  }

  /// The same on a grid `factor` ticks wide, spread back evenly over the ticks.
  static func coarse(starts: [Double], kernel: RenewalKernel, cuts: [Int], factor: Int) -> [Double] {
    let n = starts.count
    let coarseCount = (n + factor - 1) / factor
    var coarseStarts = [Double](repeating: 0, count: coarseCount)
    for t in 0..<n { coarseStarts[t / factor] += starts[t] }
    // Re-bin the kernel: wait `first + i` ticks goes to coarse wait (first + i) / factor, split by position.
    let firstCoarse = Swift.max(1, kernel.first / factor)
    let lastCoarse = (kernel.first + kernel.weights.count - 1) / factor + 1
    var weights = [Double](repeating: 0, count: lastCoarse - firstCoarse + 1)
    for (i, weight) in kernel.weights.enumerated() {
      let position = Swift.max(Double(kernel.first + i) / Double(factor), 1)
      let floor = Int(position)
      let fraction = position - Double(floor)
      weights[floor - firstCoarse] += weight * (1 - fraction)
      if fraction > 0 { weights[floor + 1 - firstCoarse] += weight * fraction }
    }
    let result = run(
      starts: coarseStarts, kernel: RenewalKernel(first: firstCoarse, weights: weights), cuts: cuts.map { $0 / factor })
    var fine = [Double](repeating: 0, count: n)
    for t in 0..<n { fine[t] = result[t / factor] / Double(Swift.min(factor, n - t / factor * factor)) }
    return fine
  }
}
