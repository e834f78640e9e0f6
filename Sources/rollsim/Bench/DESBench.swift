import ArgumentParser
import Dispatch
import Simulation

struct DESBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "des",
    abstract: "The hold model on the kernel's event queue.",
    discussion: """
      N events are pending at all times: each event popped schedules one more for the same key after an \
      exponential delay of mean one second (drawn from a RandomStream, rounded to the microsecond). The \
      N initial events are queued before timing starts; then E events are popped and rescheduled, and \
      timed, drawing the delays included. scripts/peers/simpy_hold.py runs the same model in SimPy and \
      prints the same fields.
      """
  )

  enum Queue: String, ExpressibleByArgument, CaseIterable {
    case radix, heap
  }

  // Events are keyed by a UInt32: at most 2^32 pending.
  @Option(
    parsing: .unconditional, help: ArgumentHelp("Events pending at all times (1...4294967296).", valueName: "N"),
    transform: ArgumentRange.whole(1...(Int(UInt32.max) + 1)))
  var pending = 1_000_000
  @Option(
    parsing: .unconditional, help: ArgumentHelp("Events popped and rescheduled while timed (1...10000000000).", valueName: "E"),
    transform: ArgumentRange.whole(1...10_000_000_000))
  var events = 10_000_000
  @Option(
    parsing: .unconditional, help: "Seed of the delays' random stream (0...18446744073709551615).",
    transform: ArgumentRange.whole(ArgumentRange.seeds))
  var seed: UInt64 = 1
  @Option(help: "The queue: radix (RadixEventQueue, the Simulator's default) or heap (EventHeap, 4-ary).")
  var queue: Queue = .radix
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    let result =
      switch queue {
      case .radix: hold(RadixEventQueue<UInt32>(minimumCapacity: pending))
      case .heap: hold(EventHeap<UInt32>(minimumCapacity: pending))
      }
    let report = BenchReport(
      name: "des",
      fields: [
        ("pending", .int(pending)), ("events", .int(events)),
        ("eventsPerSecond", .number(Double(events) / result.nanoseconds * 1e9)),
        ("nsPerEvent", .number(result.nanoseconds / Double(events))),
        ("mallocsPerEvent", result.mallocsPerEvent.map { .number($0) } ?? .text("unavailable")),
        ("queue", .text(result.algorithm)),
        ("simulatedSeconds", .number(result.end.seconds)),
      ])
    print(json ? report.json : report.text)
  }

  /// Fills `queue` with `pending` events, then times `events` pops, each rescheduling its event; then
  /// counts the allocations of as many more (at most a million), which are not timed.
  func hold<Q: EventQueue<UInt32>>(_ queue: Q) -> (
    nanoseconds: Double, end: SimulatedTime, algorithm: String, mallocsPerEvent: Double?
  ) {
    var queue = queue
    var delays = RandomStreams(seed: seed).stream(entity: 0, purpose: StreamPurpose("bench.des.hold"))
    let mean = SimulatedTime.seconds(1)
    for index in 0..<pending {
      let key = UInt32(truncatingIfNeeded: index)
      queue.insert(key, at: delays.exponential(mean: mean), key: key)
    }
    let start = DispatchTime.now().uptimeNanoseconds
    let end = Self.step(&queue, &delays, events: events)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
    let counted = min(events, 1_000_000)
    let mallocs = Self.countAllocations(&queue, &delays, events: counted)
    precondition(queue.count == pending)
    return (elapsed, end, Q.algorithm, mallocs.map { Double($0) / Double(counted) })
  }

  /// Pops and reschedules `events` events; returns the time of the last one popped.
  @inline(__always)
  static func step<Q: EventQueue<UInt32>>(_ queue: inout Q, _ delays: inout RandomStream, events: Int) -> SimulatedTime {
    let mean = SimulatedTime.seconds(1)
    var end = SimulatedTime.zero
    for _ in 0..<events {
      let event = queue.popMin().unsafelyUnwrapped  // `pending` events are always queued
      end = event.time
      queue.insert(event.payload, at: event.time + delays.exponential(mean: mean), key: event.key)
    }
    return end
  }

  /// The allocations of `step` over `events` events, if they can be counted. A function of its own, so
  /// that the timed loop does not share a closure's captures.
  static func countAllocations<Q: EventQueue<UInt32>>(_ queue: inout Q, _ delays: inout RandomStream, events: Int) -> UInt64? {
    AllocationCounter.count { _ = step(&queue, &delays, events: events) }
  }
}
