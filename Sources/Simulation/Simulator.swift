/// Why ``Simulator/run(until:maxEvents:)`` returned.
public enum StopReason: Hashable, Sendable {
  /// No event was pending.
  case queueEmpty
  /// The next pending event is after the time limit.
  case timeLimitReached
  /// The run handled as many events as it was allowed to.
  case eventLimitReached
  /// The handler called ``EventScheduler/stop()``.
  case stoppedByHandler
}

/// The discrete-event run loop: pops events in `(time, key, sequence)` order and hands each to a handler.
///
/// ```swift
/// var simulator = Simulator(handler: Pinger())   // a RadixEventQueue
/// simulator.schedule(0, at: .zero, key: 7)
/// let reason = simulator.run(until: .hours(24))
/// ```
///
/// The loop is generic over the queue and the handler, so that a caller's instantiation is specialised:
/// a run costs the queue's operations plus the handler's work, and allocates nothing but the queue's
/// amortised growth.
///
/// A run can be resumed: ``run(until:maxEvents:)`` picks up where the last one stopped.
public struct Simulator<Queue: EventQueue, Handler: EventHandler> where Handler.Payload == Queue.Payload {
  public typealias Payload = Queue.Payload

  /// The clock and the pending events.
  public var scheduler: EventScheduler<Queue>

  /// The handler, owned and mutated in place by the run loop.
  public var handler: Handler

  @usableFromInline
  var handledCount = 0

  /// A simulator with `handler` and the events already in `queue`, its clock at `start`.
  ///
  /// - Precondition: `start` is not before `queue.earliestAllowedTime`, and no event in `queue` is
  ///   before `start` (checked in debug builds).
  @inlinable
  public init(handler: Handler, queue: Queue, start: SimulatedTime = .zero) {
    self.handler = handler
    self.scheduler = EventScheduler(queue: queue, now: start)
  }

  /// The current simulated time.
  @inlinable
  public var now: SimulatedTime { scheduler.now }

  /// The number of events handled by every run so far.
  @inlinable
  public var eventsProcessed: Int { handledCount }

  /// Schedules an event; see ``EventScheduler/schedule(_:at:key:)``.
  ///
  /// - Precondition: `time >= now`.
  @inlinable
  public mutating func schedule(_ payload: Payload, at time: SimulatedTime, key: UInt32) {
    scheduler.schedule(payload, at: time, key: key)
  }

  /// Schedules an event, or throws ``SimulationError/Code/scheduledInPast`` if `time` is before ``now``.
  @inlinable
  public mutating func trySchedule(_ payload: Payload, at time: SimulatedTime, key: UInt32) throws(SimulationError) {
    try scheduler.trySchedule(payload, at: time, key: key)
  }

  /// Handles events in order until one of the stop conditions holds.
  ///
  /// - Parameters:
  ///   - limit: Handle events at or before this time; events after it stay pending. When the run stops
  ///     because the next event is after `limit`, or because the queue ran dry with a `limit` given, the
  ///     clock moves to `limit` (as if the simulation had idled until then), so that the caller can
  ///     schedule from there. Without a limit the clock stays at the last event handled.
  ///   - maxEvents: Handle at most this many events in this call.
  /// - Returns: Why the run stopped: ``StopReason/stoppedByHandler`` right after the event whose handler
  ///   called ``EventScheduler/stop()``; otherwise, checked before each event in this order,
  ///   ``StopReason/eventLimitReached``, ``StopReason/queueEmpty``, ``StopReason/timeLimitReached``.
  ///
  /// Complexity: the queue's `popMin` and the handler's work, for each event handled.
  @inlinable
  public mutating func run(until limit: SimulatedTime? = nil, maxEvents: Int? = nil) -> StopReason {
    precondition(maxEvents.map { $0 >= 0 } ?? true, "Simulator.run: maxEvents must not be negative")
    let timeLimit = limit ?? .max
    let budget = maxEvents ?? .max
    scheduler.stopRequested = false
    var handled = 0
    defer { handledCount &+= handled }
    while handled < budget {
      guard let event = scheduler.pending.popMin(notAfter: timeLimit) else {
        if let limit, limit > scheduler.clock { scheduler.clock = limit }
        return scheduler.pending.isEmpty ? .queueEmpty : .timeLimitReached
      }
      assert(event.time >= scheduler.clock, "Simulator: the queue returned an event before the current time")
      scheduler.clock = event.time
      handler.handle(event, scheduler: &scheduler)
      handled &+= 1
      if scheduler.stopRequested { return .stoppedByHandler }
    }
    return .eventLimitReached
  }

  /// Removes the next event, moves the clock to it and returns it, without calling the handler: for
  /// callers that drive the loop themselves. Returns `nil` if no event is pending.
  @inlinable
  public mutating func step() -> ScheduledEvent<Payload>? {
    guard let event = scheduler.pending.popMin() else { return nil }
    scheduler.clock = event.time
    handledCount &+= 1
    return event
  }
}

extension Simulator where Queue == RadixEventQueue<Handler.Payload> {
  /// A simulator at time zero with `handler` and an empty ``RadixEventQueue``, the default queue.
  @inlinable
  public init(handler: Handler) {
    self.init(handler: handler, queue: RadixEventQueue())
  }
}

extension Simulator: Sendable where Queue: Sendable, Handler: Sendable {}
