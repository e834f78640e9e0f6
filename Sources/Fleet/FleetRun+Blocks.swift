import Dispatch
import FlagEngine
import Simulation
import Telemetry
import Delivery

// A run is its fleet's blocks (FleetModel.blocks), each a FleetRun over its own devices with its own
// event queue, stepped together from one controller read (or one new artifact) to the next. Between two
// reads nothing couples the blocks: a decision reaches devices only through what is published at a
// read, each block meets its own share of the servers and of the technicians, and every draw comes from
// a stream of a device, or of a window and a block. At a read the blocks' telemetry merges exactly
// (counts and histograms add), the driver reads it once, and what it publishes goes to every block.
// So the results depend on the blocks, which depend on the fleet's size only, and not on how many
// threads (partitions) or processes step them.
//
// Spread over processes (MPI ranks, RunProcesses), each process builds and steps only its own blocks; at a
// read every process sends what its blocks read, all of them merge every process's reads, and each runs
// its own copy of the driver on the same merged read, so they publish the same thing without sending
// states around. At the end the first process gathers every block's result and merges them in order.

/// The processes a run is spread over, as a run sees them: which one this is, how many there are, and an
/// exchange in which every process gets every process's bytes. Every process calls the exchange at the
/// same points, in the same order, from the thread that started the run.
public protocol RunProcesses {
  var index: Int { get }
  var count: Int { get }
  /// Every process's `bytes`, in process order, on every process.
  func allGather(_ bytes: [UInt8]) -> [[UInt8]]
}

/// A run in this process alone.
public struct OneProcess: RunProcesses {
  public init() {}
  public var index: Int { 0 }
  public var count: Int { 1 }
  public func allGather(_ bytes: [UInt8]) -> [[UInt8]] { [bytes] }
}

/// One block's simulator, stepped by one thread at a time.
final class BlockRun: @unchecked Sendable {
  var simulator: Simulator<RadixEventQueue<FleetEvent>, FleetRun>
  var stopped = StopReason.queueEmpty

  init(_ run: FleetRun) {
    simulator = Simulator(handler: run, queue: RadixEventQueue<FleetEvent>(minimumCapacity: run.range.count + 1024))
    simulator.prepare()
  }
}

extension Simulator where Handler == FleetRun, Queue == RadixEventQueue<FleetEvent> {
  mutating func prepare() { handler.prepare(&scheduler) }
  mutating func schedule(_ publications: [Publication]) { handler.schedule(publications, &scheduler) }
}

