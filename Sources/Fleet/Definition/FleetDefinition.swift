import Simulation
import Telemetry
import Delivery
/// A fleet as a scenario describes it: how many devices and how their attributes are distributed.
///
/// Attributes are correlated where real fleets are: each hardware generation has its own firmware
/// distribution (older hardware runs older firmware), each platform its own app versions.
public struct FleetDefinition: Sendable, Decodable {
  /// The largest fleet a run takes: device numbers and user ids are 32-bit. Whether it fits in this
  /// machine's memory is checked when a run starts (``ScenarioRunner``).
  public static let maximumDevices = 1_000_000_000
  public var devices: Int
  /// Platform names and shares, e.g. `{android: 0.6, ios: 0.4}`.
  public var platforms: Shares
  public var hardwareGenerations: [HardwareGeneration]
  /// App (or agent) versions per platform; `default` applies to platforms not listed.
  public var appVersions: [String: Shares]
  public var regions: [Region]
  public var cohorts: [Cohort]
  /// Customer tiers, e.g. `{free: 0.8, pro: 0.2}`.
  public var tiers: Shares
  /// Mean devices per household (a home's speakers, a person's phone and tablet): a household has one
  /// user id, region, cohort and tier, shared by its devices; 1 gives every device its own.
  public var devicesPerUser: Double
  public var activity: Activity
  public var sync: [SyncShare]
  /// Who repairs devices that need it by hand; `nil`: nobody, they stay down to the end of the run.
  public var repair: Repair?

  public struct HardwareGeneration: Sendable, Decodable {
    public var generation: Int
    public var share: Double
    /// Firmware versions (semver) and their shares on this generation.
    public var firmware: Shares
  }

  public struct Region: Sendable, Decodable {
    public var name: String
    public var share: Double
    /// Hours from UTC (may be fractional), for the diurnal curve.
    public var utcOffset: Double
  }

  public struct Cohort: Sendable, Decodable {
    public var name: String
    public var share: Double
  }

  /// When devices are active.
  public struct Activity: Sendable, Decodable {
    /// Sessions per day of a device (drawn once per device).
    public var sessionsPerDay: Distribution
    /// 24 relative weights, hour 0 to 23 local time; `nil` gives a typical consumer curve.
    public var diurnal: [Double]?
    /// Share of time a device is online, over a day; offline spells last `offlineSpell` on average, and
    /// end (a device comes back, boots) at a rate that follows the diurnal curve (``OnlineCycle``).
    public var online: Double
    public var offlineSpell: TimeSpan
    /// How long a session lasts: what a session a fault makes fail counts as failed time.
    public var sessionLength: TimeSpan

