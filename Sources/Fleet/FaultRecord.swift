import Simulation
import Delivery

/// A fault as the hot path reads it: plain values, no definitions.
struct FaultRecord {
  enum Trigger { case enabled, variant(UInt8), always, killed }
  let kind: FaultDefinition.Effect.Kind
  let trigger: Trigger
  let probability: Double
  let latency: SamplingTable
  let reboot: Double
  let irreversible: Bool
  /// `dataLoss` with `report`: the share of hit devices whose users report it, and the report's delay.
  let reportShare: Double
  let reportDelay: SamplingTable
  let from: SimulatedTime
  let until: SimulatedTime
  let generationEvery: SimulatedTime
  let badGenerations: [Bool]
  /// In a release of a regenerated artifact, a fault with generations bites the devices that hold a bad
  /// artifact (one made within the fault's window and drawn bad), whatever the flag says now: with the
  /// flag off a device holds an earlier artifact, which may be bad too.
  let perArtifact: Bool
  let badArtifacts: [Bool]

  init(_ fault: FaultDefinition, index: Int, model: FleetModel, variants: [String]) {
    kind = fault.effect.kind
    switch fault.when {
    case .enabled: trigger = .enabled
    case .always: trigger = .always
    case .killed: trigger = .killed
    case .variant(let name): trigger = .variant(UInt8(2 + variants.firstIndex(of: name)!))
    }
    probability = fault.effect.probability
    latency = SamplingTable(fault.effect.latency)
    reboot = fault.effect.reboot.seconds
    irreversible = fault.effect.irreversible
    reportShare = fault.effect.report?.share ?? 0
    reportDelay = SamplingTable(fault.effect.report?.delay ?? .fixed(0))
    from = model.faultWindows[index].from
    until = model.faultWindows[index].until ?? .max
    generationEvery = fault.generations?.every ?? .zero
    badGenerations = model.badGenerations[index]
    perArtifact = model.artifactEvery != nil && fault.generations != nil
    badArtifacts = perArtifact ? model.badGenerations[index].indices.map { model.artifactIsBad($0, fault: index) } : []
  }

  /// Whether the fault bites a device on `arm`, whose flag is `killed` or not, that holds artifact
  /// generation `artifact` (-1: none of the release's), at `time` (before its probability).
  @inline(__always)
  func bites(arm: UInt8, killed: Bool, artifact: Int32, at time: SimulatedTime) -> Bool {
    if perArtifact { return artifact >= 0 && Int(artifact) < badArtifacts.count && badArtifacts[Int(artifact)] }
    guard triggers(arm: arm, killed: killed) else { return false }
    if time < from || time >= until { return false }
    if generationEvery > .zero {
      let generation = Int(time.microseconds / generationEvery.microseconds)
      return generation < badGenerations.count && badGenerations[generation]
    }
    return true
  }

  /// Whether the fault's trigger holds for a device on `arm` whose flag is `killed` or not: the flag on,
  /// one variant, always, or killed. Says nothing of the fault's time or artifacts.
  @inline(__always)
  func triggers(arm: UInt8, killed: Bool) -> Bool {
    switch trigger {
    case .enabled: return arm != 0
    case .variant(let variant): return arm == variant
    case .always: return true
    case .killed: return killed
    }
  }
}
