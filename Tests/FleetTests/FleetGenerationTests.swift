import Foundation
import Simulation
import Testing

@testable import Fleet

@Suite struct FleetGenerationTests {
  @Test func sharesFollowTheDefinition() throws {
    let fleet = Fleet(try definition(smallFleetJSON), seed: 7)
    let n = Double(fleet.count)
    func share<T: FixedWidthInteger & Sendable>(_ column: FleetColumn<T>, _ value: T) -> Double { Double(column.filter { $0 == value }.count) / n }
    // Binomial standard error at n = 20,000 is at most 0.0035; allow 5 of them.
    #expect(abs(share(fleet.platform, 0) - 0.6) < 0.018)
    #expect(abs(share(fleet.hardware, 1) - 0.3) < 0.018)
    #expect(abs(share(fleet.cohort, 2) - 0.9) < 0.018)
    #expect(abs(share(fleet.region, 0) - 0.5) < 0.018)
  }

  @Test func olderHardwareRunsItsOwnFirmware() throws {
    let fleet = Fleet(try definition(smallFleetJSON), seed: 7)
    for device in 0..<fleet.count {
      let firmware = fleet.firmwareNames[Int(fleet.firmware[device])]
      switch fleet.hardware[device] {
      case 0: #expect(firmware == "3.0.0")
      case 1: #expect(firmware.hasPrefix("4."))
      default: #expect(firmware == "5.0.0")
      }
    }
  }

  @Test(arguments: [1.0, 2.5])
  func aDeviceIsTheSameWhateverTheFleetSize(devicesPerUser: Double) throws {
    var fleetDefinition = try definition(smallFleetJSON)
    fleetDefinition.devicesPerUser = devicesPerUser
    let small = Fleet(fleetDefinition, seed: 7, devices: 1000)
    let large = Fleet(fleetDefinition, seed: 7, devices: 200_000)
    for device in 0..<1000 {
      #expect(small.attributes(of: device) == large.attributes(of: device))
      #expect(small.sessionsPerDay[device] == large.sessionsPerDay[device])
      #expect(small.syncModel[device] == large.syncModel[device])
    }
    let other = Fleet(fleetDefinition, seed: 8, devices: 1000)
    #expect((0..<1000).contains { other.attributes(of: $0) != small.attributes(of: $0) })
  }

  /// A rank of a run over MPI holds only its own blocks' devices: the same devices as the whole fleet's,
  /// and the whole fleet's totals.
  @Test func aFleetHoldingARangeHasTheWholeFleetsDevicesThereAndItsTotals() throws {
    let fleetDefinition = try definition(smallFleetJSON)
    let whole = Fleet(fleetDefinition, seed: 4, devices: 200_000)
    let part = Fleet(fleetDefinition, seed: 4, devices: 200_000, holding: 70_000..<130_000)
    #expect(part.count == 200_000 && part.held == 70_000..<130_000)
    #expect(part.region.indices == 70_000..<130_000)
    for device in stride(from: 70_000, to: 130_000, by: 7) {
      #expect(part.attributes(of: device) == whole.attributes(of: device))
      #expect(part.sessionsPerDay[device] == whole.sessionsPerDay[device])
    }
    // Totals are over every device, held or not, and they are the whole fleet's counts.
    var cohorts = [Int](repeating: 0, count: 3)
    for cohort in whole.cohort { cohorts[Int(cohort)] += 1 }
    #expect(part.totals.cohorts == cohorts && whole.totals.cohorts == cohorts)
    var syncs = [Int](repeating: 0, count: fleetDefinition.sync.count)
    for sync in whole.syncModel { syncs[Int(sync)] += 1 }
    #expect(part.totals.syncModels == syncs)
    #expect(part.totals.platforms == whole.totals.platforms && part.totals.hardware == whole.totals.hardware)
    #expect(part.totals.regions == whole.totals.regions && part.totals.regions.reduce(0, +) == 200_000)
  }

  @Test func householdsShareAUserId() throws {
    var fleetDefinition = try definition(smallFleetJSON)
    fleetDefinition.devicesPerUser = 2
    let fleet = Fleet(fleetDefinition, seed: 1, devices: 1000)
    #expect(Set(fleet.user).count == 500)
  }

