import FlagEngine
import Simulation
import Telemetry

/// The events of a fleet run. Device events carry the device as the event key; the others use keys
/// above every device so that, at equal times, devices act first and windows close after them.
public enum FleetEvent: BitwiseCopyable, Sendable {
  case session
  case online
  case reboot
  case bootAttempt
  case windowEnd(Int32)
  case deliver(Int32)
  case publish(Int32)
}

extension StreamPurpose {
  static let sessions = StreamPurpose("fleet.sessions")
  static let sync = StreamPurpose("fleet.sync")
  static let edgeSync = StreamPurpose("fleet.edge-sync")
  static let start = StreamPurpose("fleet.start")
  static let reports = StreamPurpose("fleet.reports")
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
public struct FleetRun: EventHandler {
  public typealias Payload = FleetEvent

  let model: FleetModel
  let fleet: Fleet
  /// Plain copies of what the hot paths read, so they never copy a definition (and count references).
  let faultRecords: [FaultRecord]
  let syncSamplers: [SyncSampler]
  let exponential = ExponentialTable()
  let utcOffsets: [Double]
  let curve: DiurnalCurve
  let noise: [Double]
  let noiseDays: Int
  let online: Double
  let offlineSpell: Double
  let loss: Double
  let flush: Double
  let delay: SamplingTable
  let baselineError: Double
  let baselineCrash: Double
  let baselineLatency: SamplingTable
  let durationSeconds: Double
  let crashLoopReboot: Double
  let restartBudget: Double?
  /// Share of a window's reports that reach the controller before the window is delivered (sessions
  /// spread evenly over the window, then the flush wait and the pipeline delay).
  let reportOnTimeShare: Double
  /// The driver, boxed: it is called once a window, so the box costs nothing that matters, and the
  /// run's code is compiled once, specialised, in this module.
  public private(set) var driver: any ReleaseDriver
  let seed: UInt64
  let windowLength: Int64
  let lag: Int64
  let windowCount: Int

  // Published states: version k was published at `versions[k].time`.
  struct Version {
    let time: Int64
    let state: FlagState
    let flag: FlagHandle?
    let readsTime: Bool
    let random: Bool
    /// The device fields the flag reads in this state.
    let fields: DeviceContextBuilder.FieldSet
    let label: String
  }
  var versions: [Version] = []
  var pending: [Publication] = []
  /// When a fix shipped: faults stop biting from then on.
  var fixTime = Int64.max

  /// Per device, what a session reads and writes, in one 32-byte record: a session touches one cache
  /// line of device state instead of one line in each of a dozen columns (device events come in time
  /// order, which is random order over devices). The fleet's attribute columns stay struct-of-arrays.
  let table: DeviceTable
  let devices: UnsafeMutablePointer<DeviceRecord>

  enum Status: UInt8 { case online, offline, rebooting, crashLoop, manual }

  /// Bytes of state a device takes in a run (its record, which repeats the attributes it reads).
  public static var dynamicBytesPerDevice: Int { MemoryLayout<DeviceRecord>.stride }

  /// Variant names that faults trigger on; arm `2 + i` is variant `i`.
  let variantNames: [String]
  let armCount: Int
  var assigned: [Int]
  var adopted: [Int] = []
  var exposedNow = 0
  var downNow = 0
  /// Per region: restart tokens (a shared backend that only takes so many restarts a minute).
  var tokens: [Double]
  var tokensUpdated: [Int64]

  var accumulator: WindowAccumulator

  /// Devices with nothing to simulate but healthy sessions are dormant: no events, their sessions are
  /// drawn per window in bulk, by stratum (cohort, arm, region, activity class). See
  /// FleetRun+Dormancy.swift. Off (`exactSessions`) every session is an event, for checking.
  let dormancy: Bool
  var dormantCount: [Int32]
  var dormantRate: [Double]
  /// Adoptions of new states by dormant devices, bucketed by the window they happen in:
  /// window -> (old version, new version) -> devices.
  var lateAdoptions: [Int: [Int64: Int]] = [:]
  var completed: [Int: TelemetryWindow] = [:]
  var builder: DeviceContextBuilder
  public private(set) var result = FleetRunResult()

