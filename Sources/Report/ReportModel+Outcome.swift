import Scenario
import Rollout

extension ReportModel {
  /// The report's view of a scenario run.
  init(_ outcome: ScenarioOutcome) {
    let definition = outcome.scenario.definition
    let devices = Double(max(outcome.devices, 1))
    let makeUp = outcome.fleetMakeUp
    self.init(
      scenario: ScenarioSummary(
        name: definition.name, description: definition.description ?? "", seed: outcome.seed, devices: outcome.devices,
        simulatedSeconds: outcome.simulatedSeconds, startTime: definition.start, sources: definition.sources,
        windowSeconds: definition.telemetry.window.seconds),
      fleetMakeUp: [
        CountTable(title: "Platforms", counts: makeUp.platforms),
        CountTable(title: "Hardware generations", counts: makeUp.hardware),
        CountTable(title: "Regions", counts: makeUp.regions),
        CountTable(title: "Cohorts", counts: makeUp.cohorts),
        CountTable(title: "Sync models", counts: makeUp.syncModels),
      ],
      policies: outcome.policies.map { policy in
        PolicyResult(
          name: policy.name, kind: policy.kind, finalState: EndState(rawValue: policy.finalState.rawValue),
          devicesExposed: policy.result.devicesExposed, devicesFailed: policy.result.devicesFailed,
          failedDeviceHours: policy.result.failedDeviceHours,
          devicesNeedingManualRecovery: policy.result.devicesNeedingManualRecovery,
          timeToDetectSeconds: policy.timeToDetect, timeToMitigateSeconds: policy.timeToMitigate,
          devicesTakenDown: policy.result.devicesTakenDown, timeToRecoverSeconds: policy.result.timeToRecoverSeconds,
          bootFetches: policy.result.delivery.offered.reduce(0, +), bootFetchesShed: policy.result.delivery.shed.reduce(0, +),
          windows: policy.result.windows.map { window in
            WindowSample(
              time: window.end.seconds, exposure: Double(window.devicesExposed) / devices,
              devicesFailed: window.devicesFailedSoFar, devicesDown: window.devicesDown,
              treatmentErrorRate: window.treatment.errorRate, controlErrorRate: window.control.errorRate,
              treatmentCrashRate: window.treatment.crashRate, controlCrashRate: window.control.crashRate,
              milestone: window.latestLabel)
          },
          decisions: policy.decisions.map { decision in
            DecisionMark(
              time: decision.time.seconds, action: decision.action.rawValue, reason: decision.audit.reason,
              milestone: decision.audit.milestoneName ?? "")
          },
          blindPhases: policy.blindIntervals.map {
            BlindPhase(phase: $0.phase, from: $0.start.seconds, until: $0.end.seconds)
          },
          staged: definition.policies.first { $0.name == policy.name }?.isStaged ?? false,
          devicesLostData: policy.result.devicesLostData, installs: policy.result.installs, reports: policy.result.reports)
      })
  }
}

extension Report {
  /// The report of a scenario run.
  public static func html(_ outcome: ScenarioOutcome) -> String { html(ReportModel(outcome)) }
}
