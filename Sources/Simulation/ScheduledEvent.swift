/// An event waiting in an event queue: when it happens, whose it is, and what it carries.
///
/// Events are ordered by `(time, key, sequence)`. The `key` is the caller's (a device index, say), so
/// that two events at the same microsecond come out in an order that does not depend on which was
/// scheduled first; the `sequence` is the queue's, and breaks the remaining ties in insertion order.
///
/// An event is a plain value of 16 bytes plus its payload: queues keep them in contiguous arrays, and
/// scheduling one allocates nothing beyond the amortised growth of those arrays.
public struct ScheduledEvent<Payload: BitwiseCopyable>: BitwiseCopyable {
  /// When the event happens.
  public var time: SimulatedTime
  /// The queue's tie-breaker among events with the same time and key: it increases with insertion order.
  ///
  /// Stored before `key` so that the two words read as `key << 32 | sequence`.
  public var sequence: UInt32
  /// The caller's tie-breaker among events with the same time, typically the entity the event belongs to.
  public var key: UInt32
  /// What the event carries: its kind and arguments.
  public var payload: Payload

  /// An event; queues assign `sequence` themselves.
  @inlinable
  public init(time: SimulatedTime, key: UInt32, sequence: UInt32, payload: Payload) {
    self.time = time
    self.sequence = sequence
    self.key = key
    self.payload = payload
  }

  /// `key` and `sequence` as one word, ordered like the pair.
  @inlinable
  var order: UInt64 { UInt64(key) &<< 32 | UInt64(sequence) }

  /// `(time, key, sequence)` as one 128-bit number, ordered like the triple: one branch-free comparison.
  ///
  /// The time's sign bit is flipped, so negative times order correctly too.
  @inlinable
  var rank: UInt128 {
    let biasedTime = UInt64(bitPattern: time.microseconds) ^ (1 &<< 63)
    return UInt128(biasedTime) &<< 64 | UInt128(order)
  }

  /// Whether `self` comes before `other` in `(time, key, sequence)` order.
  @inlinable
  public func precedes(_ other: ScheduledEvent) -> Bool {
    rank < other.rank
  }
}

extension ScheduledEvent: Sendable where Payload: Sendable {}

extension ScheduledEvent: Equatable where Payload: Equatable {
  @inlinable
  public static func == (lhs: ScheduledEvent, rhs: ScheduledEvent) -> Bool {
    lhs.time == rhs.time && lhs.key == rhs.key && lhs.sequence == rhs.sequence && lhs.payload == rhs.payload
  }
}

extension ScheduledEvent: CustomStringConvertible {
  public var description: String {
    "ScheduledEvent(time: \(time), key: \(key), sequence: \(sequence), payload: \(payload))"
  }
}