    enum CodingKeys: String, CodingKey { case sessionsPerDay, diurnal, online, offlineSpell, sessionLength }
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      sessionsPerDay = try c.decodeIfPresent(Distribution.OfCounts.self, forKey: .sessionsPerDay)?.distribution ?? .logNormal(median: 8, sigma: 0.6)
      diurnal = try c.decodeIfPresent([Double].self, forKey: .diurnal)
      online = try c.decodeIfPresent(Double.self, forKey: .online) ?? 1
      offlineSpell = try c.decodeIfPresent(TimeSpan.self, forKey: .offlineSpell) ?? .hours(2)
      sessionLength = try c.decodeIfPresent(TimeSpan.self, forKey: .sessionLength) ?? .minutes(5)
    }
    public init(
      sessionsPerDay: Distribution, diurnal: [Double]? = nil, online: Double = 1, offlineSpell: TimeSpan = .hours(2),
      sessionLength: TimeSpan = .minutes(5)
    ) {
      self.sessionsPerDay = sessionsPerDay
      self.diurnal = diurnal
      self.online = online
      self.offlineSpell = offlineSpell
      self.sessionLength = sessionLength
    }
  }

  /// Manual repair as a process: each region's technicians get to the devices that need them in the
  /// order those went down, at a capacity that ramps up from nothing as the incident begins; a device is
  /// back some time after its technician gets to it. The wait counts as failed time.
  public struct Repair: Sendable, Decodable {
    /// At full strength, a region's technicians get to this share of the region's devices an hour
    /// (IT staff in proportion to the devices they look after, so `--devices` does not change it).
    public var sharePerHour: Double
    /// Capacity grows linearly from 0 to full over this time, from the region's first device that
    /// needs repair (technicians are called in, recovery tools are published).
    public var rampUp: TimeSpan
    /// How long a device stays down once its technician gets to it (a distribution of durations: most
    /// are quick, some wait for a recovery key, a part, a visit to a remote site).
    public var duration: Distribution

    public init(sharePerHour: Double, rampUp: TimeSpan = .zero, duration: Distribution = .fixed(0)) {
      self.sharePerHour = sharePerHour
      self.rampUp = rampUp
      self.duration = duration
    }

    enum CodingKeys: String, CodingKey { case sharePerHour, rampUp, duration }
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      sharePerHour = try c.decode(Double.self, forKey: .sharePerHour)
      rampUp = try c.decodeIfPresent(TimeSpan.self, forKey: .rampUp) ?? .zero
      duration = try c.decodeIfPresent(Distribution.OfDurations.self, forKey: .duration)?.distribution ?? .fixed(0)
    }

    func validate() throws(DefinitionError) {
      try Check.within(sharePerHour, 1e-9...1, "sharePerHour", "a share of a region's devices an hour")
      try Check.within(rampUp, .zero...TimeSpan.days(30), "rampUp")
      try Check.within(duration, .zero...TimeSpan.days(365), "duration")
    }
  }

  /// One way devices receive new flag states (an SDK class), the share of devices that use it, and how
  /// its SDK retries after a failed request (nil: the capacity section's `retry`).
  public struct SyncShare: Sendable, Decodable {
    public var model: SyncModel
    public var share: Double
    public var retry: RetryDefinition?

    enum CodingKeys: String, CodingKey { case share, retry }
    public init(from decoder: any Decoder) throws {
      model = try SyncModel(from: decoder)
      let c = try decoder.container(keyedBy: CodingKeys.self)
      share = try c.decode(Double.self, forKey: .share)
      retry = try c.decodeIfPresent(RetryDefinition.self, forKey: .retry)
    }
    public init(model: SyncModel, share: Double, retry: RetryDefinition? = nil) {
      self.model = model
      self.share = share
      self.retry = retry
    }
  }

  enum CodingKeys: String, CodingKey {
    case devices, platforms, hardwareGenerations, appVersions, regions, cohorts, tiers, devicesPerUser, activity, sync, repair
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    devices = try c.decode(Int.self, forKey: .devices)
    platforms = try c.decodeIfPresent(Shares.self, forKey: .platforms) ?? Shares([("default", 1)])
    hardwareGenerations = try c.decodeIfPresent([HardwareGeneration].self, forKey: .hardwareGenerations)
      ?? [HardwareGeneration(generation: 1, share: 1, firmware: Shares([("1.0.0", 1)]))]
    appVersions = try c.decodeIfPresent([String: Shares].self, forKey: .appVersions) ?? ["default": Shares([("1.0.0", 1)])]
    regions = try c.decodeIfPresent([Region].self, forKey: .regions) ?? [Region(name: "default", share: 1, utcOffset: 0)]
    cohorts = try c.decodeIfPresent([Cohort].self, forKey: .cohorts) ?? [Cohort(name: "public", share: 1)]
    tiers = try c.decodeIfPresent(Shares.self, forKey: .tiers) ?? Shares([("default", 1)])
    devicesPerUser = try c.decodeIfPresent(Double.self, forKey: .devicesPerUser) ?? 1
    activity = try c.decodeIfPresent(Activity.self, forKey: .activity) ?? Activity(sessionsPerDay: .logNormal(median: 8, sigma: 0.6))
    sync = try c.decodeIfPresent([SyncShare].self, forKey: .sync) ?? [SyncShare(model: .polling(interval: .seconds(15), jitter: 0.1, network: .fixed(0.05)), share: 1)]
    repair = try c.decodeIfPresent(Repair.self, forKey: .repair)
  }

  /// Checks every value; the error names the field, relative to the fleet section.
  public func validate() throws(DefinitionError) {
    guard devices >= 1 && devices <= Self.maximumDevices else {
      throw DefinitionError("devices", "\(devices) is not a fleet size in 1...\(Self.maximumDevices)")
    }
    try platforms.validate("platforms")
    try Check.notEmpty(hardwareGenerations, "hardwareGenerations")
    try Check.shares(hardwareGenerations.map(\.share), "hardwareGenerations") { "[\($0)].share" }
    for (index, generation) in hardwareGenerations.enumerated() {
      try Check.within(generation.generation, 0...10_000, "hardwareGenerations[\(index)].generation", "a generation number")
      try generation.firmware.validate("hardwareGenerations[\(index)].firmware", versions: true)
    }
    let generations = hardwareGenerations.map(\.generation)
    if let duplicate = generations.first(where: { generation in generations.filter { $0 == generation }.count > 1 }) {
      throw DefinitionError("hardwareGenerations", "generation \(duplicate) is listed twice")
    }
    for name in appVersions.keys.sorted() { try appVersions[name]!.validate("appVersions.\(name)", versions: true) }
    for name in platforms.names where appVersions[name] == nil && appVersions["default"] == nil {
      throw DefinitionError("appVersions", "no versions for platform '\(name)' and no 'default' entry")
    }
    try Check.notEmpty(regions, "regions")
    try Check.shares(regions.map(\.share), "regions") { "[\($0)].share" }
    for (index, region) in regions.enumerated() where !(-12...14).contains(region.utcOffset) {
      throw DefinitionError("regions[\(index)].utcOffset", "\(Check.format(region.utcOffset)) is not a UTC offset in -12...14 hours")
    }
    let regionNames = regions.map(\.name)
    if let duplicate = regionNames.first(where: { name in regionNames.filter { $0 == name }.count > 1 }) {
      throw DefinitionError("regions", "the region '\(duplicate)' is listed twice")
    }
    for (index, region) in regions.enumerated() where region.name.isEmpty {
      throw DefinitionError("regions[\(index)].name", "must not be empty")
    }
    for (index, cohort) in cohorts.enumerated() where cohort.name.isEmpty {
      throw DefinitionError("cohorts[\(index)].name", "must not be empty")
    }
    try Check.notEmpty(cohorts, "cohorts")
    try Check.shares(cohorts.map(\.share), "cohorts") { "[\($0)].share" }
    let names = cohorts.map(\.name)
    if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
      throw DefinitionError("cohorts", "the cohort '\(duplicate)' is listed twice")
    }
    try tiers.validate("tiers")
    guard devicesPerUser >= 1 && devicesPerUser <= 100 else {
      throw DefinitionError("devicesPerUser", "\(Check.format(devicesPerUser)) is not a household size in 1...100")
    }
    if let diurnal = activity.diurnal {
      guard diurnal.count == 24 else { throw DefinitionError("activity.diurnal", "has \(diurnal.count) weights, expected 24 (one per hour)") }
      for (hour, weight) in diurnal.enumerated() { try Check.within(weight, 0...1e6, "activity.diurnal[\(hour)]", "a relative weight") }
      guard diurnal.reduce(0, +) > 0 else { throw DefinitionError("activity.diurnal", "all weights are 0") }
    }
    try Check.within(activity.sessionsPerDay, counts: 0...1_440, "activity.sessionsPerDay")
    try Check.positive(activity.sessionsPerDay.mean, "activity.sessionsPerDay")
    try Check.fraction(activity.online, "activity.online")
    guard activity.online > 0 else { throw DefinitionError("activity.online", "0 means devices are never online") }
    try Check.within(activity.offlineSpell, .minutes(1)...TimeSpan.days(31), "activity.offlineSpell")
    _ = try OnlineCycle(curve: activity.diurnal.map { DiurnalCurve($0) } ?? .consumer, online: activity.online, offlineSpell: activity.offlineSpell.seconds)
    try Check.within(activity.sessionLength, .seconds(1)...TimeSpan.days(1), "activity.sessionLength")
    try Check.notEmpty(sync, "sync")
    try Check.shares(sync.map(\.share), "sync") { "[\($0)].share" }
    for (index, entry) in sync.enumerated() {
      if let error = entry.model.validate() { throw error.within("sync[\(index)]") }
      do throws(DefinitionError) {
        try entry.retry?.applied(to: .standard).validate()
      } catch {
        throw error.within("sync[\(index)].retry")
      }
    }
    do throws(DefinitionError) { try repair?.validate() } catch { throw error.within("repair") }
  }
}

