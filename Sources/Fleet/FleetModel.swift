import FlagEngine
import Simulation
import Delivery

/// Everything a run needs besides the policy: the fleet, the released flag, the faults compiled
/// against the fleet, the healthy baseline, the telemetry pipeline and the clock. Built once and
/// shared by the runs of every policy, which then differ only by what their controllers publish.
public struct FleetModel: Sendable {
  public let fleet: Fleet
  /// The flag being released.
  public let flag: String
  public let faults: [FaultDefinition]
  /// When each fault bites in this run: its `from` and `until`, drawn once from the run's seed, the
  /// same for every policy.
  public let faultWindows: [FaultDefinition.Window]
  public let baseline: BaselineDefinition
  public let telemetry: TelemetryDefinition
  public let curve: DiurnalCurve
  /// When devices are online and come back over a local day, and their sessions while online.
  public let cycle: OnlineCycle
  /// How long a run lasts.
  public let duration: SimulatedTime
  /// UTC second of day at time 0 (the scenario's start), for the diurnal curves.
  public let dayStart: Double
  /// Unix seconds at time 0, for `currentTime` in contexts.
  public let startUnixSeconds: Int64
  /// Per device the fleet holds, bit `f` set when fault `f`'s device predicate holds (at most 8 faults).
  public let susceptible: FleetColumn<UInt8>
  /// Per fault with generations: whether generation `g` is bad.
  public let badGenerations: [[Bool]]
  /// Per fault with generations: whether generation `g`, if bad, fails a check of the artifact
  /// (`generations.invalid`), which a policy that validates each artifact runs before publishing it.
  public let invalidGenerations: [[Bool]]
  /// Set when the release is of an artifact regenerated this often (`release.every`): each generation is
  /// released on its own, devices hold the generation their last state gave them, and a fault with
  /// `generations` bites devices that hold a bad one (FaultRecord).
  public let artifactEvery: SimulatedTime?
  /// Set when the release turns the flag off (a kill under study): a device's arm is then whether the
  /// release turned the flag off for it (the engine says off: arm 1), and such a device is killed
  /// (`when: killed`) for as long as the flag stays off for it.
  public let releaseTurnsOff: Bool
  /// Baseline error-rate factor per region and day (log-normal noise), so gates meet realistic noise.
  public let noise: [[Double]]

  public static let maximumFaults = 8

  /// Devices simulated over devices the scenario states: fleet-wide rates (servers' capacity) shrink with it.
  public let rateScale: Double
  /// The delivery path's servers the devices ask, and each SDK class's retry rule.
  public let backends: Backends
  /// The fleet's blocks: ranges of devices, each run by its own simulator (FleetRun+Blocks.swift). The
  /// division depends on the fleet's size only, never on the threads or ranks that run it, so a run's
  /// results do not either.
  public let blocks: [Range<Int>]

  /// Devices a block holds at least (but for a fleet smaller than that), and the most blocks a fleet has.
  public static let blockDevices = 16_384
  public static let maximumBlocks = 256

  /// `count` devices in equal blocks of at least `size` devices, at most ``maximumBlocks`` of them.
  public static func blocks(devices count: Int, size: Int = blockDevices) -> [Range<Int>] {
    let k = min(maximumBlocks, max(1, count / max(1, size)))
    return (0..<k).map { (count * $0 / k)..<(count * ($0 + 1) / k) }
  }

