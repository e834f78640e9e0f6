import FlagEngine
import Simulation
import Telemetry
import Delivery

/// The events of a fleet run. Device events carry the device as the event key; the others use keys
/// above every device so that, at equal times, devices act first and windows close after them.
public enum FleetEvent: BitwiseCopyable, Sendable {
  case session
  case online
  case reboot
  case bootAttempt
  case repaired
  case windowEnd(Int32)
  case deliver(Int32)
  case publish(Int32)
  /// Fault `f` arrives: the dormant devices it can bite wake.
  case faultArrives(Int32)
  /// A release of a regenerated artifact: generation `g` is made.
  case artifact(Int32)
}

/// One policy's run over a fleet: devices have sessions on a diurnal curve, go offline and come back,
/// see each published state when their SDK would, evaluate the released flag with the real engine,
/// suffer the faults that apply to them, and report through a lossy, delayed pipeline into telemetry
/// windows, which the driver (the policy's controller) reads to decide what to publish next.
///
/// Cost follows the work that matters: a device's events are its sessions (and reboots); it learns
/// about new states lazily, at its next session, from the delay its sync model gives for that state,
/// so no poll is ever simulated; and it evaluates the flag only when it adopts a new state (or every
/// session when the flag is sticky on sessions or random).
///
/// The run's facets are in files of their own: sessions (`+Sessions`), adopting new states
/// (`+Adoption`), faults and the harm they do (`+Faults`), crashes and crash loops (`+Reboots`),
/// repair by hand (`+Repair`), telemetry windows (`+Telemetry`), dormant devices (`+Dormancy`), the delivery
/// path's servers (`+Backend`) and its random streams (`+Streams`).
public struct FleetRun: EventHandler {
  public typealias Payload = FleetEvent

  let model: FleetModel
  let fleet: Fleet
  /// Plain copies of what the hot paths read, so they never copy a definition (and count references).
  let faultRecords: [FaultRecord]
  let syncSamplers: [SyncSampler]
  let exponential = ExponentialTable()
  let utcOffsets: [Double]
  /// Online and offline spells, and sessions while online, over the local day.
  let cycle: OnlineCycle
  let noise: [Double]
  let noiseDays: Int
  let online: Double
  let loss: Double
  let flush: Double
  let delay: SamplingTable
  let baselineError: Double
  let baselineCrash: Double
  let baselineLatency: SamplingTable
  /// Background user reports per install, and when they arrive after it.
  let baselineReportRate: Double
  let baselineReportDelay: SamplingTable
  let durationSeconds: Double
  /// How long a session lasts, in seconds: the failed time of a session a fault makes fail or slow.
  let sessionLength: Double
  let crashLoopReboot: Double
  /// A crash loop's chance per boot that the SDK fetches before the crash (the smallest of the
  /// crashLoop faults': the earliest crash decides), and the boots before a device gives up (the fewest).
  let fetchBeforeCrash: Double
  let bootAttemptLimit: Int?
  /// Per region, its technicians (empty: nobody repairs devices by hand), and how long a repair takes.
  var repairQueues: [RepairQueue]
  let repairDuration: Distribution
  /// Shares of a window's reports, and of its crash reports, that count in each read, by the read's
  /// distance from the window's own (sessions spread evenly over the window, then the flush wait and
  /// the pipeline delay, a crash's after its reboot): the dormant devices' reports follow them.
  let reportReads: [(offset: Int, share: Double)]
  let crashReportReads: [(offset: Int, share: Double)]
  /// The block of the fleet this run simulates (FleetRun+Blocks.swift): its index and its devices. The
  /// controller is not here: a block stops at each read and each new artifact, and the run of all blocks
  /// asks the driver once, with what every block saw.
  let block: Int
  let range: Range<Int>
  /// What the block has for the driver when it stopped: a read of the telemetry, or a new artifact.
  var read: TelemetryRead?
  var artifactMade: (generation: Int, time: SimulatedTime)?
  let seed: UInt64
  let windowLength: SimulatedTime
  /// How long after a window's end the controller reads it: the watermark's delay.
  let lag: SimulatedTime
  /// How late a report may arrive after its window's read and still count.
  let lateness: SimulatedTime
  let windowCount: Int

  // Published states: version k was published at `versions[k].time`.
  struct Version {
    let time: SimulatedTime
    let state: FlagState
    let flag: FlagHandle?
    let readsTime: Bool
    let random: Bool
    /// The device fields the flag reads in this state.
    let fields: DeviceContextBuilder.FieldSet
    let label: String
    /// Whether the released flag is in the state and enabled; and in it and disabled (killed).
    let flagEnabled: Bool
    let flagDisabled: Bool
    /// The artifact generations devices hold under this state (a release of a regenerated artifact).
    let artifact: ArtifactHolding
  }
  var versions: [Version] = []
  var pending: [Publication] = []
  /// When a fix shipped: faults stop biting from then on.
  var fixTime = SimulatedTime.max

