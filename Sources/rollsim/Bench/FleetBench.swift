import ArgumentParser
import Dispatch
import FlagEngine
import Fleet
import Foundation
import Simulation
import Telemetry

struct FleetBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fleet",
    abstract: "Build a fleet and run one release over it: build time, bytes per device, events per second.",
    discussion: """
      A consumer fleet (three hardware generations, three regions, polling, streaming and edge sync) \
      receives a flag at 100% after one hour; a crash fault bites hardware generation 2. Prints the \
      build time, the memory per device, and the run's events and device-hours per wall second.
      """
  )

  @Option(
    parsing: .unconditional, help: ArgumentHelp("Devices in the fleet (1...1000000000).", valueName: "N"),
    transform: ArgumentRange.whole(ArgumentRange.devices))
  var devices = 1_000_000
  @Option(parsing: .unconditional, help: "Simulated hours (1...744, a month).", transform: ArgumentRange.whole(1...744))
  var hours = 24
  @Option(parsing: .unconditional, help: "Seed (0...18446744073709551615).", transform: ArgumentRange.whole(ArgumentRange.seeds))
  var seed: UInt64 = 1
  @Flag(help: "Print JSON.") var json = false

  struct Driver: ReleaseDriver {
    let release: FlagState
    mutating func start() -> [Publication] { [Publication(time: .hours(1), state: release, label: "100%")] }
    mutating func deliver(_ read: TelemetryRead, at time: SimulatedTime) -> [Publication] { [] }
  }

  func run() throws {
    let definition = try JSONDecoder().decode(FleetDefinition.self, from: Data(Self.fleetJSON.utf8))
    let rssBefore = Self.residentBytes()
    let buildStart = DispatchTime.now().uptimeNanoseconds
    let fleet = Fleet(definition, seed: seed, devices: devices)
    let crash = try JSONDecoder().decode(FaultDefinition.self, from: Data(#"""
      {"name":"gen2","devices":[{"contextName":"hardwareGeneration","operator":"NUM_EQ","value":"2"}],
       "effect":{"kind":"crash","probability":0.04,"reboot":"1m"}}
      """#.utf8))
    let model = try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: [crash], baseline: BaselineDefinition(), telemetry: TelemetryDefinition(),
      duration: .hours(hours), startUnixSeconds: 1_772_431_200)
    let buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - buildStart) / 1e9
    let rssFleet = Self.residentBytes()
    func state(_ percent: Int) -> FlagState {
      FlagState(ClientFeatures(features: [FeatureDefinition(
        name: "new-checkout", enabled: true,
        strategies: [Strategy(name: "flexibleRollout", parameters: ["rollout": "\(percent)", "groupId": "new-checkout"])])]))
    }
    let runStart = DispatchTime.now().uptimeNanoseconds
    let (result, _) = FleetRun.run(model: model, initialState: state(0), driver: Driver(release: state(100)))
    let runSeconds = Double(DispatchTime.now().uptimeNanoseconds - runStart) / 1e9
    let deviceHours = Double(devices * hours)
    let report = BenchReport(name: "fleet", fields: [
      ("devices", .int(devices)), ("hours", .int(hours)), ("buildSeconds", .number(buildSeconds)),
      ("attributeBytesPerDevice", .int(Fleet.bytesPerDevice)),
      ("runStateBytesPerDevice", .int(FleetRun.dynamicBytesPerDevice)),
      ("fleetResidentBytesPerDevice", .number(Double(rssFleet - rssBefore) / Double(devices))),
      ("peakResidentBytes", .int(Self.peakResidentBytes())),
      ("sessions", .int(result.sessions)), ("events", .int(result.events)), ("runSeconds", .number(runSeconds)),
      ("eventsPerSecond", .number(Double(result.events) / runSeconds)),
      ("deviceHoursPerSecond", .number(deviceHours / runSeconds)),
      ("devicesExposed", .int(result.devicesExposed)), ("devicesFailed", .int(result.devicesFailed)),
    ])
    print(json ? report.json : report.text)
  }

  static func residentBytes() -> Int { statusField("VmRSS:") }
  static func peakResidentBytes() -> Int { statusField("VmHWM:") }
  static func statusField(_ name: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(name) {
      return (line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0) * 1024
    }
    return 0
  }

  static let fleetJSON = #"""
    {"devices": 1000000,
     "platforms": {"android": 0.62, "ios": 0.38},
     "hardwareGenerations": [
       {"generation": 1, "share": 0.12, "firmware": {"3.9.2": 0.7, "3.8.0": 0.3}},
       {"generation": 2, "share": 0.28, "firmware": {"4.2.1": 0.6, "4.1.0": 0.4}},
       {"generation": 3, "share": 0.60, "firmware": {"5.0.3": 0.8, "5.1.0-beta.2": 0.2}}],
     "appVersions": {"android": {"7.11.0": 0.55, "7.10.2": 0.45}, "ios": {"7.11.0": 0.7, "7.10.2": 0.3}},
     "regions": [{"name": "eu-west", "share": 0.4, "utcOffset": 1}, {"name": "us-east", "share": 0.35, "utcOffset": -5},
                 {"name": "ap-south", "share": 0.25, "utcOffset": 5.5}],
     "cohorts": [{"name": "internal", "share": 0.005}, {"name": "beta", "share": 0.045}, {"name": "public", "share": 0.95}],
     "devicesPerUser": 1.3,
     "activity": {"sessionsPerDay": {"median": 6, "spread": 0.7}, "online": 0.9, "offlineSpell": "3h"},
     "sync": [{"model": "polling", "share": 0.75, "interval": "15s", "jitter": 0.1},
              {"model": "streaming", "share": 0.15, "latency": {"median": "800ms", "p99": "5s"}},
              {"model": "edge", "share": 0.1, "interval": "15s", "refresh": "60s", "edgesPerRegion": 4}]}
    """#
}
