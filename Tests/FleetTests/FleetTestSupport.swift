import FlagEngine
import Foundation
import Simulation
import Telemetry

@testable import Fleet

/// A small fleet definition, decoded from JSON the way a scenario's YAML is.
func definition(_ json: String) throws -> FleetDefinition {
  try JSONDecoder().decode(FleetDefinition.self, from: Data(json.utf8))
}

let smallFleetJSON = #"""
  {"devices": 20000,
   "platforms": {"android": 0.6, "ios": 0.4},
   "hardwareGenerations": [
     {"generation": 1, "share": 0.2, "firmware": {"3.0.0": 1}},
     {"generation": 2, "share": 0.3, "firmware": {"4.0.0": 0.5, "4.1.0": 0.5}},
     {"generation": 3, "share": 0.5, "firmware": {"5.0.0": 1}}],
   "appVersions": {"default": {"7.11.0": 0.5, "7.10.0": 0.5}},
   "regions": [{"name": "eu", "share": 0.5, "utcOffset": 1}, {"name": "us", "share": 0.5, "utcOffset": -5}],
   "cohorts": [{"name": "internal", "share": 0.01}, {"name": "beta", "share": 0.09}, {"name": "public", "share": 0.9}],
   "activity": {"sessionsPerDay": {"median": 24, "spread": 0.3}},
   "sync": [{"model": "polling", "share": 1, "interval": "15s", "jitter": 0, "network": "0s"}]}
  """#

/// A driver that publishes fixed states at fixed times and records the reads it receives.
struct ScriptedDriver: ReleaseDriver {
  var script: [Publication]
  var reads: [TelemetryRead] = []
  /// The windows read, each as first read (on time).
  var windows: [TelemetryWindow] { reads.map(\.window) }

  mutating func start() -> [Publication] { script }
  mutating func deliver(_ read: TelemetryRead, at time: SimulatedTime) -> [Publication] {
    reads.append(read)
    return []
  }
}

/// The flag `new-checkout` rolled out to `percent`%.
func rollout(_ percent: Int) -> FlagState {
  FlagState(ClientFeatures(features: [
    FeatureDefinition(
      name: "new-checkout", enabled: true,
      strategies: [Strategy(name: "flexibleRollout", parameters: ["rollout": "\(percent)", "groupId": "new-checkout"])])
  ]))
}

func fault(_ json: String) throws -> FaultDefinition {
  try JSONDecoder().decode(FaultDefinition.self, from: Data(json.utf8))
}
