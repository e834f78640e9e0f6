import Delivery
import FlagEngine
import Foundation
import Rollout

/// Writes a run's results: summary.json, timeline.csv, audit.jsonl and report.html, into a
/// ``ResultsFolder`` (whole files or none, and nothing else in the folder touched).
public enum ResultWriter {
  /// The files a run writes.
  public static let files = ["summary.json", "timeline.csv", "audit.jsonl", "report.html"]

  /// `reproducible` leaves out what measures this machine (wall time, memory), so that the same
  /// scenario and seed give byte-identical files. `page` is the run's report.html (the Report module
  /// renders it). `command` is recorded in the folder's manifest.
  public static func write(
    _ outcome: ScenarioOutcome, page: String, to folder: ResultsFolder, reproducible: Bool, command: String
  ) throws(ScenarioError) {
    try folder.write(
      [
        ("summary.json", summary(outcome, reproducible: reproducible).pretty),
        ("timeline.csv", timeline(outcome)),
        ("audit.jsonl", audit(outcome)),
        ("report.html", page),
      ], command: command)
  }

  // MARK: summary.json

  public static func summary(_ outcome: ScenarioOutcome, reproducible: Bool) -> JSONValue {
    let deviceHours = Double(outcome.devices) * outcome.simulatedSeconds / 3600 * Double(outcome.policies.count)
    // Dormant devices' device-hours are drawn in bulk; the rest are simulated event by event.
    let drawnInBulk = outcome.policies.reduce(0) { $0 + $1.result.deviceHoursDrawnInBulk }
    var run: [(String, JSONValue)] = [
      ("events", .int(outcome.events)), ("policies", .int(outcome.policies.count)),
      ("deviceHoursSimulated", .number(deviceHours - drawnInBulk)), ("deviceHoursDrawnInBulk", .number(drawnInBulk)),
      ("blocks", .int(outcome.policies.first?.result.parallel.blocks ?? 0)),
    ]
    // How the run was spread, summed over the policies (they run one after another when spread).
    let parallel = outcome.policies.map(\.result.parallel)
    let ticks = parallel.reduce(0) { $0 + $1.ticks }
    if reproducible {
      run += [("wallSeconds", .null), ("eventsPerSecond", .null), ("deviceHoursPerSecond", .null), ("peakRSSBytes", .null)]
      run += [("threads", .null), ("processes", .null), ("ticks", .null), ("waitingSecondsPerThread", .null), ("exchangedBytesPerTick", .null), ("exchangeSeconds", .null)]
    } else {
      run += [
        ("threads", .int(parallel.first?.threads ?? 0)), ("processes", .int(parallel.first?.processes ?? 0)), ("ticks", .int(ticks)),
        ("waitingSecondsPerThread", .number(parallel.reduce(0) { $0 + $1.waitingSeconds })),
        ("exchangedBytesPerTick", .number(Double(parallel.reduce(0) { $0 + $1.exchangedBytes }) / Double(max(1, ticks)))),
        ("exchangeSeconds", .number(parallel.reduce(0) { $0 + $1.exchangeSeconds })),
      ]
      run += [
        ("wallSeconds", .number(outcome.wallSeconds)),
        ("eventsPerSecond", .number(Double(outcome.events) / max(outcome.wallSeconds, 1e-9))),
        ("deviceHoursPerSecond", .number(deviceHours / max(outcome.wallSeconds, 1e-9))),
        ("peakRSSBytes", .int(outcome.peakRSSBytes)),
      ]
    }
    return .object([
      ("scenario", .string(outcome.scenario.definition.name)),
      ("seed", .int(Int(truncatingIfNeeded: outcome.seed))),
      ("devices", .int(outcome.devices)),
      ("simulatedSeconds", .number(outcome.simulatedSeconds)),
      ("deviceHours", .number(deviceHours)),
      ("faults", .array(zip(outcome.scenario.definition.faults, outcome.faultWindows).map { fault, window in
        .object([
          // Exact: the times a run with these faults at fixed times would be given.
          ("name", .string(fault.name)), ("arrivalSeconds", .exactNumber(window.from.seconds)),
          ("untilSeconds", window.until.map { .exactNumber($0.seconds) } ?? .null),
        ])
      })),
      ("policies", .array(outcome.policies.map(policySummary))),
      ("run", .object(run)),
    ])
  }