  public init(model: FleetModel, initialState: FlagState, driver: any ReleaseDriver, exactSessions: Bool = false) {
    self.model = model
    self.driver = driver
    fleet = model.fleet
    syncSamplers = model.fleet.definition.sync.map { SyncSampler($0.model) }
    utcOffsets = model.fleet.definition.regions.map { $0.utcOffset * 3600 }
    curve = model.curve
    noiseDays = model.noise.first?.count ?? 1
    noise = model.noise.flatMap { $0 }
    online = model.fleet.definition.activity.online
    offlineSpell = model.fleet.definition.activity.offlineSpell.seconds
    loss = model.telemetry.loss
    flush = model.telemetry.flush.seconds
    delay = SamplingTable(model.telemetry.delay)
    baselineError = model.baseline.errorRate
    baselineCrash = model.baseline.crashRate
    baselineLatency = SamplingTable(model.baseline.latency)
    durationSeconds = model.duration.inSeconds
    var names: [String] = []
    for fault in model.faults {
      if case .variant(let name) = fault.when, !names.contains(name) { names.append(name) }
    }
    faultRecords = model.faults.enumerated().map { index, fault in FaultRecord(fault, index: index, model: model, variants: names) }
    crashLoopReboot = model.faults.filter { $0.effect.kind == .crashLoop }.map(\.effect.reboot.seconds).max() ?? 60
    restartBudget = model.faults.compactMap { $0.effect.kind == .crashLoop ? $0.effect.recoveryPerMinute : nil }.min()
      .map { $0 * model.rateScale }
    reportOnTimeShare = FleetRun.onTimeShare(
      window: model.telemetry.window.seconds, flush: model.telemetry.flush.seconds, delay: delay,
      lag: Double(model.telemetry.flush.microseconds) / 1e6 + 2 * model.telemetry.delay.median)
    seed = model.fleet.seed
    windowLength = model.telemetry.window.microseconds
    lag = model.telemetry.flush.microseconds + Int64(2 * model.telemetry.delay.median * 1e6)
    windowCount = Int((model.duration.microseconds + windowLength - 1) / windowLength)
    variantNames = names
    armCount = 2 + names.count
    let n = model.fleet.count
    table = DeviceTable(fleet: model.fleet, susceptible: model.susceptible)
    devices = table.records
    _ = n
    assigned = [Int](repeating: 0, count: model.fleet.cohortNames.count * armCount)
    tokens = [Double](repeating: 0, count: model.fleet.regionNames.count)
    tokensUpdated = [Int64](repeating: 0, count: model.fleet.regionNames.count)
    accumulator = WindowAccumulator(index: 0, cohorts: model.fleet.cohortNames.count, arms: armCount)
    builder = DeviceContextBuilder(fleet: model.fleet)
    dormancy = !exactSessions
    let strata = model.fleet.cohortNames.count * armCount * model.fleet.regionNames.count * Self.activityClasses
    dormantCount = [Int32](repeating: 0, count: strata)
    dormantRate = [Double](repeating: 0, count: strata)
    registerVersion(Publication(time: .zero, state: initialState, label: "initial"))
  }

  /// Monte Carlo, once per run, with a fixed stream: P(session time + flush wait + delay <= window end + lag).
  static func onTimeShare(window: Double, flush: Double, delay: SamplingTable, lag: Double) -> Double {
    var random = RandomStream(seed: 0x5EED, entity: 0, purpose: StreamPurpose("fleet.on-time"))
    var onTime = 0
    let draws = 20_000
    for _ in 0..<draws {
      let remaining = window * random.nextDouble()
      if flush * random.nextDouble() + delay.sample(&random) <= remaining + lag { onTime += 1 }
    }
    return Double(onTime) / Double(draws)
  }

  // MARK: Running

  /// Runs to the end of the model's duration. `progress` is called with the fraction done.
  public static func run<Driver: ReleaseDriver>(
    model: FleetModel, initialState: FlagState, driver: Driver, exactSessions: Bool = false,
    progress: ((Double) -> Void)? = nil
  ) -> (result: FleetRunResult, driver: Driver) {
    var run = FleetRun(model: model, initialState: initialState, driver: driver, exactSessions: exactSessions)
    var simulator = Simulator(handler: run, queue: RadixEventQueue<FleetEvent>(minimumCapacity: model.fleet.count + 1024))
    run = simulator.handler
    simulator.handler.prepare(&simulator.scheduler)
    let end = model.duration
    let step = SimulatedTime.hours(1)
    var time = SimulatedTime.zero
    while time < end {
      time = min(end, time + step)
      _ = simulator.run(until: time)
      progress?(time.inSeconds / end.inSeconds)
    }
    simulator.handler.finish(at: end)
    var result = simulator.handler.result
    result.events = simulator.eventsProcessed
    return (result, simulator.handler.driver as! Driver)
  }

