import Testing

@testable import Simulation

/// What the test handlers' events are.
enum Ping: UInt8, BitwiseCopyable, Equatable {
  case ping, stop, echo
}

/// Records every event; a `.ping` reschedules itself after a random delay, an `.echo` schedules a ping at
/// the same time for another key, a `.stop` asks the simulator to stop.
struct Recorder: EventHandler {
  var seen: [(time: SimulatedTime, key: UInt32, payload: Ping)] = []
  var streams: RandomStreams
  var draws: [UInt32: UInt64] = [:]

  mutating func handle<Queue: EventQueue<Ping>>(_ event: ScheduledEvent<Ping>, scheduler: inout EventScheduler<Queue>) {
    #expect(event.time == scheduler.now)
    seen.append((event.time, event.key, event.payload))
    switch event.payload {
    case .ping:
      // The device's own stream, one per occurrence: independent of the order of events.
      let occurrence = draws[event.key, default: 0]
      draws[event.key] = occurrence + 1
      var stream = streams.stream(entity: UInt64(event.key), purpose: StreamPurpose("test.ping"), index: occurrence)
      scheduler.schedule(.ping, after: stream.exponential(mean: .milliseconds(250)), key: event.key)
    case .echo:
      scheduler.schedule(.ping, at: scheduler.now, key: event.key &+ 1)
    case .stop:
      scheduler.stop()
    }
  }
}

func makeSimulator<Queue: EventQueue<Ping>>(
  seed: UInt64, devices: Int, queue: Queue
) -> Simulator<Queue, Recorder> {
  var simulator = Simulator(handler: Recorder(streams: RandomStreams(seed: seed)), queue: queue)
  for device in 0..<devices {
    // Everyone starts at a whole second: ties between keys from the start.
    simulator.schedule(.ping, at: .seconds(device % 3), key: UInt32(device))
  }
  return simulator
}

@Suite("Simulator")
struct SimulatorTests {
  @Test("The same seed gives the same sequence of (time, key); another seed does not")
  func determinism() {
    func trace(seed: UInt64) -> [[Int64]] {
      var simulator = makeSimulator(seed: seed, devices: 50, queue: RadixEventQueue<Ping>())
      _ = simulator.run(maxEvents: 5_000)
      return simulator.handler.seen.map { [$0.time.microseconds, Int64($0.key)] }
    }
    let first = trace(seed: 7)
    #expect(first.count == 5_000)
    #expect(trace(seed: 7) == first)
    #expect(trace(seed: 8) != first)
  }

  @Test("Both queues give the same run")
  func queuesAgree() {
    var radix = makeSimulator(seed: 3, devices: 200, queue: RadixEventQueue<Ping>())
    var heap = makeSimulator(seed: 3, devices: 200, queue: EventHeap<Ping>())
    #expect(radix.run(until: .seconds(60)) == .timeLimitReached)
    #expect(heap.run(until: .seconds(60)) == .timeLimitReached)
    #expect(radix.eventsProcessed == heap.eventsProcessed)
    #expect(radix.eventsProcessed > 40_000)
    #expect(radix.handler.seen.map(\.time) == heap.handler.seen.map(\.time))
    #expect(radix.handler.seen.map(\.key) == heap.handler.seen.map(\.key))
  }

  @Test("Runs cut into slices give the same events as one run")
  func slicesAgree() {
    var whole = makeSimulator(seed: 5, devices: 100, queue: RadixEventQueue<Ping>())
    _ = whole.run(until: .seconds(30))
    var sliced = makeSimulator(seed: 5, devices: 100, queue: RadixEventQueue<Ping>())
    for second in stride(from: 1, through: 30, by: 1) {
      #expect(sliced.run(until: .seconds(second)) == .timeLimitReached)
      #expect(sliced.now == .seconds(second))
      _ = sliced.run(until: .seconds(second), maxEvents: 3)  // nothing left at or before the limit
    }
    #expect(sliced.handler.seen.map(\.time) == whole.handler.seen.map(\.time))
    #expect(sliced.handler.seen.map(\.key) == whole.handler.seen.map(\.key))
    #expect(sliced.eventsProcessed == whole.eventsProcessed)
  }