  /// `backends`: the servers (nil: unlimited, every SDK class with the standard retry rule).
  /// `blockDevices`: the fewest devices in a block (tests make small fleets of many blocks).
  public init(
    fleet: Fleet, flag: String, faults: [FaultDefinition], baseline: BaselineDefinition, telemetry: TelemetryDefinition,
    duration: SimulatedTime, startUnixSeconds: Int64, rateScale: Double = 1, artifactEvery: SimulatedTime? = nil,
    releaseTurnsOff: Bool = false, backends: Backends? = nil, blockDevices: Int = FleetModel.blockDevices
  ) throws(DefinitionError) {
    self.rateScale = rateScale
    self.artifactEvery = artifactEvery
    self.releaseTurnsOff = releaseTurnsOff
    self.backends = backends ?? Backends.unlimited(
      sync: fleet.definition.sync.map(\.model), regions: fleet.definition.regions.count, online: fleet.definition.activity.online,
      offlineSpell: fleet.definition.activity.offlineSpell.seconds, region: fleet.region, syncClass: fleet.syncModel)
    guard faults.count <= Self.maximumFaults else {
      throw DefinitionError("faults", "\(faults.count) faults; at most \(Self.maximumFaults) are supported")
    }
    self.fleet = fleet
    blocks = Self.blocks(devices: fleet.count, size: blockDevices)
    self.flag = flag
    self.faults = faults
    faultWindows = faults.enumerated().map { index, fault in fault.window(seed: fleet.seed, index: index) }
    self.baseline = baseline
    self.telemetry = telemetry
    self.duration = duration
    self.startUnixSeconds = startUnixSeconds
    curve = fleet.definition.activity.diurnal.map { DiurnalCurve($0) } ?? .consumer
    do {
      cycle = try OnlineCycle(curve: curve, online: fleet.definition.activity.online, offlineSpell: fleet.definition.activity.offlineSpell.seconds)
    } catch { throw error.within("fleet") }
    var secondOfDay = startUnixSeconds % 86_400
    if secondOfDay < 0 { secondOfDay += 86_400 }
    dayStart = Double(secondOfDay)

    // Each fault's device predicate, evaluated once per device with the real engine.
    var predicates: [(FlagState, FlagHandle)?] = []
    for fault in faults {
      if fault.devices.isEmpty {
        predicates.append(nil)
        continue
      }
      let state = FlagState(ClientFeatures(features: [
        FeatureDefinition(name: "susceptible", enabled: true, strategies: [Strategy(name: "default", constraints: fault.devices)])
      ]))
      predicates.append((state, state.flag("susceptible")!))
    }
    var mask = [UInt8](repeating: 0, count: fleet.held.count)
    var builder = DeviceContextBuilder(fleet: fleet)
    let wanted = predicates.compactMap { $0 }.reduce(into: DeviceContextBuilder.FieldSet()) { set, predicate in
      set.formUnion(builder.fieldsRead(by: predicate.1, in: predicate.0))
    }
    for device in fleet.held {
      var bits: UInt8 = 0
      var filled = false
      for (index, predicate) in predicates.enumerated() {
        guard let (state, handle) = predicate else {
          bits |= 1 << index
          continue
        }
        if !filled {
          builder.fill(device, DeviceAttributes(fleet, device), only: wanted)
          filled = true
        }
        if builder.withContext({ state.isEnabled(handle, in: &$0) }) { bits |= 1 << index }
      }
      mask[device - fleet.held.lowerBound] = bits
    }
    susceptible = FleetColumn(mask, first: fleet.held.lowerBound)

    let streams = RandomStreams(seed: fleet.seed)
    badGenerations = faults.enumerated().map { index, fault in
      guard let generations = fault.generations else { return [] }
      let count = Int(duration.microseconds / generations.every.microseconds) + 2
      var random = streams.stream(entity: UInt64(index), purpose: .generations)
      return (0..<count).map { _ in random.bernoulli(generations.bad) }
    }
    invalidGenerations = faults.enumerated().map { index, fault in
      guard let generations = fault.generations else { return [] }
      let count = Int(duration.microseconds / generations.every.microseconds) + 2
      var random = streams.stream(entity: UInt64(index), purpose: .invalidGenerations)
      return (0..<count).map { _ in random.bernoulli(generations.invalid) }
    }
    let days = Int(duration.microseconds / 86_400_000_000) + 2
    var noiseRandom = streams.stream(entity: 0, purpose: .noise)
    noise = fleet.definition.regions.map { _ in
      (0..<days).map { _ in exp(baseline.noise * noiseRandom.normal() - baseline.noise * baseline.noise / 2) }
    }
  }

  /// Whether artifact `generation` (made at `generation × every`) is bad for fault `f`: the fault has
  /// generations, the artifact was made within the fault's window, and it was drawn bad.
  public func artifactIsBad(_ generation: Int, fault f: Int) -> Bool {
    guard generation >= 0, let every = faults[f].generations?.every, generation < badGenerations[f].count else { return false }
    let made = every * generation
    let window = faultWindows[f]
    return made >= window.from && made < (window.until ?? .max) && badGenerations[f][generation]
  }

  /// Whether a check of artifact `generation` rejects it: it is bad for some fault, and that fault's draw
  /// says the check sees it (`generations.invalid`).
  public func artifactFailsValidation(_ generation: Int) -> Bool {
    faults.indices.contains { artifactIsBad(generation, fault: $0) && invalidGenerations[$0][generation] }
  }

  /// Devices per cohort, in the whole fleet.
  public var cohortSizes: [Int] { fleet.totals.cohorts }
}

import Foundation
