import Foundation
import Telemetry
import FlagEngine
import Simulation
import Delivery

/// A fault hidden in a release: when it bites (which arm, which devices, when), and what it does.
public struct FaultDefinition: Sendable, Decodable {
  public var name: String
  public var when: Trigger
  /// Which devices are susceptible: Unleash constraints over device attributes (`hardwareGeneration`,
  /// `firmwareVersion`, `appVersion`, `platform`, `region`, `cohort`, `tier`), e.g.
  /// `{contextName: hardwareGeneration, operator: NUM_LTE, value: "2"}`. Empty: every device.
  public var devices: [Constraint]
  /// Active from this time on (since the scenario's start), until `until`: each a duration, or a
  /// distribution of durations (`{min: 0s, max: 14d}`) drawn once per run from its seed, so that a
  /// sweep over seeds covers arrival times. In seconds; see ``window(seed:index:)``.
  public var from: Distribution
  public var until: Distribution?
  /// Active only while the current config generation is bad: a generator emits a good or a bad
  /// config every `every` (Cloudflare's feature file), bad with probability `bad`.
  public var generations: Generations?
  public var effect: Effect

  /// When the fault can bite: on devices with the released flag on, with one variant, on every device
  /// (a dormant code path woken by data, as in Google Cloud's Service Control outage), or on devices
  /// whose flag has been killed (a kill switch whose own code path hits a dormant bug, as in
  /// Cloudflare's outage of 5 December 2025).
  public enum Trigger: Sendable, Hashable, Decodable {
    case enabled
    case variant(String)
    case always
    /// From the moment a device adopts a state in which the released flag is disabled (`enabled: false`,
    /// as a kill switch leaves it) while the state it held before had the flag enabled, whatever the
    /// flag's rollout and whether it was on for this device; for as long as the device holds such
    /// states (a state with the flag enabled again ends it). A roll back, which keeps the flag enabled
    /// at a lower rollout, is not a kill.
    case killed

