import Delivery
import Dispatch
import FlagEngine
import Fleet
import Foundation
import Partition
import Scenario
import Simulation
import Telemetry

/// Overrides of a capacity plan from the command line.
public struct CapacityOptions: Sendable {
  /// Rescale the fleet to this many devices (shares stay the same).
  public var devices: Int?
  public var seed: UInt64?

  public init(devices: Int? = nil, seed: UInt64? = nil) {
    self.devices = devices
    self.seed = seed
  }
}

/// What one flag evaluation costs on this machine, and how that was found.
public struct EvaluationCost: Sendable, Equatable {
  public var nanosecondsPerEvaluation: Double
  /// How it was measured, in a sentence.
  public var method: String
  /// Measured on this machine (so it varies from run to run), rather than given.
  public var measured: Bool

  public init(nanosecondsPerEvaluation: Double, method: String, measured: Bool = true) {
    self.nanosecondsPerEvaluation = nanosecondsPerEvaluation
    self.method = method
    self.measured = measured
  }
}

/// Plans the capacity of a fleet's flag delivery path: requests and evaluations per second over time on
/// the API and on the edges, bandwidth, streaming connections, the storms, and the cores they take.
///
/// The fleet is the scenario's (same devices, same sync mix, same activity and diurnal curve). Nothing is
/// simulated poll by poll: each device is walked through the run once (when it comes online, where its
/// schedule begins, which storm catches it, its retries and recovery, when it fetches each new state),
/// with draws from its own random streams; the regular requests between those points are counted by the
/// renewal equation on a 100 ms grid, and frontend sessions by the closed form of the diurnal rate.
///
/// - Complexity: O(devices + storms' retries + ticks × kernel widths); devices are walked on every core.
public enum CapacityPlanner {
  /// Runs the plan. `measure` times evaluations of the given state over the given contexts (the fleet's
  /// own); nil leaves the cores unsized.
  public static func run(
    _ scenario: LoadedScenario, options: CapacityOptions = CapacityOptions(),
    measure: ((FlagState, [EvaluationContext]) -> EvaluationCost?)? = nil,
    progress: (@Sendable (String) -> Void)? = nil
  ) throws(ScenarioError) -> CapacityOutcome {
    try run(scenario, options: options, over: .single, measure: measure, progress: progress)!
  }

  /// Refuses what a plan cannot be made of: a fleet size out of range, a capacity section that does not
  /// fit the fleet. ``run(_:options:over:measure:progress:)`` refuses the same before any work.
  public static func check(_ scenario: LoadedScenario, options: CapacityOptions) throws(ScenarioError) {
    let definition = scenario.definition
    let capacity = definition.capacity ?? CapacityDefinition()
    if let devices = options.devices, !(1...FleetDefinition.maximumDevices).contains(devices) {
      throw ScenarioError(file: "", path: "--devices", "\(devices) is not a fleet size in 1...\(FleetDefinition.maximumDevices)")
    }
    do throws(DefinitionError) {
      try capacity.validate(sync: definition.fleet.sync.map(\.model), duration: definition.duration)
    } catch {
      throw ScenarioError(file: scenario.file, path: error.within("capacity").path, error.message)
    }
  }