  /// Schedules every device's first event, the windows, and the driver's first publications.
  mutating func prepare<Queue: EventQueue<FleetEvent>>(_ scheduler: inout EventScheduler<Queue>) {
    for device in 0..<fleet.count {
      // Every device starts on the initial state.
      adopt(device, version: 0, at: 0)
      var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .start)
      if dormancy && eligibleForDormancy(device, at: 0) {
        goDormant(device, at: 0)
        continue
      }
      if online < 1 && !random.bernoulli(online) {
        devices[device].status = Status.offline.rawValue
        let back = random.exponential(mean: offlineSpell)
        scheduler.schedule(.online, at: SimulatedTime.seconds(back), key: UInt32(device))
      } else {
        scheduleSession(device, after: 0, &random, &scheduler)
      }
    }
    for window in 0..<windowCount {
      let end = min(Int64(window + 1) * windowLength, model.duration.microseconds)
      scheduler.schedule(.windowEnd(Int32(window)), at: SimulatedTime(microseconds: end), key: .max)
    }
    schedule(driver.start(), &scheduler)
  }

  public mutating func handle<Queue: EventQueue<FleetEvent>>(
    _ event: ScheduledEvent<FleetEvent>, scheduler: inout EventScheduler<Queue>
  ) {
    let now = event.time.microseconds
    switch event.payload {
    case .session: session(Int(event.key), at: now, &scheduler)
    case .online:
      let device = Int(event.key)
      devices[device].status = Status.online.rawValue
      var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .sessions, index: UInt64(devices[device].sessionCount) | 1 << 40)
      scheduleSession(device, after: now, &random, &scheduler)
    case .reboot:
      let device = Int(event.key)
      devices[device].status = Status.online.rawValue
      var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .sessions, index: UInt64(devices[device].sessionCount) | 2 << 40)
      scheduleSession(device, after: now, &random, &scheduler)
    case .bootAttempt: bootAttempt(Int(event.key), at: now, &scheduler)
    case .windowEnd(let window): closeWindow(Int(window), at: now, &scheduler)
    case .deliver(let window): deliver(Int(window), at: now, &scheduler)
    case .publish(let index):
      let publication = pending[Int(index)]
      if publication.state == nil {
        fixTime = min(fixTime, publication.time.microseconds)
        result.publications.append((publication.time, publication.label))
      } else {
        registerVersion(publication)
        if dormancy { publishToDormantDevices(version: versions.count - 1, at: now, &scheduler) }
      }
    }
  }

  mutating func schedule<Queue: EventQueue<FleetEvent>>(_ publications: [Publication], _ scheduler: inout EventScheduler<Queue>) {
    for publication in publications {
      pending.append(publication)
      let time = max(publication.time, scheduler.now)
      scheduler.schedule(.publish(Int32(pending.count - 1)), at: time, key: .max - 1)
    }
  }

  mutating func registerVersion(_ publication: Publication) {
    guard let state = publication.state else { return }
    let handle = state.flag(model.flag)
    versions.append(Version(
      time: publication.time.microseconds, state: state, flag: handle,
      readsTime: handle.map { state.reads(.currentTime, flag: $0) } ?? false,
      random: handle.map { state.isRandom($0, assumingUserId: true) || state.reads(.sessionId, flag: $0, assumingUserId: true) } ?? false,
      fields: handle.map { builder.fieldsRead(by: $0, in: state) } ?? [],
      label: publication.label))
    adopted.append(0)
    result.publications.append((publication.time, publication.label))
  }

  // MARK: Devices

  @inline(__always)
  mutating func scheduleSession<Queue: EventQueue<FleetEvent>>(
    _ device: Int, after time: Int64, _ random: inout RandomStream, _ scheduler: inout EventScheduler<Queue>
  ) {
    let rate = Double(devices[device].sessionsPerDay)
    let offset = utcOffsets[Int(devices[device].attributes.region)]
    let start = Double(time) / 1e6
    let limit = durationSeconds
    let next = curve.advance(
      from: start, work: exponential.sample(&random) * 86_400 / rate, dayStart: model.dayStart, offset: offset, limit: limit)
    if online < 1 {
      // Offline spells start at a rate that gives the online share, and last `offlineSpell` on average.
      let meanOnline = offlineSpell * online / (1 - online)
      let leaves = start + meanOnline * exponential.sample(&random)
      if leaves < next && leaves < limit {
        devices[device].status = Status.offline.rawValue
        let back = leaves + offlineSpell * exponential.sample(&random)
        if back < limit { scheduler.schedule(.online, at: .seconds(back), key: UInt32(device)) }
        return
      }
    }
    if next < limit { scheduler.schedule(.session, at: .seconds(next), key: UInt32(device)) }
  }

  /// The first-seen delay of version `k` for `device`, in microseconds.
  @inline(__always)
  func syncDelay(_ device: Int, _ k: Int) -> Int64 {
    let sync = syncSamplers[Int(devices[device].syncModel)]
    var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .sync, index: UInt64(k))
    var edgeRandom = random
    if sync.kind == .edge {
      let edges = sync.edgesPerRegion
      let edge = Int(devices[device].attributes.region) * edges + device % edges
      edgeRandom = RandomStream(seed: seed, entity: UInt64(edge), purpose: .edgeSync, index: UInt64(k))
    }
    return Int64(sync.delay(&random, edgeRandom: &edgeRandom) * 1e6)
  }

  /// The newest version `device` has seen by `time`.
  @inline(__always)
  func visibleVersion(_ device: Int, at time: Int64) -> Int {
    let current = Int(devices[device].version)
    var k = versions.count - 1
    while k > current {
      if versions[k].time + syncDelay(device, k) <= time { return k }
      k -= 1
    }
    return current
  }

  /// Evaluates the released flag for `device` in version `k` with the real engine: its arm.
  mutating func evaluate(_ device: Int, version k: Int, at time: Int64, session: UInt64?) -> UInt8 {
    let entry = versions[k]
    guard let flag = entry.flag else { return 0 }
    builder.fill(device, devices[device].attributes, only: entry.fields)
    if entry.readsTime {
      let instant = Timestamp(seconds: model.startUnixSeconds + time / 1_000_000)
      builder.withContext { $0[.currentTime] = instant.iso8601 }
    }
    if let session { builder.setSession(device: device, session: session) }
    let variantNames = self.variantNames
    let reseed = Self.evaluationSeed(seed, device: device, version: k, session: session ?? 0)
    return builder.withContext { Self.arm(of: flag, in: entry.state, context: &$0, seed: reseed, variantNames: variantNames) }
  }

  /// The random stream a device's evaluation draws from (random rollouts): fixed per device, version
  /// and session, so the answer does not depend on the order of evaluations.
  @inline(__always)
  static func evaluationSeed(_ seed: UInt64, device: Int, version k: Int, session: UInt64) -> UInt64 {
    RandomStream.mix(seed ^ UInt64(device) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(k) << 40 ^ session)
  }

  /// The arm the engine puts a context on: 0 off, 1 on, 2 + i the i-th named variant.
  @inline(__always)
  static func arm(
    of flag: FlagHandle, in state: FlagState, context: inout EvaluationContext, seed: UInt64, variantNames: [String]
  ) -> UInt8 {
    context.reseed(seed)
    if variantNames.isEmpty { return state.isEnabled(flag, in: &context) ? 1 : 0 }
    let variant = state.variant(flag, in: &context)
    guard variant.featureEnabled else { return 0 }
    if let index = variantNames.firstIndex(of: variant.name) { return UInt8(2 + index) }
    return 1
  }

  /// Moves `device` to version `k` and its arm under it.
  mutating func adopt(_ device: Int, version k: Int, at time: Int64, session: UInt64? = nil) {
    let old = Int(devices[device].version)
    let newArm = evaluate(device, version: k, at: time, session: session)
    if k != old || time == 0 {
      if time != 0 { adopted[old] -= 1 }
      adopted[k] += 1
      devices[device].version = UInt16(k)
    }
    setArm(device, newArm, initial: time == 0 && session == nil)
    // A device whose faults no longer apply stops failing (unless a fault stuck to it).
    if devices[device].flags & DeviceFlags.failing != 0 && devices[device].status == Status.online.rawValue
      && !anyFaultApplies(device, at: time) && devices[device].stuck == 0
    {
      stopFailing(device, at: time)
    }
  }

  @inline(__always)
  mutating func setArm(_ device: Int, _ newArm: UInt8, initial: Bool) {
    let cohort = Int(devices[device].attributes.cohort)
    let oldArm = devices[device].arm
    if !initial {
      if oldArm == newArm { return }
      assigned[cohort * armCount + Int(oldArm)] -= 1
      if oldArm != 0 { exposedNow -= 1 }
    }
    assigned[cohort * armCount + Int(newArm)] += 1
    devices[device].arm = newArm
    if newArm != 0 {
      exposedNow += 1
      if devices[device].flags & DeviceFlags.everExposed == 0 {
        devices[device].flags |= DeviceFlags.everExposed
        result.devicesExposed += 1
      }
    }
  }

  /// Whether fault `f` bites sessions of `device` now (before its probability).
  @inline(__always)
  func faultApplies(_ f: Int, _ device: Int, at time: Int64) -> Bool {
    guard (devices[device].susceptible >> f) & 1 == 1, time < fixTime else { return false }
    // An irreversible fault stays with a device whatever the flag says, until a fix ships.
    if (devices[device].stuck >> f) & 1 == 1 { return true }
    return faultRecords[f].bites(arm: devices[device].arm, at: time)
  }

  func anyFaultApplies(_ device: Int, at time: Int64) -> Bool {
    for f in faultRecords.indices where faultApplies(f, device, at: time) { return true }
    return false
  }

  /// Counts a failure caused by the release (the device's first, and the run's first).
  mutating func markFailed(_ device: Int, at time: Int64) {
    if devices[device].flags & DeviceFlags.everFailed == 0 {
      devices[device].flags |= DeviceFlags.everFailed
      result.devicesFailed += 1
      if result.firstFailure == nil || time < result.firstFailure!.microseconds {
        result.firstFailure = SimulatedTime(microseconds: time)
      }
    }
  }

  /// A failure that lasts (errors or latency on every session it bites, a device down): the device is
  /// failed from now until the fault stops applying to it.
  mutating func startFailing(_ device: Int, at time: Int64) {
    markFailed(device, at: time)
    if devices[device].flags & DeviceFlags.failing == 0 {
      devices[device].flags |= DeviceFlags.failing
      devices[device].failingSince = Float(Double(time) / 1e6)
    }
  }

  mutating func stopFailing(_ device: Int, at time: Int64) {
    guard devices[device].flags & DeviceFlags.failing != 0 else { return }
    devices[device].flags &= ~DeviceFlags.failing
    result.failedDeviceHours += max(0, Double(time) / 1e6 - Double(devices[device].failingSince)) / 3600
  }

  // MARK: Sessions

  mutating func session<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    guard devices[device].status == Status.online.rawValue else { return }
    let sessionIndex = UInt64(devices[device].sessionCount)
    devices[device].sessionCount &+= 1
    result.sessions += 1
    var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .sessions, index: sessionIndex)

    // The SDK's state: adopt what it has seen by now; sticky-on-session flags evaluate every session.
    let visible = visibleVersion(device, at: now)
    if visible != Int(devices[device].version) {
      adopt(device, version: visible, at: now)
    } else if versions[visible].random {
      adopt(device, version: visible, at: now, session: sessionIndex)
    }

    // Faults first: they decide how the session ends.
    var errored = false
    var crashed = false
    var down: Status? = nil
    var extraLatency = 0.0
    var bitten = false
    var lasting = false
    var faultReboot = 0.0
    let mask = devices[device].susceptible
    if mask != 0 {
      for f in faultRecords.indices where (mask >> f) & 1 == 1 && faultApplies(f, device, at: now) {
        let effect = faultRecords[f]
        guard random.bernoulli(effect.probability) else { continue }
        bitten = true
        if effect.irreversible { devices[device].stuck |= 1 << f }
        switch effect.kind {
        case .error:
          errored = true
          lasting = true
        case .latency:
          extraLatency += effect.latency.sample(&random)
          lasting = true
        case .crash:
          crashed = true
          faultReboot = max(faultReboot, effect.reboot)
        case .crashLoop:
          if down != .manual { down = .crashLoop }
          lasting = true
        case .manualRecovery:
          down = .manual
          lasting = true
        }
      }
    }
    if lasting {
      startFailing(device, at: now)
    } else if bitten {
      markFailed(device, at: now)
    } else if devices[device].flags & DeviceFlags.failing != 0 && devices[device].stuck == 0 && !anyFaultApplies(device, at: now) {
      stopFailing(device, at: now)
    }

    // The healthy baseline.
    let region = Int(devices[device].attributes.region)
    let day = min(Int(now / 86_400_000_000), noiseDays - 1)
    if !errored && random.bernoulli(min(1, baselineError * noise[region * noiseDays + day])) { errored = true }
    var baselineCrash = false
    if !crashed && down == nil && random.bernoulli(self.baselineCrash) { baselineCrash = true }
    let latency = baselineLatency.sample(&random) + extraLatency

    // What the pipeline delivers: the window of the session, if the report arrives before the window is
    // delivered. A device that is down for good reports nothing: silence.
    if let down {
      devices[device].status = down.rawValue
      downNow += 1
      if down == .manual {
        result.devicesNeedingManualRecovery += 1
      } else {
        scheduler.schedule(.bootAttempt, at: SimulatedTime(microseconds: now + Int64(crashLoopReboot * 1e6)), key: UInt32(device))
      }
      return
    }
    let rebootSeconds = crashed ? faultReboot : (baselineCrash ? 60 : 0)
    report(device, at: now, delayedBy: rebootSeconds, errored: errored && !(crashed || baselineCrash),
           crashed: crashed || baselineCrash, latency: latency, &random)
    if crashed || baselineCrash {
      devices[device].status = Status.rebooting.rawValue
      if crashed {
        // A transient crash: the device is failed while it reboots.
        result.failedDeviceHours += faultReboot / 3600
      }
      scheduler.schedule(.reboot, at: SimulatedTime(microseconds: now + Int64(rebootSeconds * 1e6)), key: UInt32(device))
      return
    }
    if dormancy && eligibleForDormancy(device, at: now) {
      goDormant(device, at: now)
      return
    }
    scheduleSession(device, after: now, &random, &scheduler)
  }

  mutating func report(
    _ device: Int, at now: Int64, delayedBy extra: Double, errored: Bool, crashed: Bool, latency: Double,
    _ random: inout RandomStream
  ) {
    let window = Int(now / windowLength)
    guard window == accumulator.index else { return }  // only at the very end of the run
    if random.bernoulli(loss) { return }
    let arrival = now + Int64((extra + flush * random.nextDouble() + delay.sample(&random)) * 1e6)
    if arrival > Int64(window + 1) * windowLength + lag { return }
    let cell = Int(devices[device].attributes.cohort) * armCount + Int(devices[device].arm)
    // Distinct devices per window and arm: a device that changes arm within a window reports in both,
    // so a device that has just taken the flag is not silent in the treatment.
    let stamp = Int32(window) << 4 | Int32(devices[device].arm & 0xf)
    var firstReport = false
    if devices[device].lastReported != stamp {
      devices[device].lastReported = stamp
      firstReport = true
    }
    accumulator.record(cell: cell, firstReport: firstReport, errored: errored, crashed: crashed, latencyMilliseconds: latency * 1000)
  }

  // MARK: Crash loops

  mutating func bootAttempt<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    guard devices[device].status == Status.crashLoop.rawValue else { return }
    // At each boot the device may fetch a newer state before the faulty code runs.
    let visible = visibleVersion(device, at: now)
    if visible != Int(devices[device].version) { adopt(device, version: visible, at: now) }
    var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .sessions, index: UInt64(devices[device].sessionCount) | 3 << 40)
    devices[device].sessionCount &+= 1
    var stillFaulty = false
    for f in faultRecords.indices where faultRecords[f].kind == .crashLoop {
      if faultApplies(f, device, at: now) && random.bernoulli(faultRecords[f].probability) { stillFaulty = true }
    }
    let retry = SimulatedTime(microseconds: now + Int64(crashLoopReboot * 1e6))
    if stillFaulty || !takeRestartToken(region: Int(devices[device].attributes.region), at: now, perMinute: restartBudget) {
      scheduler.schedule(.bootAttempt, at: retry, key: UInt32(device))
      return
    }
    devices[device].status = Status.online.rawValue
    downNow -= 1
    stopFailing(device, at: now)
    scheduleSession(device, after: now, &random, &scheduler)
  }

  /// A token bucket per region: `perMinute` restarts a minute, burst of one minute's worth.
  mutating func takeRestartToken(region: Int, at now: Int64, perMinute: Double?) -> Bool {
    guard let perMinute else { return true }
    let elapsed = Double(now - tokensUpdated[region]) / 60e6
    tokens[region] = min(perMinute, tokens[region] + elapsed * perMinute)
    tokensUpdated[region] = now
    guard tokens[region] >= 1 else { return false }
    tokens[region] -= 1
    return true
  }

  // MARK: Windows

  mutating func closeWindow<Queue: EventQueue<FleetEvent>>(_ index: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    if dormancy {
      addDormantSessions(window: index, start: Int64(index) * windowLength, end: now)
      applyLateAdoptions(window: index)
    }
    var window = accumulator.finish(start: Int64(index) * windowLength, end: now, assigned: assigned, armCount: armCount)
    window = TelemetryWindow(index: index, start: window.start, duration: window.duration, cells: window.cells)
    completed[index] = window
    result.windows.append(WindowRecord(
      index: index, start: SimulatedTime(microseconds: window.start), end: SimulatedTime(microseconds: now),
      devicesExposed: exposedNow, devicesOnLatest: adopted[versions.count - 1], devicesFailedSoFar: result.devicesFailed,
      devicesDown: downNow, latestLabel: versions[versions.count - 1].label,
      treatment: OutcomeCounts(), control: OutcomeCounts(), treatmentLatencyP99: 0, controlLatencyP99: 0))
    accumulator = WindowAccumulator(index: index + 1, cohorts: fleet.cohortNames.count, arms: armCount)
    let delivery = now + lag
    if delivery <= model.duration.microseconds {
      scheduler.schedule(.deliver(Int32(index)), at: SimulatedTime(microseconds: delivery), key: .max)
    }
  }

  mutating func deliver<Queue: EventQueue<FleetEvent>>(_ index: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    guard let window = completed.removeValue(forKey: index) else { return }
    if let row = result.windows.firstIndex(where: { $0.index == index }) {
      result.windows[row].treatment = window.counts(treatment: true)
      result.windows[row].control = window.counts(treatment: false)
      result.windows[row].treatmentLatencyP99 = window.latency(treatment: true).milliseconds(atPercentile: 99)
      result.windows[row].controlLatencyP99 = window.latency(treatment: false).milliseconds(atPercentile: 99)
    }
    schedule(driver.deliver(window, at: SimulatedTime(microseconds: now)), &scheduler)
  }

  /// Closes the books at the end of the run: failing devices stop counting now.
  mutating func finish(at end: SimulatedTime) {
    for device in 0..<fleet.count where devices[device].flags & DeviceFlags.failing != 0 {
      stopFailing(device, at: end.microseconds)
    }
    result.devicesDownAtEnd = downNow
  }
}

