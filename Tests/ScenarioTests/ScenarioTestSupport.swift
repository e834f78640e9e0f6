import Foundation

@testable import Scenario

/// A small scenario: 3,000 devices for 6 hours, a crash fault on hardware generation 2, three policies.
let smallScenario = """
  name: small
  seed: 5
  start: 2026-03-02T06:00:00Z
  duration: 6h
  fleet:
    devices: 3000
    platforms: {android: 0.6, ios: 0.4}
    hardwareGenerations:
      - {generation: 1, share: 0.5, firmware: {"3.0.0": 1}}
      - {generation: 2, share: 0.5, firmware: {"4.0.0": 1}}
    appVersions: {default: {"7.11.0": 1}}
    regions: [{name: eu, share: 1, utcOffset: 1}]
    cohorts: [{name: internal, share: 0.1}, {name: public, share: 0.9}]
    activity: {sessionsPerDay: {median: 48, spread: 0.3}}
  flags:
    state:
      features:
        - name: new-checkout
          enabled: true
          strategies: [{name: flexibleRollout, parameters: {rollout: "0", groupId: new-checkout}}]
  release: {flag: new-checkout}
  faults:
    - name: crash
      devices: [{contextName: hardwareGeneration, operator: NUM_EQ, value: "2"}]
      effect: {kind: crash, probability: 0.1, reboot: 1m}
  policies:
    - name: big-bang
      kind: big-bang
      alerts: [{metric: crashRate, condition: "> 0.01", for: 10m}]
      onCall: {responseTime: 30m, onAlert: kill}
    - name: ramp
      kind: time-ramp
      steps: [50, 100]
      interval: 1h
    - name: guarded
      kind: release-plan
      milestones:
        - {cohorts: [internal], minDwell: 30m, minSample: 100}
        - {rollout: 100}
      gates:
        - {kind: guard, metric: crashRate, threshold: 0.02, windows: 2, minSample: 20}
  """

/// Loads a scenario from its text, named `scenario.yaml` in errors; no file is written.
func loadScenario(_ text: String) throws(ScenarioError) -> LoadedScenario {
  try LoadedScenario.load(text: text, file: "scenario.yaml")
}

/// The refusal of a scenario, as text (`scenario.yaml:LINE:COLUMN: path: problem`), or nil when it loads.
func refusal(_ text: String) throws -> String? {
  do {
    _ = try loadScenario(text)
    return nil
  } catch {
    return error.description
  }
}

/// Gives `body` a fresh temporary folder and removes it, with everything in it, when `body` returns or
/// throws: tests leave nothing in the temporary directory.
func withTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rollsim-scenario-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  return try body(folder)
}

/// Writes `text` to a file `name` in a fresh temporary folder, gives `body` its path, and removes both.
func withTemporaryFile<T>(_ text: String, name: String = "scenario.yaml", _ body: (String) throws -> T) throws -> T {
  try withTemporaryFolder { folder in
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return try body(url.path)
  }
}