  /// Runs the plan with the walk over devices spread over `ranks`: each rank builds the fleet and walks
  /// its own range of devices, and the tallies, whole numbers, are added exactly across ranks, so the plan
  /// does not depend on the number of ranks. The leader counts the rest, measures, and gets the outcome;
  /// the other ranks get nil.
  public static func run(
    _ scenario: LoadedScenario, options: CapacityOptions = CapacityOptions(), over ranks: Ranks,
    measure: ((FlagState, [EvaluationContext]) -> EvaluationCost?)? = nil,
    progress: (@Sendable (String) -> Void)? = nil
  ) throws(ScenarioError) -> CapacityOutcome? {
    let started = DispatchTime.now().uptimeNanoseconds
    let definition = scenario.definition
    let capacity = definition.capacity ?? CapacityDefinition()
    try check(scenario, options: options)
    let seed = options.seed ?? definition.seed
    progress?("building a fleet of \(options.devices ?? definition.fleet.devices) devices")
    let fleet = Fleet(definition.fleet, seed: seed, devices: options.devices)
    let model = CapacityModel(fleet: fleet.definition, capacity: capacity, duration: definition.duration, seed: seed)
    let curve = definition.fleet.activity.diurnal.map(DiurnalCurve.init) ?? .consumer
    var secondOfDay = scenario.startUnixSeconds % 86_400
    if secondOfDay < 0 { secondOfDay += 86_400 }
    let dayStart = Double(secondOfDay)
    let offsets = definition.fleet.regions.map { $0.utcOffset * 3600 }

    // What answers weigh.
    let state = FlagState(scenario.state)
    let sizes = PayloadSizes(scenario: scenario, capacity: capacity, fleet: fleet, state: state)

    // Edges first: devices behind an edge see a new state when their edge has it.
    progress?("walking \(model.edgeCount) edges")
    let edges = EdgeWalk(model)

    progress?("walking \(fleet.count) devices")
    let windowWork = model.windows.map { window in
      offsets.map { curve.work(from: window.from, to: window.until, dayStart: dayStart, offset: $0) }
    }
    let walk = CapacityWalk(model: model, fleet: fleet, edgeVersions: edges.versions, windowWork: windowWork)
    let tally = walkInParallel(walk, devices: fleet.count, over: ranks)
    guard ranks.isLeader else { return nil }

    progress?("counting regular requests")
    var series = CapacitySeriesBuilder(
      model: model, tally: tally, edges: edges, sizes: sizes, curve: curve, dayStart: dayStart, offsets: offsets)

    // The servers: what each pool is offered, the instances it needs, and what saturates.
    progress?("sizing the servers")
    let scale = Double(fleet.count) / Double(definition.fleet.devices)
    let pools = CapacityPools(model: model, capacity: capacity, builder: series, tally: tally, fleet: fleet, scale: scale)
    let sized = CapacityPlanner.size(pools, model: model, capacity: capacity, scale: scale)
    let onStated = pools.stated.contains(true)
    // On the scenario's servers (a tier without is unlimited), or when it gives none on servers sized for
    // the 99th percentile: then the plan's figures stay those of unlimited servers.
    let capacities = pools.pools.indices.map { p -> Double in
      onStated ? pools.pools[p].stated ?? .infinity : Double(sized.p99[p]) * scale
    }
    let saturation = saturate(pools, capacities: capacities, model: model, tally: tally)
    var herdServed: [[Double]]? = nil
    if onStated {
      series.shed = saturation.shed
      series.retried = saturation.retried
      herdServed = saturation.herdServed
    }
    let tiers = CapacityPlanner.tiers(
      pools, sized: sized, saturation: saturation, capacity: capacity, model: model, scale: scale, regions: definition.fleet.regions.map(\.name),
      builder: series)

    var cost: EvaluationCost? = nil
    if let measure {
      progress?("measuring evaluation cost (\(state.flagNames.count) flags)")
      let contexts = (0..<Swift.min(fleet.count, 10_000)).map { device in
        EvaluationContext(PayloadSizes.context(fleet, device), seed: UInt64(device))
      }
      cost = measure(state, contexts)
    }
    let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    return CapacityOutcome(
      scenario: scenario, capacity: capacity, model: model, fleet: fleet, tally: tally, edges: edges, sizes: sizes,
      series: series, herdServed: herdServed, tiers: tiers, saturationOnStatedServers: onStated, cost: cost, wallSeconds: wall)
  }

