import Delivery
import FlagEngine
import Foundation
import Simulation
import Telemetry
import Testing

@testable import Fleet

/// Online and offline spells and boots follow the local day: devices leave at any hour alike and come
/// back when people are active, so the online share dips before the morning and boots come in a morning
/// wave, while `online` stays the daily mean and the fleet's sessions keep the diurnal curve.
@Suite struct OnlineCycleTests {
  let consumer = DiurnalCurve.consumer

  @Test func theDailyMeanIsTheOnlineShareAndTheShapeFollowsTheDay() throws {
    let cycle = try OnlineCycle(curve: consumer, online: 0.9, offlineSpell: 3 * 3600)
    #expect(abs(cycle.hourMean.reduce(0, +) / 24 - 0.9) < 1e-9)
    // Offline spells last offlineSpell on average: time offline a day over spells begun a day.
    #expect(abs((1 - 0.9) / (cycle.leaveRate * 0.9) - 3 * 3600) < 1e-6)
    // Fewest online at the end of the night, most in the evening.
    let lowest = cycle.hourMean.indices.min { cycle.hourMean[$0] < cycle.hourMean[$1] }!
    let highest = cycle.hourMean.indices.max { cycle.hourMean[$0] < cycle.hourMean[$1] }!
    #expect((4...8).contains(lowest), "\(cycle.hourMean)")
    #expect((17...23).contains(highest), "\(cycle.hourMean)")
    #expect(cycle.hourMean[lowest] < 0.85 && cycle.hourMean[highest] > 0.95)
    // Boots: devices coming back, at the return rate times the share offline. A morning wave.
    let boots = (0..<24).map { cycle.returnScale * consumer.weights[$0] * (1 - cycle.hourMean[$0]) }
    #expect(boots[8] > 4 * boots[3])
    #expect(boots[8] > boots[20])
    // The share at any time continues from the hour's start and ends where the next hour starts.
    for hour in 0..<24 {
      let end = cycle.onlineShare(at: Double(hour + 1) * 3600 - 1e-6, dayStart: 0, offset: 0)
      #expect(abs(end - cycle.atHourStart[(hour + 1) % 24]) < 1e-6)
    }
  }

  @Test func aFlatDayIsTheMemorylessProcess() throws {
    let flat = DiurnalCurve(Array(repeating: 1, count: 24))
    let cycle = try OnlineCycle(curve: flat, online: 0.85, offlineSpell: 6 * 3600)
    #expect(abs(cycle.returnScale - 1 / (6 * 3600.0)) < 1e-12)
    #expect(cycle.hourMean.allSatisfy { abs($0 - 0.85) < 1e-9 })
    #expect(cycle.sessionCurve.weights.allSatisfy { abs($0 - 1) < 1e-9 })
  }

  @Test func theFleetsSessionsKeepTheCurveWhateverTheOnlineShare() throws {
    let cycle = try OnlineCycle(curve: consumer, online: 0.6, offlineSpell: 5 * 3600)
    // An hour's sessions (in units of a device's daily mean rate) are online × weight × 3600 exactly,
    // and a day's are 86,400 × online.
    for hour in 0..<24 {
      let work = cycle.sessionWork(from: Double(hour) * 3600, to: Double(hour + 1) * 3600, dayStart: 0, offset: 0)
      #expect(abs(work - 0.6 * consumer.weights[hour] * 3600) < 1e-6 * 3600)
    }
    // In pieces, the same: the share within an hour is integrated exactly.
    let pieces = stride(from: 0.0, to: 86_400, by: 300).map { cycle.sessionWork(from: $0, to: $0 + 300, dayStart: 7200, offset: -3600) }
    let day: Double = pieces.reduce(0, +)
    #expect(abs(day - 0.6 * 86_400) < 0.1)
  }