  /// Per device of the block, what a session reads and writes, in one record (see ``DeviceRecord``),
  /// addressed by the device's number in the fleet. The fleet's attribute columns stay struct-of-arrays.
  let table: DeviceTable
  let devices: UnsafeMutablePointer<DeviceRecord>

  /// Bytes of state a device takes in a run (its record, which repeats the attributes it reads).
  public static var dynamicBytesPerDevice: Int { MemoryLayout<DeviceRecord>.stride }

  /// Variant names that faults trigger on; arm `2 + i` is variant `i`.
  let variantNames: [String]
  /// Bit `f` set when fault `f` bites devices whose flag was killed (`when: killed`).
  let killedFaults: UInt8
  let armCount: Int
  /// Telemetry cells: cohort, region, arm.
  let cells: TelemetryCells
  /// Devices per cell.
  var assigned: [Int]
  var adopted: [Int] = []
  var exposedNow = 0
  var downNow = 0
  /// The delivery path's servers and the load on them (FleetRun+Backend.swift), and per device of the
  /// block (from its first) the failed fetches its SDK counts (only when some tier has servers of finite
  /// capacity).
  var backends: Backends
  var fetchFailures: [UInt8]

  /// The piece of the window being filled that arrives before it is read; the late pieces of earlier
  /// windows, by read and window (`read << 32 | window`).
  var accumulator: WindowAccumulator
  var late: [Int64: WindowAccumulator] = [:]
  /// Devices quiet (down or offline) since before the window being filled began, per cell; and those
  /// whose quiet spell begins in a later window, by `window * cells + cell`.
  var quietSettled: [Int32]
  var quietStarting: [Int: Int32] = [:]

  /// Devices with nothing to simulate but healthy sessions are dormant: no events, their sessions are
  /// drawn per window in bulk, by stratum (cohort, arm, region, activity class). See
  /// FleetRun+Dormancy.swift. Off (`exactSessions`) every session is an event, for checking.
  let dormancy: Bool
  var dormantCount: [Int32]
  var dormantRate: [Double]
  /// A device goes dormant at a session, so online, and is likelier online than the fleet for a few
  /// hours after (its lead, ``OnlineCycle``). Per stratum, weighted by sessions a day: the sessions the
  /// dormant devices' leads give in the current window, and the leads at its end.
  var leadSessions: [Double]
  var leadAtWindowEnd: [Double]
  /// Devices that went dormant in the window being filled, per stratum (at a session: heard from in it).
  var dormantSinceWindowStart: [Int32]
  /// Per stratum, unweighted, for presence: the leads as of the window's start of the devices dormant
  /// since before it, and as of its end of those that went dormant in it (FleetRun+Dormancy.swift).
  var presenceLead: [Double]
  var presenceFreshLead: [Double]
  /// Seconds devices spent dormant: less each one's start, plus each one's end (the run's, at the latest).
  var dormantSeconds = 0.0
  /// Dormant sessions are drawn up to here (a window's end, or a publication within the window being
  /// filled); draws so far in `dormantWindow`.
  var dormantDrawnUntil = SimulatedTime.zero
  var dormantWindow = -1
  var dormantParts = 0
  /// Adoptions of new states by dormant devices, bucketed by the window they happen in:
  /// window -> (old version, new version) -> devices.
  var lateAdoptions: [Int: [Int64: Int]] = [:]
  var completed: [Int: TelemetryWindow] = [:]
  var builder: DeviceContextBuilder
  public internal(set) var result = FleetRunResult()

