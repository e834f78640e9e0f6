import Delivery
import Dispatch
import FlagEngine
import Fleet
import Foundation
import Partition
import Rollout
import Simulation
import Telemetry

/// Overrides of a scenario from the command line.
public struct RunOptions: Sendable {
  /// Rescale the fleet to this many devices (shares stay the same).
  public var devices: Int?
  public var seed: UInt64?
  /// Run only these policies (all when empty).
  public var policies: [String]
  /// Threads that step one policy's run (its fleet's blocks); nil: one per core. The results do not
  /// depend on it.
  public var partitions: Int?

  public init(devices: Int? = nil, seed: UInt64? = nil, policies: [String] = [], partitions: Int? = nil) {
    self.devices = devices
    self.seed = seed
    self.policies = policies
    self.partitions = partitions
  }
}

/// What one policy did to the fleet.
public struct PolicyOutcome: Sendable {
  public let name: String
  public let kind: String
  public let result: FleetRunResult
  public let decisions: [Decision]
  public let finalState: FinalState
  /// From the first failure caused by the release to the first decision that reacts to trouble.
  public let timeToDetect: Double?
  /// From the first failure to the first publication that takes the faulty state away from devices.
  public let timeToMitigate: Double?
  public let wallSeconds: Double
  /// Where the policy could not have detected anything while devices had the flag (windows' clock).
  public let blindIntervals: [BlindInterval]
  /// When the policy first published its last milestone (its whole audience, a holdout aside), in seconds
  /// since the start; `nil` when it never did. A fault that arrives later meets the policy at its widest.
  public let reachedEveryone: Double?
}

/// A whole scenario run: every policy on the same fleet and seed.
public struct ScenarioOutcome: Sendable {
  public let scenario: LoadedScenario
  public let seed: UInt64
  public let devices: Int
  public let simulatedSeconds: Double
  public let policies: [PolicyOutcome]
  /// When each of the scenario's faults bit in this run (drawn from the seed when `from` or `until` is
  /// a distribution), the same for every policy.
  public let faultWindows: [FaultDefinition.Window]
  public let cohortSizes: [Int]
  /// The fleet's make-up, for the report.
  public let fleetMakeUp: FleetMakeUp
  public let events: Int
  public let wallSeconds: Double
  public let peakRSSBytes: Int
}

/// Counts of devices per attribute value.
public struct FleetMakeUp: Sendable {
  public var platforms: [(String, Int)]
  public var hardware: [(String, Int)]
  public var regions: [(String, Int)]
  public var cohorts: [(String, Int)]
  public var syncModels: [(String, Int)]
}