    public init(from decoder: any Decoder) throws {
      let text = try String(from: decoder)
      switch text {
      case "enabled": self = .enabled
      case "always": self = .always
      case "killed": self = .killed
      case _ where text.hasPrefix("variant:"):
        let name = text.dropFirst("variant:".count).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'variant:' needs a variant name")) }
        self = .variant(name)
      default:
        var message = "'\(text)' is not a trigger (expected enabled, variant:<name>, always or killed)"
        if let near = Spelling.suggestion(for: text, among: ["enabled", "always", "killed"]) { message += "; did you mean '\(near)'?" }
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: message))
      }
    }
  }

  public struct Generations: Sendable, Hashable, Decodable {
    public var every: TimeSpan
    /// Probability that a generation is bad.
    public var bad: Double
    /// The share of bad generations that a check of the artifact itself (its size, its schema) rejects
    /// before it is published, in a policy with `validate: true`: Cloudflare's oversized feature file had
    /// more than the 200 features its readers allowed, so a size check rejects every bad one (1). Default
    /// 0: the check cannot see the fault.
    public var invalid: Double

    public init(every: TimeSpan, bad: Double, invalid: Double = 0) {
      self.every = every
      self.bad = bad
      self.invalid = invalid
    }

    enum Keys: String, CodingKey { case every, bad, invalid }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: Keys.self)
      self.init(
        every: try c.decode(TimeSpan.self, forKey: .every), bad: try c.decode(Double.self, forKey: .bad),
        invalid: try c.decodeIfPresent(Double.self, forKey: .invalid) ?? 0)
    }
  }

  /// What happens in a session the fault bites.
  public struct Effect: Sendable, Decodable {
    public var kind: Kind
    /// Probability that the fault bites a given session of a susceptible device.
    public var probability: Double
    /// Added latency (`latency` kind).
    public var latency: Distribution
    /// `crash`: time down before the device is back. `crashLoop`: time between boot attempts.
    public var reboot: TimeSpan
    /// The device keeps the fault after the flag is turned off (firmware shipped with the app). Always true
    /// for `dataLoss`, whose loss cannot be undone by the flag.
    public var irreversible: Bool
    /// Whether the scenario wrote `irreversible` (a data loss refuses `false`).
    var irreversibleWritten = false
    /// `crashLoop`: the chance, at each boot, that the device's SDK fetches the newest state it can see
    /// before the faulty code runs (a race between the SDK's first fetch and the crash). A boot that loses
    /// the race crashes before the SDK has started: it fetches nothing and reports nothing.
    public var fetchBeforeCrash: Double
    /// `crashLoop`: how many times a device boots on its own before it stops (at a recovery screen) and
    /// waits for manual repair; `nil`: it never stops trying.
    public var bootAttempts: Int?
    /// `dataLoss`: the users who report the loss, and when their reports arrive (`nil`: nobody reports it).
    public var report: Report?

    /// Who reports a fault, and when: a share of the devices it hits files a report that reaches the
    /// feedback system `delay` after the fault (the user noticing, filing, the report arriving).
    public struct Report: Sendable, Decodable {
      /// Share of the devices the fault hits whose users report it.
      public var share: Double
      public var delay: Distribution

      public init(share: Double, delay: Distribution) {
        self.share = share
        self.delay = delay
      }

      enum Keys: String, CodingKey { case share, delay }
      public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        share = try c.decode(Double.self, forKey: .share)
        delay = try c.decode(Distribution.OfDurations.self, forKey: .delay).distribution
      }
    }

    /// The default chance of winning the race at a boot: the middle of the 10–20% a boot estimated for
    /// CrowdStrike's hosts, whose remedy was to reboot up to 15 times (scenarios/README.md).
    public static let defaultFetchBeforeCrash = 0.15

    public enum Kind: String, Sendable, Decodable, CaseIterable {
      /// The session fails; the device carries on.
      case error
      /// The session is slower by `latency`.
      case latency
      /// The device crashes and is back after `reboot`.
      case crash
      /// The device crashes at every boot until a boot fetches a state without the fault before the
      /// faulty code runs (`fetchBeforeCrash`), or until it gives up (`bootAttempts`) and waits for
      /// manual repair.
      case crashLoop
      /// The device is down until someone repairs it by hand, whatever the flag says afterwards.
      case manualRecovery
      /// The user's data is lost (Windows 10 1809 deleting redirected known folders): the fault bites once,
      /// at the first session it applies to, with `probability`, and never again; the device keeps working
      /// and reporting as before (no error, no crash, no silence), but is impaired from the loss until a
      /// technician restores it (`fleet.repair`) or the run ends. Seen only through user `report`s.
      case dataLoss

      public init(from decoder: any Decoder) throws {
        let text = try String(from: decoder)
        guard let kind = Kind(rawValue: text) else {
          var message = "'\(text)' is not a fault kind (expected \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
          if let near = Spelling.suggestion(for: text, among: Kind.allCases.map(\.rawValue)) { message += "; did you mean '\(near)'?" }
          throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: message))
        }
        self = kind
      }
    }

    enum Keys: String, CodingKey {
      case kind, probability, latency, reboot, irreversible, recoveryPerMinute, fetchBeforeCrash, bootAttempts, report
    }

    /// Reads only the fields the kind uses, so that `latency:` on a crash is refused rather than ignored.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: Keys.self)
      kind = try c.decode(Kind.self, forKey: .kind)
      probability = try c.decodeIfPresent(Double.self, forKey: .probability) ?? 1
      let written = try c.decodeIfPresent(Bool.self, forKey: .irreversible)
      irreversibleWritten = written != nil
      irreversible = written ?? (kind == .dataLoss)
      latency = .fixed(0)
      reboot = .minutes(2)
      // A crash loop's restarts meet the backend's capacity now: refuse the old budget rather than ignore it.
      if c.contains(.recoveryPerMinute) {
        throw DecodingError.dataCorruptedError(
          forKey: .recoveryPerMinute, in: c,
          debugDescription: "is no longer read: booting devices ask the API's servers, whose capacity capacity.servers.api states, "
            + "and retry by their SDK's rule (fleet.sync[i].retry); see scenarios/README.md")
      }
      fetchBeforeCrash = Self.defaultFetchBeforeCrash
      bootAttempts = nil
      report = nil
      switch kind {
      case .latency:
        latency = try c.decode(Distribution.OfDurations.self, forKey: .latency).distribution
      case .crash:
        reboot = try c.decodeIfPresent(TimeSpan.self, forKey: .reboot) ?? reboot
      case .crashLoop:
        reboot = try c.decodeIfPresent(TimeSpan.self, forKey: .reboot) ?? reboot
        fetchBeforeCrash = try c.decodeIfPresent(Double.self, forKey: .fetchBeforeCrash) ?? fetchBeforeCrash
        bootAttempts = try c.decodeIfPresent(Int.self, forKey: .bootAttempts)
      case .dataLoss:
        report = try c.decodeIfPresent(Report.self, forKey: .report)
      case .error, .manualRecovery:
        break
      }
    }
  }

  enum Keys: String, CodingKey { case name, when, devices, from, until, generations, effect }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    name = try c.decode(String.self, forKey: .name)
    when = try c.decodeIfPresent(Trigger.self, forKey: .when) ?? .enabled
    devices = try c.decodeIfPresent([Constraint].self, forKey: .devices) ?? []
    from = try c.decodeIfPresent(Distribution.OfDurations.self, forKey: .from)?.distribution ?? .fixed(0)
    until = try c.decodeIfPresent(Distribution.OfDurations.self, forKey: .until)?.distribution
    generations = try c.decodeIfPresent(Generations.self, forKey: .generations)
    effect = try c.decode(Effect.self, forKey: .effect)
  }

  /// Whether the harm stops once devices see the flag off: the fault bites only devices with the flag on
  /// (`enabled`, a variant), does not stick to them, and leaves no device down until someone repairs it (an
  /// error, extra latency, a crash, or a crash loop, which a boot that sees the flag off ends, even where a
  /// restart budget makes devices queue for that boot). Then how soon a policy takes the flag away decides
  /// the harm; after an irreversible fault, a manual repair or a kill switch's own fault it does not.
  public var harmEndsWithFlag: Bool {
    switch when {
    case .enabled, .variant: break
    case .always, .killed: return false
    }
    guard !effect.irreversible else { return false }
    switch effect.kind {
    case .error, .latency, .crash, .crashLoop: return true
    case .manualRecovery, .dataLoss: return false
    }
  }

  /// The context fields a device's context has, which a fault's `devices` constraints may name.
  public static let deviceFields: [String] = [
    "userId", "deviceId", "hardwareGeneration", "firmwareVersion", "appVersion", "agentVersion", "platform", "region", "cohort", "tier",
  ]

  /// Checks every value; `duration` is the run's, which the fault's window must lie within.
  public func validate(duration: TimeSpan) throws(DefinitionError) {
    guard !name.isEmpty else { throw DefinitionError("name", "must not be empty") }
    try Check.fraction(effect.probability, "effect.probability")
    try validateWindow(duration: duration)
    if let generations {
      try Check.within(generations.every, .seconds(1)...TimeSpan.days(31), "generations.every")
      try Check.fraction(generations.bad, "generations.bad")
      try Check.fraction(generations.invalid, "generations.invalid")
    }
    if effect.kind == .latency {
      guard effect.latency.mean > 0 else {
        throw DefinitionError("effect.latency", "a latency fault needs a latency above 0 (e.g. {median: 2s})")
      }
      try Check.within(effect.latency, .zero...TimeSpan.hours(1), "effect.latency")
    }
    if effect.kind == .crash || effect.kind == .crashLoop {
      try Check.within(effect.reboot, .seconds(1)...TimeSpan.days(7), "effect.reboot")
    }
    try Check.fraction(effect.fetchBeforeCrash, "effect.fetchBeforeCrash")
    if effect.kind == .dataLoss {
      // Read as written, so that `irreversible: false` is refused rather than ignored.
      if !effect.irreversible && effect.irreversibleWritten {
        throw DefinitionError("effect.irreversible", "a data loss stays lost whatever the flag says afterwards; leave irreversible out (or true)")
      }
      if case .killed = when {
        throw DefinitionError("when", "a data loss bites at a session the flag is on for, or always; not when killed")
      }
    }
    if let report = effect.report {
      try Check.fraction(report.share, "effect.report.share")
      try Check.within(report.delay, .zero...TimeSpan.days(365), "effect.report.delay")
    }
    if let boots = effect.bootAttempts { try Check.within(boots, 1...10_000, "effect.bootAttempts", "a number of boots") }
    for (index, constraint) in devices.enumerated() {
      guard Self.deviceFields.contains(constraint.contextName) else {
        var message = "no device has the context field '\(constraint.contextName)' (devices have: \(Self.deviceFields.joined(separator: ", ")))"
        if let near = Spelling.suggestion(for: constraint.contextName, among: Self.deviceFields) { message += "; did you mean '\(near)'?" }
        throw DefinitionError("devices[\(index)].contextName", message)
      }
      let probe = FlagState(ClientFeatures(features: [
        FeatureDefinition(name: "probe", enabled: true, strategies: [Strategy(name: "default", constraints: [constraint])])
      ]))
      if let warning = probe.warnings.first {
        throw DefinitionError("devices[\(index)]", warning.message.replacingOccurrences(of: "; the flag is always off", with: ""))
      }
    }
  }
}