  /// A run of block `block` of the model's fleet. `backends`: the servers the whole fleet meets, when
  /// not the model's (a policy's what-if retry rule); a block meets its share of them.
  init(model: FleetModel, initialState: FlagState, block: Int, exactSessions: Bool = false, backends: Backends? = nil) {
    self.model = model
    self.block = block
    range = model.blocks[block]
    fleet = model.fleet
    syncSamplers = model.fleet.definition.sync.map { SyncSampler($0.model) }
    utcOffsets = model.fleet.definition.regions.map { $0.utcOffset * 3600 }
    cycle = model.cycle
    noiseDays = model.noise.first?.count ?? 1
    noise = model.noise.flatMap { $0 }
    online = model.fleet.definition.activity.online
    loss = model.telemetry.loss
    flush = model.telemetry.flush.seconds
    delay = SamplingTable(model.telemetry.delay)
    baselineError = model.baseline.errorRate
    baselineCrash = model.baseline.crashRate
    baselineLatency = SamplingTable(model.baseline.latency)
    baselineReportRate = model.baseline.reportRate
    baselineReportDelay = SamplingTable(model.baseline.reportDelay)
    durationSeconds = model.duration.seconds
    sessionLength = model.fleet.definition.activity.sessionLength.seconds
    var names: [String] = []
    for fault in model.faults {
      if case .variant(let name) = fault.when, !names.contains(name) { names.append(name) }
    }
    faultRecords = model.faults.enumerated().map { index, fault in FaultRecord(fault, index: index, model: model, variants: names) }
    crashLoopReboot = model.faults.filter { $0.effect.kind == .crashLoop }.map(\.effect.reboot.seconds).max() ?? 60
    let loops = model.faults.filter { $0.effect.kind == .crashLoop }.map(\.effect)
    fetchBeforeCrash = loops.map(\.fetchBeforeCrash).min() ?? FaultDefinition.Effect.defaultFetchBeforeCrash
    bootAttemptLimit = loops.compactMap(\.bootAttempts).min()
    repairQueues = Self.repairQueues(model, devices: model.blocks[block])
    repairDuration = model.fleet.definition.repair?.duration ?? .fixed(0)
    seed = model.fleet.seed
    windowLength = model.telemetry.window
    lag = model.telemetry.readDelay
    lateness = model.telemetry.lateness
    reportReads = FleetRun.readShares(
      window: model.telemetry.window.seconds, flush: model.telemetry.flush.seconds, delay: delay, lag: lag.seconds,
      lateness: model.telemetry.lateness.seconds, extra: 0, purpose: .onTime)
    crashReportReads = FleetRun.readShares(
      window: model.telemetry.window.seconds, flush: model.telemetry.flush.seconds, delay: delay, lag: lag.seconds,
      lateness: model.telemetry.lateness.seconds, extra: FleetRun.baselineCrashReboot, purpose: .onTimeCrash)
    windowCount = Int((model.duration.microseconds + windowLength.microseconds - 1) / windowLength.microseconds)
    variantNames = names
    killedFaults = model.faults.enumerated().reduce(0) { mask, fault in fault.element.when == .killed ? mask | 1 << fault.offset : mask }
    armCount = 2 + names.count
    table = DeviceTable(fleet: model.fleet, susceptible: model.susceptible, devices: range)
    // Addressed by the device's number in the fleet: the block's first device is at `records[0]`.
    devices = table.records - range.lowerBound
    cells = TelemetryCells(cohorts: model.fleet.cohortNames.count, regions: model.fleet.regionNames.count, arms: armCount)
    assigned = [Int](repeating: 0, count: cells.count)
    quietSettled = [Int32](repeating: 0, count: cells.count)
    let servers = backends ?? model.backends
    self.backends = model.blocks.count == 1
      ? servers
      : servers.block(
        devices: range, share: Double(range.count) / Double(max(1, model.fleet.count)), region: model.fleet.region,
        syncClass: model.fleet.syncModel)
    fetchFailures = self.backends.isLimited ? [UInt8](repeating: 0, count: range.count) : []
    accumulator = WindowAccumulator(index: 0, cells: cells)
    builder = DeviceContextBuilder(fleet: model.fleet)
    dormancy = !exactSessions
    let strata = model.fleet.cohortNames.count * armCount * model.fleet.regionNames.count * Self.activityClasses
    dormantCount = [Int32](repeating: 0, count: strata)
    dormantRate = [Double](repeating: 0, count: strata)
    leadSessions = [Double](repeating: 0, count: strata)
    leadAtWindowEnd = [Double](repeating: 0, count: strata)
    dormantSinceWindowStart = [Int32](repeating: 0, count: strata)
    presenceLead = [Double](repeating: 0, count: strata)
    presenceFreshLead = [Double](repeating: 0, count: strata)
    registerVersion(Publication(time: .zero, state: initialState, label: "initial"))
  }

  // MARK: Running

