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
  /// Devices in the fleet.
  public var count: Int { definition.devices }
  /// The devices whose attributes this fleet holds: all of them, but in a run over MPI ranks, where a rank
  /// holds only its own blocks' devices. Columns are indexed by the device's number in the whole fleet.
  public let held: Range<Int>
  /// Devices per value of the attributes the report counts, over the whole fleet (held or not).
  public private(set) var totals = AttributeTotals()

  // Attribute columns, one entry per device. Small integers index the name tables below.
  public internal(set) var platform = FleetColumn<UInt8>()
  public internal(set) var hardware = FleetColumn<UInt8>()
  public internal(set) var firmware = FleetColumn<UInt16>()
  public internal(set) var appVersion = FleetColumn<UInt16>()
  public internal(set) var region = FleetColumn<UInt8>()
  public internal(set) var cohort = FleetColumn<UInt8>()
  public internal(set) var tier = FleetColumn<UInt8>()
  /// The household a device belongs to: its Unleash `userId`, shared by its devices with the region,
  /// cohort and tier.
  public internal(set) var user = FleetColumn<UInt32>()
  public internal(set) var sessionsPerDay = FleetColumn<Float>()
  /// Index into `definition.sync`.
  public internal(set) var syncModel = FleetColumn<UInt8>()

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
  /// `holding`: the devices whose attributes to keep (nil: all); every device is drawn all the same, for
  /// the totals.
  public init(_ definition: FleetDefinition, seed: UInt64, devices: Int? = nil, holding: Range<Int>? = nil) {
    var definition = definition
    if let devices { definition.devices = devices }
    self.definition = definition
    self.seed = seed
    held = (holding ?? 0..<definition.devices).clamped(to: 0..<definition.devices)
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
    let held = self.held
    platform = FleetColumn(held)
    hardware = FleetColumn(held)
    firmware = FleetColumn(held)
    appVersion = FleetColumn(held)
    region = FleetColumn(held)
    cohort = FleetColumn(held)
    tier = FleetColumn(held)
    user = FleetColumn(held)
    sessionsPerDay = FleetColumn(held)
    syncModel = FleetColumn(held)

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

    // Columns are written through raw pointers from several threads, each a disjoint range of devices,
    // at the device's place in the held range; each chunk counts its devices' attributes for the totals.
    let chunks = max(1, min(64, n / 65_536))
    let counted = ResultSlots<AttributeTotals>(count: chunks)
    let shape = AttributeTotals(
      platforms: platformNames.count, hardware: definition.hardwareGenerations.count, regions: definition.regions.count,
      cohorts: definition.cohorts.count, syncModels: definition.sync.count)
    platform.values.withUnsafeMutableBufferPointer { platform in
    hardware.values.withUnsafeMutableBufferPointer { hardware in
    firmware.values.withUnsafeMutableBufferPointer { firmware in
    appVersion.values.withUnsafeMutableBufferPointer { appVersion in
    region.values.withUnsafeMutableBufferPointer { region in
    cohort.values.withUnsafeMutableBufferPointer { cohort in
    tier.values.withUnsafeMutableBufferPointer { tier in
    user.values.withUnsafeMutableBufferPointer { user in
    sessionsPerDay.values.withUnsafeMutableBufferPointer { sessionsPerDay in
    syncModel.values.withUnsafeMutableBufferPointer { syncModel in
      let columns = UnsafeColumns(
        platform: platform, hardware: hardware, firmware: firmware, appVersion: appVersion, region: region,
        cohort: cohort, tier: tier, user: user, sessionsPerDay: sessionsPerDay, syncModel: syncModel)
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let range = (n * chunk / chunks)..<(n * (chunk + 1) / chunks)
        var totals = shape
        for device in range {
          // The household's attributes, the same for each of its devices.
          let household = Self.household(of: device, devicesPerUser: perUser)
          var shared = RandomStream(seed: seed, entity: UInt64(household), purpose: Self.householdPurpose)
          let r = regions.sample(&shared)
          let c = cohorts.sample(&shared)
          let t = tiers.sample(&shared)
          // The device's own.
          var random = RandomStream(seed: seed, entity: UInt64(device), purpose: Self.purpose)
          let p = platforms.sample(&random)
          let h = hardwareChoice.sample(&random)
          let f = firmwareChoice[h].1[firmwareChoice[h].0.sample(&random)]
          let a = appChoice[p].1[appChoice[p].0.sample(&random)]
          let sync = syncs.sample(&random)
          let perDay = Float(max(sessions.sample(&random), 0.01))
          totals.count(platform: p, hardware: h, region: r, cohort: c, syncModel: sync)
          guard held.contains(device) else { continue }
          let i = device - held.lowerBound
          (columns.user[i], columns.region[i], columns.cohort[i], columns.tier[i]) = (UInt32(household), UInt8(r), UInt8(c), UInt8(t))
          (columns.platform[i], columns.hardware[i], columns.firmware[i], columns.appVersion[i]) = (UInt8(p), UInt8(h), f, a)
          (columns.syncModel[i], columns.sessionsPerDay[i]) = (UInt8(sync), perDay)
        }
        counted.store(chunk, totals)
      }
    }}}}}}}}}}
    totals = counted.values.reduce(shape) { $0.adding($1) }
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
/// One attribute of the devices a fleet holds, indexed by the device's number in the whole fleet.
public struct FleetColumn<Value: Sendable>: RandomAccessCollection, Sendable {
  public let startIndex: Int
  var values: [Value]

  init() {
    startIndex = 0
    values = []
  }

  init(_ held: Range<Int>) where Value: Numeric {
    startIndex = held.lowerBound
    values = [Value](repeating: 0, count: held.count)
  }

  /// A column of `values`, the first of them device `first`'s.
  public init(_ values: [Value], first: Int = 0) {
    startIndex = first
    self.values = values
  }

  public var endIndex: Int { startIndex + values.count }

  @inline(__always)
  public subscript(device: Int) -> Value { values[device - startIndex] }
}

/// Devices per value of the attributes a report counts, over a whole fleet.
public struct AttributeTotals: Sendable {
  public var platforms: [Int] = []
  public var hardware: [Int] = []
  public var regions: [Int] = []
  public var cohorts: [Int] = []
  public var syncModels: [Int] = []

  init() {}

  init(platforms: Int, hardware: Int, regions: Int, cohorts: Int, syncModels: Int) {
    self.platforms = Array(repeating: 0, count: platforms)
    self.hardware = Array(repeating: 0, count: hardware)
    self.regions = Array(repeating: 0, count: regions)
    self.cohorts = Array(repeating: 0, count: cohorts)
    self.syncModels = Array(repeating: 0, count: syncModels)
  }

  @inline(__always)
  mutating func count(platform: Int, hardware h: Int, region: Int, cohort: Int, syncModel: Int) {
    platforms[platform] += 1
    hardware[h] += 1
    regions[region] += 1
    cohorts[cohort] += 1
    syncModels[syncModel] += 1
  }

  func adding(_ other: AttributeTotals) -> AttributeTotals {
    func add(_ a: [Int], _ b: [Int]) -> [Int] { zip(a, b).map(+) }
    var sum = self
    sum.platforms = add(platforms, other.platforms)
    sum.hardware = add(hardware, other.hardware)
    sum.regions = add(regions, other.regions)
    sum.cohorts = add(cohorts, other.cohorts)
    sum.syncModels = add(syncModels, other.syncModels)
    return sum
  }
}

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