extension FaultDefinition {
  /// The fault's window in one run: from `from` until `until` (nil: to the end).
  public struct Window: Sendable, Hashable {
    public var from: SimulatedTime
    public var until: SimulatedTime?

    public init(from: SimulatedTime, until: SimulatedTime?) {
      self.from = from
      self.until = until
    }
  }

  /// The window of fault number `index` in the run with `seed`: `from` and `until` drawn from streams of
  /// their own (the fault's, not any device's), kept within their distributions' reach and rounded to
  /// the microsecond; a plain duration is itself, with nothing drawn.
  public func window(seed: UInt64, index: Int) -> Window {
    func draw(_ distribution: Distribution, _ which: UInt64) -> SimulatedTime {
      var random = RandomStream(seed: seed, entity: UInt64(index), purpose: .faultWindow, index: which)
      return SimulatedTime(microseconds: Int64((distribution.sampleWithinReach(&random) * 1e6).rounded()))
    }
    return Window(from: draw(from, 0), until: until.map { draw($0, 1) })
  }

  /// Every draw of `from` lies in the run, before its end; every draw of `until` lies in the run and after
  /// every draw of `from`. Distributions without bounds are held to their 0.01th and 99.99th percentiles,
  /// where their draws are cut off.
  func validateWindow(duration: TimeSpan) throws(DefinitionError) {
    if from.isFixed && from.upperReach >= duration.seconds {
      throw DefinitionError("from", "\(describe(from.upperReach)) is not before the end of the run (\(duration)): the fault would never bite")
    }
    try Check.within(from, .zero...duration, "from")
    guard from.upperReach < duration.seconds else {
      throw DefinitionError(
        "from", "draws reach \(describe(from.upperReach)), not before the end of the run (\(duration)): the fault would never bite")
    }
    guard let until else { return }
    try Check.within(until, .zero...duration, "until")
    guard until.lowerReach > from.upperReach else {
      if from.isFixed && until.isFixed {
        throw DefinitionError("until", "\(describe(until.lowerReach)) is not after from (\(describe(from.upperReach)))")
      }
      throw DefinitionError(
        "until", "draws from \(describe(until.lowerReach)) are not all after from's, which reach \(describe(from.upperReach))")
    }
  }

