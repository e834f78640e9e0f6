/// An event queue kept as a 4-ary implicit min-heap in one contiguous array.
///
/// Each node has four children at `4i + 1 ... 4i + 4`, so the heap is half as deep as a binary one and
/// the four children of a node share one or two cache lines. `(time, key, sequence)` is compared as one
/// 128-bit number.
///
/// Unlike ``RadixEventQueue`` it accepts an event at any time, earlier than the last one popped
/// included. It is slower than the radix queue at every size measured, by most from a million pending
/// events, where every level of the heap is a cache miss (`results/benchmarks.md`). Use it when insertion
/// cannot be monotone.
///
/// Complexity: ``insert(_:at:key:)`` and ``popMin()`` O(log n); ``min`` and ``count`` O(1).
public struct EventHeap<Payload: BitwiseCopyable>: EventQueue {
  public typealias Event = ScheduledEvent<Payload>

  /// One buffer: the heap, in which every node precedes its children. Copied on write.
  @usableFromInline
  var storage: EventBuffers<Payload>

  /// The sequence number of the next insertion.
  @usableFromInline
  var nextSequence: UInt32 = 0

  /// The queue renumbers its events when `nextSequence` reaches this; lowered only by tests.
  @usableFromInline
  var sequenceLimit: UInt32 = .max

  public static var algorithm: String { "4-ary-heap" }

  @inlinable
  public init() {
    storage = EventBuffers(bufferCount: 1, wordCount: 0)
  }

  @inlinable
  public init(minimumCapacity: Int) {
    storage = EventBuffers(bufferCount: 1, wordCount: 0)
    if minimumCapacity > 0 { EventBuffers.grow(storage.buffers, minimumCapacity: minimumCapacity) }
  }

  @inlinable
  var heap: UnsafeMutablePointer<EventBuffer<Payload>> { storage.buffers }

  @inlinable
  public var count: Int { Int(heap.pointee.count) }

  @inlinable
  public var isEmpty: Bool { heap.pointee.count == 0 }

  /// Any time: the heap does not need monotone insertion.
  @inlinable
  public var earliestAllowedTime: SimulatedTime { SimulatedTime(microseconds: .min) }

  /// The smallest event. O(1).
  @inlinable
  public var min: Event? { isEmpty ? nil : heap.pointee.events.unsafelyUnwrapped[0] }

  /// Adds an event. O(log n); amortised O(1) allocation.
  @inlinable
  public mutating func insert(_ payload: Payload, at time: SimulatedTime, key: UInt32) {
    if nextSequence == sequenceLimit { renumber() }
    makeUnique()
    let event = Event(time: time, key: key, sequence: nextSequence, payload: payload)
    nextSequence &+= 1
    let header = heap
    if header.pointee.count == header.pointee.capacity { EventBuffers.grow(header) }
    let hole = Int(header.pointee.count)
    header.pointee.count &+= 1
    Self.siftUp(event, from: hole, in: header.pointee.events.unsafelyUnwrapped)
    assert(isValidHeap(sampling: true))
    #if ROLLSIM_INTERNAL_CHECKS
      checkInvariantsNow(tick: nextSequence)
    #endif
  }

  /// Removes the smallest event. O(log n).
  @inlinable
  public mutating func popMin() -> Event? {
    guard !isEmpty else { return nil }
    makeUnique()
    let header = heap
    let events = header.pointee.events.unsafelyUnwrapped
    header.pointee.count &-= 1
    let count = Int(header.pointee.count)
    let minimum = events[0]
    if count > 0 { Self.siftDown(events[count], count: count, in: events) }
    assert(isValidHeap(sampling: true))
    #if ROLLSIM_INTERNAL_CHECKS
      checkInvariantsNow(tick: UInt32(truncatingIfNeeded: count))
    #endif
    return minimum
  }

  /// Removes the smallest event if it is not later than `limit`. O(log n).
  @inlinable
  public mutating func popMin(notAfter limit: SimulatedTime) -> Event? {
    guard let first = min, first.time <= limit else { return nil }
    return popMin()
  }

  /// Removes every event; frees the memory unless `keepingCapacity`.
  @inlinable
  public mutating func removeAll(keepingCapacity: Bool = false) {
    if keepingCapacity {
      makeUnique()
      storage.empty()
    } else {
      storage = EventBuffers(bufferCount: 1, wordCount: 0)
    }
    nextSequence = 0
  }

  @inlinable
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) {
      storage = storage.copy()
    }
  }

  /// Moves `event` up from the hole at `index` to its place.
  @inlinable
  static func siftUp(_ event: Event, from index: Int, in heap: UnsafeMutablePointer<Event>) {
    let rank = event.rank
    var hole = index
    while hole > 0 {
      let parent = (hole &- 1) &>> 2
      let parentEvent = heap[parent]
      guard rank < parentEvent.rank else { break }
      heap[hole] = parentEvent
      hole = parent
    }
    heap[hole] = event
  }

  /// Fills the hole at the root with `event`: moves the smallest child up until `event` fits.
  @inlinable
  static func siftDown(_ event: Event, count: Int, in heap: UnsafeMutablePointer<Event>) {
    let rank = event.rank
    var hole = 0
    while true {
      let first = 4 &* hole &+ 1
      guard first < count else { break }
      var child = first
      var childRank = heap[first].rank
      let end = Swift.min(first &+ 4, count)
      var next = first &+ 1
      while next < end {
        let nextRank = heap[next].rank
        if nextRank < childRank {
          child = next
          childRank = nextRank
        }
        next &+= 1
      }
      guard childRank < rank else { break }
      heap[hole] = heap[child]
      hole = child
    }
    heap[hole] = event
  }

  /// Gives the pending events the sequence numbers `0 ..< count` in their current order.
  @usableFromInline
  mutating func renumber() {
    makeUnique()
    var events = storage.allEvents()
    events.sort { $0.rank < $1.rank }  // a sorted array is a valid heap
    precondition(events.count < Int(sequenceLimit), "EventHeap: too many pending events to renumber")
    for index in events.indices {
      events[index].sequence = UInt32(index)
      heap.pointee.events.unsafelyUnwrapped[index] = events[index]
    }
    nextSequence = UInt32(events.count)
  }

  /// Whether every node precedes its children; with `sampling`, only checks small heaps, so that debug
  /// builds stay usable at scale.
  @usableFromInline
  func isValidHeap(sampling: Bool) -> Bool {
    let count = self.count
    if sampling && count > 32 { return true }
    guard count > 1 else { return true }
    let events = heap.pointee.events.unsafelyUnwrapped
    for index in 1..<count where events[index].precedes(events[(index - 1) / 4]) {
      return false
    }
    return true
  }
}

extension EventHeap: @unchecked Sendable where Payload: Sendable {}
