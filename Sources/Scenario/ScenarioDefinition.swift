import Delivery
import Telemetry
import FlagEngine
import Fleet
import Foundation
import Rollout
import Simulation
import Yams

/// A scenario: the fleet, the flags and the release, the faults hidden in it, the telemetry pipeline,
/// how long to run, the seed, and the policies to compare on the same fleet and seed.
public struct ScenarioDefinition: Sendable, Decodable {
  public var name: String
  public var description: String?
  public var seed: UInt64
  /// UTC time of the run's start (RFC 3339), for diurnal curves and `currentTime`.
  public var start: String
  public var duration: TimeSpan
  public var fleet: FleetDefinition
  public var flags: Flags
  public var release: Release
  public var faults: [FaultDefinition]
  public var baseline: BaselineDefinition
  public var telemetry: TelemetryDefinition
  public var policies: [PolicyDefinition]
  /// Per policy, in order, its what-if retry rule (`policies[i].retry`): in that policy's run every SDK
  /// class's rule is refined by it (`{jitter: true}`: the same backoff with full jitter), so that one
  /// report compares a release's recovery under two rules; nil: the scenario's rules. Read here, beside the
  /// policy's own fields, because the delivery path is no business of Rollout's.
  public var policyRetries: [RetryDefinition?]
  /// Per policy, in order, the fault whose trigger it releases (`policies[i].startsAtArrivalOf`): the change
  /// that wakes the fault (Google's policy data, say) is what the policy stages, so its release starts when
  /// that fault arrives, not at `release.at`; nil: at `release.at`. Read here because faults are the
  /// scenario's, not Rollout's.
  public var policyTriggers: [String?]
  /// The faults a healthy variant took out (``LoadedScenario/withoutFaults()``), by name, with their place
  /// in the list (their arrival draws depend on it): a healthy release still has its trigger, harmless, so
  /// a policy that stages it starts when it would have.
  var harmlessTriggers: [String: (index: Int, fault: FaultDefinition)] = [:]
  /// Where the scenario's facts come from (shown in the report).
  public var sources: [String]
  /// What `rollsim capacity` plays besides the fleet: frontend share, payloads, retries, storms.
  public var capacity: CapacityDefinition?

  /// The longest run: a quarter, room for a fault arriving over weeks before or during a rollout of weeks.
  public static let longestRun = TimeSpan.days(90)

  /// The initial client-features state: inline, or a JSON file exported from Unleash (path relative to
  /// the scenario file).
  public struct Flags: Sendable, Decodable {
    public var state: ClientFeatures?
    public var path: String?
    /// With `path`: the environment of an Unleash admin-UI export to release in (an export holds every
    /// environment; the client-features state of this one is what its SDKs would receive).
    public var environment: String?
  }

  /// The change being released.
  public struct Release: Sendable, Decodable {
    /// The flag whose rollout the policies control.
    public var flag: String
    /// When the policies start releasing, after the run's start (default at once).
    public var at: TimeSpan
    /// Set when the flag stands for an artifact regenerated this often (a configuration file made every
    /// few minutes): each generation is its own release, through each policy's plan from its first
    /// milestone (see scenarios/README.md). Nil: one release.
    public var every: TimeSpan?
    /// `on` (the default): the policies turn the flag on. `off`: the change under study turns it off, a
    /// kill (Cloudflare, 5 December 2025): the flag is on in the base state, each milestone turns it off
    /// for its audience, and the devices it turned off are the release's treatment (see scenarios/README.md).
    public var to: Target

    public enum Target: String, Sendable, Decodable {
      case on, off
      public init(from decoder: any Decoder) throws {
        let text = try String(from: decoder)
        guard let target = Target(rawValue: text) else {
          throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a target (expected on or off)"))
        }
        self = target
      }
    }