  /// Dormant devices' leads are followed window by window: what is left of a lead, and the sessions it
  /// gives, must come out the same whether a span is taken at once or cut in two anywhere.
  @Test func aLeadFollowedInPiecesIsTheLeadFollowedAtOnce() throws {
    let cycle = try OnlineCycle(curve: consumer, online: 0.7, offlineSpell: 4 * 3600)
    let (dayStart, offset) = (5400.0, 7200.0)
    for (start, cut, end) in [(0.0, 300.0, 3600.0), (1000.0, 40_000.0, 90_000.0), (86_000.0, 86_500.0, 3 * 86_400.0 + 17)] {
      let whole = cycle.relaxation(from: start, to: end, dayStart: dayStart, offset: offset)
      let first = cycle.relaxation(from: start, to: cut, dayStart: dayStart, offset: offset)
      let second = cycle.relaxation(from: cut, to: end, dayStart: dayStart, offset: offset)
      #expect(abs(whole - first * second) < 1e-9, "relaxation over \(start)...\(end) cut at \(cut)")
      #expect(whole > 0 && whole < first)
      let sessions = cycle.leadSessionWork(from: start, to: end, dayStart: dayStart, offset: offset)
      let inPieces = cycle.leadSessionWork(from: start, to: cut, dayStart: dayStart, offset: offset)
        + first * cycle.leadSessionWork(from: cut, to: end, dayStart: dayStart, offset: offset)
      #expect(abs(sessions - inPieces) < 1e-6 * sessions, "sessions over \(start)...\(end) cut at \(cut)")
    }
    // A lead is gone after a few days, as a number (not a NaN or an overflow).
    #expect(cycle.relaxation(from: 0, to: 60 * 86_400, dayStart: dayStart, offset: offset) == 0)
  }

  @Test func anOnlineShareTheDayCannotHoldIsRefused() throws {
    // Nobody comes back for 12 hours a day. Spells of an hour at 90% online mean leaving about every 9
    // hours: over a 12-hour night the share falls to about 55% on average, and the day cannot make up
    // for it (at most 77.6%). At 50% online (leaving every hour) it can: at most about 54%.
    let half = DiurnalCurve(Array(repeating: 0, count: 12) + Array(repeating: 1, count: 12))
    #expect(throws: DefinitionError.self) { try OnlineCycle(curve: half, online: 0.9, offlineSpell: 3600) }
    let reachable = try OnlineCycle(curve: half, online: 0.5, offlineSpell: 3600)
    #expect(abs(reachable.hourMean.reduce(0, +) / 24 - 0.5) < 1e-9)
    var fleetDefinition = try definition(smallFleetJSON)
    fleetDefinition.activity.diurnal = Array(repeating: 0, count: 12) + Array(repeating: 1, count: 12)
    fleetDefinition.activity.online = 0.9
    fleetDefinition.activity.offlineSpell = .hours(1)
    do {
      try fleetDefinition.validate()
      Issue.record("an online share the day cannot hold was accepted")
    } catch {
      #expect(error.description == "activity.online: 0.9 cannot be the share of time online: no device comes back in the diurnal curve's hours at 0, and with offline spells of 1h at most 0.7761 is", "\(error)")
    }
  }

  // MARK: The run follows the cycle

