import FlagEngine
import Simulation
import Telemetry
import Testing

@testable import Fleet

/// Dormant devices have their sessions drawn in bulk; every session as an event is the reference. Both
/// follow the same model, so their outcomes must agree within sampling noise.
@Suite struct DormancyTests {
  func model(faults: [FaultDefinition], devices: Int = 20_000, hours: Int = 12) throws -> FleetModel {
    let fleet = Fleet(try definition(smallFleetJSON), seed: 21, devices: devices)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: faults,
      baseline: BaselineDefinition(errorRate: 0.02, crashRate: 0.001, noise: 0),
      telemetry: TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0.02, window: .minutes(5)),
      duration: .hours(hours), startUnixSeconds: 1_772_431_200)
  }

  func runBoth(_ model: FleetModel, _ script: [Publication]) -> (exact: (FleetRunResult, [TelemetryWindow]), bulk: (FleetRunResult, [TelemetryWindow])) {
    let (a, da) = FleetRun.run(model: model, initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: true)
    let (b, db) = FleetRun.run(model: model, initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: false)
    return ((a, da.windows), (b, db.windows))
  }

  func total(_ windows: [TelemetryWindow], treatment: Bool) -> OutcomeCounts {
    windows.reduce(OutcomeCounts()) { $0 + $1.counts(treatment: treatment) }
  }

  @Test func healthyTelemetryAgrees() throws {
    let built = try model(faults: [])
    let (exact, bulk) = runBoth(built, [Publication(time: .hours(2), state: rollout(30), label: "30%")])
    for treatment in [false, true] {
      let a = total(exact.1, treatment: treatment)
      let b = total(bulk.1, treatment: treatment)
      // Sessions: Poisson totals of ~50k–150k; 3% is many standard deviations of sampling noise.
      #expect(abs(Double(a.sessions) / Double(b.sessions) - 1) < 0.03, "sessions \(a.sessions) vs \(b.sessions)")
      #expect(abs(a.errorRate - b.errorRate) < 0.002, "error rate \(a.errorRate) vs \(b.errorRate)")
      #expect(abs(Double(a.devicesReporting) / Double(b.devicesReporting) - 1) < 0.05, "reporting \(a.devicesReporting) vs \(b.devicesReporting)")
    }
    // Per window, too: the sessions of each window agree on average.
    let perWindow = zip(exact.1, bulk.1).map { Double($0.counts { _ in true }.sessions) - Double($1.counts { _ in true }.sessions) }
    let meanDifference = perWindow.reduce(0, +) / Double(perWindow.count)
    let meanSessions = Double(total(exact.1, treatment: false).sessions + total(exact.1, treatment: true).sessions) / Double(perWindow.count)
    #expect(abs(meanDifference) < 0.03 * meanSessions)
    #expect(abs(Double(exact.0.devicesExposed) / Double(bulk.0.devicesExposed) - 1) < 0.03)
  }

  @Test func faultsAgree() throws {
    let crash = try fault(#"{"name":"gen2","devices":[{"contextName":"hardwareGeneration","operator":"NUM_EQ","value":"2"}],"effect":{"kind":"crash","probability":0.05,"reboot":"1m"}}"#)
    let errors = try fault(#"{"name":"gen1","devices":[{"contextName":"hardwareGeneration","operator":"NUM_EQ","value":"1"}],"effect":{"kind":"error","probability":0.3}}"#)
    let built = try model(faults: [crash, errors])
    let (exact, bulk) = runBoth(built, [
      Publication(time: .hours(1), state: rollout(100), label: "100%"), Publication(time: .hours(3), state: rollout(0), label: "kill"),
    ])
    #expect(abs(Double(exact.0.devicesFailed) / Double(bulk.0.devicesFailed) - 1) < 0.08, "\(exact.0.devicesFailed) vs \(bulk.0.devicesFailed)")
    #expect(abs(exact.0.failedDeviceHours / bulk.0.failedDeviceHours - 1) < 0.08, "\(exact.0.failedDeviceHours) vs \(bulk.0.failedDeviceHours)")
    let a = total(exact.1, treatment: true)
    let b = total(bulk.1, treatment: true)
    // A few hundred crashes each, drawn independently: 4 standard deviations of the difference of two
    // Poisson counts (a fixed 8% was about one, and failed on a change of fleet generation alone).
    #expect(abs(Double(a.crashes) - Double(b.crashes)) < 4 * Double(a.crashes + b.crashes).squareRoot(), "crashes \(a.crashes) vs \(b.crashes)")
  }

  /// A fault that arrives hours into a release keeps nobody awake until then, and its arrival wakes the
  /// devices it can bite: the harm and the telemetry agree with every session as an event, while far fewer
  /// sessions are simulated one by one before the arrival.
  @Test func aLateFaultWakesTheDevicesAtItsArrival() throws {
    let crash = try fault(#"{"name":"late","from":"6h","devices":[{"contextName":"hardwareGeneration","operator":"NUM_EQ","value":"2"}],"effect":{"kind":"crash","probability":0.05,"reboot":"1m"}}"#)
    let built = try model(faults: [crash])
    let (exact, bulk) = runBoth(built, [Publication(time: .hours(1), state: rollout(100), label: "100%")])
    #expect(bulk.0.devicesFailed > 100)
    #expect(abs(Double(exact.0.devicesFailed) / Double(bulk.0.devicesFailed) - 1) < 0.08, "\(exact.0.devicesFailed) vs \(bulk.0.devicesFailed)")
    #expect(abs(exact.0.failedDeviceHours / bulk.0.failedDeviceHours - 1) < 0.08, "\(exact.0.failedDeviceHours) vs \(bulk.0.failedDeviceHours)")
    let a = total(exact.1, treatment: true)
    let b = total(bulk.1, treatment: true)
    #expect(abs(Double(a.crashes) / Double(b.crashes) - 1) < 0.08, "crashes \(a.crashes) vs \(b.crashes)")
    // Nothing fails before the arrival, and the first failure follows it within minutes.
    let first = try #require(bulk.0.firstFailure)
    #expect(first >= .hours(6) && first < .hours(6) + .minutes(30))
    // Before the arrival the exposed fleet is dormant: of 20,000 devices at 24 sessions a day, the exact run
    // simulates every session (about 120,000 over 6 hours), the other only the wakes and stragglers.
    let early = bulk.1.filter { $0.end <= SimulatedTime.hours(6) }.count
    #expect(early == 72)
    #expect(bulk.0.sessionsSimulated < exact.0.sessionsSimulated / 2, "\(bulk.0.sessionsSimulated) vs \(exact.0.sessionsSimulated)")
  }
}
