/// What a ``Simulator`` hands each event to, in `(time, key, sequence)` order.
///
/// The handler is a value the simulator owns and mutates in place (a struct holding the simulated
/// world, typically in struct-of-arrays columns). The simulator is generic over it, so `handle` is
/// called directly, specialised and usually inlined: there is no closure or existential per event.
///
/// ```swift
/// struct Pinger: EventHandler {
///   var pings = 0
///   mutating func handle<Queue: EventQueue<UInt8>>(
///     _ event: ScheduledEvent<UInt8>, scheduler: inout EventScheduler<Queue>
///   ) {
///     pings += 1
///     scheduler.schedule(event.payload, after: .seconds(15), key: event.key)
///   }
/// }
/// ```
public protocol EventHandler<Payload> {
  /// What the events carry: typically a small enum of event kinds with their arguments.
  associatedtype Payload: BitwiseCopyable

  /// Handles `event`, whose time is `scheduler.now`. The handler may schedule more events at or after
  /// `scheduler.now`, and may call ``EventScheduler/stop()`` to end the run after this event.
  mutating func handle<Queue: EventQueue<Payload>>(
    _ event: ScheduledEvent<Payload>, scheduler: inout EventScheduler<Queue>)
}
