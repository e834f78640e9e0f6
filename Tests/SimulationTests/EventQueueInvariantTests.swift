import Testing

@testable import Simulation

/// The queues' internal checks (`ROLLSIM_INTERNAL_CHECKS`) hold through a simulation-like workload and
/// name what is wrong when a queue is damaged: a check that could never fail would hide the bug it hunts.
@Suite struct EventQueueInvariantTests {
  @Test func bothQueuesHoldTheirInvariantsThroughInterleavedWork() {
    var stream = RandomStream(seed: 3, entity: 0, purpose: StreamPurpose("test.invariants"))
    var radix = RadixEventQueue<UInt32>()
    var heap = EventHeap<UInt32>()
    var now: Int64 = 0
    for step in 0..<3_000 {
      if stream.bernoulli(0.55) {
        let delay = stream.bernoulli(0.3) ? 0 : Int64(stream.nextInt(below: stream.bernoulli(0.5) ? 16 : 50_000_000))
        let key = UInt32(stream.nextInt(below: 8))
        radix.insert(UInt32(step), at: SimulatedTime(microseconds: now + delay), key: key)
        heap.insert(UInt32(step), at: SimulatedTime(microseconds: now + delay), key: key)
      } else if let event = radix.popMin() {
        #expect(heap.popMin() == event)
        now = event.time.microseconds
      }
      if step.isMultiple(of: 50) {
        #expect(radix.invariantViolations() == [], "step \(step)")
        #expect(heap.invariantViolations() == [], "step \(step)")
      }
    }
  }

  @Test func aDamagedRadixQueueIsNamed() {
    var queue = RadixEventQueue<UInt32>()
    for (index, time) in [5, 70, 4_100, 300_000].enumerated() {
      queue.insert(UInt32(index), at: SimulatedTime(microseconds: Int64(time)), key: 0)
    }
    #expect(queue.invariantViolations() == [])
    // The count no longer matches the events held.
    queue.pendingCount += 1
    #expect(queue.invariantViolations() == ["RadixEventQueue: 4 events held, 5 counted"])
    queue.pendingCount -= 1
    // The base moves past pending events: they are now in the wrong buckets, or earlier than the base.
    queue.base = 100_000
    #expect(queue.invariantViolations().contains { $0.contains("with the base at 100000 µs") })
  }

  @Test func aDamagedHeapIsNamed() {
    var heap = EventHeap<UInt32>()
    for time in [10, 20, 30, 40, 50] { heap.insert(0, at: SimulatedTime(microseconds: Int64(time)), key: 0) }
    #expect(heap.invariantViolations() == [])
    heap.heap.pointee.events.unsafelyUnwrapped[0].time = SimulatedTime(microseconds: 99)
    #expect(heap.invariantViolations().contains { $0.contains("precedes its parent") })
  }

  @Test func underTheFlagSmallQueuesAreCheckedAlwaysLargeOnesOneOperationIn1024() {
    #expect(RadixEventQueue<UInt32>.checkDue(count: 1_000, tick: 7))
    #expect(RadixEventQueue<UInt32>.checkDue(count: 100_000, tick: 4_096))
    #expect(!RadixEventQueue<UInt32>.checkDue(count: 100_000, tick: 4_097))
    let due = (0..<UInt32(10_240)).filter { EventHeap<UInt32>.checkDue(count: 50_000, tick: $0) }.count
    #expect(due == 10)
  }
}
