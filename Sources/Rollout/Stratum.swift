import Telemetry

/// A cohort in a region: where gates compare treatment with control. Base rates differ between cohorts,
/// and regions drift apart from day to day, so a comparison across strata would blame the flag for
/// what the cohort or the day did; within a stratum and a window, treatment and control share both.
public struct Stratum: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var cohort: UInt16
  public var region: UInt16

  public init(cohort: UInt16, region: UInt16) {
    self.cohort = cohort
    self.region = region
  }

  public static func < (a: Stratum, b: Stratum) -> Bool { (a.cohort, a.region) < (b.cohort, b.region) }

  public var description: String { "cohort \(cohort), region \(region)" }
}

/// What a gate's reading compared the treatment with, in one window. The controller reports a policy as
/// blind where none of its rules had anything to compare with.
public enum EvidenceBasis: String, Sendable, Hashable, CaseIterable, Codable {
  /// The control group of the same strata, in the same window.
  case control
  /// The strata's own control before they were released to (before the release, or while part of them was
  /// still off), for strata with no control left: a before/after comparison.
  case beforeAfter = "before-after"
  /// A fixed baseline rate the policy gives.
  case baseline
  /// The treatment's value alone, held against a fixed threshold.
  case absolute
  /// Nothing: no treatment data, no control and no before, or a test already decided for this milestone.
  /// A regression in this window would go unseen by this gate.
  case none
}

/// Counts of treatment and control in one stratum of one window.
struct StratumCounts: Sendable {
  var stratum: Stratum
  var treatment = OutcomeCounts()
  var control = OutcomeCounts()
}

extension TelemetryWindow {
  /// Counts per stratum for the cohorts in `cohorts` (all when `nil`), in stratum order, so that sums
  /// over strata do not depend on dictionary order. `stratify: false` pools everything into one stratum.
  /// The control cells of strata `targeting` gives the flag whole (stragglers) are left out.
  func strata(cohorts: Set<UInt16>?, stratify: Bool = true, targeting: Targeting = .none) -> [StratumCounts] {
    var byStratum: [Stratum: StratumCounts] = [:]
    for (key, cell) in cells where cohorts?.contains(key.cohort) ?? true {
      if !key.arm.isTreatment && targeting.isWhole(cohort: key.cohort, region: key.region) { continue }
      let stratum = stratify ? Stratum(cohort: key.cohort, region: key.region) : Stratum(cohort: 0, region: 0)
      var entry = byStratum[stratum] ?? StratumCounts(stratum: stratum)
      if key.arm.isTreatment { entry.treatment += cell.counts } else { entry.control += cell.counts }
      byStratum[stratum] = entry
    }
    return byStratum.values.sorted { $0.stratum < $1.stratum }
  }

  /// Treatment and control samples per stratum, latency histograms merged only when asked for, without
  /// the control cells of strata `targeting` gives the flag whole.
  func stratifiedSamples(cohorts: Set<UInt16>?, latency: Bool, targeting: Targeting = .none) -> [Stratum: ArmSamples] {
    var byStratum: [Stratum: ArmSamples] = [:]
    for (key, cell) in cells where cohorts?.contains(key.cohort) ?? true {
      if !key.arm.isTreatment && targeting.isWhole(cohort: key.cohort, region: key.region) { continue }
      let stratum = Stratum(cohort: key.cohort, region: key.region)
      var samples = byStratum[stratum] ?? ArmSamples()
      if key.arm.isTreatment {
        samples.treatment.add(cell, latency: latency)
      } else {
        samples.control.add(cell, latency: latency)
      }
      byStratum[stratum] = samples
    }
    return byStratum
  }
}