extension FleetRun {
  /// Runs the model's fleet to the end of its duration under `driver`, the fleet's blocks spread over
  /// `processes` and, in each, over `partitions` threads. `progress` is called with the fraction done.
  /// The result is the whole fleet's in the first process; in the others, that of their own blocks.
  ///
  /// - Precondition: no more processes than the fleet has blocks (``blocksPerProcess(_:processes:)``).
  public static func run<Driver: ReleaseDriver>(
    model: FleetModel, initialState: FlagState, driver: Driver, exactSessions: Bool = false, backends: Backends? = nil,
    partitions: Int = 1, processes: some RunProcesses = OneProcess(), progress: ((Double) -> Void)? = nil
  ) -> (result: FleetRunResult, driver: Driver) {
    var driver = driver
    let mine = blocksPerProcess(model.blocks.count, processes: processes.count)[processes.index]
    precondition(!mine.isEmpty, "a process without blocks")
    let count = mine.count
    let threads = min(max(1, partitions), count)
    // Thread p steps this process's blocks count*p/threads ..< count*(p+1)/threads, in order; each
    // thread's time is kept, to see how long the others wait for the slowest.
    let busy = ResultSlots<Double>(count: threads)
    @Sendable func each(_ work: @Sendable (Int) -> Void) {
      if threads == 1 {
        for block in 0..<count { work(block) }
        return
      }
      DispatchQueue.concurrentPerform(iterations: threads) { p in
        let started = DispatchTime.now().uptimeNanoseconds
        for block in (count * p / threads)..<(count * (p + 1) / threads) { work(block) }
        busy.store(p, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
      }
    }
    var stats = ParallelStats()
    (stats.blocks, stats.threads, stats.processes) = (model.blocks.count, threads, processes.count)
    func noteWaiting() {
      guard threads > 1 else { return }
      let times = busy.values
      let slowest = times.max() ?? 0
      stats.waitingSeconds += times.reduce(0) { $0 + slowest - $1 } / Double(threads)
    }
    let built = ResultSlots<BlockRun>(count: count)
    let first = mine.lowerBound
    each { block in
      let run = FleetRun(model: model, initialState: initialState, block: first + block, exactSessions: exactSessions, backends: backends)
      built.store(block, BlockRun(run))
    }
    let blocks = built.values
    let start = driver.start()
    for block in blocks { block.simulator.schedule(start) }

    let end = model.duration
    var reads = ReadsSeen()
    var reported = -1
    while true {
      each { block in blocks[block].stopped = blocks[block].simulator.run(until: end) }
      noteWaiting()
      guard blocks[0].stopped == .stoppedByHandler else { break }
      stats.ticks += 1
      let now = blocks[0].simulator.now
      precondition(blocks.allSatisfy { $0.stopped == .stoppedByHandler && $0.simulator.now == now }, "blocks stopped apart")
      let publications: [Publication]
      if blocks[0].simulator.handler.read != nil {
        var read = blocks[0].simulator.handler.read!
        for block in blocks.dropFirst() { read.merge(block.simulator.handler.read!) }
        for block in blocks { block.simulator.handler.read = nil }
        if processes.count > 1 {
          // Counts and histograms add exactly: the merged read is the same whatever the processes' order.
          let started = DispatchTime.now().uptimeNanoseconds
          let parts = processes.allGather(read.bytes())
          stats.exchangeSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
          stats.exchangedBytes += parts.reduce(0) { $0 + $1.count }
          let all = parts.map { bytes in
            guard let read = TelemetryRead(bytes: bytes) else { preconditionFailure("a process sent a read that is not one") }
            return read
          }
          read = all[0]
          for other in all.dropFirst() { read.merge(other) }
        }
        reads.add(read)
        publications = driver.deliver(read, at: now)
      } else {
        let made = blocks[0].simulator.handler.artifactMade!
        for block in blocks { block.simulator.handler.artifactMade = nil }
        publications = driver.artifact(made.generation, at: made.time)
      }
      for block in blocks { block.simulator.schedule(publications) }
      let percent = Int(now.seconds / end.seconds * 100)
      if percent > reported {
        reported = percent
        progress?(now.seconds / end.seconds)
      }
    }
    each { block in blocks[block].simulator.handler.finish(at: end) }
    progress?(1)
    var results = blocks.map { block in
      var result = block.simulator.handler.result
      result.events = block.simulator.eventsProcessed
      return result
    }
    if processes.count > 1 {
      // Every block's own figures, to be merged in block order (what a block's result holds besides them,
      // the publications and the controller's reads, is the same in every process).
      var out = ExchangeWriter()
      out.integer(results.count)
      for result in results { result.write(to: &out) }
      let all = processes.allGather(out.bytes)
      if processes.index == 0 {
        let template = results[0]
        results = all.flatMap { bytes in
          var input = ExchangeReader(bytes)
          let count = input.integer() ?? 0
          return (0..<count).map { _ in
            guard let result = FleetRunResult(from: &input, template: template) else { preconditionFailure("a process sent a result that is not one") }
            return result
          }
        }
        precondition(results.count == model.blocks.count, "the processes sent \(results.count) of \(model.blocks.count) blocks")
      }
    }
    var result = FleetRunResult(merging: results)
    reads.fill(&result)
    result.parallel = stats
    return (result, driver)
  }

  /// The blocks each of `processes` runs: in order, as evenly as they divide.
  public static func blocksPerProcess(_ blocks: Int, processes: Int) -> [Range<Int>] {
    (0..<processes).map { (blocks * $0 / processes)..<(blocks * ($0 + 1) / processes) }
  }
}

/// What the controller read of each window, for the run's timeline: the window's counts as they stand at
/// the end of the run (late pieces added), the latency percentiles of its own read, and the sessions
/// that came late.
struct ReadsSeen {
  struct Sides {
    var treatment = OutcomeCounts()
    var control = OutcomeCounts()
    var treatmentLatencyP99: UInt64 = 0
    var controlLatencyP99: UInt64 = 0
  }
  var windows: [Int: Sides] = [:]
  var lateSessions = 0

  mutating func add(_ read: TelemetryRead) {
    let window = read.window
    windows[window.index, default: Sides()].treatment += window.counts(treatment: true)
    windows[window.index, default: Sides()].control += window.counts(treatment: false)
    windows[window.index]!.treatmentLatencyP99 = window.latency(treatment: true).milliseconds(atPercentile: 99)
    windows[window.index]!.controlLatencyP99 = window.latency(treatment: false).milliseconds(atPercentile: 99)
    for piece in read.late where windows[piece.index] != nil {
      windows[piece.index]!.treatment += piece.counts(treatment: true)
      windows[piece.index]!.control += piece.counts(treatment: false)
      lateSessions += Int(piece.counts { _ in true }.sessions)
    }
  }

