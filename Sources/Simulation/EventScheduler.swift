/// The clock and the pending events of a ``Simulator``: what an ``EventHandler`` schedules through.
///
/// Scheduling is only allowed at or after ``now``: the past has been simulated already. The
/// `schedule` methods treat an earlier time as a programming error and trap with a message naming the
/// times and the key; ``trySchedule(_:at:key:)`` throws ``SimulationError/Code/scheduledInPast`` instead,
/// for times that come from input.
public struct EventScheduler<Queue: EventQueue> {
  public typealias Payload = Queue.Payload

  @usableFromInline
  var pending: Queue

  @usableFromInline
  var clock: SimulatedTime

  @usableFromInline
  var stopRequested = false

  /// A scheduler over `queue` with the clock at `now`.
  ///
  /// - Precondition: `now` is not before the queue's ``EventQueue/earliestAllowedTime``, and (checked in
  ///   debug builds) no event in `queue` is earlier than `now`.
  @inlinable
  public init(queue: Queue, now: SimulatedTime = .zero) {
    precondition(
      now >= queue.earliestAllowedTime,
      "EventScheduler: the clock starts at \(now), before the queue's earliest allowed time "
        + "\(queue.earliestAllowedTime)")
    assert(queue.min.map { $0.time >= now } ?? true, "EventScheduler: the queue holds events before \(now)")
    self.pending = queue
    self.clock = now
  }

  /// The current simulated time: the time of the event being handled, or where the last run stopped.
  @inlinable
  public var now: SimulatedTime { clock }

  /// The pending events (read-only).
  @inlinable
  public var queue: Queue { pending }

  /// The number of pending events. O(1).
  @inlinable
  public var pendingCount: Int { pending.count }

  /// Schedules an event carrying `payload` at `time` for `key`. Complexity of the queue's insertion.
  ///
  /// - Precondition: `time >= now`. Use ``trySchedule(_:at:key:)`` when the time comes from input.
  @inlinable
  public mutating func schedule(_ payload: Payload, at time: SimulatedTime, key: UInt32) {
    precondition(
      time >= clock, "EventScheduler: an event for key \(key) at \(time) is in the past (now is \(clock))")
    pending.insert(payload, at: time, key: key)
  }

  /// Schedules an event carrying `payload` `delay` after ``now`` for `key`.
  ///
  /// - Precondition: `delay >= .zero`.
  @inlinable
  public mutating func schedule(_ payload: Payload, after delay: SimulatedTime, key: UInt32) {
    precondition(delay >= .zero, "EventScheduler: an event for key \(key) has a negative delay, \(delay)")
    pending.insert(payload, at: clock + delay, key: key)
  }

  /// Schedules an event at `time` for `key`, or throws ``SimulationError/Code/scheduledInPast`` if
  /// `time` is before ``now``.
  @inlinable
  public mutating func trySchedule(_ payload: Payload, at time: SimulatedTime, key: UInt32) throws(SimulationError) {
    guard time >= clock else {
      throw SimulationError(
        code: .scheduledInPast,
        message: "an event for key \(key) at \(time) is before the current time \(clock)")
    }
    pending.insert(payload, at: time, key: key)
  }

  /// Ends the current ``Simulator/run(until:maxEvents:)`` once the event being handled is done.
  @inlinable
  public mutating func stop() {
    stopRequested = true
  }
}

extension EventScheduler: Sendable where Queue: Sendable {}
