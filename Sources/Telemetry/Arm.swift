/// Which side of a release a device is on: the control (flag off), the treatment (flag on), or one
/// variant of the flag. Gates compare treatment with control.
@frozen
public struct Arm: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let rawValue: UInt16

  @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

  public static let control = Arm(rawValue: 0)
  public static let treatment = Arm(rawValue: 1)
  /// Variant `index` of the released flag (variants count as treatment for gates that do not split them).
  public static func variant(_ index: Int) -> Arm { Arm(rawValue: UInt16(2 + index)) }

  public var isTreatment: Bool { rawValue != 0 }

  public static func < (a: Arm, b: Arm) -> Bool { a.rawValue < b.rawValue }

  public var description: String {
    switch rawValue {
    case 0: return "control"
    case 1: return "treatment"
    default: return "variant\(rawValue - 2)"
    }
  }
}

/// The cell of a telemetry window: a cohort, a region and an arm. Gates compare treatment with control
/// within each cohort and region, since base rates differ between cohorts and drift apart between regions.
public struct TelemetryKey: Hashable, Comparable, Sendable {
  /// Index of the cohort in the scenario's list of cohorts.
  public let cohort: UInt16
  /// Index of the region in the scenario's list of regions; 0 for a fleet that does not split its
  /// telemetry by region.
  public let region: UInt16
  public let arm: Arm

  public init(cohort: UInt16, region: UInt16 = 0, arm: Arm) {
    self.cohort = cohort
    self.region = region
    self.arm = arm
  }

  public static func < (a: TelemetryKey, b: TelemetryKey) -> Bool {
    (a.cohort, a.region, a.arm.rawValue) < (b.cohort, b.region, b.arm.rawValue)
  }
}