  private func describe(_ seconds: Double) -> String { TimeSpan.seconds(seconds).description }
}

extension StreamPurpose {
  /// When a fault arrives and ends in a run (entity: the fault; index 0 `from`, 1 `until`).
  static let faultWindow = StreamPurpose("fleet.fault-window")
}

/// The healthy fleet: background failures and latency without any fault, so gates meet real noise.
public struct BaselineDefinition: Sendable, Decodable {
  public var errorRate: Double
  public var crashRate: Double
  public var latency: Distribution
  /// How much the error rate drifts from day to day and region to region (log-normal sigma).
  public var noise: Double
  /// Background user reports per install, from causes other than the release's faults (the `reports`
  /// metric's base rate): an install files one with this probability, arriving `reportDelay` later.
  public var reportRate: Double
  public var reportDelay: Distribution

  /// The background reports' delay when the scenario gives none: half arrive within a day, 99% within a
  /// week (an assumption, the shape the Windows 1809 replay assumes for its users' reports).
  public static let defaultReportDelay = Distribution.logNormal(median: 86_400, sigma: log(7) / 2.326_347_874)

  public init(
    errorRate: Double = 0.005, crashRate: Double = 0.0005, latency: Distribution = .logNormal(median: 0.12, sigma: 0.8), noise: Double = 0.1,
    reportRate: Double = 0, reportDelay: Distribution = BaselineDefinition.defaultReportDelay
  ) {
    self.errorRate = errorRate
    self.crashRate = crashRate
    self.latency = latency
    self.noise = noise
    self.reportRate = reportRate
    self.reportDelay = reportDelay
  }

