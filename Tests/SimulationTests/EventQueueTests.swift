import Testing

@testable import Simulation

/// The reference: every pending event in an array, the smallest found by a linear scan of
/// `(time, key, sequence)`, sequences assigned in insertion order.
struct ReferenceQueue {
  var events: [ScheduledEvent<UInt32>] = []
  var nextSequence: UInt32 = 0

  mutating func insert(_ payload: UInt32, at time: SimulatedTime, key: UInt32) {
    events.append(ScheduledEvent(time: time, key: key, sequence: nextSequence, payload: payload))
    nextSequence += 1
  }

  mutating func popMin() -> ScheduledEvent<UInt32>? {
    guard let index = events.indices.min(by: { tuple(events[$0]) < tuple(events[$1]) }) else { return nil }
    return events.remove(at: index)
  }
}

func tuple(_ event: ScheduledEvent<UInt32>) -> (Int64, UInt32, UInt32) {
  (event.time.microseconds, event.key, event.sequence)
}

/// What a queue hands back, without the sequence (which a renumbering queue may change).
func visible(_ event: ScheduledEvent<UInt32>) -> [Int64] {
  [event.time.microseconds, Int64(event.key), Int64(event.payload)]
}

/// Both implementations, by name, for parameterised tests.
enum QueueKind: String, CaseIterable, CustomTestStringConvertible {
  case heap, radix
  var testDescription: String { rawValue }
}

/// Runs `body` with an empty queue of the given kind.
func withQueue<Result>(
  _ kind: QueueKind, _ body: (inout any EventQueue<UInt32>) throws -> Result
) rethrows -> Result {
  var queue: any EventQueue<UInt32> =
    switch kind {
    case .heap: EventHeap<UInt32>()
    case .radix: RadixEventQueue<UInt32>()
    }
  return try body(&queue)
}

@Suite("Event queues")
struct EventQueueTests {
  @Test("Random pushes pop in (time, key, sequence) order, like a sort", arguments: QueueKind.allCases)
  func popsInSortedOrder(kind: QueueKind) {
    var stream = RandomStream(seed: 1, entity: 0, purpose: StreamPurpose("test.sort"))
    for round in 0..<20 {
      // Few distinct times and keys: many ties, so the key and then the sequence decide.
      let count = 1 + stream.nextInt(below: 2_000)
      let timeRange = round.isMultiple(of: 2) ? 8 : 1_000_000_000
      var inserted: [ScheduledEvent<UInt32>] = []
      var popped: [ScheduledEvent<UInt32>] = []
      withQueue(kind) { queue in
        for index in 0..<count {
          let time = SimulatedTime(microseconds: Int64(stream.nextInt(below: timeRange)))
          let key = UInt32(stream.nextInt(below: 5))
          queue.insert(UInt32(index), at: time, key: key)
          inserted.append(ScheduledEvent(time: time, key: key, sequence: UInt32(index), payload: UInt32(index)))
        }
        #expect(queue.count == count)
        while let event = queue.popMin() { popped.append(event) }
        #expect(queue.isEmpty)
      }
      let sorted = inserted.sorted { tuple($0) < tuple($1) }
      #expect(popped == sorted, "round \(round)")
    }
  }

  @Test("Interleaved pushes and pops match the reference queue", arguments: QueueKind.allCases)
  func interleavedMatchesReference(kind: QueueKind) {
    var stream = RandomStream(seed: 2, entity: 0, purpose: StreamPurpose("test.interleaved"))
    var reference = ReferenceQueue()
    withQueue(kind) { queue in
      var now: Int64 = 0
      for step in 0..<20_000 {
        if stream.bernoulli(0.55) {
          // Monotone, as a simulation schedules: at or after the last time popped, often exactly at it.
          let delay = stream.bernoulli(0.3) ? 0 : Int64(stream.nextInt(below: stream.bernoulli(0.5) ? 16 : 5_000_000))
          let key = UInt32(stream.nextInt(below: 8))
          queue.insert(UInt32(step), at: SimulatedTime(microseconds: now + delay), key: key)
          reference.insert(UInt32(step), at: SimulatedTime(microseconds: now + delay), key: key)
        } else {
          let expected = reference.popMin()
          let actual = queue.popMin()
          #expect(actual == expected, "step \(step)")
          if let actual { now = actual.time.microseconds }
        }
        #expect(queue.count == reference.events.count)
      }
      while let expected = reference.popMin() {
        #expect(queue.popMin() == expected)
      }
      #expect(queue.popMin() == nil)
    }
  }