  @Test func aHouseholdsDevicesShareItsRegionCohortAndTier() throws {
    var fleetDefinition = try definition(smallFleetJSON)
    fleetDefinition.devicesPerUser = 3.05  // Sonos: products per household
    fleetDefinition.tiers = Shares([("free", 0.5), ("plus", 0.5)])
    let fleet = Fleet(fleetDefinition, seed: 3, devices: 30_000)
    var households: [UInt32: (region: UInt8, cohort: UInt8, tier: UInt8, devices: Int)] = [:]
    for device in 0..<fleet.count {
      let mine = (fleet.region[device], fleet.cohort[device], fleet.tier[device])
      if let first = households[fleet.user[device]] {
        #expect(first.region == mine.0 && first.cohort == mine.1 && first.tier == mine.2, "device \(device)")
        households[fleet.user[device]]!.devices += 1
      } else {
        households[fleet.user[device]] = (mine.0, mine.1, mine.2, 1)
      }
    }
    #expect(abs(Double(fleet.count) / Double(households.count) - 3.05) < 0.01)
    // Devices still differ within a household: its members have their own hardware and platform.
    let mixed = (1..<fleet.count).filter { fleet.user[$0] == fleet.user[$0 - 1] && fleet.hardware[$0] != fleet.hardware[$0 - 1] }
    #expect(mixed.count > 1000)
    // The shares hold per device: cohorts drawn per household of about 3 devices, so the standard
    // error is about 1.7 times a device draw's (0.0017 at 30,000 devices for the 90% cohort); 5 of them.
    #expect(abs(Double(fleet.cohort.filter { $0 == 2 }.count) / Double(fleet.count) - 0.9) < 0.015)
    #expect(abs(Double(fleet.region.filter { $0 == 0 }.count) / Double(fleet.count) - 0.5) < 0.03)
  }

  @Test func definitionErrorsNameThePlace() throws {
    func refusal(_ edit: (inout FleetDefinition) -> Void) throws -> String? {
      var fleetDefinition = try definition(smallFleetJSON)
      edit(&fleetDefinition)
      do {
        try fleetDefinition.validate()
        return nil
      } catch { return error.description }
    }
    #expect(try refusal { $0.cohorts[2].share = 1.4 } == "cohorts[2].share: 1.4 is not a fraction in 0...1")
    #expect(try refusal { $0.cohorts[2].share = 0.5 } == "cohorts: shares add up to 0.6, expected 1")
    #expect(try refusal { $0.regions[0].utcOffset = 20 } == "regions[0].utcOffset: 20 is not a UTC offset in -12...14 hours")
    #expect(try refusal { $0.activity.diurnal = [1, 2] } == "activity.diurnal: has 2 weights, expected 24 (one per hour)")
    #expect(try refusal { $0.devices = 0 } == "devices: 0 is not a fleet size in 1...1000000000")
    #expect(try refusal { _ in } == nil)
  }

  @Test func attributeColumnsStayWithinTheirBudget() {
    // Issue 3: at most 64 bytes a device (attribute columns and a run's dynamic state), plus the queue.
    #expect(Fleet.bytesPerDevice + FleetRun.dynamicBytesPerDevice <= 64)
    // A device's run state is one record of 40 bytes (DeviceRecord.swift): a field added where padding
    // was must not grow it.
    #expect(FleetRun.dynamicBytesPerDevice <= 40)
  }
}

@Suite struct DiurnalCurveTests {
  @Test func advanceInvertsWork() {
    let curve = DiurnalCurve.consumer
    for (start, work) in [(0.0, 10.0), (3000.0, 7200.0), (86_000.0, 50_000.0), (12_345.0, 0.5)] {
      let end = curve.advance(from: start, work: work, dayStart: 21_600, offset: 3600, limit: 1e9)
      #expect(abs(curve.work(from: start, to: end, dayStart: 21_600, offset: 3600) - work) < 1e-6 * max(1, work))
    }
  }

  @Test func advancingAcrossLocalMidnightAlwaysMovesOn() {
    // A region whose local time rounds to exactly midnight (found hanging a run that started at 04:09 UTC
    // with a UTC-5 region), and times far into a run where a tiny remainder vanishes when added.
    let curve = DiurnalCurve.consumer
    let dayStart = 4 * 3600.0 + 9 * 60
    let offset = -5 * 3600.0
    let midnight = 86_400 - (dayStart + offset).truncatingRemainder(dividingBy: 86_400)
    for time in [midnight, midnight.nextDown, midnight.nextDown.nextDown, 30 * 86_400 + midnight.nextDown] {
      let next = curve.advance(from: time, work: 10, dayStart: dayStart, offset: offset, limit: time + 86_400)
      #expect(next > time && next < time + 86_400)
      #expect(curve.work(from: time, to: time + 7200, dayStart: dayStart, offset: offset) > 0)
    }
  }

  @Test func aDayAveragesToOne() {
    let curve = DiurnalCurve.consumer
    #expect(abs(curve.work(from: 0, to: 86_400, dayStart: 0, offset: 0) - 86_400) < 1e-6)
    // Night is quieter than evening, in local time.
    #expect(curve.weights[3] < curve.weights[20])
  }
}