    enum CodingKeys: String, CodingKey { case flag, at, every, to }
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      flag = try c.decode(String.self, forKey: .flag)
      at = try c.decodeIfPresent(TimeSpan.self, forKey: .at) ?? .zero
      every = try c.decodeIfPresent(TimeSpan.self, forKey: .every)
      to = try c.decodeIfPresent(Target.self, forKey: .to) ?? .on
    }
  }

  /// Fields of Unleash's client-features payload that evaluation does not read (SDKs ignore them too):
  /// accepted in an inline `flags.state` so that a payload pasted from a server loads as it is.
  static func ignoredKeys(_ path: String) -> Set<String> {
    guard path == "flags.state" || path.hasPrefix("flags.state.") else { return [] }
    return [
      "version", "query", "meta", "type", "description", "stale", "impressionData", "project", "createdAt",
      "lastSeenAt", "favorite", "id", "title", "sortOrder", "environment", "archivedAt",
    ]
  }

  enum Keys: String, CodingKey {
    case name, description, seed, start, duration, fleet, flags, release, faults, baseline, telemetry, policies, sources, capacity
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    name = try c.decode(String.self, forKey: .name)
    description = try c.decodeIfPresent(String.self, forKey: .description)
    seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1
    start = try c.decodeIfPresent(String.self, forKey: .start) ?? "2026-01-05T00:00:00Z"
    duration = try c.decode(TimeSpan.self, forKey: .duration)
    fleet = try c.decode(FleetDefinition.self, forKey: .fleet)
    flags = try c.decode(Flags.self, forKey: .flags)
    release = try c.decode(Release.self, forKey: .release)
    faults = try c.decodeIfPresent([FaultDefinition].self, forKey: .faults) ?? []
    baseline = try c.decodeIfPresent(BaselineDefinition.self, forKey: .baseline) ?? BaselineDefinition()
    telemetry = try c.decodeIfPresent(TelemetryDefinition.self, forKey: .telemetry) ?? TelemetryDefinition()
    policies = try c.decode([PolicyDefinition].self, forKey: .policies)
    let scenarioFields = try c.decode([PolicyScenarioFields].self, forKey: .policies)
    policyRetries = scenarioFields.map(\.retry)
    policyTriggers = scenarioFields.map(\.startsAtArrivalOf)
    sources = try c.decodeIfPresent([String].self, forKey: .sources) ?? []
    capacity = try c.decodeIfPresent(CapacityDefinition.self, forKey: .capacity)
  }
}

/// A scenario read from a file, checked and ready to run.
public struct LoadedScenario: Sendable {
  public let file: String
  public let definition: ScenarioDefinition
  /// The initial flag state.
  public let state: ClientFeatures
  public let startUnixSeconds: Int64
  /// The parsed file, to place errors found later (building the fleet, starting a policy) on their lines.
  let document: YAMLDocument?

  /// An error about the field at `path`, on its line when the scenario came from a file.
  func error(_ path: String, _ message: String) -> ScenarioError {
    ScenarioError(file: file, location: document?.location(of: path), path: path, message)
  }