  /// Walks the fleet in chunks on every core, each rank its own range of devices; tallies are whole
  /// numbers, so their sum does not depend on the chunks or the ranks.
  static func walkInParallel(_ walk: CapacityWalk, devices: Int, over ranks: Ranks = .single) -> CapacityTally {
    let part = (devices * ranks.rank / ranks.count)..<(devices * (ranks.rank + 1) / ranks.count)
    let chunks = Swift.max(1, Swift.min(part.count / 20_000, ProcessInfo.processInfo.activeProcessorCount * 2))
    let results = UnsafeMutablePointer<CapacityTally>.allocate(capacity: chunks)
    let box = TallyBox(pointer: results)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      let range = (part.lowerBound + part.count * chunk / chunks)..<(part.lowerBound + part.count * (chunk + 1) / chunks)
      (box.pointer + chunk).initialize(to: walk.walk(range))
    }
    var total = results.move()
    for chunk in 1..<chunks { total.add((results + chunk).move()) }
    results.deallocate()
    guard ranks.count > 1 else { return total }
    return CapacityTally(walk.model, counts: ranks.sum(total.counts))
  }
}

/// The tallies' storage, written by one thread per chunk.
private struct TallyBox: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<CapacityTally>
}

/// Sizes of answers and of the work in one frontend request.
struct PayloadSizes: Sendable {
  /// The body of a full answer: the state, serialized (or as the scenario says).
  let stateBytes: Int
  /// Whether `stateBytes` is the scenario's own state, serialized.
  let stateMeasured: Bool
  let headerBytes: Int
  /// A frontend answer's body: the evaluated flags that are on for a context, as Unleash's frontend API
  /// lists them, averaged over the fleet's first devices.
  let frontendBytes: Int
  /// A streaming message announcing a change of the released flag.
  let messageBytes: Int
  /// Flags in the state: what one frontend request evaluates.
  let flags: Int

  init(scenario: LoadedScenario, capacity: CapacityDefinition, fleet: Fleet, state: FlagState) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let encoded = (try? encoder.encode(scenario.state).count) ?? 0
    stateBytes = capacity.payload.bytes ?? encoded
    stateMeasured = capacity.payload.bytes == nil
    headerBytes = capacity.payload.headerBytes
    flags = state.flagNames.count
    let feature = scenario.state.features.first { $0.name == scenario.definition.release.flag }
    let featureBytes = feature.flatMap { try? encoder.encode($0).count } ?? 0
    messageBytes = "event: unleash-updated\ndata: {\"events\":[{\"eventId\":1,\"feature\":,\"type\":\"feature-updated\"}]}\n\n".utf8.count
      + featureBytes
    let sample = Swift.min(fleet.count, 1000)
    var total = 0
    let handles = state.flagHandles
    let names = state.flagNames
    for device in 0..<sample {
      var context = EvaluationContext(Self.context(fleet, device), seed: UInt64(device))
      var toggles: [JSONValue] = []
      for (handle, name) in zip(handles, names) {
        let variant = state.variant(handle, in: &context)
        guard variant.featureEnabled else { continue }
        var answer: [(String, JSONValue)] = [
          ("name", .string(variant.name)), ("enabled", .bool(variant.enabled)), ("feature_enabled", .bool(true)),
        ]
        if let payload = variant.payload {
          answer.append(("payload", .object([("type", .string(payload.type)), ("value", .string(payload.value))])))
        }
        toggles.append(.object([
          ("name", .string(name)), ("enabled", .bool(true)), ("variant", .object(answer)), ("impressionData", .bool(false)),
        ]))
      }
      total += JSONValue.object([("toggles", .array(toggles))]).compact.utf8.count
    }
    frontendBytes = sample > 0 ? Int((Double(total) / Double(sample)).rounded()) : 0
  }

  /// A device's context as its SDK sends it.
  static func context(_ fleet: Fleet, _ device: Int) -> Context {
    var properties = fleet.attributes(of: device)
    let user = properties.removeValue(forKey: "userId")
    return Context(userId: user, properties: properties)
  }
}
