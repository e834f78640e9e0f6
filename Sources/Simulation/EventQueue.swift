/// A priority queue of ``ScheduledEvent``s, smallest `(time, key, sequence)` first.
///
/// Two implementations are provided; both give exactly the same order for the same operations (the
/// tests compare them on long runs):
///
/// - ``RadixEventQueue``, the default of ``Simulator``: a radix heap on integer time, with 64-way
///   buckets. Amortised O(log₆₄ T) per event for a span T of pending times (in practice three or four
///   sequential moves), and its speed barely changes from ten thousand to ten million pending events.
///   It requires monotone insertion.
/// - ``EventHeap``: a 4-ary implicit heap, O(log n) per operation, slower (by 1.6 times at ten thousand
///   pending events, 5 at a million), allowing insertion at any time.
///
/// See ``RadixEventQueue`` for the measurements behind the choice.
///
/// Each insertion is given a `sequence` number, increasing in insertion order, which breaks ties between
/// events with equal time and key. A queue that has assigned 2^32 numbers renumbers its pending events
/// (keeping their order) and goes on, so ties stay in insertion order however long the run.
///
/// A queue may require *monotone* insertion, as a discrete-event simulation naturally provides: no event
/// earlier than the last one popped. ``RadixEventQueue`` does; ``Simulator`` guarantees it.
public protocol EventQueue<Payload> {
  /// What the queued events carry.
  associatedtype Payload: BitwiseCopyable

  /// A short name of the algorithm, for benchmark reports.
  static var algorithm: String { get }

  /// An empty queue.
  init()

  /// An empty queue with room for `minimumCapacity` events before it grows.
  init(minimumCapacity: Int)

  /// The number of pending events. O(1).
  var count: Int { get }

  /// Whether no event is pending. O(1).
  var isEmpty: Bool { get }

  /// The event that ``popMin()`` would return, or `nil` if the queue is empty.
  var min: ScheduledEvent<Payload>? { get }

  /// The earliest time at which an event may be inserted: the time of the last event popped for a
  /// monotone queue, `SimulatedTime(microseconds: .min)` for one that accepts any time.
  var earliestAllowedTime: SimulatedTime { get }

  /// Adds an event carrying `payload` at `time` for `key`, and gives it the next sequence number.
  mutating func insert(_ payload: Payload, at time: SimulatedTime, key: UInt32)

  /// Removes and returns the smallest event, or returns `nil` if the queue is empty.
  mutating func popMin() -> ScheduledEvent<Payload>?

  /// Removes and returns the smallest event if its time is at most `limit`; otherwise returns `nil` and
  /// leaves the queue as it was, ready for insertions at any time allowed before the call.
  mutating func popMin(notAfter limit: SimulatedTime) -> ScheduledEvent<Payload>?

  /// Removes every pending event and restarts the sequence numbers (and, for a monotone queue, the
  /// lowest allowed time) at zero.
  mutating func removeAll(keepingCapacity: Bool)
}
