/// An event queue for integer time that only moves forward: a radix heap with 64-way buckets, the
/// default of ``Simulator``.
///
/// A discrete-event simulation never schedules an event before the one it is processing, so every
/// insertion is at or after the time of the last event popped, the queue's *base*. A radix heap
/// (Ahuja, Mehlhorn, Orlin and Tarjan, 1990) exploits this: events sit in unordered buckets chosen by
/// the highest bits in which their time differs from the base, and only the lowest bucket is ever
/// looked into. This one reads times as 6-bit digits: an event goes to *level* `L`, the highest digit in
/// which its time differs from the base, and within the level to the bucket of its own digit `L`, one of
/// 64. Events at the base time itself wait in a small binary heap ordered by `(key, sequence)`.
///
/// When that heap runs dry, the lowest non-empty bucket (found with two bit scans) gives the new base,
/// its earliest time, kept up to date on insertion; the bucket's events move to lower levels or into
/// the heap. An event only ever moves down, so it moves at most once per level: with delays of about a
/// second (2^20 microseconds) that is at most four moves, each a sequential read and an append.
///
/// Nothing is compared against a tree of other events, so the cost per event hardly depends on how many
/// are pending, where a heap's grows with its depth and, from about a million events, with a cache miss
/// at every level. It is faster than ``EventHeap`` at every size measured, from ten thousand to ten
/// million pending events (`rollsim bench des --queue radix|heap`; the figures, beside SimPy's, are in
/// `results/benchmarks.md`, made by `scripts/benchmarks.sh`). A fleet simulation queues an event or more
/// per device. So the radix heap is the default.
/// ``EventHeap`` remains for queues that must accept events before the last one popped, and as the
/// independent implementation the tests compare this one with.
///
/// Complexity: ``insert(_:at:key:)`` O(1) amortised, or O(log k) at the base time with k events there;
/// ``popMin()`` amortised O(log₆₄ T) for the span T between the base and the latest pending time; ``min``
/// O(1) when events wait at the base time, otherwise a scan of the lowest bucket; ``count`` O(1).
/// Memory: the events, plus the spare capacity of buckets, which keep their largest size until
/// ``removeAll(keepingCapacity:)``.
///
/// - Important: Insertion requires `time >= ` the time of the last popped event (zero at first) and
///   traps otherwise: the event would be lost among the buckets. ``Simulator`` refuses such scheduling
///   before it reaches the queue, with ``EventScheduler/trySchedule(_:at:key:)`` as the non-trapping form.
public struct RadixEventQueue<Payload: BitwiseCopyable>: EventQueue {
  public typealias Event = ScheduledEvent<Payload>

  /// `levels * bucketsPerLevel` buckets, level-major, then the base-time heap: a binary min-heap on
  /// `(key, sequence)` of the events at the base time. The words are the masks of non-empty buckets:
  /// word `L` has bit `d` set when bucket `d` of level `L` is not empty, and word ``levelSummary`` has
  /// bit `L` set when level `L` has a non-empty bucket. Copied on write.
  @usableFromInline
  var storage: EventBuffers<Payload>

  /// The time of the last event popped (microseconds): no pending event is earlier.
  @usableFromInline
  var base: Int64 = 0

  @usableFromInline
  var pendingCount = 0

  /// The sequence number of the next insertion.
  @usableFromInline
  var nextSequence: UInt32 = 0

  /// The queue renumbers its events when `nextSequence` reaches this; lowered only by tests.
  @usableFromInline
  var sequenceLimit: UInt32 = .max

  public static var algorithm: String { "radix-heap" }

  @inlinable
  public init() {
    storage = Self.makeStorage()
  }

  /// An empty queue. The buckets grow as needed; `minimumCapacity` is only a hint.
  @inlinable
  public init(minimumCapacity: Int) {
    storage = Self.makeStorage()
  }

  @inlinable
  public var count: Int { pendingCount }

