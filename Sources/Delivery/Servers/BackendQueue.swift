/// A pool of server instances in front of one queue: requests are served first come, first served, at the
/// pool's capacity, and a request that would wait longer than `timeout` before an instance takes it is
/// shed at once (answered 503), so a herd drains at the capacity and its excess fails and retries.
///
/// The state is the work admitted but not yet done (a backlog, in instance-seconds) and when it was last
/// brought up to date: a deterministic function of the requests in the order they arrive. Two forms of
/// one model: ``admit(cost:at:)`` takes one request (a fleet run's boot), ``admit(amount:cost:at:)`` an
/// amount of requests arriving together (a capacity plan's tick); the same arrivals give the same counts,
/// up to one request's rounding.
///
/// `background` is work per second the pool serves ahead of the requests offered here (a fleet run's
/// regular polls, counted in aggregate): it lowers the capacity left for them.
public struct BackendQueue: Sendable {
  /// Instance-seconds of work done per second: the number of instances.
  public let capacity: Double
  /// Seconds a request may wait before an instance takes it.
  public let timeout: Double
  /// Instance-seconds per second taken by load counted elsewhere.
  public var background: Double = 0
  /// Work admitted and not yet done, in instance-seconds, as of `updated` (seconds).
  public private(set) var backlog = 0.0
  public private(set) var updated = 0.0

  public init(capacity: Double, timeout: Double) {
    self.capacity = capacity
    self.timeout = timeout
  }

  /// The capacity left for the requests offered here.
  @inline(__always)
  var rate: Double { capacity - background }

  /// Brings the backlog up to time `t` (never backwards).
  @inline(__always)
  public mutating func advance(to t: Double) {
    guard t > updated else { return }
    backlog = Swift.max(0, backlog - Swift.max(0, rate) * (t - updated))
    updated = t
  }

  /// How long a request arriving at `t` would wait before an instance takes it (infinity when there is no
  /// capacity left).
  public mutating func wait(at t: Double) -> Double {
    advance(to: t)
    return rate > 0 ? backlog / rate : .infinity
  }

  /// One request of `cost` instance-seconds arriving at `t`: the seconds it waits before an instance takes
  /// it, or nil when it is shed.
  @inline(__always)
  public mutating func admit(cost: Double, at t: Double) -> Double? {
    let wait = wait(at: t)
    guard wait <= timeout else { return nil }
    backlog += cost
    return wait
  }

  /// `amount` requests of `cost` instance-seconds each arriving at `t`: how many are admitted (the others
  /// are shed). The queue takes work until a request would wait longer than the timeout.
  @inline(__always)
  public mutating func admit(amount: Double, cost: Double, at t: Double) -> Double {
    guard amount > 0 else { return 0 }
    advance(to: t)
    guard rate > 0 else { return 0 }
    if cost <= 0 { return amount }
    let room = Swift.max(0, timeout * rate - backlog)
    let admitted = Swift.min(amount, room / cost)
    backlog += admitted * cost
    return admitted
  }
}
