/// How activity varies over a local day: 24 hourly weights, scaled so the daily mean is 1.
///
/// A device with `s` sessions a day has sessions at rate `s / 86400 × weight(local hour)` per second;
/// `advance` inverts the integral of that rate, which is how the next session time is drawn (an
/// exponential amount of "work" converted to time), exactly for a piecewise-constant rate.
public struct DiurnalCurve: Sendable, Hashable {
  /// Relative activity per local hour, mean 1.
  public let weights: [Double]

  /// A typical consumer curve: quiet at night, a morning rise, an evening peak.
  public static let consumer = DiurnalCurve([
    0.35, 0.2, 0.12, 0.1, 0.1, 0.15, 0.4, 0.8, 1.1, 1.15, 1.15, 1.2,
    1.25, 1.2, 1.15, 1.15, 1.2, 1.35, 1.55, 1.7, 1.75, 1.55, 1.1, 0.65,
  ])

  public init(_ weights: [Double]) {
    precondition(weights.count == 24, "a diurnal curve has 24 hourly weights")
    let mean = weights.reduce(0, +) / 24
    precondition(mean > 0, "a diurnal curve needs some activity")
    self.weights = weights.map { $0 / mean }
  }

  /// Hourly rates as they are, not scaled to mean 1 (the sessions of an online device, ``OnlineCycle``).
  init(unnormalised weights: [Double]) {
    precondition(weights.count == 24, "a diurnal curve has 24 hourly weights")
    self.weights = weights
  }

  /// The local hour (0...23) at `seconds` of UTC time of day plus `offset` seconds.
  @inline(__always)
  static func hour(utcSecondOfDay: Double, offset: Double) -> Int {
    var local = (utcSecondOfDay + offset).truncatingRemainder(dividingBy: 86_400)
    if local < 0 { local += 86_400 }
    return min(23, Int(local / 3600))
  }

  /// The time after `time` (seconds since the run's start) at which `work` seconds of mean-1 activity
  /// have passed, in a region `offset` seconds from UTC; `dayStart` is the UTC second of day at time 0.
  /// Returns `.infinity` beyond `limit`.
  ///
  /// - Complexity: O(hours crossed).
  @inline(__always)
  public func advance(from time: Double, work: Double, dayStart: Double, offset: Double, limit: Double) -> Double {
    var t = time
    var remaining = work
    while t < limit {
      let (hour, hourEnd) = Self.hour(at: t, dayStart: dayStart, offset: offset)
      let weight = weights[hour]
      if weight > 0 {
        let needed = remaining / weight
        if t + needed <= hourEnd { return t + needed }
        remaining -= (hourEnd - t) * weight
      }
      t = hourEnd
    }
    return .infinity
  }

  /// The integral of the weight from `start` to `end` (seconds since the run's start).
  public func work(from start: Double, to end: Double, dayStart: Double, offset: Double) -> Double {
    var t = start
    var total = 0.0
    while t < end {
      let (hour, next) = Self.hour(at: t, dayStart: dayStart, offset: offset)
      let hourEnd = min(end, next)
      total += (hourEnd - t) * weights[hour]
      t = hourEnd
    }
    return total
  }

  /// The local hour at `t` and the time its end comes, always after `t`: near midnight the local time
  /// can round to 86,400 exactly, and near large `t` a tiny remainder can vanish when added; both would
  /// otherwise stop the clock.
  @inline(__always)
  static func hour(at t: Double, dayStart: Double, offset: Double) -> (hour: Int, end: Double) {
    var local = (dayStart + t + offset).truncatingRemainder(dividingBy: 86_400)
    if local < 0 { local += 86_400 }
    if local >= 86_400 { local -= 86_400 }
    let hour = min(23, Int(local / 3600))
    let end = t + (Double(hour + 1) * 3600 - local)
    return (hour, end > t ? end : t.nextUp.nextUp)
  }
}