  /// Reads and checks `path`. Every error names the file, the field path and the problem.
  public static func load(path: String) throws(ScenarioError) -> LoadedScenario {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ScenarioError(file: path, path: "", "cannot read the file (missing or not readable)")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw ScenarioError(file: path, path: "", "not UTF-8 text") }
    return try load(text: text, file: path)
  }

  /// Reads and checks a scenario's text; `file` names it in errors and anchors a relative `flags.path`.
  public static func load(text: String, file: String) throws(ScenarioError) -> LoadedScenario {
    let definition: ScenarioDefinition
    let document: YAMLDocument
    do throws(YAMLFailure) {
      (definition, document) = try StrictYAMLDecoder(ignoredKeys: ScenarioDefinition.ignoredKeys).decode(ScenarioDefinition.self, from: text)
    } catch {
      throw ScenarioError(file: file, error)
    }
    return try LoadedScenario(file: file, definition: definition, document: document)
  }

  /// Checks a decoded definition; `document`, when there is one, places each error on its line.
  init(file: String, definition: ScenarioDefinition, document: YAMLDocument? = nil) throws(ScenarioError) {
    self.file = file
    self.definition = definition
    self.document = document
    func fail(_ path: String, _ message: String) -> ScenarioError {
      ScenarioError(file: file, location: document?.location(of: path), path: path, message)
    }

    guard !definition.name.isEmpty, definition.name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
      throw fail("name", "'\(definition.name)' must be letters, digits, '-', '_' or '.' (it names the results folder)")
    }
    guard let start = withUTF8(definition.start, Timestamp.parseRelaxed) else {
      throw fail("start", "'\(definition.start)' is not an RFC 3339 time such as 2024-07-19T04:00:00Z")
    }
    startUnixSeconds = start.seconds
    guard definition.duration.microseconds >= 60_000_000, definition.duration <= ScenarioDefinition.longestRun else {
      throw fail("duration", "\(definition.duration) is not a duration between 1m and \(ScenarioDefinition.longestRun)")
    }
    do throws(DefinitionError) {
      try definition.fleet.validate()
    } catch {
      throw fail(error.within("fleet").path, error.message)
    }
    do throws(DefinitionError) {
      try definition.baseline.validate()
    } catch {
      throw fail(error.within("baseline").path, error.message)
    }
    do throws(DefinitionError) {
      try definition.telemetry.validate()
    } catch {
      throw fail(error.within("telemetry").path, error.message)
    }
    guard definition.release.at < definition.duration else {
      throw fail("release.at", "\(definition.release.at) is not before the end of the run (\(definition.duration))")
    }
    if let every = definition.release.every {
      guard every >= .seconds(1), every <= .days(1) else {
        throw fail("release.every", "\(every) is not a duration between 1s and 1d")
      }
      for (index, fault) in definition.faults.enumerated() {
        guard let generations = fault.generations else { continue }
        guard generations.every == every else {
          throw fail(
            "faults[\(index)].generations.every",
            "\(generations.every) differs from release.every (\(every)): each generation of the artifact is a release, so they are made as often")
        }
        guard fault.when == .enabled else {
          throw fail("faults[\(index)].when", "a fault with generations in a release of an artifact bites the devices holding a bad generation: use 'enabled'")
        }
      }
    }
    if definition.release.to == .off {
      guard definition.release.every == nil else {
        throw fail("release.to", "a release that turns the flag off is one change; it cannot also release an artifact every \(definition.release.every!)")
      }
      for (index, fault) in definition.faults.enumerated() {
        switch fault.when {
        case .enabled, .variant:
          throw fail(
            "faults[\(index)].when",
            "the release turns the flag off: its faults bite where it did ('killed') or whatever the flag says ('always')")
        case .always, .killed: break
        }
      }
    }
    for (index, policy) in definition.policies.enumerated() {
      if policy.validate && definition.release.every == nil {
        throw fail("policies[\(index)].validate", "applies to a release of a regenerated artifact (release.every), whose generations can be checked before they are released")
      }
      if policy.holdout != nil && definition.release.every != nil {
        throw fail("policies[\(index)].holdout", "a holdout keeps devices off one release; with release.every each generation is its own release")
      }
      if let trigger = definition.policyTriggers[index] {
        let path = "policies[\(index)].startsAtArrivalOf"
        guard let (_, fault) = definition.fault(triggering: trigger) else {
          let names = definition.faults.map { "'\($0.name)'" }.joined(separator: ", ")
          throw fail(path, "no fault is named '\(trigger)'" + (names.isEmpty ? " (the scenario has no faults)" : " (faults: \(names))"))
        }
        switch fault.when {
        case .enabled, .variant: break
        case .always, .killed:
          throw fail(
            path, "the fault '\(trigger)' does not bite where the flag is on (its 'when' is \(fault.when == .always ? "always" : "killed")): a policy stages a fault's trigger with the flag, so the fault needs 'when: enabled' (or a variant)")
        }
        guard definition.release.every == nil, definition.release.to == .on else {
          throw fail(path, "applies to a release that turns the flag on once (no release.every, release.to: on)")
        }
      }
    }
    guard definition.telemetry.window <= definition.duration else {
      throw fail("telemetry.window", "\(definition.telemetry.window) is longer than the run (\(definition.duration))")
    }
    for (index, fault) in definition.faults.enumerated() {
      do throws(DefinitionError) {
        try fault.validate(duration: definition.duration)
      } catch {
        throw fail(error.within("faults[\(index)]").path, error.message)
      }
    }
    let dataLosses = definition.faults.indices.filter { definition.faults[$0].effect.kind == .dataLoss }
    if dataLosses.count > 1 {
      throw fail("faults[\(dataLosses[1])].effect.kind", "one dataLoss fault at most: a device's data is lost once (faults[\(dataLosses[0])] is one)")
    }
    let faultNames = definition.faults.map(\.name)
    if let duplicate = faultNames.first(where: { name in faultNames.filter { $0 == name }.count > 1 }) {
      throw fail("faults", "the fault '\(duplicate)' is listed twice (names tell faults apart in the results)")
    }
    if let capacity = definition.capacity {
      do throws(DefinitionError) {
        try capacity.validate(sync: definition.fleet.sync.map(\.model), duration: definition.duration)
      } catch {
        throw fail(error.within("capacity").path, error.message)
      }
    }
    // An SDK class's own rule refines the capacity section's, and a policy's what-if refines both: check
    // what they make together.
    let rules = definition.capacity ?? CapacityDefinition()
    for (index, entry) in definition.fleet.sync.enumerated() {
      do throws(DefinitionError) {
        try rules.rule(entry.retry).validate()
      } catch {
        throw fail(error.within("fleet.sync[\(index)].retry").path, error.message)
      }
      for (p, whatIf) in definition.policyRetries.enumerated() {
        guard let whatIf else { continue }
        do throws(DefinitionError) {
          try whatIf.applied(to: rules.rule(entry.retry)).validate()
        } catch {
          throw fail(error.within("policies[\(p)].retry").path, error.message)
        }
      }
    }
    guard definition.faults.count <= FleetModel.maximumFaults else {
      throw fail("faults", "\(definition.faults.count) faults; at most \(FleetModel.maximumFaults) are supported")
    }

    // The flag state: inline or from a file beside the scenario.
    switch (definition.flags.state, definition.flags.path) {
    case (let state?, nil):
      guard definition.flags.environment == nil else {
        throw fail("flags.environment", "applies to an Unleash export read with 'path'; an inline state is already one environment's")
      }
      self.state = state
    case (nil, let relative?):
      let base = URL(fileURLWithPath: file).deletingLastPathComponent()
      let resolved = relative.hasPrefix("/") ? relative : base.appendingPathComponent(relative).path
      var warnings: [String] = []
      do {
        self.state = try StateDocument.load(path: resolved, environment: definition.flags.environment, warnings: &warnings).resolved()
      } catch where error.code == .environmentRequired {
        throw fail("flags.path", "\(error) with 'flags.environment: NAME'")
      } catch {
        throw fail(definition.flags.environment != nil && error.code == .unknownEnvironment ? "flags.environment" : "flags.path", "\(error)")
      }
      // A conversion that had to leave something out would change the release silently.
      if let warning = warnings.first { throw fail("flags.path", "the export cannot be used as it is: \(warning)") }
    case (.some, .some):
      throw fail("flags", "give either 'state' or 'path', not both")
    case (nil, nil):
      throw fail("flags", "missing 'state' (inline client features) or 'path' (a JSON file)")
    }
    let compiled = FlagState(state)
    guard compiled.flag(definition.release.flag) != nil else {
      var message = "'\(definition.release.flag)' is not a flag of the state (it has: \(compiled.flagNames.joined(separator: ", ")))"
      if let near = Spelling.suggestion(for: definition.release.flag, among: compiled.flagNames) { message += "; did you mean '\(near)'?" }
      throw fail("release.flag", message)
    }
    let variants = state.features.first { $0.name == definition.release.flag }.map { feature in
      (feature.variants ?? []).map(\.name) + (feature.strategies ?? []).flatMap { ($0.variants ?? []).map(\.name) }
    } ?? []
    for (index, fault) in definition.faults.enumerated() {
      guard case .variant(let name) = fault.when, !variants.contains(name) else { continue }
      var message = "'\(name)' is not a variant of '\(definition.release.flag)'"
      message += variants.isEmpty ? " (it has none)" : " (it has: \(Array(Set(variants)).sorted().joined(separator: ", ")))"
      if let near = Spelling.suggestion(for: name, among: variants) { message += "; did you mean '\(near)'?" }
      throw fail("faults[\(index)].when", message)
    }
    if let warning = compiled.warnings.first {
      throw fail("flags", "the state does not compile: \(warning)")
    }
    try Check.notEmpty(definition.policies, file: file, path: "policies")
    var names = Set<String>()
    for (index, policy) in definition.policies.enumerated() {
      guard names.insert(policy.name).inserted else { throw fail("policies[\(index)].name", "'\(policy.name)' is used twice") }
      guard !policy.name.isEmpty, policy.name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
        throw fail("policies[\(index)].name", "'\(policy.name)' must be letters, digits, '-', '_' or '.'")
      }
      do {
        _ = try ReleaseController(policy: policy, subject: subject(cohortSizes: []), seed: definition.seed)
      } catch {
        throw fail("policies[\(index)].\(error.path)".trimmingCharacters(in: CharacterSet(charactersIn: ".")), error.message)
      }
    }
  }

  /// The size of a whole-state answer: `capacity.payload.bytes`, or the scenario's state serialized.
  public var stateBytes: Int {
    if let bytes = definition.capacity?.payload.bytes { return bytes }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(state).count) ?? 0
  }

  /// The delivery path's servers as a run of `fleet` meets them (`scale`: its devices over the scenario's;
  /// `whatIf`: a policy's rule that refines every SDK class's).
  public func backends(_ fleet: Fleet, scale: Double, whatIf: RetryDefinition? = nil) -> Backends {
    let definition = self.definition
    return Backends(
      capacity: definition.capacity, sync: definition.fleet.sync.map { ($0.model, $0.retry) },
      regions: definition.fleet.regions.count, online: definition.fleet.activity.online,
      offlineSpell: definition.fleet.activity.offlineSpell.seconds, region: fleet.region, syncClass: fleet.syncModel, scale: scale,
      flags: FlagState(state).flagNames.count, stateBytes: stateBytes, whatIf: whatIf)
  }

  /// What the controllers release.
  public func subject(cohortSizes: [Int]) -> ReleaseSubject {
    ReleaseSubject(
      flag: definition.release.flag, baseState: state, cohortNames: definition.fleet.cohorts.map(\.name),
      cohortSizes: cohortSizes.isEmpty ? definition.fleet.cohorts.map { Int(Double(definition.fleet.devices) * $0.share) } : cohortSizes,
      regionNames: definition.fleet.regions.map(\.name), regionsInTelemetry: true, turnsOff: definition.release.to == .off)
  }
}

