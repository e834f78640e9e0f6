import FlagEngine
import Simulation
import Telemetry
import Testing

@testable import Fleet

/// Failed device-hours count the time devices are impaired as their users feel it: down, or in the
/// sessions a fault spoils, each for the fleet's session length. The fleet here has no baseline errors
/// or crashes and a pipeline that loses nothing, so every error and crash in its telemetry is a fault's.
@Suite struct FailedTimeTests {
  /// The small fleet with 3-minute sessions (not the 5-minute default, so the test sees the field used).
  func model(faults: [FaultDefinition], hours: Int, devices: Int = 10_000) throws -> FleetModel {
    let json = smallFleetJSON.replacingOccurrences(
      of: #""activity": {"sessionsPerDay": {"median": 24, "spread": 0.3}}"#,
      with: #""activity": {"sessionsPerDay": {"median": 24, "spread": 0.3}, "sessionLength": "3m"}"#)
    #expect(json != smallFleetJSON)
    let fleet = Fleet(try definition(json), seed: 5, devices: devices)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: faults, baseline: BaselineDefinition(errorRate: 0, crashRate: 0, noise: 0),
      telemetry: TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0, window: .minutes(5)),
      duration: .hours(hours), startUnixSeconds: 1_772_431_200)
  }

  static let sessionHours = 3.0 / 60

  func total(_ windows: [TelemetryWindow], before hour: Int? = nil) -> OutcomeCounts {
    windows.filter { hour == nil || $0.start < SimulatedTime.hours(hour!) }
      .reduce(OutcomeCounts()) { $0 + $1.counts { _ in true } }
  }

  @Test func anErrorFaultCountsTheSessionsItSpoilsNotTheSpanBetweenThem() throws {
    // Every device, whatever the flag, 10% of sessions from 1h until 10h of a 12-hour run.
    let errors = try fault(#"{"name":"e","when":"always","from":"1h","until":"10h","effect":{"kind":"error","probability":0.1}}"#)
    let built = try model(faults: [errors], hours: 12)
    let (result, driver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: []))
    // Sessions while the fault was active (windows 1h..10h, all delivered: nothing is lost).
    let during = driver.windows.filter { $0.start >= SimulatedTime.hours(1) && $0.end <= SimulatedTime.hours(10) }
      .reduce(OutcomeCounts()) { $0 + $1.counts { _ in true } }
    #expect(during.sessions > 50_000)
    // Closed form: 10% of those sessions, 3 minutes each. Binomial noise on ~6,000 spoilt sessions is
    // 1.2%; 4% allows for it.
    let expected = 0.1 * Double(during.sessions) * Self.sessionHours
    #expect(abs(result.failedDeviceHours / expected - 1) < 0.04, "\(result.failedDeviceHours) vs \(expected)")
    // And exactly the spoilt sessions the telemetry saw.
    let spoilt = total(driver.windows).errors
    #expect(abs(result.failedDeviceHours - Double(spoilt) * Self.sessionHours) < 1e-6 * result.failedDeviceHours)
    // Counting from the first error until the fault ends would be about 9 hours for nearly every device.
    #expect(result.failedDeviceHours < 0.1 * Double(result.devicesFailed) * 9)
  }

  @Test func aCrashCountsItsRebootTime() throws {
    // Every session of every device crashes from 1h on, and the device is down 2 minutes.
    let crash = try fault(#"{"name":"c","when":"always","from":"1h","effect":{"kind":"crash","probability":1,"reboot":"2m"}}"#)
    let built = try model(faults: [crash], hours: 4, devices: 3_000)
    let (result, driver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: []), exactSessions: true)
    let before = total(driver.windows, before: 1)
    #expect(before.crashes == 0)
    // Every session after 1h crashed: 2 minutes each (the last ones cut at the end of the run).
    let crashes = Double(result.sessions) - Double(before.sessions)
    #expect(crashes > 1_000)
    let expected = crashes * 2 / 60
    #expect(result.failedDeviceHours <= expected + 1e-9)
    #expect(result.failedDeviceHours > 0.98 * expected, "\(result.failedDeviceHours) vs \(expected)")
    // Not a session's length (3 minutes): a crash ends its session.
    #expect(result.failedDeviceHours < crashes * 2.5 / 60)
  }

  @Test func anIrreversibleManualRecoveryDeviceCountsToTheEndOfTheRun() throws {
    let brick = try fault(#"{"name":"brick","when":"enabled","devices":[{"contextName":"cohort","operator":"IN","values":["beta"]}],"effect":{"kind":"manualRecovery","probability":1,"irreversible":true}}"#)
    let built = try model(faults: [brick], hours: 8, devices: 5_000)
    let release = Publication(time: .hours(1), state: rollout(100), label: "100%")
    let kill = Publication(time: .minutes(80), state: rollout(0), label: "kill")
    func run(_ script: [Publication]) -> FleetRunResult {
      FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script)).result
    }
    let killed = run([release, kill])
    #expect(killed.devicesFailed > 20)
    #expect(killed.devicesDownAtEnd == killed.devicesFailed)
    // The integral of devices down over the run, by window ends: each device counts from its first
    // window end after it went down to the end, within one window of its true time.
    let window = 5.0 / 60
    let integral = killed.windows.reduce(0.0) { $0 + Double($1.devicesDown) * window }
    #expect(abs(killed.failedDeviceHours - integral) <= Double(killed.devicesFailed) * window, "\(killed.failedDeviceHours) vs \(integral)")
    // Down from within the 20 minutes the flag was on, to the end: between 6h40m and 7h each.
    #expect(killed.failedDeviceHours >= Double(killed.devicesFailed) * (6 + 39.0 / 60))
    #expect(killed.failedDeviceHours <= Double(killed.devicesFailed) * 7)
    // Neither the kill nor a fix repairs them: only a technician would.
    let fixed = run([release, kill, .fix(at: .hours(2))])
    #expect(fixed.devicesFailed == killed.devicesFailed)
    #expect(fixed.failedDeviceHours == killed.failedDeviceHours)
  }

  @Test func anIrreversibleErrorCountsUntilAFixAndNotAfter() throws {
    let sticky = try fault(#"{"name":"firmware","when":"enabled","effect":{"kind":"error","probability":0.5,"irreversible":true}}"#)
    let built = try model(faults: [sticky], hours: 8, devices: 3_000)
    let release = Publication(time: .hours(1), state: rollout(100), label: "100%")
    let kill = Publication(time: .hours(2), state: rollout(0), label: "kill")
    let (unfixed, unfixedDriver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: [release, kill]))
    let (fixed, fixedDriver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: [release, kill, .fix(at: .hours(4))]))
    // After the kill the devices it stuck to keep failing sessions; after the fix none does.
    let late = fixedDriver.windows.filter { $0.start >= SimulatedTime.hours(4) }.reduce(OutcomeCounts()) { $0 + $1.counts { _ in true } }
    #expect(late.errors == 0)
    let spoilt = total(fixedDriver.windows).errors
    #expect(abs(fixed.failedDeviceHours - Double(spoilt) * Self.sessionHours) < 1e-6 * fixed.failedDeviceHours)
    // Without the fix they go on counting, in the sessions that fail (the last windows are not delivered).
    #expect(unfixed.failedDeviceHours >= Double(total(unfixedDriver.windows).errors) * Self.sessionHours)
    #expect(unfixed.failedDeviceHours > 1.5 * fixed.failedDeviceHours)
  }

  @Test func sessionsCountBulkDrawnOnesAndAgreeWithEveryOneSimulated() throws {
    let built = try model(faults: [], hours: 6)
    let script = [Publication(time: .hours(1), state: rollout(30), label: "30%")]
    let (exact, _) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: true)
    let (bulk, _) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script))
    #expect(exact.sessionsDrawnInBulk == 0 && exact.deviceHoursDrawnInBulk == 0)
    #expect(bulk.sessionsDrawnInBulk > bulk.sessionsSimulated)
    // Totals of ~60,000 sessions: 3%, as the dormancy tests allow, is many standard deviations.
    #expect(abs(Double(bulk.sessions) / Double(exact.sessions) - 1) < 0.03, "\(bulk.sessions) vs \(exact.sessions)")
    // Dormant device-hours: most of the 60,000, never more.
    #expect(bulk.deviceHoursDrawnInBulk > 0.5 * 10_000 * 6 && bulk.deviceHoursDrawnInBulk <= 10_000 * 6)
  }
}
