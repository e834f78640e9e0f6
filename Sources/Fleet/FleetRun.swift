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
public struct FleetRun<Driver: ReleaseDriver>: EventHandler {
  public typealias Payload = FleetEvent

  let model: FleetModel
  var fleet: Fleet { model.fleet }
  public private(set) var driver: Driver
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
    let label: String
  }
  var versions: [Version] = []
  var pending: [Publication] = []

  // Dynamic device state, one entry per device (18 bytes).
  var version: [UInt16]
  var arm: [UInt8]
  /// `Status` raw values.
  var status: [UInt8]
  /// `DeviceFlags` bits.
  var flags: [UInt8]
  /// Faults a device keeps whatever the flag says (irreversible effects), one bit per fault.
  var stuck: [UInt8]
  var sessionCount: [UInt32]
  var lastReported: [Int32]
  var failingSince: [Float]

  enum Status: UInt8 { case online, offline, rebooting, crashLoop, manual }

  /// Bytes of dynamic state a device takes in a run (the columns above).
  public static var dynamicBytesPerDevice: Int { 2 + 1 + 1 + 1 + 1 + 4 + 4 + 4 }

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
  var completed: [Int: TelemetryWindow] = [:]
  var builder: DeviceContextBuilder
  public private(set) var result = FleetRunResult()

  public init(model: FleetModel, initialState: FlagState, driver: Driver) {
    self.model = model
    self.driver = driver
    seed = model.fleet.seed
    windowLength = model.telemetry.window.microseconds
    lag = model.telemetry.flush.microseconds + Int64(2 * model.telemetry.delay.median * 1e6)
    windowCount = Int((model.duration.microseconds + windowLength - 1) / windowLength)
    var names: [String] = []
    for fault in model.faults {
      if case .variant(let name) = fault.when, !names.contains(name) { names.append(name) }
    }
    variantNames = names
    armCount = 2 + names.count
    let n = model.fleet.count
    version = [UInt16](repeating: 0, count: n)
    arm = [UInt8](repeating: 0, count: n)
    status = [UInt8](repeating: 0, count: n)
    flags = [UInt8](repeating: 0, count: n)
    stuck = [UInt8](repeating: 0, count: n)
    sessionCount = [UInt32](repeating: 0, count: n)
    lastReported = [Int32](repeating: -1, count: n)
    failingSince = [Float](repeating: 0, count: n)
    assigned = [Int](repeating: 0, count: model.fleet.cohortNames.count * armCount)
    tokens = [Double](repeating: 0, count: model.fleet.regionNames.count)
    tokensUpdated = [Int64](repeating: 0, count: model.fleet.regionNames.count)
    accumulator = WindowAccumulator(index: 0, cohorts: model.fleet.cohortNames.count, arms: armCount)
    builder = DeviceContextBuilder(fleet: model.fleet)
    addVersion(Publication(time: .zero, state: initialState, label: "initial"))
  }

  // MARK: Running

  /// Runs to the end of the model's duration. `progress` is called with the fraction done.
  public static func run(
    model: FleetModel, initialState: FlagState, driver: Driver, progress: ((Double) -> Void)? = nil
  ) -> (result: FleetRunResult, driver: Driver) {
    var run = FleetRun(model: model, initialState: initialState, driver: driver)
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
    return (result, simulator.handler.driver)
  }

  /// Schedules every device's first event, the windows, and the driver's first publications.
  mutating func prepare<Queue: EventQueue<FleetEvent>>(_ scheduler: inout EventScheduler<Queue>) {
    let online = fleet.definition.activity.online
    for device in 0..<fleet.count {
      // Every device starts on the initial state.
      adopt(device, version: 0, at: 0)
      var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .start)
      if online < 1 && !random.bernoulli(online) {
        status[device] = Status.offline.rawValue
        let back = random.exponential(mean: fleet.definition.activity.offlineSpell.seconds)
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
      status[device] = Status.online.rawValue
      var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .sessions, index: UInt64(sessionCount[device]) | 1 << 40)
      scheduleSession(device, after: now, &random, &scheduler)
    case .reboot:
      let device = Int(event.key)
      status[device] = Status.online.rawValue
      var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .sessions, index: UInt64(sessionCount[device]) | 2 << 40)
      scheduleSession(device, after: now, &random, &scheduler)
    case .bootAttempt: bootAttempt(Int(event.key), at: now, &scheduler)
    case .windowEnd(let window): closeWindow(Int(window), at: now, &scheduler)
    case .deliver(let window): deliver(Int(window), at: now, &scheduler)
    case .publish(let index): addVersion(pending[Int(index)])
    }
  }

  mutating func schedule<Queue: EventQueue<FleetEvent>>(_ publications: [Publication], _ scheduler: inout EventScheduler<Queue>) {
    for publication in publications {
      pending.append(publication)
      let time = max(publication.time, scheduler.now)
      scheduler.schedule(.publish(Int32(pending.count - 1)), at: time, key: .max - 1)
    }
  }

  mutating func addVersion(_ publication: Publication) {
    let state = publication.state
    let handle = state.flag(model.flag)
    versions.append(Version(
      time: publication.time.microseconds, state: state, flag: handle,
      readsTime: handle.map { state.reads(.currentTime, flag: $0) } ?? false,
      random: handle.map { state.isRandom($0, assumingUserId: true) || state.reads(.sessionId, flag: $0) } ?? false,
      label: publication.label))
    adopted.append(0)
    result.publications.append((publication.time, publication.label))
  }

  // MARK: Devices

  @inline(__always)
  mutating func scheduleSession<Queue: EventQueue<FleetEvent>>(
    _ device: Int, after time: Int64, _ random: inout RandomStream, _ scheduler: inout EventScheduler<Queue>
  ) {
    let activity = fleet.definition.activity
    let rate = Double(fleet.sessionsPerDay[device])
    let region = Int(fleet.region[device])
    let offset = fleet.definition.regions[region].utcOffset * 3600
    let start = Double(time) / 1e6
    let limit = model.duration.inSeconds
    let next = model.curve.advance(
      from: start, work: random.exponential(mean: 1) * 86_400 / rate, dayStart: model.dayStart, offset: offset, limit: limit)
    if activity.online < 1 {
      // Offline spells start at a rate that gives the online share, and last `offlineSpell` on average.
      let meanOnline = activity.offlineSpell.seconds * activity.online / (1 - activity.online)
      let leaves = start + random.exponential(mean: meanOnline)
      if leaves < next && leaves < limit {
        status[device] = Status.offline.rawValue
        let back = leaves + random.exponential(mean: activity.offlineSpell.seconds)
        if back < limit { scheduler.schedule(.online, at: .seconds(back), key: UInt32(device)) }
        return
      }
    }
    if next < limit { scheduler.schedule(.session, at: .seconds(next), key: UInt32(device)) }
  }

  /// The first-seen delay of version `k` for `device`, in microseconds.
  @inline(__always)
  func syncDelay(_ device: Int, _ k: Int) -> Int64 {
    let modelIndex = Int(fleet.syncModel[device])
    let sync = fleet.definition.sync[modelIndex].model
    var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .sync, index: UInt64(k))
    var edgeRandom = random
    if case .edge(_, _, let edges, _) = sync {
      let edge = Int(fleet.region[device]) * edges + device % edges
      edgeRandom = RandomStream(seed: seed, entity: UInt64(edge), purpose: .edgeSync, index: UInt64(k))
    }
    return Int64(sync.firstSeenDelay(&random, edgeRandom: &edgeRandom) * 1e6)
  }

  /// The newest version `device` has seen by `time`.
  @inline(__always)
  func visibleVersion(_ device: Int, at time: Int64) -> Int {
    let current = Int(version[device])
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
    builder.fill(device, of: fleet)
    if entry.readsTime {
      let instant = Timestamp(seconds: model.startUnixSeconds + time / 1_000_000)
      builder.withContext { $0[.currentTime] = instant.iso8601 }
    }
    if let session { builder.setSession(device: device, session: session) }
    let reseed = RandomStream.mix(seed ^ UInt64(device) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(k) << 40 ^ (session ?? 0))
    let variantNames = self.variantNames
    return builder.withContext { context in
      context.reseed(reseed)
      if variantNames.isEmpty { return entry.state.isEnabled(flag, in: &context) ? 1 : 0 }
      let variant = entry.state.variant(flag, in: &context)
      guard variant.featureEnabled else { return 0 }
      if let index = variantNames.firstIndex(of: variant.name) { return UInt8(2 + index) }
      return 1
    }
  }

  /// Moves `device` to version `k` and its arm under it.
  mutating func adopt(_ device: Int, version k: Int, at time: Int64, session: UInt64? = nil) {
    let old = Int(version[device])
    let newArm = evaluate(device, version: k, at: time, session: session)
    if k != old || time == 0 {
      if time != 0 { adopted[old] -= 1 }
      adopted[k] += 1
      version[device] = UInt16(k)
    }
    setArm(device, newArm, initial: time == 0 && session == nil)
    // A device whose faults no longer apply stops failing (unless a fault stuck to it).
    if flags[device] & DeviceFlags.failing != 0 && status[device] == Status.online.rawValue
      && !anyFaultApplies(device, at: time) && stuck[device] == 0
    {
      stopFailing(device, at: time)
    }
  }

  @inline(__always)
  mutating func setArm(_ device: Int, _ newArm: UInt8, initial: Bool) {
    let cohort = Int(fleet.cohort[device])
    let oldArm = arm[device]
    if !initial {
      if oldArm == newArm { return }
      assigned[cohort * armCount + Int(oldArm)] -= 1
      if oldArm != 0 { exposedNow -= 1 }
    }
    assigned[cohort * armCount + Int(newArm)] += 1
    arm[device] = newArm
    if newArm != 0 {
      exposedNow += 1
      if flags[device] & DeviceFlags.everExposed == 0 {
        flags[device] |= DeviceFlags.everExposed
        result.devicesExposed += 1
      }
    }
  }

  /// Whether fault `f` bites sessions of `device` now (before its probability).
  @inline(__always)
  func faultApplies(_ f: Int, _ device: Int, at time: Int64) -> Bool {
    guard (model.susceptible[device] >> f) & 1 == 1 else { return false }
    if (stuck[device] >> f) & 1 == 1 { return true }
    let a = arm[device]
    switch model.faults[f].when {
    case .enabled: if a == 0 { return false }
    case .variant(let name): if a < 2 || variantNames[Int(a) - 2] != name { return false }
    case .always: break
    }
    return model.faultActive(f, at: SimulatedTime(microseconds: time))
  }

  func anyFaultApplies(_ device: Int, at time: Int64) -> Bool {
    for f in model.faults.indices where faultApplies(f, device, at: time) { return true }
    return false
  }

  mutating func startFailing(_ device: Int, at time: Int64) {
    if flags[device] & DeviceFlags.everFailed == 0 {
      flags[device] |= DeviceFlags.everFailed
      result.devicesFailed += 1
      if result.firstFailure == nil || time < result.firstFailure!.microseconds {
        result.firstFailure = SimulatedTime(microseconds: time)
      }
    }
    if flags[device] & DeviceFlags.failing == 0 {
      flags[device] |= DeviceFlags.failing
      failingSince[device] = Float(Double(time) / 1e6)
    }
  }

  mutating func stopFailing(_ device: Int, at time: Int64) {
    guard flags[device] & DeviceFlags.failing != 0 else { return }
    flags[device] &= ~DeviceFlags.failing
    result.failedDeviceHours += max(0, Double(time) / 1e6 - Double(failingSince[device])) / 3600
  }

  // MARK: Sessions

  mutating func session<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    guard status[device] == Status.online.rawValue else { return }
    let sessionIndex = UInt64(sessionCount[device])
    sessionCount[device] &+= 1
    result.sessions += 1
    var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .sessions, index: sessionIndex)

    // The SDK's state: adopt what it has seen by now; sticky-on-session flags evaluate every session.
    let visible = visibleVersion(device, at: now)
    if visible != Int(version[device]) {
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
    var faultReboot = 0.0
    let mask = model.susceptible[device]
    if mask != 0 {
      for f in model.faults.indices where (mask >> f) & 1 == 1 && faultApplies(f, device, at: now) {
        let effect = model.faults[f].effect
        guard random.bernoulli(effect.probability) else { continue }
        bitten = true
        if effect.irreversible { stuck[device] |= 1 << f }
        switch effect.kind {
        case .error: errored = true
        case .latency: extraLatency += effect.latency.sample(&random)
        case .crash:
          crashed = true
          faultReboot = max(faultReboot, effect.reboot.seconds)
        case .crashLoop: if down != .manual { down = .crashLoop }
        case .manualRecovery: down = .manual
        }
      }
    }
    if bitten { startFailing(device, at: now) }

    // The healthy baseline.
    let region = Int(fleet.region[device])
    let day = min(Int(now / 86_400_000_000), model.noise[region].count - 1)
    if !errored && random.bernoulli(min(1, model.baseline.errorRate * model.noise[region][day])) { errored = true }
    var baselineCrash = false
    if !crashed && down == nil && random.bernoulli(model.baseline.crashRate) { baselineCrash = true }
    let latency = model.baseline.latency.sample(&random) + extraLatency

    // What the pipeline delivers: the window of the session, if the report arrives before the window is
    // delivered. A device that is down for good reports nothing: silence.
    if let down {
      status[device] = down.rawValue
      downNow += 1
      if down == .manual {
        result.devicesNeedingManualRecovery += 1
      } else {
        let reboot = maxReboot(device)
        scheduler.schedule(.bootAttempt, at: SimulatedTime(microseconds: now + Int64(reboot * 1e6)), key: UInt32(device))
      }
      return
    }
    let rebootSeconds = crashed ? faultReboot : (baselineCrash ? 60 : 0)
    report(device, at: now, delayedBy: rebootSeconds, errored: errored && !(crashed || baselineCrash),
           crashed: crashed || baselineCrash, latency: latency, &random)
    if crashed || baselineCrash {
      status[device] = Status.rebooting.rawValue
      if crashed {
        // A transient crash: the device is failed while it reboots.
        result.failedDeviceHours += faultReboot / 3600
        if flags[device] & DeviceFlags.failing != 0 && !errored { stopFailing(device, at: now) }
      }
      scheduler.schedule(.reboot, at: SimulatedTime(microseconds: now + Int64(rebootSeconds * 1e6)), key: UInt32(device))
      return
    }
    scheduleSession(device, after: now, &random, &scheduler)
  }

  func maxReboot(_ device: Int) -> Double {
    var reboot = 60.0
    for fault in model.faults where fault.effect.kind == .crashLoop { reboot = max(reboot, fault.effect.reboot.seconds) }
    return reboot
  }

  mutating func report(
    _ device: Int, at now: Int64, delayedBy extra: Double, errored: Bool, crashed: Bool, latency: Double,
    _ random: inout RandomStream
  ) {
    let window = Int(now / windowLength)
    guard window == accumulator.index else { return }  // only at the very end of the run
    if random.bernoulli(model.telemetry.loss) { return }
    let arrival = now + Int64((extra + model.telemetry.flush.seconds * random.nextDouble() + model.telemetry.delay.sample(&random)) * 1e6)
    if arrival > Int64(window + 1) * windowLength + lag { return }
    let cell = Int(fleet.cohort[device]) * armCount + Int(arm[device])
    var firstReport = false
    if lastReported[device] != Int32(window) {
      lastReported[device] = Int32(window)
      firstReport = true
    }
    accumulator.record(cell: cell, firstReport: firstReport, errored: errored, crashed: crashed, latencyMilliseconds: latency * 1000)
  }

  // MARK: Crash loops

  mutating func bootAttempt<Queue: EventQueue<FleetEvent>>(_ device: Int, at now: Int64, _ scheduler: inout EventScheduler<Queue>) {
    guard status[device] == Status.crashLoop.rawValue else { return }
    // At each boot the device may fetch a newer state before the faulty code runs.
    let visible = visibleVersion(device, at: now)
    if visible != Int(version[device]) { adopt(device, version: visible, at: now) }
    var random = RandomStream(seed: seed, entity: UInt64(device), purpose: .sessions, index: UInt64(sessionCount[device]) | 3 << 40)
    sessionCount[device] &+= 1
    var stillFaulty = false
    var capacity: Double? = nil
    for f in model.faults.indices where model.faults[f].effect.kind == .crashLoop {
      if let rate = model.faults[f].effect.recoveryPerMinute { capacity = min(capacity ?? rate, rate) }
      if faultApplies(f, device, at: now) && random.bernoulli(model.faults[f].effect.probability) { stillFaulty = true }
    }
    let retry = SimulatedTime(microseconds: now + Int64(maxReboot(device) * 1e6))
    if stillFaulty || !takeRestartToken(region: Int(fleet.region[device]), at: now, perMinute: capacity) {
      scheduler.schedule(.bootAttempt, at: retry, key: UInt32(device))
      return
    }
    status[device] = Status.online.rawValue
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
    for device in 0..<fleet.count where flags[device] & DeviceFlags.failing != 0 {
      stopFailing(device, at: end.microseconds)
    }
    result.devicesDownAtEnd = downNow
  }
}

/// Bits of a device's flags in a run.
enum DeviceFlags {
  static let everExposed: UInt8 = 1
  static let everFailed: UInt8 = 2
  static let failing: UInt8 = 4
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
