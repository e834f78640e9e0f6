import Delivery
import Foundation
import Simulation
import Telemetry

/// When devices are online over a local day, and when they come back (boot).
///
/// A device switches between online and offline. An online device goes offline at a constant rate, the
/// same at every hour (a laptop closed, a battery run down), set by the mean offline spell and the online
/// share: `(1 - online) / (online × offlineSpell)`. An offline device comes back at a rate proportional to
/// the diurnal curve's weight at the local hour: devices come back when people are active, in a morning
/// boot wave, and hardly at night. The scale of that rate is solved so that the share of time online
/// over a day is `online`; the online share at each time of day is the process' periodic steady state,
/// lowest before the morning wave. With a flat curve this is the memoryless process with a fixed online
/// share. Spells are drawn by inverting the cumulative rate (``DiurnalCurve/advance``): no event per
/// device and hour.
///
/// Sessions keep the curve: a device online at local hour `h` has sessions at `online × w(h) / p(h)`
/// times its daily mean rate, where `p(h)` is the hour's mean online share, so the fleet's sessions per
/// hour are what the curve says whatever the online share (and the bulk draws of dormant devices, which
/// follow the fleet, not a device's spells, see ``sessionWork(from:to:dayStart:offset:)``).
public struct OnlineCycle: Sendable {
  /// The diurnal curve (mean 1): offline devices come back at `returnScale × weight` a second.
  public let curve: DiurnalCurve
  /// The daily mean share of time online.
  public let online: Double
  /// Online devices go offline at this rate, a second (0 when always online).
  public let leaveRate: Double
  /// Offline devices come back at this times the curve's weight, a second.
  public let returnScale: Double
  /// The online share at the start of each local hour, and its mean over the hour.
  public let atHourStart: [Double]
  public let hourMean: [Double]
  /// The session rate of an online device relative to its daily mean, per local hour (not of mean 1).
  public let sessionCurve: DiurnalCurve

  /// Always online: sessions on the curve, no spells.
  public init(alwaysOnline curve: DiurnalCurve) {
    self.init(
      curve: curve, online: 1, leaveRate: 0, returnScale: .infinity, atHourStart: Array(repeating: 1, count: 24),
      hourMean: Array(repeating: 1, count: 24), sessionCurve: curve)
  }

  private init(
    curve: DiurnalCurve, online: Double, leaveRate: Double, returnScale: Double, atHourStart: [Double], hourMean: [Double],
    sessionCurve: DiurnalCurve
  ) {
    self.curve = curve
    self.online = online
    self.leaveRate = leaveRate
    self.returnScale = returnScale
    self.atHourStart = atHourStart
    self.hourMean = hourMean
    self.sessionCurve = sessionCurve
  }

  /// The cycle of a fleet online `online` of the time (above 0, at most 1), with offline spells of
  /// `offlineSpell` seconds on average. Fails when the curve has hours at 0, no device comes back
  /// then, and the spells are long enough to keep the online share below `online`.
  public init(curve: DiurnalCurve, online: Double, offlineSpell: Double) throws(DefinitionError) {
    guard online < 1 else {
      self.init(alwaysOnline: curve)
      return
    }
    let leave = (1 - online) / (online * offlineSpell)
    // The mean online share grows with the return rate's scale: bisection on its logarithm.
    let most = Self.periodic(curve, leave: leave, returnScale: 1e6)
    guard most.mean >= online else {
      throw DefinitionError(
        "activity.online",
        "\(Check.format(online)) cannot be the share of time online: no device comes back in the diurnal curve's hours at 0, and with offline spells of \(TimeSpan.seconds(offlineSpell)) at most \(Check.format((most.mean * 1e4).rounded(.down) / 1e4)) is")
    }
    var low = log(1e-12)
    var high = log(1e6)
    for _ in 0..<200 {
      let middle = (low + high) / 2
      if Self.periodic(curve, leave: leave, returnScale: exp(middle)).mean < online { low = middle } else { high = middle }
    }
    let scale = exp((low + high) / 2)
    let solved = Self.periodic(curve, leave: leave, returnScale: scale)
    self.init(
      curve: curve, online: online, leaveRate: leave, returnScale: scale, atHourStart: solved.start, hourMean: solved.mean24,
      sessionCurve: DiurnalCurve(unnormalised: (0..<24).map { online * curve.weights[$0] / solved.mean24[$0] }))
  }

  /// The periodic steady state of the online share, hour by hour: within an hour the rates are
  /// constant, so the share relaxes exponentially towards `return / (return + leave)`.
  static func periodic(_ curve: DiurnalCurve, leave: Double, returnScale: Double) -> (start: [Double], mean24: [Double], mean: Double) {
    // One day as an affine map of the share at local midnight: p -> a p + b.
    var a = 1.0
    var b = 0.0
    for hour in 0..<24 {
      let (limit, decay) = relaxation(curve.weights[hour], leave: leave, returnScale: returnScale, over: 3600)
      a *= decay
      b = b * decay + limit * (1 - decay)
    }
    var p = b / (1 - a)
    var start = [Double](repeating: 0, count: 24)
    var mean24 = [Double](repeating: 0, count: 24)
    for hour in 0..<24 {
      start[hour] = p
      let (limit, decay) = relaxation(curve.weights[hour], leave: leave, returnScale: returnScale, over: 3600)
      let rate = returnScale * curve.weights[hour] + leave
      mean24[hour] = limit + (p - limit) * (1 - decay) / (rate * 3600)
      p = limit + (p - limit) * decay
    }
    return (start, mean24, mean24.reduce(0, +) / 24)
  }

