import FlagEngine

/// What the controller needs to know about the release.
public struct ReleaseSubject: Sendable {
  /// The flag being released.
  public var flag: String
  /// The state before the release: the flag present, typically off or at 0%. Every other flag is kept as is
  /// in the states the controller publishes.
  public var baseState: ClientFeatures
  /// Index = cohort id in telemetry keys; devices carry the name in their `cohort` context property.
  public var cohortNames: [String]
  /// Devices per cohort.
  public var cohortSizes: [Int]
  /// Index = region id in telemetry keys; devices carry the name in their `region` context property. Empty
  /// when unknown (milestones' region names are then not checked).
  public var regionNames: [String]
  /// Whether telemetry keys split by region (`region` = index in `regionNames`); otherwise every cell
  /// says region 0, whatever the devices' regions.
  public var regionsInTelemetry: Bool
  /// Whether the release turns the flag off (the change under study is a kill, as Cloudflare's of 5
  /// December 2025): each milestone turns it off for its audience, through a feature of its own
  /// (``offFeature``) on for the audience, which the flag depends on being off. The base state has the
  /// flag on; telemetry's treatment is the devices the release turned it off for.
  public var turnsOff: Bool

  /// The feature that says who the release turned the flag off for: `<flag>.off`.
  public var offFeature: String { flag + ".off" }

  public init(
    flag: String, baseState: ClientFeatures, cohortNames: [String], cohortSizes: [Int] = [], regionNames: [String] = [],
    regionsInTelemetry: Bool = false, turnsOff: Bool = false
  ) {
    self.turnsOff = turnsOff
    self.flag = flag
    self.baseState = baseState
    self.cohortNames = cohortNames
    self.cohortSizes = cohortSizes
    self.regionNames = regionNames
    self.regionsInTelemetry = regionsInTelemetry
  }
}