  /// Schedules every device's first event, the windows, and the driver's first publications.
  mutating func prepare<Queue: EventQueue<FleetEvent>>(_ scheduler: inout EventScheduler<Queue>) {
    for device in range {
      // Every device starts on the initial state.
      adopt(device, version: 0, at: .zero)
      var random = stream(device, .start)
      let offset = utcOffsets[Int(devices[device].attributes.region)]
      if online < 1 && !random.bernoulli(cycle.onlineShare(at: 0, dayStart: model.dayStart, offset: offset)) {
        devices[device].status = .offline
        devices[device].since = 0
        goQuiet(device, since: .zero)
        let back = cycle.comesBack(after: 0, work: exponential.sample(&random), dayStart: model.dayStart, offset: offset, limit: durationSeconds)
        if back < durationSeconds { scheduler.schedule(.online, at: SimulatedTime.seconds(back), key: UInt32(device)) }
        continue
      }
      // Online: dormant at once when nothing about it needs events.
      if dormancy && eligibleForDormancy(device, at: .zero) {
        goDormant(device, at: .zero)
        continue
      }
      scheduleSession(device, after: .zero, &random, &scheduler)
    }
    // A fault that has not arrived keeps no device awake (FleetRun+Dormancy.swift): its arrival wakes them.
    for (f, fault) in faultRecords.enumerated() where dormancy && fault.from > .zero && fault.from < model.duration {
      scheduler.schedule(.faultArrives(Int32(f)), at: fault.from, key: .max - 2)
    }
    if let every = model.artifactEvery, every > .zero {
      var generation = 1
      while every * generation < model.duration {
        scheduler.schedule(.artifact(Int32(generation)), at: every * generation, key: .max - 3)
        generation += 1
      }
    }
    for window in 0..<windowCount {
      let end = min(windowLength * (window + 1), model.duration)
      scheduler.schedule(.windowEnd(Int32(window)), at: end, key: .max)
    }
  }

  public mutating func handle<Queue: EventQueue<FleetEvent>>(
    _ event: ScheduledEvent<FleetEvent>, scheduler: inout EventScheduler<Queue>
  ) {
    let now = event.time
    let device = Int(event.key)
    switch event.payload {
    case .session: session(device, at: now, &scheduler)
    case .online: backOnline(device, at: now, &scheduler)
    case .reboot: rebooted(device, at: now, &scheduler)
    case .bootAttempt: bootAttempt(device, at: now, &scheduler)
    case .repaired: repaired(device, at: now, &scheduler)
    case .windowEnd(let window): closeWindow(Int(window), at: now, &scheduler)
    case .deliver(let window): deliver(Int(window), at: now, &scheduler)
    case .publish(let index): publish(pending[Int(index)], at: now, &scheduler)
    case .faultArrives(let fault): faultArrives(Int(fault), at: now, &scheduler)
    case .artifact(let generation):
      // The driver decides what to publish for it, with every block stopped here.
      artifactMade = (Int(generation), event.time)
      scheduler.stop()
    }
  }

  // MARK: Publications

  mutating func schedule<Queue: EventQueue<FleetEvent>>(_ publications: [Publication], _ scheduler: inout EventScheduler<Queue>) {
    for publication in publications {
      pending.append(publication)
      let time = max(publication.time, scheduler.now)
      scheduler.schedule(.publish(Int32(pending.count - 1)), at: time, key: .max - 1)
    }
  }

  /// A publication takes effect: a new state devices will see, or a fix that ends the faults.
  mutating func publish<Queue: EventQueue<FleetEvent>>(_ publication: Publication, at now: SimulatedTime, _ scheduler: inout EventScheduler<Queue>) {
    if publication.state == nil {
      fixTime = min(fixTime, publication.time)
      result.publications.append((publication.time, publication.label))
    } else {
      registerVersion(publication)
      if dormancy { publishToDormantDevices(version: versions.count - 1, at: now, &scheduler) }
    }
  }

  mutating func registerVersion(_ publication: Publication) {
    guard let state = publication.state else { return }
    let handle = state.flag(model.flag)
    let enabled = state.definition.features.first { $0.name == model.flag }?.enabled
    versions.append(Version(
      time: publication.time, state: state, flag: handle,
      readsTime: handle.map { state.reads(.currentTime, flag: $0) } ?? false,
      random: handle.map { state.isRandom($0, assumingUserId: true) || state.reads(.sessionId, flag: $0, assumingUserId: true) } ?? false,
      fields: handle.map { builder.fieldsRead(by: $0, in: state) } ?? [],
      label: publication.label,
      flagEnabled: enabled == true, flagDisabled: enabled == false,
      artifact: publication.artifact ?? versions.last?.artifact ?? .before))
    adopted.append(0)
    result.publications.append((publication.time, publication.label))
  }

  /// Closes the books at the end of the run: devices still down count until now, and so do the
  /// dormant devices' device-hours.
  mutating func finish(at end: SimulatedTime) {
    for device in range where devices[device].status.isDown {
      countDownTime(device, until: end)
    }
    result.devicesDownAtEnd = downNow
    backends.count(until: end.seconds)
    result.delivery = backends.load
    let stillDormant = dormantCount.reduce(0) { $0 + Int($1) }
    result.deviceHoursDrawnInBulk = (dormantSeconds + Double(stillDormant) * end.seconds) / 3600
  }
}