/// A device's state in a run, with the attributes its sessions and evaluations read: one cache line
/// at most (40 bytes).
struct DeviceRecord {
  var sessionsPerDay: Float
  var sessionCount: UInt32
  var lastReported: Int32
  var failingSince: Float
  var attributes: DeviceAttributes
  var version: UInt16
  var syncModel: UInt8
  var susceptible: UInt8
  var arm: UInt8
  var status: UInt8
  var flags: UInt8
  var stuck: UInt8
}

/// Owns the device records of a run.
final class DeviceTable: @unchecked Sendable {
  let records: UnsafeMutablePointer<DeviceRecord>
  let count: Int

  init(fleet: Fleet, susceptible: [UInt8]) {
    count = fleet.count
    records = HugePages.allocate(DeviceRecord.self, count: max(count, 1))
    for device in 0..<count {
      (records + device).initialize(to: DeviceRecord(
        sessionsPerDay: fleet.sessionsPerDay[device], sessionCount: 0, lastReported: -1, failingSince: 0,
        attributes: DeviceAttributes(fleet, device), version: 0, syncModel: fleet.syncModel[device],
        susceptible: susceptible[device], arm: 0, status: 0, flags: 0, stuck: 0))
    }
  }

  deinit { HugePages.free(records) }
}

/// A fault as the hot path reads it: plain values, no definitions.
struct FaultRecord {
  enum Trigger { case enabled, variant(UInt8), always }
  let kind: FaultDefinition.Effect.Kind
  let trigger: Trigger
  let probability: Double
  let latency: SamplingTable
  let reboot: Double
  let irreversible: Bool
  let from: Int64
  let until: Int64
  let generationEvery: Int64
  let badGenerations: [Bool]