  enum Keys: String, CodingKey { case errorRate, crashRate, latency, noise, reportRate, reportDelay }
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    let defaults = BaselineDefinition()
    errorRate = try c.decodeIfPresent(Double.self, forKey: .errorRate) ?? defaults.errorRate
    crashRate = try c.decodeIfPresent(Double.self, forKey: .crashRate) ?? defaults.crashRate
    latency = try c.decodeIfPresent(Distribution.OfDurations.self, forKey: .latency)?.distribution ?? defaults.latency
    noise = try c.decodeIfPresent(Double.self, forKey: .noise) ?? defaults.noise
    reportRate = try c.decodeIfPresent(Double.self, forKey: .reportRate) ?? defaults.reportRate
    reportDelay = try c.decodeIfPresent(Distribution.OfDurations.self, forKey: .reportDelay)?.distribution ?? defaults.reportDelay
  }

  public func validate() throws(DefinitionError) {
    try Check.fraction(errorRate, "errorRate")
    try Check.fraction(crashRate, "crashRate")
    try Check.fraction(reportRate, "reportRate")
    try Check.within(reportDelay, .zero...TimeSpan.days(365), "reportDelay")
    try Check.within(noise, 0...2, "noise", "a log-normal sigma")
    try Check.positive(latency.median, "latency")
    try Check.within(latency, .zero...TimeSpan.hours(1), "latency")
  }
}

/// The metrics pipeline between devices and the controller.
public struct TelemetryDefinition: Sendable, Decodable {
  /// Devices send what they saw every `flush` (Unleash SDKs: 60 s).
  public var flush: TimeSpan
  /// Delay of the pipeline after a flush.
  public var delay: Distribution
  /// Share of reports lost.
  public var loss: Double
  /// Length of a telemetry window, which is also the controller's evaluation interval.
  public var window: TimeSpan
  /// How long after a window's end the controller reads it (the watermark passes the window's end);
  /// `nil`: the flush interval plus twice the median delay. What arrives later counts in a later read.
  public var watermark: TimeSpan?
  /// How late after its window's read a report may still arrive and count (a pipeline's allowed
  /// lateness); later ones are dropped.
  public var lateness: TimeSpan

  public init(
    flush: TimeSpan = .seconds(60), delay: Distribution = .logNormal(median: 20, sigma: 0.5), loss: Double = 0.01, window: TimeSpan = .minutes(5),
    watermark: TimeSpan? = nil, lateness: TimeSpan = .days(1)
  ) {
    self.flush = flush
    self.delay = delay
    self.loss = loss
    self.window = window
    self.watermark = watermark
    self.lateness = lateness
  }

  /// How long after a window's end the controller reads it.
  public var readDelay: TimeSpan {
    watermark ?? TimeSpan(microseconds: flush.microseconds + Int64(2 * delay.median * 1e6))
  }

  enum Keys: String, CodingKey { case flush, delay, loss, window, watermark, lateness }
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    let defaults = TelemetryDefinition()
    flush = try c.decodeIfPresent(TimeSpan.self, forKey: .flush) ?? defaults.flush
    delay = try c.decodeIfPresent(Distribution.OfDurations.self, forKey: .delay)?.distribution ?? defaults.delay
    loss = try c.decodeIfPresent(Double.self, forKey: .loss) ?? defaults.loss
    window = try c.decodeIfPresent(TimeSpan.self, forKey: .window) ?? defaults.window
    watermark = try c.decodeIfPresent(TimeSpan.self, forKey: .watermark)
    lateness = try c.decodeIfPresent(TimeSpan.self, forKey: .lateness) ?? defaults.lateness
  }

  public func validate() throws(DefinitionError) {
    try Check.within(flush, .seconds(1)...TimeSpan.hours(1), "flush")
    try Check.within(window, .seconds(1)...TimeSpan.days(1), "window")
    try Check.fraction(loss, "loss")
    guard loss < 1 else { throw DefinitionError("loss", "1 would lose every report") }
    try Check.within(delay, .zero...TimeSpan.days(1), "delay")
    if let watermark { try Check.within(watermark, .zero...TimeSpan.days(1), "watermark") }
    try Check.within(lateness, .zero...TimeSpan.days(31), "lateness")
  }
}