  /// Where the online share tends within an hour of weight `weight`, and how much of its distance
  /// from there is left after `seconds`.
  @inline(__always)
  static func relaxation(_ weight: Double, leave: Double, returnScale: Double, over seconds: Double) -> (limit: Double, decay: Double) {
    let back = returnScale * weight
    return (back / (back + leave), exp(-(back + leave) * seconds))
  }

  /// The probability that a device is online at `time` (seconds since the run's start), in a region
  /// `offset` seconds from UTC; `dayStart` is the UTC second of day at time 0.
  public func onlineShare(at time: Double, dayStart: Double, offset: Double) -> Double {
    guard online < 1 else { return 1 }
    let (hour, end) = DiurnalCurve.hour(at: time, dayStart: dayStart, offset: offset)
    let (limit, decay) = Self.relaxation(curve.weights[hour], leave: leaveRate, returnScale: returnScale, over: 3600 - (end - time))
    return limit + (atHourStart[hour] - limit) * decay
  }

  /// When a device offline at `time` comes back: `work` is an Exp(1) draw.
  @inline(__always)
  public func comesBack(after time: Double, work: Double, dayStart: Double, offset: Double, limit: Double) -> Double {
    curve.advance(from: time, work: work / returnScale, dayStart: dayStart, offset: offset, limit: limit)
  }

  /// When a device online at `time` goes offline: `work` is an Exp(1) draw.
  @inline(__always)
  public func goesOffline(after time: Double, work: Double) -> Double {
    time + work / leaveRate
  }

  /// How much of a device's lead over the online share is left from `start` to `end` (seconds since
  /// the run's start, `start` first): a device known online at `start` is online at `end` with
  /// probability `p(end) + (1 - p(start)) × relaxation`.
  ///
  /// - Complexity: O(24) at most: whole days at once, and no further once the lead is below e^-40.
  public func relaxation(from start: Double, to end: Double, dayStart: Double, offset: Double) -> Double {
    guard online < 1 else { return 1 }
    // Whole days first: a day's hazard is the same whatever the hour it starts at (the curve's mean is 1).
    let days = max(0, ((end - start) / 86_400).rounded(.down))
    var hazard = days * 86_400 * (returnScale + leaveRate)
    var t = start + days * 86_400
    while t < end && hazard < 40 {
      let (hour, next) = DiurnalCurve.hour(at: t, dayStart: dayStart, offset: offset)
      let stepEnd = min(end, next)
      hazard += (returnScale * curve.weights[hour] + leaveRate) * (stepEnd - t)
      t = stepEnd
    }
    return hazard < 40 ? exp(-hazard) : 0
  }

  /// The expected sessions, from `start` to `end`, of a device's lead over the online share at
  /// `start` (in the units of ``sessionWork(from:to:dayStart:offset:)``, for a lead of 1): the session
  /// curve times the lead's relaxation.
  public func leadSessionWork(from start: Double, to end: Double, dayStart: Double, offset: Double) -> Double {
    guard online < 1 else { return 0 }
    var t = start
    var left = 1.0
    var total = 0.0
    while t < end {
      let (hour, next) = DiurnalCurve.hour(at: t, dayStart: dayStart, offset: offset)
      let length = min(end, next) - t
      let rate = returnScale * curve.weights[hour] + leaveRate
      let decay = exp(-rate * length)
      total += sessionCurve.weights[hour] * left * (1 - decay) / rate
      left *= decay
      t += length
    }
    return total
  }

  /// The expected sessions of a device from `start` to `end` (seconds since the run's start), in units
  /// of its daily mean rate a second (multiply by sessions a day / 86,400): the integral of the session
  /// curve times the online share. With the share's periodic steady state this is `online` times the
  /// diurnal curve's integral over whole hours, and exact within an hour too.
  public func sessionWork(from start: Double, to end: Double, dayStart: Double, offset: Double) -> Double {
    guard online < 1 else { return curve.work(from: start, to: end, dayStart: dayStart, offset: offset) }
    var t = start
    var total = 0.0
    while t < end {
      let (hour, next) = DiurnalCurve.hour(at: t, dayStart: dayStart, offset: offset)
      let pieceEnd = min(end, next)
      let intoHour = 3600 - (next - t)
      let back = returnScale * curve.weights[hour]
      let rate = back + leaveRate
      let limit = back / rate
      let from = atHourStart[hour] - limit
      // The integral of limit + from × e^(-rate x) over x in [intoHour, intoHour + length].
      let length = pieceEnd - t
      let share = limit * length + from * (exp(-rate * intoHour) - exp(-rate * (intoHour + length))) / rate
      total += sessionCurve.weights[hour] * share
      t = pieceEnd
    }
    return total
  }
}