  static func policySummary(_ policy: PolicyOutcome) -> JSONValue {
    let result = policy.result
    return .object([
      ("name", .string(policy.name)),
      ("kind", .string(policy.kind)),
      ("devicesExposed", .int(result.devicesExposed)),
      ("devicesFailed", .int(result.devicesFailed)),
      ("failedDeviceHours", .number(result.failedDeviceHours)),
      ("devicesNeedingManualRecovery", .int(result.devicesNeedingManualRecovery)),
      ("devicesLostData", .int(result.devicesLostData)),
      ("devicesRestored", .int(result.devicesRestored)),
      ("installs", .int(result.installs)),
      ("reports", .int(result.reports)),
      ("devicesDownAtEnd", .int(result.devicesDownAtEnd)),
      ("firstFailureSeconds", .optional(result.firstFailure?.seconds)),
      ("timeToDetectSeconds", .optional(policy.timeToDetect)),
      ("timeToMitigateSeconds", .optional(policy.timeToMitigate)),
      ("devicesTakenDown", .int(result.devicesTakenDown)),
      ("timeToRecoverSeconds", .optional(result.timeToRecoverSeconds)),
      ("finalState", .string(policy.finalState.rawValue)),
      ("decisions", .int(policy.decisions.count)),
      ("publications", .array(result.publications.map { .object([("seconds", .number($0.time.seconds)), ("label", .string($0.label))]) })),
      ("sessions", .int(result.sessions)),
      ("sessionsSimulated", .int(result.sessionsSimulated)),
      ("sessionsDrawnInBulk", .int(result.sessionsDrawnInBulk)),
      ("lateSessions", .int(result.lateSessions)),
      ("events", .int(result.events)),
      ("blindSeconds", .number(policy.blindIntervals.reduce(0) { $0 + $1.seconds })),
      ("blindPhases", .array(policy.blindIntervals.map { interval in
        .object([
          ("phase", .string(interval.phase)), ("fromSeconds", .number(interval.start.seconds)),
          ("untilSeconds", .number(interval.end.seconds)),
        ])
      })),
      ("delivery", deliverySummary(result.delivery)),
    ])
  }

  /// What the policy's run asked of the delivery path's servers: per tier, requests per second on
  /// average (regular ones counted in aggregate, and booting devices' fetches), the fetches, and those the
  /// servers shed.
  static func deliverySummary(_ load: Backends.Load) -> JSONValue {
    .object(Tier.allCases.map { tier in
      (tier.rawValue, .object([
        ("requestsPerSecond", .number(load.requestsPerSecond(tier))),
        ("bootFetches", .int(load.offered[tier.index])),
        ("shed", .int(load.shed[tier.index])),
      ]))
    })
  }

  // MARK: timeline.csv

  public static let timelineHeader = [
    "policy", "window", "start_s", "end_s", "exposure", "devices_exposed", "devices_on_new_state",
    "treatment_sessions", "treatment_error_rate", "treatment_crash_rate", "treatment_latency_p99_ms",
    "control_sessions", "control_error_rate", "control_crash_rate", "control_latency_p99_ms",
    "treatment_silence", "devices_failed", "devices_down", "milestone", "installs", "reports",
  ]

  public static func timeline(_ outcome: ScenarioOutcome) -> String {
    var lines = [timelineHeader.joined(separator: ",")]
    for policy in outcome.policies {
      for row in policy.result.windows {
        let fields: [String] = [
          csv(policy.name), String(row.index), JSONValue.format(row.start.seconds), JSONValue.format(row.end.seconds),
          JSONValue.format(Double(row.devicesExposed) / Double(max(outcome.devices, 1))), String(row.devicesExposed),
          String(row.devicesOnLatest),
          String(row.treatment.sessions), JSONValue.format(row.treatment.errorRate), JSONValue.format(row.treatment.crashRate),
          String(row.treatmentLatencyP99),
          String(row.control.sessions), JSONValue.format(row.control.errorRate), JSONValue.format(row.control.crashRate),
          String(row.controlLatencyP99),
          JSONValue.format(row.treatment.silence), String(row.devicesFailedSoFar), String(row.devicesDown), csv(row.latestLabel),
          String(row.treatment.installs + row.control.installs), String(row.treatment.reports + row.control.reports),
        ]
        lines.append(fields.joined(separator: ","))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func csv(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  // MARK: audit.jsonl

  public static func audit(_ outcome: ScenarioOutcome) -> String {
    var text = ""
    for policy in outcome.policies {
      for decision in policy.decisions {
        text += decision.audit.jsonLine() + "\n"
      }
    }
    return text
  }
}
