import Dispatch
import FlagEngine
import Simulation

/// A fleet of devices: their attributes in struct-of-arrays columns, generated from a definition and a
/// seed. Devices live in households (`devicesPerUser` of them on average, consecutive devices): a
/// household draws its user id, region, cohort and tier, which all its devices share (all the speakers
/// in a home upgrade together), and each device draws the rest (platform, hardware, firmware, app
/// version, sync model, sessions a day). Each household and each device draws from its own random
/// stream, so device `i` is the same device whatever the fleet's size or how it is cut into partitions.
///
/// Static attributes take 19 bytes a device (see `bytesPerDevice`); a run adds its dynamic state.
public struct Fleet: Sendable {
  public let definition: FleetDefinition
  public let seed: UInt64
  public var count: Int { sessionsPerDay.count }

  // Attribute columns, one entry per device. Small integers index the name tables below.
  public internal(set) var platform: [UInt8] = []
  public internal(set) var hardware: [UInt8] = []
  public internal(set) var firmware: [UInt16] = []
  public internal(set) var appVersion: [UInt16] = []
  public internal(set) var region: [UInt8] = []
  public internal(set) var cohort: [UInt8] = []
  public internal(set) var tier: [UInt8] = []
  /// The household a device belongs to: its Unleash `userId`, shared by its devices with the region,
  /// cohort and tier.
  public internal(set) var user: [UInt32] = []
  public internal(set) var sessionsPerDay: [Float] = []
  /// Index into `definition.sync`.
  public internal(set) var syncModel: [UInt8] = []

  /// Name tables for the columns above.
  public let platformNames: [String]
  public let firmwareNames: [String]
  public let appVersionNames: [String]
  public let tierNames: [String]
  public var cohortNames: [String] { definition.cohorts.map(\.name) }
  public var regionNames: [String] { definition.regions.map(\.name) }

  /// Bytes of attribute columns per device.
  public static let bytesPerDevice = 1 + 1 + 2 + 2 + 1 + 1 + 1 + 4 + 4 + 1

  static let purpose = StreamPurpose("fleet.attributes")
  /// A household's attributes (entity: the household).
  static let householdPurpose = StreamPurpose("fleet.household")

  /// The household of `device`: consecutive devices share one, `devicesPerUser` on average.
  @inline(__always)
  static func household(of device: Int, devicesPerUser: Double) -> Int { Int(Double(device) / devicesPerUser) }

  /// Generates the fleet. Uses every core: devices are independent.
  ///
  /// - Complexity: O(devices).
  public init(_ definition: FleetDefinition, seed: UInt64, devices: Int? = nil) {
    var definition = definition
    if let devices { definition.devices = devices }
    self.definition = definition
    self.seed = seed
    platformNames = definition.platforms.names
    tierNames = definition.tiers.names
    var firmware: [String] = []
    for generation in definition.hardwareGenerations {
      for name in generation.firmware.names where !firmware.contains(name) { firmware.append(name) }
    }
    firmwareNames = firmware
    var apps: [String] = []
    for key in definition.appVersions.keys.sorted() {
      for name in definition.appVersions[key]!.names where !apps.contains(name) { apps.append(name) }
    }
    appVersionNames = apps
    generate()
  }