  @inlinable
  public var isEmpty: Bool { pendingCount == 0 }

  /// The time of the last event popped, before which nothing can be inserted; zero at first.
  @inlinable
  public var earliestAllowedTime: SimulatedTime { SimulatedTime(microseconds: base) }

  /// The smallest event: O(1) when events wait at the base time, otherwise O(size of the lowest bucket).
  @inlinable
  public var min: Event? {
    if currentCount > 0 { return current.pointee.events.unsafelyUnwrapped[0] }
    guard let bucket = lowestBucket() else { return nil }
    let header = storage.buffers[bucket]
    let events = header.events.unsafelyUnwrapped
    var best = events[0]
    var bestRank = best.rank
    for index in 1..<Int(header.count) {
      let rank = events[index].rank
      if rank < bestRank {
        best = events[index]
        bestRank = rank
      }
    }
    return best
  }

  /// Adds an event. O(1) amortised, or O(log k) at the base time with k events there.
  ///
  /// - Precondition: `time` is not earlier than the last event popped (``earliestAllowedTime``).
  @inlinable
  public mutating func insert(_ payload: Payload, at time: SimulatedTime, key: UInt32) {
    precondition(
      time.microseconds >= base,
      "RadixEventQueue: an event at \(time) is earlier than the last event popped, at \(earliestAllowedTime)")
    if nextSequence == sequenceLimit { renumber() }
    makeUnique()
    place(Event(time: time, key: key, sequence: nextSequence, payload: payload), base: base)
    nextSequence &+= 1
    pendingCount &+= 1
    #if ROLLSIM_INTERNAL_CHECKS
      checkInvariantsNow(tick: nextSequence)
    #endif
  }

  /// Removes the smallest event. Amortised O(log₆₄ T), see the type's complexity.
  @inlinable
  public mutating func popMin() -> Event? {
    guard pendingCount > 0 else { return nil }
    makeUnique()
    if currentCount == 0 {
      let bucket = lowestBucket().unsafelyUnwrapped
      base = storage.buffers[bucket].earliest
      redistribute(bucket, newBase: base)
    }
    pendingCount &-= 1
    let event = popCurrent()
    #if ROLLSIM_INTERNAL_CHECKS
      checkInvariantsNow(tick: UInt32(truncatingIfNeeded: count))
    #endif
    return event
  }

  /// Removes the smallest event if it is not later than `limit`; otherwise changes nothing (the base
  /// stays where it was, so insertions between the base and `limit` remain allowed). Complexity as
  /// ``popMin()``.
  @inlinable
  public mutating func popMin(notAfter limit: SimulatedTime) -> Event? {
    guard pendingCount > 0 else { return nil }
    if currentCount == 0 {
      let bucket = lowestBucket().unsafelyUnwrapped
      let earliest = storage.buffers[bucket].earliest
      guard earliest <= limit.microseconds else { return nil }
      makeUnique()
      base = earliest
      redistribute(bucket, newBase: base)
    } else {
      guard base <= limit.microseconds else { return nil }
      makeUnique()
    }
    pendingCount &-= 1
    let event = popCurrent()
    #if ROLLSIM_INTERNAL_CHECKS
      checkInvariantsNow(tick: UInt32(truncatingIfNeeded: count))
    #endif
    return event
  }

  /// Removes every event; frees the buckets' memory unless `keepingCapacity`. O(number of buckets).
  @inlinable
  public mutating func removeAll(keepingCapacity: Bool = false) {
    if keepingCapacity {
      makeUnique()
      storage.empty()
    } else {
      storage = Self.makeStorage()
    }
    base = 0
    pendingCount = 0
    nextSequence = 0
  }

