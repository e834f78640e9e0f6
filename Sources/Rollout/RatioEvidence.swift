import Foundation
import Telemetry

/// What one window says about `r`, the treatment's event rate over what it would be without the flag,
/// stratum by stratum: the input of the sequential tests (anytime-valid, SPRT, CUSUM), whose hypotheses
/// are H0 `r ≤ 1` and H1 `r` above 1.
///
/// In a stratum with a control group, with `x` treatment events in `n_t` sessions and `y` control events
/// in `n_c`, `m = x + y`: given `m`, `x` is about Binomial(m, r·n_t / (r·n_t + n_c)), so the likelihood
/// ratio of `r` against 1 is `r^x · ((n_t + n_c) / (r·n_t + n_c))^m`. It needs no baseline rate, so
/// estimating one cannot inflate the error; under H0 its mean is at most 1 (Hoeffding: the
/// hypergeometric is below the binomial in convex order), whatever the stratum's rate that day.
///
/// In a stratum without control, the treatment's `x` events in `n_t` sessions are held against the
/// stratum's ceiling `c` (``ControlReference``): the Poisson ratio `r^x · e^(−(r−1)·c·n_t)`. With the true
/// rate `p ≤ c`, its mean is `(1 − p + p·r)^n_t · e^(−(r−1)·c·n_t) ≤ e^((r−1)·(p−c)·n_t) ≤ 1`.
///
/// Either way each window's ratio has mean at most 1 under H0 given the past, so products over windows
/// and strata are non-negative supermartingales: Ville's inequality bounds the chance that one ever
/// reaches `1/α` by `α`, at any stopping time and for any allocation that depends only on the past.
///
/// The two kinds are kept apart. A ceiling is conservative by design (it allows for drift), so under
/// H0 its terms fall fast; summed with the control's, they would bury a regression the control shows.
/// The tests read the control's terms where any stratum has a control, and the before/after terms
/// otherwise (``preferred``), or keep a process for each (the anytime-valid test).
struct RatioEvidence: Sendable {
  /// One stratum's term.
  enum Term: Sendable {
    case control(x: Double, m: Double, treatment: Double, control: Double)
    case ceiling(x: Double, treatment: Double, ceiling: Double)
  }

  /// Strata compared with their control, and strata held against their ceiling.
  var controlTerms: [Term] = []
  var beforeTerms: [Term] = []
  var treatmentSessions: UInt64 = 0
  var treatmentEvents: UInt64 = 0
  /// Events of strata compared with a control, and the treatment's share of them.
  var comparedEvents: UInt64 = 0
  var comparedTreatmentEvents: UInt64 = 0
  var controlSessions: UInt64 = 0
  /// Treatment sessions compared with a before.
  var beforeAfterSessions: UInt64 = 0

  /// The evidence in `strata`, the on-time piece of a window; strata without control use `reference`
  /// (updated by the caller afterwards). `late`: the strata of late pieces of earlier windows that came
  /// with it, each piece a term of its own per stratum.
  ///
  /// Late pieces feed only the comparison with a control. What arrives late is selected by its outcome (a
  /// crash is reported at the next boot), so a late piece's rate is not the stratum's; but the selection
  /// is the same for treatment and control in one stratum, one window and one read, so under H0 the
  /// treatment's share of the piece's events is still the conditional binomial's (hypergeometric) and its
  /// ratio still has mean at most 1. Held against a ceiling or a fixed baseline it would read as a
  /// regression, so those read the on-time piece only, whose selection favours H0 (it under-reports
  /// crashes) on both sides of the comparison, the before included.
  init(_ strata: [StratumCounts], metric: Metric, reference: ControlReference, drift: Double, late: [[StratumCounts]] = []) {
    for entry in strata where entry.treatment.sessions > 0 {
      let x = metric.events(in: entry.treatment) ?? 0
      treatmentSessions += entry.treatment.sessions
      treatmentEvents += x
      if entry.control.sessions > 0 {
        addControlTerm(entry, x: x, metric: metric)
      } else if let ceiling = reference.ceiling(entry.stratum, metric: metric, drift: drift) {
        beforeAfterSessions += entry.treatment.sessions
        beforeTerms.append(.ceiling(x: Double(x), treatment: Double(entry.treatment.sessions), ceiling: ceiling))
      }
    }
    for piece in late {
      for entry in piece where entry.treatment.sessions > 0 && entry.control.sessions > 0 {
        let x = metric.events(in: entry.treatment) ?? 0
        treatmentSessions += entry.treatment.sessions
        treatmentEvents += x
        lateSessions += entry.treatment.sessions + entry.control.sessions
        addControlTerm(entry, x: x, metric: metric)
      }
    }
  }