  init(_ fault: FaultDefinition, index: Int, model: FleetModel, variants: [String]) {
    kind = fault.effect.kind
    switch fault.when {
    case .enabled: trigger = .enabled
    case .always: trigger = .always
    case .variant(let name): trigger = .variant(UInt8(2 + variants.firstIndex(of: name)!))
    }
    probability = fault.effect.probability
    latency = SamplingTable(fault.effect.latency)
    reboot = fault.effect.reboot.seconds
    irreversible = fault.effect.irreversible
    from = fault.from.microseconds
    until = fault.until?.microseconds ?? .max
    generationEvery = fault.generations?.every.microseconds ?? 0
    badGenerations = model.badGenerations[index]
  }

  /// Whether the fault bites a device on `arm` at `time` (before its probability).
  @inline(__always)
  func bites(arm: UInt8, at time: Int64) -> Bool {
    switch trigger {
    case .enabled: if arm == 0 { return false }
    case .variant(let variant): if arm != variant { return false }
    case .always: break
    }
    if time < from || time >= until { return false }
    if generationEvery > 0 {
      let generation = Int(time / generationEvery)
      return generation < badGenerations.count && badGenerations[generation]
    }
    return true
  }
}

/// Bits of a device's flags in a run.
enum DeviceFlags {
  static let everExposed: UInt8 = 1
  static let everFailed: UInt8 = 2
  static let failing: UInt8 = 4
  static let dormant: UInt8 = 8
}