  @inlinable
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) {
      storage = storage.copy()
    }
  }

  /// Gives the pending events the sequence numbers `0 ..< count` in their current order.
  @usableFromInline
  mutating func renumber() {
    makeUnique()
    var events = storage.allEvents()
    events.sort { $0.rank < $1.rank }
    precondition(events.count < Int(sequenceLimit), "RadixEventQueue: too many pending events to renumber")
    storage.empty()
    for index in events.indices {
      events[index].sequence = UInt32(index)
      place(events[index], base: base)
    }
    nextSequence = UInt32(events.count)
  }

  // MARK: - The buckets

  @inlinable static var digitBits: Int { 6 }
  @inlinable static var bucketsPerLevel: Int { 1 << digitBits }
  @inlinable static var wordsPerLevel: Int { Swift.max(1, bucketsPerLevel / 64) }
  @inlinable static var levels: Int { (64 + digitBits - 1) / digitBits }
  /// The index of the header of the base-time heap, after the buckets.
  @inlinable static var currentIndex: Int { levels * bucketsPerLevel }
  /// The index of the word whose bit `L` is set when level `L` has a non-empty bucket; it follows the
  /// levels' bucket masks and, with more than one word per level, each level's mask of non-zero words.
  @inlinable static var levelSummary: Int { levels * wordsPerLevel + (wordsPerLevel > 1 ? levels : 0) }

  @inlinable
  static func makeStorage() -> EventBuffers<Payload> {
    EventBuffers(bufferCount: currentIndex + 1, wordCount: levelSummary + 1)
  }

  /// The header of the base-time heap.
  @inlinable
  var current: UnsafeMutablePointer<EventBuffer<Payload>> { storage.buffers + Self.currentIndex }

  /// The number of events at the base time.
  @inlinable
  var currentCount: Int { Int(storage.buffers[Self.currentIndex].count) }

  /// The index of the lowest non-empty bucket, or `nil` if all are empty. O(1): a few bit scans.
  @inlinable
  func lowestBucket() -> Int? {
    let occupiedLevels = storage.words[Self.levelSummary]
    guard occupiedLevels != 0 else { return nil }
    let level = occupiedLevels.trailingZeroBitCount
    let word =
      Self.wordsPerLevel == 1 ? 0 : storage.words[Self.levels &* Self.wordsPerLevel &+ level].trailingZeroBitCount
    let bits = storage.words[level &* Self.wordsPerLevel &+ word]
    return level &* Self.bucketsPerLevel &+ word &* 64 &+ bits.trailingZeroBitCount
  }

  /// Marks bucket `digit` of `level` non-empty.
  @inlinable @inline(__always)
  func markOccupied(level: Int, digit: Int) {
    storage.words[level &* Self.wordsPerLevel &+ digit &>> 6] |= 1 &<< UInt64(digit & 63)
    if Self.wordsPerLevel > 1 {
      storage.words[Self.levels &* Self.wordsPerLevel &+ level] |= 1 &<< UInt64(digit &>> 6)
    }
    storage.words[Self.levelSummary] |= 1 &<< UInt64(level)
  }

  /// Marks bucket `digit` of `level` empty.
  @inlinable
  func markEmpty(level: Int, digit: Int) {
    let word = level &* Self.wordsPerLevel &+ digit &>> 6
    storage.words[word] &= ~(1 &<< UInt64(digit & 63))
    guard storage.words[word] == 0 else { return }
    if Self.wordsPerLevel > 1 {
      let words = Self.levels &* Self.wordsPerLevel &+ level
      storage.words[words] &= ~(1 &<< UInt64(digit &>> 6))
      guard storage.words[words] == 0 else { return }
    }
    storage.words[Self.levelSummary] &= ~(1 &<< UInt64(level))
  }

  /// Puts `event`, not earlier than `base`, where it belongs. O(1) amortised, O(log k) at the base time.
  @inlinable @inline(__always)
  func place(_ event: Event, base: Int64) {
    let time = event.time.microseconds
    let difference = UInt64(bitPattern: time ^ base)
    guard difference != 0 else {
      pushCurrent(event)
      return
    }
    let level = (63 &- difference.leadingZeroBitCount) / Self.digitBits
    let shifted = UInt64(bitPattern: time) &>> UInt64(level &* Self.digitBits)
    let digit = Int(truncatingIfNeeded: shifted) & (Self.bucketsPerLevel &- 1)
    let bucket = storage.buffers + (level &* Self.bucketsPerLevel &+ digit)
    if bucket.pointee.count == bucket.pointee.capacity { EventBuffers.grow(bucket) }
    (bucket.pointee.events.unsafelyUnwrapped + Int(bucket.pointee.count)).initialize(to: event)
    bucket.pointee.count &+= 1
    if time < bucket.pointee.earliest { bucket.pointee.earliest = time }
    markOccupied(level: level, digit: digit)
  }

  /// Empties `bucket`, the lowest non-empty one, into lower levels and the base-time heap, relative to
  /// `newBase`, its earliest time.
  @inlinable
  func redistribute(_ bucket: Int, newBase: Int64) {
    assert(currentCount == 0 && lowestBucket() == bucket && storage.buffers[bucket].earliest == newBase)
    let level = bucket / Self.bucketsPerLevel
    let digit = bucket % Self.bucketsPerLevel
    markEmpty(level: level, digit: digit)
    let events = storage.buffers[bucket].events.unsafelyUnwrapped
    let count = Int(storage.buffers[bucket].count)
    storage.buffers[bucket].count = 0
    storage.buffers[bucket].earliest = .max
    if level == 0 {
      // Every event of a level-0 bucket has the same time: they all go to the base-time heap.
      for index in 0..<count { pushCurrent(events[index]) }
    } else {
      // Events go to lower levels only, never back into this bucket, so reading it while placing is safe.
      for index in 0..<count { place(events[index], base: newBase) }
    }
  }

  /// Adds `event`, at the base time, to the base-time heap.
  @inlinable @inline(__always)
  func pushCurrent(_ event: Event) {
    let header = current
    if header.pointee.count == header.pointee.capacity { EventBuffers.grow(header) }
    let heap = header.pointee.events.unsafelyUnwrapped
    let hole = Int(header.pointee.count)
    header.pointee.count &+= 1
    if hole == 0 {
      heap[0] = event
    } else {
      Self.siftUpCurrent(event, from: hole, in: heap)
    }
  }

  @inlinable
  static func siftUpCurrent(_ event: Event, from index: Int, in heap: UnsafeMutablePointer<Event>) {
    let order = event.order
    var hole = index
    while hole > 0 {
      let parent = (hole &- 1) &>> 1
      guard order < heap[parent].order else { break }
      heap[hole] = heap[parent]
      hole = parent
    }
    heap[hole] = event
  }

  /// Removes the smallest event of the base-time heap, which is not empty.
  @inlinable @inline(__always)
  func popCurrent() -> Event {
    let header = current
    let heap = header.pointee.events.unsafelyUnwrapped
    header.pointee.count &-= 1
    let count = Int(header.pointee.count)
    let minimum = heap[0]
    if count > 0 { Self.siftDownCurrent(heap[count], count: count, in: heap) }
    return minimum
  }

  /// Fills the hole at the root of the base-time heap with `event`.
  @inlinable
  static func siftDownCurrent(_ event: Event, count: Int, in heap: UnsafeMutablePointer<Event>) {
    let order = event.order
    var hole = 0
    while true {
      var child = 2 &* hole &+ 1
      guard child < count else { break }
      var childOrder = heap[child].order
      if child &+ 1 < count {
        let rightOrder = heap[child &+ 1].order
        if rightOrder < childOrder {
          child &+= 1
          childOrder = rightOrder
        }
      }
      guard childOrder < order else { break }
      heap[hole] = heap[child]
      hole = child
    }
    heap[hole] = event
  }
}

extension RadixEventQueue: @unchecked Sendable where Payload: Sendable {}