  mutating func addControlTerm(_ entry: StratumCounts, x: UInt64, metric: Metric) {
    let y = metric.events(in: entry.control) ?? 0
    controlSessions += entry.control.sessions
    comparedEvents += x + y
    comparedTreatmentEvents += x
    hasControl = true
    guard x + y > 0 else { return }
    controlTerms.append(
      .control(x: Double(x), m: Double(x + y), treatment: Double(entry.treatment.sessions), control: Double(entry.control.sessions)))
  }

  /// Sessions of late pieces compared with their control.
  var lateSessions: UInt64 = 0

  /// Whether some stratum with treatment had a control (with or without events).
  var hasControl = false

  /// The control's terms where some stratum has a control, else the before/after terms, and what they compare with.
  var preferred: (terms: [Term], basis: EvidenceBasis) {
    if hasControl { return (controlTerms, .control) }
    return (beforeTerms, beforeTerms.isEmpty ? .none : .beforeAfter)
  }

  /// log of the likelihood ratio of `ratio` against 1 (`logRatio` = ln `ratio`) over `terms`.
  static func logLikelihoodRatio(_ terms: [Term], ratio: Double, logRatio: Double) -> Double {
    var sum = 0.0
    for term in terms {
      switch term {
      case .control(let x, let m, let nt, let nc):
        sum += x * logRatio - m * log((ratio * nt + nc) / (nt + nc))
      case .ceiling(let x, let nt, let c):
        sum += x * logRatio - (ratio - 1) * c * nt
      }
    }
    return sum
  }
}

/// Tallies of what a sequential test has compared, for its details.
public struct ComparisonTally: Sendable, Hashable {
  public internal(set) var treatmentSessions: UInt64 = 0
  public internal(set) var treatmentEvents: UInt64 = 0
  /// Events in strata compared with a control, and how many of them in the treatment.
  public internal(set) var comparedEvents: UInt64 = 0
  public internal(set) var comparedTreatmentEvents: UInt64 = 0
  public internal(set) var controlSessions: UInt64 = 0
  /// Treatment sessions held against their strata's control before.
  public internal(set) var beforeAfterSessions: UInt64 = 0
  /// Sessions (treatment and control) that arrived after their window was read and were compared in a
  /// later read.
  public internal(set) var lateSessions: UInt64 = 0

  /// The treatment alone (a one-sample test against a fixed baseline).
  mutating func add(treatmentEvents events: UInt64, sessions: UInt64) {
    treatmentSessions += sessions
    treatmentEvents += events
  }

  /// Adds a window's evidence; its before/after sessions only when the test read them.
  mutating func add(_ evidence: RatioEvidence, before: Bool) {
    treatmentSessions += evidence.treatmentSessions
    treatmentEvents += evidence.treatmentEvents
    comparedEvents += evidence.comparedEvents
    comparedTreatmentEvents += evidence.comparedTreatmentEvents
    controlSessions += evidence.controlSessions
    lateSessions += evidence.lateSessions
    if before { beforeAfterSessions += evidence.beforeAfterSessions }
  }

  /// `12 of 40 comparable events in the treatment (30.0%); 2,000 treatment and 18,000 control sessions;
  /// 500 treatment sessions against the strata's own control before`
  var text: String {
    var parts: [String] = []
    if comparedEvents > 0 || controlSessions > 0 {
      let share = comparedEvents == 0 ? 0 : Double(comparedTreatmentEvents) / Double(comparedEvents)
      parts.append(
        "\(ReadableText.count(comparedTreatmentEvents)) of \(ReadableText.count(comparedEvents)) comparable events in the treatment "
          + "(\(ReadableText.percent(share)))")
    }
    parts.append(
      "\(ReadableText.count(treatmentEvents)) events in \(ReadableText.count(treatmentSessions)) treatment sessions, "
        + "\(ReadableText.count(controlSessions)) control sessions")
    if beforeAfterSessions > 0 {
      parts.append("\(ReadableText.count(beforeAfterSessions)) treatment sessions held against their strata's control before")
    }
    if lateSessions > 0 {
      parts.append("\(ReadableText.count(lateSessions)) sessions reported after their window was read, counted late")
    }
    return parts.joined(separator: "; ")
  }
}