  @Test("A time limit handles events at the limit, leaves later ones, and moves the clock to the limit")
  func timeLimit() {
    var simulator = Simulator(handler: Recorder(streams: RandomStreams(seed: 1)))
    simulator.schedule(.stop, at: .seconds(100), key: 0)
    simulator.schedule(.echo, at: .seconds(10), key: 1)  // and a ping for key 2 at 10 s, which repeats
    #expect(simulator.run(until: .seconds(10)) == .timeLimitReached)
    #expect(simulator.handler.seen.map(\.key) == [1, 2])
    #expect(simulator.now == .seconds(10))
    #expect(simulator.eventsProcessed == 2)
    #expect(simulator.scheduler.pendingCount == 2)
  }

  @Test("An event limit stops after that many events, and the run resumes")
  func eventLimit() {
    var simulator = makeSimulator(seed: 1, devices: 10, queue: RadixEventQueue<Ping>())
    #expect(simulator.run(maxEvents: 0) == .eventLimitReached)
    #expect(simulator.eventsProcessed == 0)
    #expect(simulator.run(maxEvents: 25) == .eventLimitReached)
    #expect(simulator.eventsProcessed == 25)
    #expect(simulator.run(maxEvents: 25) == .eventLimitReached)
    #expect(simulator.eventsProcessed == 50)
    #expect(simulator.handler.seen.count == 50)
  }

  @Test("An empty queue stops the run; with a limit, the clock moves to it")
  func queueEmpty() {
    var simulator = Simulator(handler: Recorder(streams: RandomStreams(seed: 1)))
    #expect(simulator.run() == .queueEmpty)
    #expect(simulator.now == .zero)
    simulator.schedule(.stop, at: .seconds(3), key: 0)
    simulator.handler.seen = []
    #expect(simulator.run(maxEvents: 1) == .stoppedByHandler)
    #expect(simulator.run() == .queueEmpty)
    #expect(simulator.now == .seconds(3))
    #expect(simulator.run(until: .minutes(1)) == .queueEmpty)
    #expect(simulator.now == .minutes(1))
  }

  @Test("The handler can stop the run; later events stay pending")
  func handlerStops() {
    var simulator = Simulator(handler: Recorder(streams: RandomStreams(seed: 1)))
    simulator.schedule(.stop, at: .seconds(2), key: 5)
    simulator.schedule(.stop, at: .seconds(4), key: 6)
    #expect(simulator.run() == .stoppedByHandler)
    #expect(simulator.now == .seconds(2))
    #expect(simulator.scheduler.pendingCount == 1)
    #expect(simulator.run() == .stoppedByHandler)
    #expect(simulator.run() == .queueEmpty)
    #expect(simulator.handler.seen.map(\.key) == [5, 6])
  }

  @Test("Scheduling in the past is refused with a clear error, and nothing is scheduled")
  func trySchedulePast() throws {
    var simulator = Simulator(handler: Recorder(streams: RandomStreams(seed: 1)))
    simulator.schedule(.stop, at: .seconds(10), key: 0)
    _ = simulator.run()
    #expect(simulator.now == .seconds(10))
    let error = #expect(throws: SimulationError.self) {
      try simulator.trySchedule(.ping, at: .seconds(9), key: 42)
    }
    #expect(error?.code == .scheduledInPast)
    #expect(error?.message.contains("key 42") == true)
    #expect(error?.message.contains("at 9s") == true)
    #expect(error?.message.contains("time 10s") == true)
    #expect(simulator.scheduler.pendingCount == 0)
    try simulator.trySchedule(.stop, at: .seconds(10), key: 1)  // now itself is allowed
    #expect(simulator.scheduler.pendingCount == 1)
  }

  @Test("schedule(at:) traps on a time in the past")
  func schedulePastTraps() async {
    await #expect(processExitsWith: .failure) {
      var simulator = Simulator(handler: Recorder(streams: RandomStreams(seed: 1)))
      simulator.schedule(.stop, at: .seconds(10), key: 0)
      _ = simulator.run()
      simulator.schedule(.ping, at: .seconds(1), key: 0)
    }
  }

  @Test("step() pops the next event and moves the clock")
  func step() {
    var simulator = Simulator(handler: Recorder(streams: RandomStreams(seed: 1)), queue: EventHeap<Ping>())
    simulator.schedule(.ping, at: .seconds(2), key: 1)
    simulator.schedule(.echo, at: .seconds(1), key: 2)
    #expect(simulator.step()?.key == 2)
    #expect(simulator.now == .seconds(1))
    #expect(simulator.step()?.key == 1)
    #expect(simulator.step() == nil)
    #expect(simulator.eventsProcessed == 2)
    #expect(simulator.handler.seen.isEmpty)
  }
}
