import FlagEngine

/// Which strata the published state gives the flag whole. The telemetry's arms are what devices run, so
/// while a whole cohort (or region, or everyone) picks the state up, its control cells hold only the
/// devices that have not yet: stragglers, offline more often than not. They are no control group, and
/// gates leave them out (a silence comparison against them would never trip); where a stratum has no
/// control group, the gates compare with its before.
///
/// Read from the flag's strategies: a `flexibleRollout` at 100% (or a `default` strategy) constrained only
/// by `cohort IN [...]` and `region IN [...]` (the context properties telemetry keys carry) gives its
/// audience whole; anything else (other constraints, segments, percentages, a holdout's dependency) is
/// not taken as whole. Region constraints count only when the subject's telemetry splits by region.
public struct Targeting: Sendable, Hashable {
  public private(set) var everyone = false
  public private(set) var cohorts: Set<UInt16> = []
  public private(set) var strata: Set<Stratum> = []

  public static let none = Targeting()

  public init() {}

  /// In a release that turns the flag off, the audience is read from the feature that turns it off.
  public init(state: ClientFeatures, subject: ReleaseSubject) {
    let audience = subject.turnsOff ? subject.offFeature : subject.flag
    guard let feature = state.features.first(where: { $0.name == audience }), feature.enabled,
      (feature.dependencies ?? []).isEmpty
    else { return }
    for strategy in feature.strategies ?? [] {
      guard (strategy.segments ?? []).isEmpty else { continue }
      if strategy.name == "flexibleRollout" {
        guard strategy.parameters?["rollout"].flatMap({ Int($0) }) == 100 else { continue }
      } else if strategy.name != "default" {
        continue
      }
      var cohorts: Set<UInt16>?
      var regions: Set<UInt16>?
      var understood = true
      for constraint in strategy.constraints ?? [] {
        guard constraint.operator == "IN", !constraint.inverted, !constraint.caseInsensitive else {
          understood = false
          break
        }
        let values = Set(constraint.values ?? [])
        if constraint.contextName == "cohort" {
          let indices = Set(subject.cohortNames.indices.filter { values.contains(subject.cohortNames[$0]) }.map { UInt16($0) })
          cohorts = cohorts.map { $0.intersection(indices) } ?? indices
        } else if constraint.contextName == "region", subject.regionsInTelemetry {
          let indices = Set(subject.regionNames.indices.filter { values.contains(subject.regionNames[$0]) }.map { UInt16($0) })
          regions = regions.map { $0.intersection(indices) } ?? indices
        } else {
          understood = false
          break
        }
      }
      guard understood else { continue }
      switch (cohorts, regions) {
      case (nil, nil): everyone = true
      case (let cohorts?, nil): self.cohorts.formUnion(cohorts)
      case (let cohorts, let regions?):
        let all = cohorts ?? Set(subject.cohortNames.indices.map { UInt16($0) })
        for cohort in all { for region in regions { strata.insert(Stratum(cohort: cohort, region: region)) } }
      }
    }
  }

  /// Whether the stratum's devices all have the flag in the published state.
  public func isWhole(cohort: UInt16, region: UInt16) -> Bool {
    everyone || cohorts.contains(cohort) || (!strata.isEmpty && strata.contains(Stratum(cohort: cohort, region: region)))
  }
}
