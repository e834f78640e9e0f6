import Delivery
import Foundation

/// How many instances a tier needs: at the 99th percentile of the work one instance sees in a second, with
/// the Poisson noise of its own requests at its rate (a small instance's seconds vary more than the
/// fleet's mean), and at the worst storm (the fewest instances whose queues shed nothing through it).
enum CapacitySizing {
  /// P(N ≤ k) for N Poisson with `mean`: summed term by term for small means, by the normal approximation
  /// with a continuity correction above 40.
  static func poissonCDF(_ k: Double, mean: Double) -> Double {
    if mean <= 0 { return k >= 0 ? 1 : 0 }
    if k < 0 { return 0 }
    if mean > 40 { return 0.5 * erfc(-(k.rounded(.down) + 0.5 - mean) / (2 * mean).squareRoot()) }
    let top = Int(k.rounded(.down))
    var term = exp(-mean)
    var sum = term
    if top >= 1 {
      for i in 1...top {
        term *= mean / Double(i)
        sum += term
        if term < 1e-17 * sum && Double(i) > mean { break }
      }
    }
    return Swift.min(1, sum)
  }

  /// The bins of a pool grouped by their rate (within 0.5%), so that a quantile over hours of one-second
  /// bins costs a few hundred terms: per group, its bins, requests per second and work per request.
  struct Profile {
    var groups: [(count: Double, rate: Double, costPerRequest: Double)] = []
    var bins = 0.0

    /// `requests` and `work` per second, per bin.
    init(requests: [Double], work: [Double]) {
      var byKey: [Int: (count: Double, rate: Double, work: Double)] = [:]
      for b in requests.indices {
        let rate = requests[b]
        guard rate > 0 else {
          byKey[Int.min, default: (0, 0, 0)].count += 1
          continue
        }
        let key = Int((log(rate) * 200).rounded())
        byKey[key, default: (0, 0, 0)].count += 1
        byKey[key]!.rate += rate
        byKey[key]!.work += work[b]
      }
      for key in byKey.keys.sorted() {
        let g = byKey[key]!
        groups.append((g.count, g.count > 0 ? g.rate / g.count : 0, g.rate > 0 ? g.work / g.rate : 0))
      }
      bins = Double(requests.count)
    }

    /// The `p`-quantile of what one of `instances` sees in a second: requests and work (instance-seconds),
    /// each second's requests Poisson at the bin's rate over the instances.
    func quantile(_ p: Double, instances: Double) -> (requests: Double, work: Double) {
      guard bins > 0 else { return (0, 0) }
      func cdfRequests(_ x: Double) -> Double {
        groups.reduce(0) { $0 + $1.count * poissonCDF(x, mean: $1.rate / instances) } / bins
      }
      func cdfWork(_ w: Double) -> Double {
        groups.reduce(0) { total, g in
          total + g.count * (g.costPerRequest > 0 ? poissonCDF(w / g.costPerRequest, mean: g.rate / instances) : 1)
        } / bins
      }
      let top = groups.map { g in g.rate / instances + 8 * (g.rate / instances).squareRoot() + 20 }.max() ?? 0
      let topWork = groups.map { g in (g.rate / instances + 8 * (g.rate / instances).squareRoot() + 20) * g.costPerRequest }.max() ?? 0
      // Requests are whole: the smallest count whose CDF reaches p.
      var low = 0.0
      var high = top.rounded(.up)
      while low < high {
        let mid = ((low + high) / 2).rounded(.down)
        if cdfRequests(mid) >= p { high = mid } else { low = mid + 1 }
      }
      var wLow = 0.0
      var wHigh = topWork
      for _ in 0..<48 {
        let mid = (wLow + wHigh) / 2
        if cdfWork(mid) >= p { wHigh = mid } else { wLow = mid }
      }
      return (low, wHigh)
    }

    /// The fewest instances whose `p`-quantile of work is at most `budget` instance-seconds per second.
    func instances(_ p: Double, budget: Double) -> Int {
      guard groups.contains(where: { $0.rate > 0 }) else { return 0 }
      var high = 1
      while quantile(p, instances: Double(high)).work > budget {
        high *= 2
        if high > 1 << 30 { return high }
      }
      var low = high / 2 + 1
      if high == 1 { return 1 }
      while low < high {
        let mid = (low + high) / 2
        if quantile(p, instances: Double(mid)).work <= budget { high = mid } else { low = mid + 1 }
      }
      return low
    }
  }

  /// The fewest instances whose queue (`timeout` seconds) sheds nothing of `work` (instance-seconds per
  /// tick of `tick` seconds) over ticks `span`, none of them down.
  static func instancesWithoutShedding(work: [Double], span: Range<Int>, tick: Double, timeout: Double) -> Int {
    let peak = work[span].max() ?? 0
    guard peak > 0 else { return 0 }
    func sheds(_ instances: Double) -> Bool {
      var queue = BackendQueue(capacity: instances, timeout: timeout)
      for t in span where work[t] > 0 {
        if queue.admit(amount: work[t], cost: 1, at: Double(t) * tick) < work[t] * (1 - 1e-9) { return true }
      }
      return false
    }
    var high = Swift.max(1, Int((peak / tick).rounded(.up)))
    while sheds(Double(high)) { high *= 2 }
    var low = 1
    while low < high {
      let mid = (low + high) / 2
      if sheds(Double(mid)) { low = mid + 1 } else { high = mid }
    }
    return low
  }
}