  private mutating func generate() {
    let n = definition.devices
    platform = [UInt8](repeating: 0, count: n)
    hardware = [UInt8](repeating: 0, count: n)
    firmware = [UInt16](repeating: 0, count: n)
    appVersion = [UInt16](repeating: 0, count: n)
    region = [UInt8](repeating: 0, count: n)
    cohort = [UInt8](repeating: 0, count: n)
    tier = [UInt8](repeating: 0, count: n)
    user = [UInt32](repeating: 0, count: n)
    sessionsPerDay = [Float](repeating: 0, count: n)
    syncModel = [UInt8](repeating: 0, count: n)

    let platforms = Cumulative(definition.platforms.weights)
    let hardwareChoice = Cumulative(definition.hardwareGenerations.map(\.share))
    let firmwareChoice = definition.hardwareGenerations.map { generation in
      (Cumulative(generation.firmware.weights), generation.firmware.names.map { UInt16(firmwareNames.firstIndex(of: $0)!) })
    }
    let appChoice = platformNames.map { name in
      let shares = definition.appVersions[name] ?? definition.appVersions["default"]!
      return (Cumulative(shares.weights), shares.names.map { UInt16(appVersionNames.firstIndex(of: $0)!) })
    }
    let regions = Cumulative(definition.regions.map(\.share))
    let cohorts = Cumulative(definition.cohorts.map(\.share))
    let tiers = Cumulative(definition.tiers.weights)
    let syncs = Cumulative(definition.sync.map(\.share))
    let sessions = definition.activity.sessionsPerDay
    let perUser = definition.devicesPerUser
    let seed = self.seed

    // Columns are written through raw pointers from two threads, each a disjoint range of devices.
    let chunks = max(1, min(64, n / 65_536))
    platform.withUnsafeMutableBufferPointer { platform in
    hardware.withUnsafeMutableBufferPointer { hardware in
    firmware.withUnsafeMutableBufferPointer { firmware in
    appVersion.withUnsafeMutableBufferPointer { appVersion in
    region.withUnsafeMutableBufferPointer { region in
    cohort.withUnsafeMutableBufferPointer { cohort in
    tier.withUnsafeMutableBufferPointer { tier in
    user.withUnsafeMutableBufferPointer { user in
    sessionsPerDay.withUnsafeMutableBufferPointer { sessionsPerDay in
    syncModel.withUnsafeMutableBufferPointer { syncModel in
      let columns = UnsafeColumns(
        platform: platform, hardware: hardware, firmware: firmware, appVersion: appVersion, region: region,
        cohort: cohort, tier: tier, user: user, sessionsPerDay: sessionsPerDay, syncModel: syncModel)
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let range = (n * chunk / chunks)..<(n * (chunk + 1) / chunks)
        for device in range {
          // The household's attributes, the same for each of its devices.
          let household = Self.household(of: device, devicesPerUser: perUser)
          var shared = RandomStream(seed: seed, entity: UInt64(household), purpose: Self.householdPurpose)
          columns.user[device] = UInt32(household)
          columns.region[device] = UInt8(regions.sample(&shared))
          columns.cohort[device] = UInt8(cohorts.sample(&shared))
          columns.tier[device] = UInt8(tiers.sample(&shared))
          // The device's own.
          var random = RandomStream(seed: seed, entity: UInt64(device), purpose: Self.purpose)
          let p = platforms.sample(&random)
          columns.platform[device] = UInt8(p)
          let h = hardwareChoice.sample(&random)
          columns.hardware[device] = UInt8(h)
          columns.firmware[device] = firmwareChoice[h].1[firmwareChoice[h].0.sample(&random)]
          columns.appVersion[device] = appChoice[p].1[appChoice[p].0.sample(&random)]
          columns.syncModel[device] = UInt8(syncs.sample(&random))
          columns.sessionsPerDay[device] = Float(max(sessions.sample(&random), 0.01))
        }
      }
    }}}}}}}}}}
  }

  /// The attributes of one device as context values (what fault predicates and reports read).
  public func attributes(of device: Int) -> [String: String] {
    [
      "deviceId": "d\(device)", "userId": "u\(user[device])",
      "hardwareGeneration": String(definition.hardwareGenerations[Int(hardware[device])].generation),
      "firmwareVersion": firmwareNames[Int(firmware[device])], "appVersion": appVersionNames[Int(appVersion[device])],
      "agentVersion": appVersionNames[Int(appVersion[device])], "platform": platformNames[Int(platform[device])],
      "region": regionNames[Int(region[device])], "cohort": cohortNames[Int(cohort[device])],
      "tier": tierNames[Int(tier[device])],
    ]
  }
}

/// Raw column pointers for the parallel fill; each thread writes its own range of devices.
private struct UnsafeColumns: @unchecked Sendable {
  let platform: UnsafeMutableBufferPointer<UInt8>
  let hardware: UnsafeMutableBufferPointer<UInt8>
  let firmware: UnsafeMutableBufferPointer<UInt16>
  let appVersion: UnsafeMutableBufferPointer<UInt16>
  let region: UnsafeMutableBufferPointer<UInt8>
  let cohort: UnsafeMutableBufferPointer<UInt8>
  let tier: UnsafeMutableBufferPointer<UInt8>
  let user: UnsafeMutableBufferPointer<UInt32>
  let sessionsPerDay: UnsafeMutableBufferPointer<Float>
  let syncModel: UnsafeMutableBufferPointer<UInt8>
}

/// A discrete choice by cumulative weights: O(log n) per draw, n is small.
struct Cumulative: Sendable {
  let bounds: [Double]

  init(_ weights: [Double]) {
    var total = 0.0
    var bounds: [Double] = []
    for weight in weights {
      total += weight
      bounds.append(total)
    }
    self.bounds = bounds.map { $0 / total }
  }

  @inline(__always)
  func sample(_ random: inout RandomStream) -> Int {
    let u = random.nextDouble()
    var low = 0
    var high = bounds.count - 1
    while low < high {
      let middle = (low + high) / 2
      if u < bounds[middle] { high = middle } else { low = middle + 1 }
    }
    return low
  }
}