/// Counts and latencies of the window being filled, per cohort and arm, in flat arrays.
struct WindowAccumulator {
  let index: Int
  let arms: Int
  var counts: [OutcomeCounts]
  var latency: [LatencyHistogram?]

  init(index: Int, cohorts: Int, arms: Int) {
    self.index = index
    self.arms = arms
    counts = [OutcomeCounts](repeating: OutcomeCounts(), count: cohorts * arms)
    latency = [LatencyHistogram?](repeating: nil, count: cohorts * arms)
  }

  /// Sessions of dormant devices, counted in bulk; latency from up to 64 draws, each standing for its share.
  mutating func addBulk(
    cell: Int, sessions: Int, errors: Int, crashes: Int, reporting: Int, latency: SamplingTable, _ random: inout RandomStream
  ) {
    guard sessions > 0 else { return }
    counts[cell].sessions += UInt64(sessions)
    counts[cell].errors += UInt64(errors)
    counts[cell].crashes += UInt64(crashes)
    counts[cell].devicesReporting += UInt64(reporting)
    if latency.isFixedZero { return }
    if self.latency[cell] == nil { self.latency[cell] = LatencyHistogram() }
    let draws = min(sessions, 64)
    for draw in 0..<draws {
      let weight = sessions / draws + (draw < sessions % draws ? 1 : 0)
      self.latency[cell]!.record(milliseconds: UInt64(max(1, latency.sample(&random) * 1000)), count: UInt32(weight))
    }
  }

  @inline(__always)
  mutating func record(cell: Int, firstReport: Bool, errored: Bool, crashed: Bool, latencyMilliseconds: Double) {
    counts[cell].sessions += 1
    if errored { counts[cell].errors += 1 }
    if crashed { counts[cell].crashes += 1 }
    if firstReport { counts[cell].devicesReporting += 1 }
    if latency[cell] == nil { latency[cell] = LatencyHistogram() }
    latency[cell]!.record(milliseconds: UInt64(max(1, latencyMilliseconds)))
  }

  func finish(start: Int64, end: Int64, assigned: [Int], armCount: Int) -> TelemetryWindow {
    var window = TelemetryWindow(index: index, start: start, duration: end - start)
    for cell in counts.indices where counts[cell].sessions > 0 || assigned[cell] > 0 {
      var counts = self.counts[cell]
      counts.devicesAssigned = UInt64(max(0, assigned[cell]))
      let key = TelemetryKey(cohort: UInt16(cell / armCount), arm: Arm(rawValue: UInt16(cell % armCount)))
      window[key] = TelemetryWindow.Cell(counts: counts, latency: latency[cell] ?? LatencyHistogram())
    }
    return window
  }
}