public enum ScenarioRunner {
  /// Builds the fleet and runs each policy in turn. `progress` receives short lines for stderr.
  ///
  /// Over several `ranks` (mpirun), each policy's run is spread over them, block by block (every rank holds
  /// only its own blocks' devices), the policies one after another; every rank returns the outcome, and
  /// the leader's is the whole fleet's. Every rank must call this with the same scenario and options.
  public static func run(
    _ scenario: LoadedScenario, options: RunOptions = RunOptions(), over ranks: Ranks = .single,
    progress: (@Sendable (String) -> Void)? = nil
  ) throws(ScenarioError) -> ScenarioOutcome {
    let definition = scenario.definition
    let seed = options.seed ?? definition.seed
    for name in options.policies where !definition.policies.contains(where: { $0.name == name }) {
      throw ScenarioError(file: scenario.file, path: "policies", "no policy named '\(name)' (the scenario has: \(definition.policies.map(\.name).joined(separator: ", ")))")
    }
    if let devices = options.devices, !(1...FleetDefinition.maximumDevices).contains(devices) {
      throw ScenarioError(file: "", path: "--devices", "\(devices) is not a fleet size in 1...\(FleetDefinition.maximumDevices)")
    }
    try checkMemory(devices: options.devices ?? definition.fleet.devices, policies: options.policies.isEmpty ? definition.policies.count : options.policies.count, ranks: ranks, partitions: options.partitions)
    let started = DispatchTime.now().uptimeNanoseconds
    progress?("building a fleet of \(options.devices ?? definition.fleet.devices) devices")
    let (fleet, model, drivers) = try prepare(
      scenario, seed: seed, devices: options.devices, policies: options.policies,
      holding: held(devices: options.devices ?? definition.fleet.devices, by: ranks))
    let cohortSizes = model.cohortSizes
    let initial = FlagState(scenario.state)
    // Policies share the fleet read-only and draw from their own random streams, so they run side by
    // side and give the same results as one after another. Each policy's run steps its fleet's blocks on
    // `partitions` threads (at most one per block), and as many policies run at once as leave each of
    // them its threads, within the cores: each run holds a record per device, and memory, not time, is
    // what more would cost.
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let blocksHere = FleetRun.blocksPerProcess(model.blocks.count, processes: ranks.count).map(\.count).min() ?? 1
    guard blocksHere > 0 else { throw tooManyRanks(ranks.count, blocks: model.blocks.count, devices: fleet.count) }
    let partitions = min(options.partitions ?? cores, blocksHere)
    let processes = RankProcesses(ranks: ranks)
    let runs = drivers
    let slots = ResultSlots<PolicyOutcome>(count: runs.count)
    @Sendable func run(_ index: Int) {
      let (policy, driver) = runs[index]
      let policyStart = DispatchTime.now().uptimeNanoseconds
      let name = policy.name
      let (result, finished) = FleetRun.run(
        model: model, initialState: initial, driver: driver,
        backends: definition.retry(ofPolicy: name).map { scenario.backends(fleet, scale: model.rateScale, whatIf: $0) },
        partitions: partitions, processes: processes, progress: progress.map { report in { fraction in report("\(name): \(Int(fraction * 100))% simulated") } })
      slots.store(index, outcome(policy: policy, result: result, driver: finished, wall: seconds(since: policyStart)))
    }
    // Over ranks, the policies go one after another on this thread: every rank must exchange for the same
    // policy at the same time, and MPI is called from the thread that started it.
    let workers = ranks.count > 1 ? 1 : min(runs.count, max(1, cores / partitions))
    if workers == 1 {
      for index in runs.indices { run(index) }
    } else {
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let index = slots.claim() {
          run(index)
        }
      }
    }
    let outcomes = slots.values
    let events = outcomes.reduce(0) { $0 + $1.result.events }
    return ScenarioOutcome(
      scenario: scenario, seed: seed, devices: fleet.count, simulatedSeconds: definition.duration.seconds,
      policies: outcomes, faultWindows: model.faultWindows, cohortSizes: cohortSizes, fleetMakeUp: makeUp(fleet), events: events,
      wallSeconds: seconds(since: started), peakRSSBytes: largestPeak(over: ranks))
  }

  /// Bytes a device takes in a run, measured: its attributes and fault mask, and the rest of its part in
  /// a run (its record, its place in the event queue, ...): scripts/scaling.sh measures them
  /// (results/scaling.md).
  static let attributeBytesPerDevice = Fleet.bytesPerDevice + 1
  static let runBytesPerDevice = 85

  /// Refuses a fleet this machine's memory cannot hold (the kernel would kill the run part way, with
  /// nothing written), before any is built: each process holds its own blocks' devices, once for their
  /// attributes and once more for each policy it runs at once.
  static func checkMemory(devices: Int, policies: Int, ranks: Ranks, partitions: Int?) throws(ScenarioError) {
    let physical = Double(ProcessInfo.processInfo.physicalMemory)
    guard physical > 0 else { return }
    let blocks = FleetModel.blocks(devices: devices)
    let mine = held(devices: devices, by: ranks)?.count ?? devices
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let threads = max(1, min(partitions ?? cores, blocks.count))
    let atOnce = ranks.count > 1 ? 1 : min(policies, max(1, cores / threads))
    let needed = Double(mine * (attributeBytesPerDevice + atOnce * runBytesPerDevice))
    // Ranks on one machine share it: each may take its share of the memory.
    let local = Double(max(1, Int(ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"] ?? "") ?? 1))
    guard needed > 0.9 * physical / local else { return }
    func gib(_ bytes: Double) -> String { String(format: "%.1f GiB", bytes / 1_073_741_824) }
    throw ScenarioError(
      file: "", path: "--devices",
      "\(devices) devices need about \(gib(needed)) in \(ranks.count > 1 ? "each rank" : "this process") "
        + "(\(attributeBytesPerDevice) bytes a device for its attributes, \(runBytesPerDevice) for each of \(atOnce) "
        + "polic\(atOnce == 1 ? "y" : "ies") run at once), more than this machine's \(gib(physical / local))\(local > 1 ? " per rank" : ""): "
        + "run fewer devices, one policy (--policy), or over MPI ranks on several machines")
  }

  /// The devices of the blocks `ranks` gives this process (all of them for one process).
  static func held(devices: Int, by ranks: Ranks) -> Range<Int>? {
    guard ranks.count > 1 else { return nil }
    let blocks = FleetModel.blocks(devices: devices)
    let mine = FleetRun.blocksPerProcess(blocks.count, processes: ranks.count)[ranks.rank]
    guard let first = mine.first, let last = mine.last else { return 0..<0 }
    return blocks[first].lowerBound..<blocks[last].upperBound
  }

  /// Refuses more ranks than the fleet has blocks: a rank without devices would have nothing to run.
  static func tooManyRanks(_ ranks: Int, blocks: Int, devices: Int) -> ScenarioError {
    ScenarioError(
      file: "", path: "mpirun -np",
      "\(ranks) ranks for a fleet of \(blocks) block\(blocks == 1 ? "" : "s") (\(devices) devices, blocks of at least "
        + "\(FleetModel.blockDevices)): run at most \(blocks) rank\(blocks == 1 ? "" : "s"), or a larger fleet (--devices)")
  }

  /// Checks what a run over `ranks` needs before any rank builds its fleet (every rank finds the same).
  public static func check(_ scenario: LoadedScenario, options: RunOptions, over ranks: Ranks) throws(ScenarioError) {
    guard ranks.count > 1 else { return }
    let devices = options.devices ?? scenario.definition.fleet.devices
    let blocks = FleetModel.blocks(devices: devices).count
    if ranks.count > blocks { throw tooManyRanks(ranks.count, blocks: blocks, devices: devices) }
  }

  /// The largest peak resident memory of any rank (this process's alone).
  static func largestPeak(over ranks: Ranks) -> Int {
    let mine = peakResidentBytes()
    guard ranks.count > 1 else { return mine }
    var out = ExchangeWriter()
    out.integer(mine)
    return RankProcesses(ranks: ranks).allGather(out.bytes).compactMap { bytes in
      var input = ExchangeReader(bytes)
      return input.integer()
    }.max() ?? mine
  }

  /// Builds what a run needs before any simulating: the fleet, its compiled model, and a controller per
  /// policy, so that a scenario that cannot run fails here.
  /// `holding`: the devices this process runs (nil: all of them); the fleet keeps only their attributes.
  static func prepare(
    _ scenario: LoadedScenario, seed: UInt64, devices: Int?, policies: [String], holding: Range<Int>? = nil
  ) throws(ScenarioError) -> (Fleet, FleetModel, [(PolicyDefinition, PolicyDriver)]) {
    let definition = scenario.definition
    let fleet = Fleet(definition.fleet, seed: seed, devices: devices, holding: holding)
    let scale = Double(fleet.count) / Double(definition.fleet.devices)
    let model: FleetModel
    do {
      model = try FleetModel(
        fleet: fleet, flag: definition.release.flag, faults: definition.faults, baseline: definition.baseline,
        telemetry: definition.telemetry, duration: definition.duration,
        startUnixSeconds: scenario.startUnixSeconds, rateScale: scale,
        artifactEvery: definition.release.every,
        releaseTurnsOff: definition.release.to == .off, backends: scenario.backends(fleet, scale: scale))
    } catch {
      throw scenario.error(error.path, error.message)
    }
    var drivers: [(PolicyDefinition, PolicyDriver)] = []
    for (index, policy) in definition.policies.enumerated() where policies.isEmpty || policies.contains(policy.name) {
      let controller: ReleaseController
      do {
        controller = try ReleaseController(policy: policy, subject: scenario.subject(cohortSizes: model.cohortSizes), seed: seed)
      } catch {
        throw scenario.error("policies[\(index)]" + (error.path.isEmpty ? "" : ".\(error.path)"), error.message)
      }
      let pipeline = definition.release.every.map { every in
        ArtifactPipeline(
          every: every, validate: policy.validate,
          failsValidation: (0...Int(definition.duration.microseconds / every.microseconds)).map(model.artifactFailsValidation))
      }
      drivers.append(
        (policy, PolicyDriver(
          controller: controller, policy: policy.name, releaseAt: definition.releaseStart(ofPolicy: index, seed: seed),
          pipeline: pipeline)))
    }
    return (fleet, model, drivers)
  }

  /// Everything `run` checks before simulating, on a small fleet of the scenario (`rollsim validate`).
  /// Returns each policy's controller, as it would start.
  public static func check(_ scenario: LoadedScenario) throws(ScenarioError) -> [ReleaseController] {
    try prepare(scenario, seed: scenario.definition.seed, devices: min(scenario.definition.fleet.devices, 2_000), policies: []).2
      .map(\.1.controller)
  }

  static func outcome(policy: PolicyDefinition, result: FleetRunResult, driver: PolicyDriver, wall: Double) -> PolicyOutcome {
    let decisions = driver.decisions
    var detect: Double? = nil
    var mitigate: Double? = nil
    if let first = result.firstFailure {
      if let reaction = decisions.first(where: { $0.time >= first && $0.action.signalsTrouble }) {
        detect = (reaction.audit.time - first).seconds
      }
      // A roll back or a kill publishes a state; a fix publishes none but ends the faults.
      if let fix = decisions.first(where: { $0.time >= first && $0.action.mitigates && ($0.state != nil || $0.action == .fix) }) {
        mitigate = (fix.time - first).seconds
      }
    }
    let last = driver.controller.plan.milestones.count - 1
    let reached = decisions.first { $0.action == .advance && $0.state != nil && $0.audit.target?.index == last }
    return PolicyOutcome(
      name: policy.name, kind: policy.kind.rawValue, result: result, decisions: decisions,
      finalState: driver.controller.finalState, timeToDetect: detect, timeToMitigate: mitigate, wallSeconds: wall,
      blindIntervals: driver.controller.blindIntervals, reachedEveryone: reached.map(\.time.seconds))
  }

  package static func makeUp(_ fleet: Fleet) -> FleetMakeUp {
    let totals = fleet.totals
    return FleetMakeUp(
      platforms: Array(zip(fleet.platformNames, totals.platforms)),
      hardware: Array(zip(fleet.definition.hardwareGenerations.map { "generation \($0.generation)" }, totals.hardware)),
      regions: Array(zip(fleet.regionNames, totals.regions)), cohorts: Array(zip(fleet.cohortNames, totals.cohorts)),
      syncModels: Array(zip(fleet.definition.sync.map(\.model.name), totals.syncModels)))
  }

  static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

  /// The process's peak resident memory (VmHWM), in bytes; 0 where /proc is unavailable.
  static func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      // "VmHWM:\t  46862 kB"; from 10 GB on, no space between the tab and the digits.
      let digits = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) } ?? 0
      return digits * 1024
    }
    return 0
  }
}
