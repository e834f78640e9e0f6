import Foundation
import Simulation
import Telemetry

/// Wald's sequential probability ratio test, one test per milestone, with `alpha` spent over the release.
///
/// H0: the treatment's rate is what it would be without the flag (`r = 1`); H1: it is `effect` times
/// that (default 2). Each window adds the log-likelihood ratio of H1 against H0 from ``RatioEvidence``:
/// stratum by stratum (cohort and region), treatment against the same stratum's control, or, while no
/// stratum has a control, against the strata's own control before. No baseline rate is estimated, so
/// the estimate cannot inflate the error. With a fixed `baseline` rate in the policy (`p0`, and `alternative` `p1` or
/// `p0 · effect`), the test is instead the one-sample test of the treatment's sessions against it:
/// `x·ln(p1/p0) + (n−x)·ln((1−p1)/(1−p0))` per window, valid as far as that baseline is the truth.
///
/// The release's tests share `alpha`: the plan's milestones (while the gate is active in the rollout) and
/// the monitoring after it (while active then) each get `alpha / tests`, so that by the union bound the
/// chance that any of them rejects a healthy release is at most `alpha`. A test rejects H0 (the gate
/// fails) when the ratio reaches `A = ln(tests/α)`, which by Ville's inequality it does under H0 with
/// probability at most `α/tests`; it accepts (the gate passes for the rest of the milestone, no longer
/// watching) when it falls to `B = ln(β/(1−α/tests))`; in between the gate is inconclusive and the
/// release holds at the milestone boundary. A resume starts a new test only after this test rejected
/// (the release already counts as stopped then); otherwise the test in progress carries on.
///
/// Expected treatment sessions to decide under H1 (Wald): `((1−β)·A + β·B) / E₁[z]`; for the one-sample
/// test with `p0` = 1%, `p1` = 2%, α = 0.05 in one test, β = 0.2, `E₁[z]` = 0.0035 per session and that is
/// about 580 sessions.
public struct SequentialProbabilityRatioTest: Gate {
  public let name: String
  public var kind: GateKind { .sprt }
  public let activity: GateActivity
  public let onFail: Action
  public let metric: Metric
  public let cohorts: Set<UInt16>?
  public let alpha: Double
  public let beta: Double
  public let effect: Double
  /// The fixed baseline and alternative rates of the one-sample test; `nil` for the two-sample test.
  public let hypotheses: (p0: Double, p1: Double)?
  /// The log-normal sigma of day-to-day drift a before/after comparison allows for.
  public let drift: Double
  /// `reports`: how long after its window an install waits before it counts as a trial.
  /// Its reports come days later; counted at once, each install would be a trial without its event, and
  /// the test would accept a healthy release long before the reports of a faulty one arrived.
  public let wait: SimulatedTime

  /// `reports`: this milestone's windows whose installs still wait, with what arrived for them so far; and
  /// the last window admitted to the test, whose late reports count as they arrive.
  var waiting: [Int: (end: SimulatedTime, counts: OutcomeCounts)] = [:]
  var admittedThrough = Int.min

  /// Tests the release's `alpha` is divided among; set at the first window the gate is active.
  public private(set) var tests = 1
  var counted = false
  var reference = ControlReference()

  /// The test in progress.
  public private(set) var logLikelihoodRatio = 0.0
  public private(set) var tally = ComparisonTally()
  public private(set) var decision: GateVerdict?
  /// Whether the test in progress is the one for the monitoring after the last milestone.
  var monitoringTest = false
  var span: WindowSpan?
  var basis = EvidenceBasis.none

  public init(
    name: String, activity: GateActivity = .rollout, onFail: Action = .rollBack, metric: Metric = .errorRate,
    cohorts: Set<UInt16>? = nil, baseline: Double? = nil, alternative: Double? = nil, effect: Double = 2,
    alpha: Double = 0.05, beta: Double = 0.2, drift: Double = 0.1, wait: TimeSpan = .zero
  ) {
    self.wait = wait
    self.name = name
    self.activity = activity
    self.onFail = onFail
    self.metric = metric
    self.cohorts = cohorts
    self.alpha = alpha
    self.beta = beta
    self.effect = effect
    self.drift = drift
    hypotheses = baseline.map { p0 in (p0, min(alternative ?? p0 * effect, 0.999_999)) }
  }

  /// The share of `alpha` each test gets.
  public var testAlpha: Double { alpha / Double(tests) }
  /// Upper (reject) and lower (accept) boundaries of the log-likelihood ratio.
  public var upperBoundary: Double { log(1 / testAlpha) }
  public var lowerBoundary: Double { log(beta / (1 - testAlpha)) }
  public var sessions: UInt64 { tally.treatmentSessions }
  public var events: UInt64 { tally.treatmentEvents }

  public mutating func beginMilestone(_ index: Int, at time: SimulatedTime) {
    guard activity != .monitoring else { return }
    startNewTest()
  }

  public mutating func resume(at time: SimulatedTime) {
    if decision == .fail { startNewTest() }
  }

  mutating func startNewTest() {
    waiting = [:]
    logLikelihoodRatio = 0
    tally = ComparisonTally()
    decision = nil
    span = nil
  }