  @Test("Times of every magnitude, up to 2^62 microseconds, pop in order", arguments: QueueKind.allCases)
  func everyMagnitude(kind: QueueKind) {
    var stream = RandomStream(seed: 5, entity: 0, purpose: StreamPurpose("test.magnitudes"))
    var reference = ReferenceQueue()
    withQueue(kind) { queue in
      var now: Int64 = 0
      for step in 0..<6_000 {
        if stream.bernoulli(0.5) {
          // A delay of a random number of bits: every level of the radix queue is used.
          let bits = stream.nextInt(below: 62)
          let delay = Int64(stream.next() >> UInt64(64 - bits)) >> 1
          let time = SimulatedTime(microseconds: Swift.min(now + delay, 1 << 62))
          let key = UInt32(stream.nextInt(below: 4))
          queue.insert(UInt32(step), at: time, key: key)
          reference.insert(UInt32(step), at: time, key: key)
        } else if let expected = reference.popMin() {
          #expect(queue.popMin() == expected, "step \(step)")
          now = expected.time.microseconds
        }
        #expect(queue.count == reference.events.count)
      }
      while let expected = reference.popMin() { #expect(queue.popMin() == expected) }
    }
  }

  @Test("min is the next event and popMin(notAfter:) respects the limit", arguments: QueueKind.allCases)
  func peekAndLimit(kind: QueueKind) {
    var stream = RandomStream(seed: 3, entity: 0, purpose: StreamPurpose("test.peek"))
    withQueue(kind) { queue in
      #expect(queue.min == nil)
      #expect(queue.popMin(notAfter: .max) == nil)
      for index in 0..<5_000 {
        queue.insert(
          UInt32(index), at: .microseconds(stream.nextInt(below: 10_000_000)), key: UInt32(stream.nextInt(below: 3)))
      }
      var last = SimulatedTime.zero
      while let next = queue.min {
        // A limit just before the next event refuses it and changes nothing.
        if next.time > last {
          #expect(queue.popMin(notAfter: next.time - .microseconds(1)) == nil)
          #expect(queue.min == next)
        }
        let popped = queue.popMin(notAfter: next.time)
        #expect(popped == next)
        last = next.time
      }
      #expect(queue.isEmpty)
    }
  }

  @Test("After a refused popMin(notAfter:), events between the last pop and the limit may still be inserted")
  func insertAfterRefusedPop() {
    var queue = RadixEventQueue<UInt32>()
    queue.insert(1, at: .seconds(10), key: 0)
    queue.insert(2, at: .seconds(100), key: 0)
    #expect(queue.popMin()?.payload == 1)
    #expect(queue.popMin(notAfter: .seconds(50)) == nil)
    #expect(queue.earliestAllowedTime == .seconds(10))
    queue.insert(3, at: .seconds(20), key: 0)
    #expect(queue.popMin()?.payload == 3)
    #expect(queue.popMin()?.payload == 2)
  }

  @Test("Renumbering when sequence numbers run out keeps insertion order among ties", arguments: QueueKind.allCases)
  func renumberingKeepsOrder(kind: QueueKind) {
    var stream = RandomStream(seed: 4, entity: 0, purpose: StreamPurpose("test.renumber"))
    var heap = EventHeap<UInt32>()
    var radix = RadixEventQueue<UInt32>()
    // Renumbering needs fewer pending events than the limit; at most 100 are pending here.
    heap.sequenceLimit = 128
    radix.sequenceLimit = 128
    var reference = ReferenceQueue()
    var now: Int64 = 0
    var pops = 0
    for step in 0..<5_000 {
      if reference.events.count < 100 && (reference.events.isEmpty || stream.bernoulli(0.5)) {
        let time = SimulatedTime(microseconds: now + Int64(stream.nextInt(below: 3)))
        let key = UInt32(stream.nextInt(below: 2))
        switch kind {
        case .heap: heap.insert(UInt32(step), at: time, key: key)
        case .radix: radix.insert(UInt32(step), at: time, key: key)
        }
        reference.insert(UInt32(step), at: time, key: key)
      } else if let expected = reference.popMin() {
        let actual = kind == .heap ? heap.popMin() : radix.popMin()
        // Sequences are renumbered, so compare what the caller sees: time, key, payload.
        #expect(actual.map(visible) == visible(expected), "step \(step)")
        now = expected.time.microseconds
        pops += 1
      }
    }
    #expect(pops > 2_000)
    #expect(reference.nextSequence > 128 * 10, "the limit was reached many times")
  }

  @Test("The radix queue and the heap agree on long hold-model runs")
  func radixMatchesHeapOnHoldModel() {
    for (pending, seed) in [(1, 1), (100, 2), (10_000, 3)] as [(Int, UInt64)] {
      var stream = RandomStream(seed: seed, entity: 0, purpose: StreamPurpose("test.hold"))
      var heap = EventHeap<UInt32>()
      var radix = RadixEventQueue<UInt32>()
      for index in 0..<pending {
        // Whole seconds for some devices: ties at the same microsecond across keys.
        let time = index.isMultiple(of: 3) ? .seconds(stream.nextInt(below: 3)) : stream.exponential(mean: .seconds(1))
        heap.insert(UInt32(index), at: time, key: UInt32(index % 977))
        radix.insert(UInt32(index), at: time, key: UInt32(index % 977))
      }
      var mismatches = 0
      for _ in 0..<100_000 {
        let fromHeap = heap.popMin()!
        let fromRadix = radix.popMin()!
        if fromHeap != fromRadix { mismatches += 1 }
        // Zero delays and delays of a few microseconds: ties with events already pending.
        let delay: SimulatedTime
        if stream.bernoulli(0.1) {
          delay = .zero
        } else if stream.bernoulli(0.5) {
          delay = .microseconds(stream.nextInt(below: 4))
        } else {
          delay = stream.exponential(mean: .seconds(1))
        }
        heap.insert(fromHeap.payload, at: fromHeap.time + delay, key: fromHeap.key)
        radix.insert(fromRadix.payload, at: fromRadix.time + delay, key: fromRadix.key)
      }
      #expect(mismatches == 0, "pending \(pending)")
      #expect(heap.count == pending && radix.count == pending)
    }
  }

  @Test("Copies are independent (copy on write)", arguments: QueueKind.allCases)
  func copyOnWrite(kind: QueueKind) {
    withQueue(kind) { queue in
      for index in 0..<100 { queue.insert(UInt32(index), at: .seconds(index % 7), key: UInt32(index)) }
      var copy = queue
      var drained: [ScheduledEvent<UInt32>] = []
      while let event = copy.popMin() { drained.append(event) }
      copy.insert(999, at: .hours(1), key: 0)
      #expect(drained.count == 100)
      #expect(queue.count == 100)
      var again: [ScheduledEvent<UInt32>] = []
      while let event = queue.popMin() { again.append(event) }
      #expect(again == drained)
    }
  }

  @Test("removeAll empties the queue and restarts sequences and base", arguments: QueueKind.allCases, [false, true])
  func removeAll(kind: QueueKind, keepingCapacity: Bool) {
    withQueue(kind) { queue in
      for index in 0..<1_000 { queue.insert(UInt32(index), at: .milliseconds(index), key: 0) }
      _ = queue.popMin()
      queue.removeAll(keepingCapacity: keepingCapacity)
      #expect(queue.isEmpty && queue.min == nil)
      queue.insert(7, at: .zero, key: 3)
      #expect(queue.popMin() == ScheduledEvent(time: .zero, key: 3, sequence: 0, payload: 7))
    }
  }

  @Test("The heap accepts any time, negative and earlier than the last pop included")
  func heapAcceptsAnyTime() {
    var heap = EventHeap<UInt32>()
    heap.insert(1, at: .seconds(5), key: 0)
    #expect(heap.popMin()?.payload == 1)
    heap.insert(2, at: .seconds(-3), key: 0)
    heap.insert(3, at: .seconds(1), key: 0)
    heap.insert(4, at: SimulatedTime(microseconds: .min), key: 0)
    #expect([heap.popMin(), heap.popMin(), heap.popMin()].map { $0?.payload } == [4, 2, 3])
  }

  @Test("The radix queue traps on an insertion before the last pop")
  func radixRefusesThePast() async {
    await #expect(processExitsWith: .failure) {
      var queue = RadixEventQueue<UInt32>()
      queue.insert(1, at: .seconds(5), key: 0)
      _ = queue.popMin()
      queue.insert(2, at: .seconds(4), key: 0)
    }
  }

  @Test("Events stay small: 16 bytes plus the payload")
  func eventLayout() {
    #expect(MemoryLayout<ScheduledEvent<Void>>.size == 16)
    #expect(MemoryLayout<ScheduledEvent<UInt64>>.stride == 24)
  }
}
