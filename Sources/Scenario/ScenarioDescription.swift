import Delivery
import FlagEngine
import Fleet
import Foundation
import Rollout
import Telemetry

/// What Rollsim understood of a scenario, in words (`rollsim validate`): the fleet, the release, the
/// faults, the telemetry pipeline and each policy, with every default filled in, so that a reader can
/// see the question the run will answer before running it.
public enum ScenarioDescription {
  public static func text(_ scenario: LoadedScenario, controllers: [ReleaseController]) -> String {
    let d = scenario.definition
    var lines: [String] = []
    func add(_ line: String) { lines.append(line) }
    add("\(d.name): \(d.duration) from \(d.start), seed \(d.seed)")
    if let description = d.description { add("  \(description.split(separator: "\n").joined(separator: " "))") }

    let f = d.fleet
    add("fleet: \(f.devices) devices, \(format(f.devicesPerUser)) per user")
    add("  platforms: \(shares(f.platforms.names, f.platforms.weights))")
    add("  hardware generations: " + f.hardwareGenerations.map { "\($0.generation) \(percent($0.share)) (firmware \(shares($0.firmware.names, $0.firmware.weights)))" }.joined(separator: "; "))
    for name in f.appVersions.keys.sorted() { add("  app versions (\(name)): \(shares(f.appVersions[name]!.names, f.appVersions[name]!.weights))") }
    add("  regions: " + f.regions.map { "\($0.name) \(percent($0.share)) (UTC\($0.utcOffset >= 0 ? "+" : "")\(format($0.utcOffset)))" }.joined(separator: ", "))
    add("  cohorts: " + f.cohorts.map { "\($0.name) \(percent($0.share))" }.joined(separator: ", "))
    add("  tiers: \(shares(f.tiers.names, f.tiers.weights))")
    add("  activity: sessions per day \(describe(f.activity.sessionsPerDay, .count)) of \(f.activity.sessionLength) each, online \(percent(f.activity.online)), offline spells of \(f.activity.offlineSpell) on average, \(f.activity.diurnal == nil ? "typical consumer day" : "given diurnal curve")")
    let rules = d.capacity ?? CapacityDefinition()
    for entry in f.sync {
      add("  sync \(percent(entry.share)): \(describe(entry.model)); retries: \(describe(rules.rule(entry.retry)))")
    }
    if let repair = f.repair {
      add("  repair: technicians reach \(percent(repair.sharePerHour)) of a region's devices an hour at full strength, ramping up over \(repair.rampUp), a repair takes \(describe(repair.duration, .duration))")
    } else {
      add("  repair: none (devices that need manual repair stay down)")
    }

    add("flags: \(scenario.state.features.count) in the state; the release changes '\(d.release.flag)' from \(d.release.at) on")
    if d.faults.isEmpty { add("faults: none (a healthy release)") }
    for fault in d.faults { add("fault '\(fault.name)': \(describe(fault))") }
    let b = d.baseline
    add("baseline: errors \(percent(b.errorRate)), crashes \(percent(b.crashRate)) of sessions, latency \(describe(b.latency, .duration)), day-to-day noise \(format(b.noise))"
      + (b.reportRate > 0 ? ", user reports \(percent(b.reportRate)) of installs after \(describe(b.reportDelay, .duration))" : ""))
    let t = d.telemetry
    add("telemetry: flush every \(t.flush), delay \(describe(t.delay, .duration)), \(percent(t.loss)) lost, windows of \(t.window) read \(t.readDelay) after their end (later reports count in later reads, up to \(t.lateness) late)")
    for (index, (policy, controller)) in zip(d.policies, controllers).enumerated() {
      add("policy '\(policy.name)' (\(policy.kind.rawValue)):")
      if let trigger = d.policyTriggers[index] {
        add("  releases the trigger of the fault '\(trigger)': starts when it arrives, not at \(d.release.at)")
      }
      for milestone in controller.plan.milestones {
        var line = "  \(milestone.name): \(milestone.exposure)"
        if milestone.minDwell > .zero { line += ", at least \(milestone.minDwell)" }
        if let maxDwell = milestone.maxDwell { line += ", at most \(maxDwell)" }
        if milestone.minSample > 0 { line += ", \(milestone.minSample) sessions" }
        add(line)
      }
      if let holdout = controller.plan.holdout {
        add("  holdout: \(holdout.percent)% of devices kept off until \(holdout.bake) after the last milestone")
      }
      for gate in controller.gates { add("  gate \(gate.name): \(gate.kind.rawValue), during \(gate.activity.rawValue), on fail \(gate.onFail.rawValue)") }
      for safeguard in policy.safeguards {
        add("  safeguard: \(safeguard.metric.rawValue) \(safeguard.operator.rawValue) \(format(safeguard.threshold)) over \(safeguard.timeRange) -> \(safeguard.action.rawValue)")
      }
      for alert in policy.alerts { add("  alert: \(alert.metric.rawValue) \(alert.condition) for \(alert.for)") }
      add("  on call: responds in \(policy.onCall.responseTime), on a pause \(policy.onCall.onPause.rawValue), on an alert \(policy.onCall.onAlert.rawValue)")
      if let whatIf = d.retry(ofPolicy: policy.name) {
        for (index, entry) in f.sync.enumerated() {
          add("  what if sync \(index + 1) retried: \(describe(whatIf.applied(to: rules.rule(entry.retry))))")
        }
      }
    }
    if let capacity = d.capacity {
      for tier in Tier.allCases {
        guard let server = capacity.servers[tier] else { continue }
        add("servers (\(tier.title)): \(describe(server, tier: tier))")
      }
      add("capacity: \(capacity.storms.count) storms planned")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func describe(_ fault: FaultDefinition) -> String {
    var text: String
    switch fault.when {
    case .enabled: text = "where the flag is on"
    case .variant(let name): text = "on variant \(name)"
    case .always: text = "on every device, whatever the flag"
    case .killed: text = "on devices that receive the flag killed after holding it enabled (the kill switch's own code path)"
    }
    if !fault.devices.isEmpty {
      text += ", devices with " + fault.devices.map { constraint in
        let values = constraint.values ?? constraint.value.map { [$0] } ?? []
        return "\(constraint.inverted == true ? "not " : "")\(constraint.contextName) \(constraint.operator) \(values.joined(separator: ","))"
      }.joined(separator: " and ")
    }
    // A time as written (`15m`, `0s`), or its distribution.
    func time(_ distribution: Distribution) -> String {
      if case .fixed(let seconds) = distribution { return TimeSpan.seconds(seconds).description }
      return describe(distribution, .duration)
    }
    text += ", from \(time(fault.from))"
    if let until = fault.until { text += " until \(time(until))" }
    if !fault.from.isFixed || fault.until.map({ !$0.isFixed }) == true { text += " (drawn once per run)" }
    if let generations = fault.generations { text += ", in bad generations (\(percent(generations.bad)) of one every \(generations.every))" }
    let e = fault.effect
    if e.kind == .dataLoss {
      text += ": \(percent(e.probability)) of devices lose their data at their first session with it, once; they keep working, unseen by "
        + "errors, crashes and silence, impaired until restored by hand"
      if let report = e.report {
        text += "; \(percent(report.share)) of them report it, after \(describe(report.delay, .duration))"
      } else {
        text += "; nobody reports it"
      }
      return text
    }
    text += ": \(percent(e.probability)) of sessions "
    switch e.kind {
    case .error: text += "fail"
    case .latency: text += "slower by \(describe(e.latency, .duration))"
    case .crash: text += "crash, back after \(e.reboot)"
    case .crashLoop:
      text += "crash into a loop, a boot every \(e.reboot), \(percent(e.fetchBeforeCrash)) of boots fetching the newest state before the crash (that fetch must get through the servers)"
      if let boots = e.bootAttempts { text += ", manual repair after \(boots) crashed boots" }
    case .manualRecovery: text += "leave the device down until repaired by hand"
    case .dataLoss: break
    }
    if e.irreversible { text += "; irreversible" }
    return text
  }

  static func describe(_ model: SyncModel) -> String {
    switch model {
    case .polling(let interval, let jitter, let network):
      return "polling every \(interval) (jitter \(percent(jitter))), network \(describe(network, .duration))"
    case .streaming(let latency):
      return "streaming, latency \(describe(latency, .duration))"
    case .edge(let edge):
      return "polling an edge every \(edge.interval) (jitter \(percent(edge.jitter))), \(edge.edgesPerRegion) edges per region "
        + "refreshing every \(edge.refresh) (jitter \(percent(edge.refreshJitter))), network \(describe(edge.network, .duration))"
    }
  }

  static func describe(_ rule: RetryRule) -> String {
    switch rule {
    case .unleashNode: return "Unleash's Node SDK (interval × (1 + failures), at most 10 failures; streams reconnect 2s to 30s, jitter 50%)"
    case .exponential(let b):
      let jitter = b.jitter == 1 ? "full jitter" : b.jitter == 0 ? "no jitter" : "jitter \(percent(b.jitter))"
      return "exponential from \(b.initial), ×\(format(b.multiplier)) up to \(b.max), \(jitter)"
    }
  }

  static func describe(_ server: ServerDefinition, tier: Tier) -> String {
    var text = ""
    if let n = server.instances { text += "\(n) instances for every region, " }
    if let n = server.instancesPerRegion { text += "\(n) instances in each region, " }
    if tier == .edge { text += "the fleet's edges, " }
    if let rate = server.requestsPerSecond {
      text += "\(format(rate)) requests/s each"
    } else {
      text += "\(format(server.cores ?? ServerDefinition.defaultCores)) CPUs each (Unleash Edge's published rates)"
    }
    return text + ", requests shed after waiting \(server.timeout)"
  }

  static func describe(_ distribution: Distribution, _ quantity: Distribution.Quantity) -> String {
    func value(_ v: Double) -> String { quantity == .duration ? duration(v) : format(v) }
    switch distribution {
    case .fixed(let v): return value(v)
    case .logNormal(let median, let sigma): return sigma == 0 ? value(median) : "median \(value(median)), p99 \(value(median * exp(2.326_347_874 * sigma)))"
    case .exponential(let mean): return "mean \(value(mean)) (exponential)"
    case .uniform(let low, let high): return "\(value(low)) to \(value(high))"
    }
  }

  /// A drawn duration to the precision that matters: `160ms`, `1.8s`, `2m30s`.
  static func duration(_ seconds: Double) -> String {
    if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
    if seconds < 60 { return format((seconds * 10).rounded() / 10) + "s" }
    return TimeSpan.seconds(Int(seconds.rounded())).description
  }

  static func shares(_ names: [String], _ weights: [Double]) -> String {
    zip(names, weights).map { "\($0) \(percent($1))" }.joined(separator: ", ")
  }

  static func percent(_ fraction: Double) -> String { format(fraction * 100) + "%" }

  /// Up to four significant digits, without trailing zeros.
  static func format(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    var text = String(format: "%.4g", value)
    if text.contains("."), !text.contains("e") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }
}