/// Named shares of a whole, read from a mapping such as `{android: 0.6, ios: 0.4}`. Names are kept in
/// sorted order, so that a scenario gives the same fleet whatever the order of its keys.
public struct Shares: Sendable, Decodable {
  public private(set) var names: [String]
  public private(set) var weights: [Double]

  public init(_ pairs: [(String, Double)]) {
    let sorted = pairs.sorted { $0.0 < $1.0 }
    names = sorted.map(\.0)
    weights = sorted.map(\.1)
  }

  public init(from decoder: any Decoder) throws {
    let map = try [String: Double](from: decoder)
    self.init(map.map { ($0.key, $0.value) })
  }

  func validate(_ path: String, versions: Bool = false) throws(DefinitionError) {
    try Check.notEmpty(names, path)
    for (name, weight) in zip(names, weights) { try Check.fraction(weight, "\(path).\(name)") }
    try Check.shares(weights, path) { _ in "" }
    for name in names {
      if versions && !SemverText.isValid(name) {
        throw DefinitionError("\(path).\(name)", "'\(name)' is not a semantic version such as 1.2.3")
      }
    }
  }
}

/// Semver syntax check for attribute values (the engine decides how constraints compare them).
enum SemverText {
  static func isValid(_ text: String) -> Bool {
    let core = text.split(separator: "-", maxSplits: 1)[0].split(separator: "+", maxSplits: 1)[0]
    let parts = core.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
  }
}