  func fill(_ result: inout FleetRunResult) {
    for row in result.windows.indices {
      guard let sides = windows[result.windows[row].index] else { continue }
      result.windows[row].treatment = sides.treatment
      result.windows[row].control = sides.control
      result.windows[row].treatmentLatencyP99 = sides.treatmentLatencyP99
      result.windows[row].controlLatencyP99 = sides.controlLatencyP99
    }
    result.lateSessions = lateSessions
  }
}

extension FleetRunResult {
  /// The run of a whole fleet from its blocks' runs, in block order (sums of floating-point hours are
  /// taken in that order, so they do not depend on who ran which block).
  init(merging blocks: [FleetRunResult]) {
    self = blocks[0]
    for other in blocks.dropFirst() {
      devicesExposed += other.devicesExposed
      devicesFailed += other.devicesFailed
      failedDeviceHours += other.failedDeviceHours
      devicesNeedingManualRecovery += other.devicesNeedingManualRecovery
      devicesDownAtEnd += other.devicesDownAtEnd
      devicesTakenDown += other.devicesTakenDown
      devicesLostData += other.devicesLostData
      devicesRestored += other.devicesRestored
      installs += other.installs
      reports += other.reports
      lastBackUp = [lastBackUp, other.lastBackUp].compactMap { $0 }.max()
      firstFailure = [firstFailure, other.firstFailure].compactMap { $0 }.min()
      sessionsSimulated += other.sessionsSimulated
      sessionsDrawnInBulk += other.sessionsDrawnInBulk
      deviceHoursDrawnInBulk += other.deviceHoursDrawnInBulk
      events += other.events
      delivery += other.delivery
      precondition(other.windows.count == windows.count, "blocks closed different windows")
      for row in windows.indices {
        windows[row].devicesExposed += other.windows[row].devicesExposed
        windows[row].devicesOnLatest += other.windows[row].devicesOnLatest
        windows[row].devicesFailedSoFar += other.windows[row].devicesFailedSoFar
        windows[row].devicesDown += other.windows[row].devicesDown
      }
    }
  }
}

extension FleetRunResult {
  /// A block's own figures (not its publications, nor what the controller read: the same in every
  /// block), as bytes for the process that merges.
  func write(to out: inout ExchangeWriter) {
    for value in [devicesExposed, devicesFailed, devicesNeedingManualRecovery, devicesDownAtEnd, devicesTakenDown,
                  sessionsSimulated, sessionsDrawnInBulk, events, devicesLostData, devicesRestored, installs, reports] {
      out.integer(value)
    }
    out.double(failedDeviceHours)
    out.double(deviceHoursDrawnInBulk)
    out.integer(Int(lastBackUp?.microseconds ?? -1))
    out.integer(Int(firstFailure?.microseconds ?? -1))
    for tier in 0..<2 {
      out.double(delivery.regular[tier])
      out.integer(delivery.offered[tier])
      out.integer(delivery.shed[tier])
    }
    out.double(delivery.seconds)
    out.integer(windows.count)
    for row in windows {
      for value in [row.devicesExposed, row.devicesOnLatest, row.devicesFailedSoFar, row.devicesDown] { out.integer(value) }
    }
  }

  /// A block's result from what ``write(to:)`` wrote, with the rest from `template` (another block's).
  init?(from input: inout ExchangeReader, template: FleetRunResult) {
    self = template
    guard let exposed = input.integer(), let failed = input.integer(), let manual = input.integer(), let down = input.integer(),
      let takenDown = input.integer(), let simulated = input.integer(), let bulk = input.integer(), let events = input.integer(),
      let lostData = input.integer(), let restored = input.integer(), let installs = input.integer(), let reports = input.integer(),
      let hours = input.double(), let bulkHours = input.double(), let back = input.integer(), let failure = input.integer()
    else { return nil }
    (devicesExposed, devicesFailed, devicesNeedingManualRecovery, devicesDownAtEnd) = (exposed, failed, manual, down)
    (devicesTakenDown, sessionsSimulated, sessionsDrawnInBulk, self.events) = (takenDown, simulated, bulk, events)
    (failedDeviceHours, deviceHoursDrawnInBulk) = (hours, bulkHours)
    (devicesLostData, devicesRestored, self.installs, self.reports) = (lostData, restored, installs, reports)
    lastBackUp = back < 0 ? nil : SimulatedTime(microseconds: Int64(back))
    firstFailure = failure < 0 ? nil : SimulatedTime(microseconds: Int64(failure))
    var load = Backends.Load()
    for tier in 0..<2 {
      guard let regular = input.double(), let offered = input.integer(), let shed = input.integer() else { return nil }
      (load.regular[tier], load.offered[tier], load.shed[tier]) = (regular, offered, shed)
    }
    guard let seconds = input.double(), let rows = input.integer(), rows == windows.count else { return nil }
    load.seconds = seconds
    delivery = load
    for row in 0..<rows {
      guard let exposed = input.integer(), let latest = input.integer(), let failedSoFar = input.integer(), let down = input.integer()
      else { return nil }
      (windows[row].devicesExposed, windows[row].devicesOnLatest) = (exposed, latest)
      (windows[row].devicesFailedSoFar, windows[row].devicesDown) = (failedSoFar, down)
    }
  }
}
