import Delivery
import Dispatch
import FlagEngine
import Fleet
import Foundation
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
  public static func run(
    _ scenario: LoadedScenario, options: RunOptions = RunOptions(), progress: (@Sendable (String) -> Void)? = nil
  ) throws(ScenarioError) -> ScenarioOutcome {
    let definition = scenario.definition
    let seed = options.seed ?? definition.seed
    for name in options.policies where !definition.policies.contains(where: { $0.name == name }) {
      throw ScenarioError(file: scenario.file, path: "policies", "no policy named '\(name)' (the scenario has: \(definition.policies.map(\.name).joined(separator: ", ")))")
    }
    if let devices = options.devices, !(1...FleetDefinition.maximumDevices).contains(devices) {
      throw ScenarioError(file: "", path: "--devices", "\(devices) is not a fleet size in 1...\(FleetDefinition.maximumDevices)")
    }
    let started = DispatchTime.now().uptimeNanoseconds
    progress?("building a fleet of \(options.devices ?? definition.fleet.devices) devices")
    let (fleet, model, drivers) = try prepare(scenario, seed: seed, devices: options.devices, policies: options.policies)
    let cohortSizes = model.cohortSizes
    let initial = FlagState(scenario.state)
    // Policies share the fleet read-only and draw from their own random streams, so they run side by
    // side and give the same results as one after another. Each policy's run steps its fleet's blocks on
    // `partitions` threads (at most one per block), and as many policies run at once as leave each of
    // them its threads, within the cores: each run holds a record per device, and memory, not time, is
    // what more would cost.
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let partitions = min(options.partitions ?? cores, model.blocks.count)
    let runs = drivers
    let slots = ResultSlots<PolicyOutcome>(count: runs.count)
    @Sendable func run(_ index: Int) {
      let (policy, driver) = runs[index]
      let policyStart = DispatchTime.now().uptimeNanoseconds
      let name = policy.name
      let (result, finished) = FleetRun.run(
        model: model, initialState: initial, driver: driver,
        backends: definition.retry(ofPolicy: name).map { scenario.backends(fleet, scale: model.rateScale, whatIf: $0) },
        partitions: partitions, progress: progress.map { report in { fraction in report("\(name): \(Int(fraction * 100))% simulated") } })
      slots.store(index, outcome(policy: policy, result: result, driver: finished, wall: seconds(since: policyStart)))
    }
    let workers = min(runs.count, max(1, cores / partitions))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while let index = slots.claim() {
        run(index)
      }
    }
    let outcomes = slots.values
    let events = outcomes.reduce(0) { $0 + $1.result.events }
    return ScenarioOutcome(
      scenario: scenario, seed: seed, devices: fleet.count, simulatedSeconds: definition.duration.seconds,
      policies: outcomes, faultWindows: model.faultWindows, cohortSizes: cohortSizes, fleetMakeUp: makeUp(fleet), events: events,
      wallSeconds: seconds(since: started), peakRSSBytes: peakResidentBytes())
  }

  /// Builds what a run needs before any simulating: the fleet, its compiled model, and a controller per
  /// policy, so that a scenario that cannot run fails here.
  static func prepare(
    _ scenario: LoadedScenario, seed: UInt64, devices: Int?, policies: [String]
  ) throws(ScenarioError) -> (Fleet, FleetModel, [(PolicyDefinition, PolicyDriver)]) {
    let definition = scenario.definition
    let fleet = Fleet(definition.fleet, seed: seed, devices: devices)
    let scale = Double(fleet.count) / Double(definition.fleet.devices)
    let model: FleetModel
    do {
      model = try FleetModel(
        fleet: fleet, flag: definition.release.flag, faults: definition.faults, baseline: definition.baseline,
        telemetry: definition.telemetry, duration: SimulatedTime(microseconds: definition.duration.microseconds),
        startUnixSeconds: scenario.startUnixSeconds, rateScale: scale,
        artifactEvery: definition.release.every.map { SimulatedTime(microseconds: $0.microseconds) },
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
          every: every.microseconds, validate: policy.validate,
          failsValidation: (0...Int(definition.duration.microseconds / every.microseconds)).map(model.artifactFailsValidation))
      }
      drivers.append(
        (policy, PolicyDriver(controller: controller, policy: policy.name, releaseAt: definition.release.at.microseconds, pipeline: pipeline)))
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
    if let first = result.firstFailure?.microseconds {
      if let reaction = decisions.first(where: { $0.time >= first && $0.action.signalsTrouble }) {
        detect = Double(reaction.audit.time - first) / 1e6
      }
      // A roll back or a kill publishes a state; a fix publishes none but ends the faults.
      if let fix = decisions.first(where: { $0.time >= first && $0.action.mitigates && ($0.state != nil || $0.action == .fix) }) {
        mitigate = Double(fix.time - first) / 1e6
      }
    }
    let last = driver.controller.plan.milestones.count - 1
    let reached = decisions.first { $0.action == .advance && $0.state != nil && $0.audit.target?.index == last }
    return PolicyOutcome(
      name: policy.name, kind: policy.kind.rawValue, result: result, decisions: decisions,
      finalState: driver.controller.finalState, timeToDetect: detect, timeToMitigate: mitigate, wallSeconds: wall,
      blindIntervals: driver.controller.blindIntervals, reachedEveryone: reached.map { Double($0.time) / 1e6 })
  }

  package static func makeUp(_ fleet: Fleet) -> FleetMakeUp {
    func count<T: FixedWidthInteger>(_ column: [T], _ names: [String]) -> [(String, Int)] {
      var counts = [Int](repeating: 0, count: names.count)
      for value in column { counts[Int(value)] += 1 }
      return zip(names, counts).map { ($0, $1) }
    }
    return FleetMakeUp(
      platforms: count(fleet.platform, fleet.platformNames),
      hardware: count(fleet.hardware, fleet.definition.hardwareGenerations.map { "generation \($0.generation)" }),
      regions: count(fleet.region, fleet.regionNames), cohorts: count(fleet.cohort, fleet.cohortNames),
      syncModels: count(fleet.syncModel, fleet.definition.sync.map(\.model.name)))
  }

  static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

  /// The process's peak resident memory (VmHWM), in bytes; 0 where /proc is unavailable.
  static func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      let digits = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
      return digits * 1024
    }
    return 0
  }
}