  /// Two regions 6 hours apart, 70% online, offline spells of 4 hours, every session an event.
  func model(devices: Int = 6_000, hours: Int = 48, streaming: Bool = false) throws -> FleetModel {
    var json = smallFleetJSON.replacingOccurrences(
      of: #""activity": {"sessionsPerDay": {"median": 24, "spread": 0.3}}"#,
      with: #""activity": {"sessionsPerDay": {"median": 24, "spread": 0.3}, "online": 0.7, "offlineSpell": "4h"}"#)
    #expect(json != smallFleetJSON)
    if streaming {
      json = json.replacingOccurrences(
        of: #"[{"model": "polling", "share": 1, "interval": "15s", "jitter": 0, "network": "0s"}]"#,
        with: #"[{"model": "streaming", "share": 1, "latency": "0s"}]"#)
    }
    let fleet = Fleet(try definition(json), seed: 31, devices: devices)
    return try FleetModel(
      fleet: fleet, flag: "new-checkout", faults: [], baseline: BaselineDefinition(errorRate: 0.01, crashRate: 0, noise: 0),
      telemetry: TelemetryDefinition(flush: .seconds(60), delay: .fixed(5), loss: 0, window: .minutes(5)),
      duration: .hours(hours), startUnixSeconds: 1_772_431_200)
  }

  /// Runs every session as an event, calling `look` with the run at every `step`.
  func watch(_ built: FleetModel, script: [Publication] = [], every step: SimulatedTime, _ look: (SimulatedTime, FleetRun) -> Void) {
    #expect(built.blocks.count == 1)
    let run = FleetRun(model: built, initialState: rollout(0), block: 0, exactSessions: true)
    var simulator = Simulator(handler: run, queue: RadixEventQueue<FleetEvent>(minimumCapacity: built.fleet.count + 1024))
    simulator.prepare()
    simulator.schedule(script)
    var time = SimulatedTime.zero
    look(time, simulator.handler)
    while time < built.duration {
      time = time + step
      // The block stops at each read for the controller, which here reads nothing.
      while simulator.run(until: time) == .stoppedByHandler { simulator.handler.read = nil }
      look(time, simulator.handler)
    }
  }

  @Test func devicesAreOnlineAtTheShareTheirLocalHourHas() throws {
    let built = try model()
    var checked = 0
    watch(built, every: .hours(1)) { time, run in
      for region in 0..<2 {
        let members = (0..<built.fleet.count).filter { built.fleet.region[$0] == region }
        // Marked offline at its last session, a device is away from the spell's start on.
        let offline = members.filter { run.devices[$0].status == .offline && Double(run.devices[$0].since) <= time.seconds }.count
        let expected = 1 - built.cycle.onlineShare(at: time.seconds, dayStart: built.dayStart, offset: run.utcOffsets[region])
        // About 3,000 devices a region: 4 binomial standard deviations.
        let sigma = (expected * (1 - expected) / Double(members.count)).squareRoot()
        let share = Double(offline) / Double(members.count)
        #expect(abs(share - expected) < 4 * sigma, "region \(region) at \(time): \(share) vs \(expected)")
        checked += 1
      }
    }
    #expect(checked == 2 * 49)
    // The swing the test sees is wider than its tolerance.
    let shares = (0..<24).map { built.cycle.onlineShare(at: Double($0) * 3600, dayStart: 0, offset: 0) }
    #expect(shares.max()! - shares.min()! > 0.25, "\(shares)")
  }

  @Test func devicesComeBackInAMorningWave() throws {
    let built = try model(devices: 4_000)
    // Devices coming back, by local hour, counted from 5-minute snapshots (online spells last about 9
    // hours, so few come back and leave again between two); the expectation integrates the return rate
    // times the share offline over the same hours.
    var observed = [Double](repeating: 0, count: 24)
    var expected = [Double](repeating: 0, count: 24)
    var wasOffline = [Bool](repeating: false, count: built.fleet.count)
    let cycle = built.cycle
    watch(built, every: .minutes(5)) { time, run in
      for device in 0..<built.fleet.count {
        let offline = run.devices[device].status == .offline && Double(run.devices[device].since) <= time.seconds
        if wasOffline[device] && !offline {
          let offset = run.utcOffsets[Int(built.fleet.region[device])]
          observed[DiurnalCurve.hour(at: time.seconds - 1, dayStart: built.dayStart, offset: offset).hour] += 1
        }
        wasOffline[device] = offline
      }
      guard time > .zero else { return }
      for region in 0..<2 {
        let members = Double(built.fleet.region.filter { $0 == region }.count)
        for second in stride(from: time.seconds - 300, to: time.seconds, by: 10) {
          let t = second + 5
          let (hour, _) = DiurnalCurve.hour(at: t, dayStart: built.dayStart, offset: run.utcOffsets[region])
          let offline = 1 - cycle.onlineShare(at: t, dayStart: built.dayStart, offset: run.utcOffsets[region])
          let rate = cycle.returnScale * cycle.curve.weights[hour] * offline
          expected[hour] += members * rate * 10
        }
      }
    }
    for hour in 0..<24 {
      let allowed = 4 * expected[hour].squareRoot() + 5
      #expect(abs(observed[hour] - expected[hour]) < allowed, "local hour \(hour): \(observed[hour]) vs \(expected[hour])")
    }
    #expect(observed[8] > 3 * observed[3], "\(observed)")
  }

  @Test func devicesOfflineAtAPushGetItWhenTheyComeBack() throws {
    let built = try model(streaming: true)
    var offlineAtPush: [Int] = []
    var cameBack = 0
    let push = SimulatedTime.hours(2)
    watch(built, script: [Publication(time: push, state: rollout(100), label: "100%")], every: .minutes(30)) { time, run in
      if time == push {
        offlineAtPush = (0..<built.fleet.count).filter {
          run.devices[$0].status == .offline && Double(run.devices[$0].since) <= time.seconds
        }
      }
      guard time > push else { return }
      for device in offlineAtPush {
        // Away at the push, a device holds the old state for as long as it is away (its spell began
        // before the push), and takes the new one once it is back and has a session.
        let record = run.devices[device]
        let stillAway = record.status == .offline && Double(record.since) <= push.seconds
        if stillAway {
          #expect(record.version == 0 && record.arm == 0, "device \(device) at \(time)")
        } else if record.version == 1 {
          #expect(record.arm == 1, "device \(device) at \(time)")
          if time == built.duration { cameBack += 1 }
        }
      }
    }
    #expect(offlineAtPush.count > 1000)
    #expect(cameBack > offlineAtPush.count * 9 / 10)
  }

  @Test func dormantDevicesAdoptAndHaveSessionsAsSimulatedOnesDo() throws {
    let built = try model(hours: 30)
    let script = [Publication(time: .hours(3), state: rollout(40), label: "40%")]
    let (exact, exactDriver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script), exactSessions: true)
    let (bulk, bulkDriver) = FleetRun.run(model: built, initialState: rollout(0), driver: ScriptedDriver(script: script))
    #expect(bulk.sessionsDrawnInBulk > bulk.sessionsSimulated)
    // 27 hours after the push, nearly every device in its 40% has had a session and taken it (those
    // away the whole time are about e^-27/4 of them), on both paths. Devices that came back and left
    // again before a session once drew the same spell forever: they never took it.
    let (finalA, finalB) = (Double(exact.windows.last!.devicesExposed), Double(bulk.windows.last!.devicesExposed))
    #expect(abs(finalA - finalB) < 20, "\(finalA) vs \(finalB)")
    // How fast the push reaches a fleet whose devices come and go: devices of the 40% not exposed yet,
    // window by window, binomial on each path, 4 sigma.
    let all = max(finalA, finalB)
    for (a, b) in zip(exact.windows, bulk.windows) where a.end > .hours(3) {
      let (waitingA, waitingB) = (all - Double(a.devicesExposed), all - Double(b.devicesExposed))
      let allowed = 4 * (waitingA + waitingB).squareRoot() + 10
      #expect(abs(waitingA - waitingB) < allowed, "at \(a.end): \(a.devicesExposed) vs \(b.devicesExposed)")
    }
    // Sessions hour by hour (twelve 5-minute windows), per arm: about 1,000 to 4,000 an hour, Poisson,
    // 4 sigma. The treatment is made of devices that have just had a session, so are likelier online
    // than the fleet for a few hours: drawn in bulk as the fleet's share alone, it came out 10-20% short.
    func hourly(_ windows: [TelemetryWindow], treatment: Bool) -> [Double] {
      stride(from: 0, to: windows.count - 12, by: 12).map { start -> Double in
        windows[start..<start + 12].reduce(0.0) { total, window in total + Double(window.counts(treatment: treatment).sessions) }
      }
    }
    for treatment in [false, true] {
      for (hour, (a, b)) in zip(hourly(exactDriver.windows, treatment: treatment), hourly(bulkDriver.windows, treatment: treatment)).enumerated() {
        let allowed: Double = 4 * (a + b).squareRoot()
        #expect(abs(a - b) <= allowed, "hour \(hour), treatment \(treatment): \(a) vs \(b)")
      }
    }
  }
}