private enum Check {
  static func notEmpty<C: Collection>(_ value: C, file: String, path: String) throws(ScenarioError) {
    guard !value.isEmpty else { throw ScenarioError(file: file, path: path, "must not be empty") }
  }
}

private func withUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
  var copy = text
  return copy.withUTF8(body)
}

extension ScenarioDefinition {
  /// A policy's what-if retry rule (see ``policyRetries``), by the policy's name.
  public func retry(ofPolicy name: String) -> RetryDefinition? {
    policies.firstIndex { $0.name == name }.flatMap { policyRetries[$0] }
  }

  /// When a policy's release starts: at `release.at`, or when the fault whose trigger it releases arrives
  /// (see ``policyTriggers``), the fault's arrival as drawn for the run.
  public func releaseStart(ofPolicy index: Int, seed: UInt64) -> TimeSpan {
    guard let trigger = policyTriggers[index], let (place, fault) = fault(triggering: trigger) else { return release.at }
    return fault.window(seed: seed, index: place).from
  }

  /// The fault named `name`, with its place in the list (its arrival draws depend on it): one of the
  /// scenario's, or one a healthy variant kept as a harmless trigger.
  func fault(triggering name: String) -> (index: Int, fault: FaultDefinition)? {
    faults.firstIndex { $0.name == name }.map { ($0, faults[$0]) } ?? harmlessTriggers[name]
  }

  /// The fault whose trigger a policy releases (see ``policyTriggers``), by the policy's name.
  public func trigger(ofPolicy name: String) -> String? {
    policies.firstIndex { $0.name == name }.flatMap { policyTriggers[$0] }
  }

  /// The fields of a policy that Scenario reads itself.
  struct PolicyScenarioFields: Decodable {
    var retry: RetryDefinition?
    var startsAtArrivalOf: String?
  }
}