  public mutating func observe(_ read: TelemetryRead, context: GateContext) -> GateEvaluation? {
    let window = read.window
    let strata = window.strata(cohorts: cohorts, targeting: context.targeting)
    defer { reference.record(strata) }
    guard activity.isActive(in: context.phase) else { return nil }
    if !counted {
      counted = true
      let rollout = activity == .rollout || activity == .always
      let monitoring = activity == .monitoring || activity == .always
      tests = (rollout ? max(context.milestoneCount, 1) : 0) + (monitoring ? 1 : 0)
    }
    if context.phase == .monitoring, !monitoringTest {
      monitoringTest = true
      if activity == .always { startNewTest() }
    }
    basis = .none
    if decision == nil, !(activity != .monitoring && context.phase != .monitoring && window.start < context.milestoneStart) {
      if let (p0, p1) = hypotheses {
        var treatment = strata.reduce(into: OutcomeCounts()) { $0 += $1.treatment }
        if metric == .reports {
          let since = activity == .monitoring || context.phase == .monitoring ? .min : context.milestoneStart
          treatment = admitReports(read, since: since, context: context)
        }
        let (x, n) = (metric.events(in: treatment) ?? 0, metric.trials(in: treatment))
        // Reports may arrive in a window without installs (they follow installs by days).
        if n > 0 || x > 0 {
          logLikelihoodRatio += bernoulliLogLikelihoodRatio(events: x, sessions: n, p0: p0, p1: p1)
          tally.add(treatmentEvents: x, sessions: n)
          span = WindowSpan.extend(span, window)
          basis = .baseline
        }
      } else {
        // Late pieces of this milestone's windows count in the comparison with the control (a test per
        // milestone reads only its milestone's windows).
        let since = activity == .monitoring || context.phase == .monitoring ? .min : context.milestoneStart
        let pieces = read.late.filter { $0.start >= since }
        let late = pieces.map { $0.strata(cohorts: cohorts, targeting: context.targeting) }
        let evidence = RatioEvidence(strata, metric: metric, reference: reference, drift: drift, late: late)
        let (terms, compared) = evidence.preferred
        basis = compared
        tally.add(evidence, before: compared == .beforeAfter)
        if !terms.isEmpty {
          logLikelihoodRatio += RatioEvidence.logLikelihoodRatio(terms, ratio: effect, logRatio: log(effect))
          span = WindowSpan.extend(span, window)
          if compared == .control { for piece in pieces { span = WindowSpan.extend(span, piece) } }
        }
      }
      if logLikelihoodRatio >= upperBoundary {
        decision = .fail
      } else if logLikelihoodRatio <= lowerBoundary {
        decision = .pass
      }
    } else if decision == .fail {
      basis = hypotheses == nil ? .control : .baseline
    }
    return evaluation
  }

  /// `reports`: the counts that enter the test at this read. Reports arrive days after the installs they
  /// are about, in late pieces of those installs' windows (this milestone's). A window's installs and the
  /// reports about it wait until `wait` after its end, then enter together; its later reports enter as they
  /// arrive. So every report counted is about an install counted, and the test at each read is at most the
  /// full-data test of the installs admitted (some of their reports still to come): Ville's bound holds.
  mutating func admitReports(_ read: TelemetryRead, since: SimulatedTime, context: GateContext) -> OutcomeCounts {
    var admitted = OutcomeCounts()
    for piece in read.pieces where piece.start >= since {
      let counts = piece.strata(cohorts: cohorts, targeting: context.targeting).reduce(into: OutcomeCounts()) { $0 += $1.treatment }
      if piece.index <= admittedThrough {
        admitted += counts
      } else {
        waiting[piece.index, default: (piece.end, OutcomeCounts())].counts += counts
      }
    }
    let horizon = read.window.end - wait
    for index in waiting.keys.sorted() where waiting[index]!.end <= horizon {
      admitted += waiting.removeValue(forKey: index)!.counts
      admittedThrough = max(admittedThrough, index)
    }
    return admitted
  }

  /// What the test has counted, in words: reports about installs for `reports`, events in sessions otherwise.
  var tallyText: String {
    guard metric == .reports else { return tally.text }
    return "\(ReadableText.count(tally.treatmentEvents)) reports about \(ReadableText.count(tally.treatmentSessions)) installs "
      + "(each install counted \(ReadableText.duration(wait)) after its window, with the reports about it so far)"
  }

  var evaluation: GateEvaluation {
    let verdict = decision ?? .inconclusive
    let hypothesesText: String
    if let (p0, p1) = hypotheses {
      hypothesesText = "H0 \(ReadableText.name(metric)) = \(ReadableText.value(p0, of: metric)) (fixed baseline), H1 = \(ReadableText.value(p1, of: metric))"
    } else {
      hypothesesText = "H0 \(ReadableText.name(metric)) as without the flag, H1 \(ReadableText.number(effect)) times that"
    }
    let budget = tests > 1 ? "; test alpha \(ReadableText.number(testAlpha)) (alpha \(ReadableText.number(alpha)) over \(tests) tests)" : ""
    let detail: String
    switch verdict {
    case .fail: detail = "rejected H0: \(tallyText); \(hypothesesText)\(budget)"
    case .pass: detail = "accepted H0 for this milestone: \(tallyText); \(hypothesesText)"
    default:
      detail =
        "undecided: log-likelihood ratio \(ReadableText.number(logLikelihoodRatio)) between \(ReadableText.number(lowerBoundary)) and "
        + "\(ReadableText.number(upperBoundary)); \(tallyText); \(hypothesesText)\(budget)"
    }
    return GateEvaluation(
      verdict: verdict, statistic: logLikelihoodRatio, statisticName: "log-likelihood ratio",
      threshold: verdict == .pass ? lowerBoundary : upperBoundary, windows: span, detail: detail, basis: basis)
  }
}
