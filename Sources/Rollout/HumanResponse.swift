import Foundation
import Simulation
import Telemetry

/// What a human does, and when.
public enum HumanDecision: String, Sendable, Hashable, CaseIterable, Codable {
  /// Look at the data and decide: roll back when the treatment's failure rate is significantly above the
  /// control's (one-sided two-proportion z-test at 5%, on the windows since the milestone began, at least the
  /// last hour), or above the control's rate over the whole run when no control is left; resume otherwise.
  case judge
  case resume
  case rollBack
  case kill
  /// Ship a fix after `fixTime`.
  case fix

  public init(from decoder: any Decoder) throws {
    self = try decodeNamedValue(HumanDecision.self, from: decoder, aliases: ["rollback": .rollBack, "roll-back": .rollBack])
  }

  /// What the human is paged to do, for reasons: `on-call paged, to turn the kill switch`.
  var task: String {
    switch self {
    case .judge: "judge the data"
    case .resume: "resume"
    case .rollBack: "roll back"
    case .kill: "turn the kill switch"
    case .fix: "ship a fix"
    }
  }
}

/// The on-call human: how long they take to respond to a page, and what they then do.
///
///     onCall:
///       responseTime: {distribution: lognormal, median: 20m, sigma: 0.8}   # default
///       onPause: judge        # default; or resume, rollBack, kill
///       onAlert: kill         # default; or rollBack, fix, judge
///       fixTime: 4h           # default; only for fix
public struct HumanResponse: Sendable, Decodable {
  public var responseTime: ResponseTimeDistribution
  public var onPause: HumanDecision
  public var onAlert: HumanDecision
  public var fixTime: ResponseTimeDistribution

  public init(
    responseTime: ResponseTimeDistribution = .lognormal(median: .minutes(20), sigma: 0.8), onPause: HumanDecision = .judge,
    onAlert: HumanDecision = .kill, fixTime: ResponseTimeDistribution = .fixed(.hours(4))
  ) {
    self.responseTime = responseTime
    self.onPause = onPause
    self.onAlert = onAlert
    self.fixTime = fixTime
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case responseTime, onPause, onAlert, fixTime }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init()
    responseTime = try c.decodeIfPresent(ResponseTimeDistribution.self, forKey: .responseTime) ?? responseTime
    onPause = try c.decodeIfPresent(HumanDecision.self, forKey: .onPause) ?? onPause
    onAlert = try c.decodeIfPresent(HumanDecision.self, forKey: .onAlert) ?? onAlert
    fixTime = try c.decodeIfPresent(ResponseTimeDistribution.self, forKey: .fixTime) ?? fixTime
    if onPause == .fix {
      throw DecodingError.dataCorruptedError(forKey: .onPause, in: c, debugDescription: "onPause must be judge, resume, rollBack or kill")
    }
    if onAlert == .resume {
      throw DecodingError.dataCorruptedError(forKey: .onAlert, in: c, debugDescription: "onAlert must be judge, rollBack, kill or fix")
    }
  }

  /// The judgement of `judge`: roll back or resume, with the z statistic it rests on.
  static func judge(_ evidence: ArmSamples, runControl: OutcomeCounts) -> (action: Action, statistic: Double?, detail: String) {
    let critical = 1.645
    let t = evidence.treatment.counts
    let c = evidence.control.counts
    let tFailures = Double(t.errors + t.crashes)
    guard t.sessions >= 100 else {
      return (.resume, nil, "too little treatment data to see a problem (\(ReadableText.count(t.sessions)) sessions)")
    }
    let pt = tFailures / Double(t.sessions)
    if c.sessions >= 100 {
      let pc = Double(c.errors + c.crashes) / Double(c.sessions)
      let pooled = (tFailures + Double(c.errors + c.crashes)) / Double(t.sessions + c.sessions)
      let se = (pooled * (1 - pooled) * (1 / Double(t.sessions) + 1 / Double(c.sessions))).squareRoot()
      let z = se > 0 ? (pt - pc) / se : (pt > pc ? .infinity : 0)
      let worse = z > critical
      return (
        worse ? .rollBack : .resume, z,
        "failure rate \(ReadableText.percent(pt)) in the treatment against \(ReadableText.percent(pc)) in the control: "
          + "z = \(ReadableText.number(z)) \(worse ? ">" : "<=") \(ReadableText.number(critical))"
      )
    }
    guard runControl.sessions >= 100 else {
      return (.rollBack, nil, "no control to compare with: rolled back to be safe")
    }
    let p0 = Double(runControl.errors + runControl.crashes) / Double(runControl.sessions)
    let se = (max(p0, 1e-9) * (1 - p0) / Double(t.sessions)).squareRoot()
    let z = (pt - p0) / se
    let worse = z > critical
    return (
      worse ? .rollBack : .resume, z,
      "failure rate \(ReadableText.percent(pt)) in the treatment against \(ReadableText.percent(p0)) in the control over the run: "
        + "z = \(ReadableText.number(z)) \(worse ? ">" : "<=") \(ReadableText.number(critical))"
    )
  }
}
