import Simulation
import Telemetry

/// A rule that reads telemetry windows and says whether a release may go on.
///
/// The controller shows every window to every gate, in order. A gate keeps its own evidence, answers with
/// an evaluation when it is active in the release's current phase, and `nil` when it is not. Gates are
/// values: a controller copied mid-run carries on identically.
public protocol Gate: Sendable {
  var name: String { get }
  var kind: GateKind { get }
  /// When the gate's verdict counts.
  var activity: GateActivity { get }
  /// What the controller does when the gate fails.
  var onFail: Action { get }
  /// Reads what one read of the pipeline delivered: the window the watermark has just passed and the late
  /// pieces of earlier windows that arrived since the last read. Returns `nil` when the gate is not
  /// active in `context.phase`.
  mutating func observe(_ read: TelemetryRead, context: GateContext) -> GateEvaluation?
  /// A milestone began: gates that test one milestone at a time start a new test.
  mutating func beginMilestone(_ index: Int, at time: SimulatedTime)
  /// A human resumed a paused release: gates that paused it start over.
  mutating func resume(at time: SimulatedTime)
}

extension Gate {
  /// Reads a window with nothing late.
  public mutating func observe(_ window: TelemetryWindow, context: GateContext) -> GateEvaluation? {
    observe(TelemetryRead(window), context: context)
  }

  public mutating func beginMilestone(_ index: Int, at time: SimulatedTime) {}
  public mutating func resume(at time: SimulatedTime) {}
}

public enum GateKind: String, Sendable, Hashable, CaseIterable, Codable {
  /// Fixed thresholds counted over measurements, as Argo Rollouts or Flagger count them.
  case threshold
  /// Wald's sequential probability ratio test of the treatment's event rate against a baseline.
  case sprt
  /// Anytime-valid test of treatment against control over the whole release (a mixture likelihood ratio).
  case anytimeValid = "anytime-valid"
  /// CUSUM: regressions after full rollout, at a target false-alarm run length.
  case cusum
  /// A hard guard: one window over the line and the gate fails (crash rate above X: kill at once).
  case `guard`

  public init(from decoder: any Decoder) throws {
    self = try decodeNamedValue(GateKind.self, from: decoder, aliases: ["sequential": .anytimeValid, "anytimeValid": .anytimeValid])
  }
}

/// The phases of a release in which a gate's verdict counts.
public enum GateActivity: String, Sendable, Hashable, CaseIterable, Codable {
  /// While milestones are being rolled out (and while paused between them).
  case rollout
  /// After the release completed: watching for regressions at full exposure.
  case monitoring
  /// From the start to the end of the run, unless the flag was killed.
  case always

  public init(from decoder: any Decoder) throws { self = try decodeNamedValue(GateActivity.self, from: decoder) }

  public func isActive(in phase: ReleasePhase) -> Bool {
    switch (self, phase) {
    case (_, .notStarted), (_, .killed): return false
    case (.always, _): return true
    case (.rollout, .rollingOut), (.rollout, .paused): return true
    case (.monitoring, .monitoring): return true
    default: return false
    }
  }
}

/// Where a release stands.
public enum ReleasePhase: String, Sendable, Hashable {
  case notStarted, rollingOut, paused, monitoring, rolledBack, killed
}

/// What a gate is told besides the window.
public struct GateContext: Sendable {
  public var phase: ReleasePhase
  /// The milestone in effect, and when it began.
  public var milestone: Int
  public var milestoneStart: SimulatedTime
  /// Milestones in the plan: tests that spend `alpha` milestone by milestone divide it among them.
  public var milestoneCount: Int
  /// The strata the published state gives the flag whole: their control cells are stragglers.
  public var targeting: Targeting

  public init(phase: ReleasePhase, milestone: Int, milestoneStart: SimulatedTime, milestoneCount: Int = 1, targeting: Targeting = .none) {
    self.phase = phase
    self.milestone = milestone
    self.milestoneStart = milestoneStart
    self.milestoneCount = milestoneCount
    self.targeting = targeting
  }
}

/// A gate's answer.
public enum GateVerdict: String, Sendable, Hashable, Codable {
  /// The release may go on.
  case pass
  /// Not enough evidence yet: hold at a milestone boundary.
  case inconclusive
  /// Stop progressing and wait for a human (Argo's Inconclusive phase).
  case pause
  /// The gate failed: the controller takes the gate's `onFail` action.
  case fail
}

/// The windows a rule read: their indices and the time they cover.
public struct WindowSpan: Sendable, Hashable, Codable {
  public var first: Int
  public var last: Int
  /// Start of the first window and end of the last.
  public var start: SimulatedTime
  public var end: SimulatedTime

  public init(first: Int, last: Int, start: SimulatedTime, end: SimulatedTime) {
    self.first = first
    self.last = last
    self.start = start
    self.end = end
  }

  public init(_ window: TelemetryWindow) {
    self.init(first: window.index, last: window.index, start: window.start, end: window.end)
  }

  /// This span extended to `window`.
  public func extended(to window: TelemetryWindow) -> WindowSpan {
    WindowSpan(first: min(first, window.index), last: max(last, window.index), start: min(start, window.start), end: max(end, window.end))
  }

  static func extend(_ span: WindowSpan?, _ window: TelemetryWindow) -> WindowSpan {
    span?.extended(to: window) ?? WindowSpan(window)
  }
}

/// What a gate read and concluded after one window.
public struct GateEvaluation: Sendable {
  public var verdict: GateVerdict
  /// The statistic the verdict rests on, its name, and the threshold it was held against.
  public var statistic: Double?
  public var statisticName: String
  public var threshold: Double?
  /// The windows behind the statistic.
  public var windows: WindowSpan?
  /// One sentence a reader understands without the code.
  public var detail: String
  /// Set when this window's measurement failed without deciding anything yet (a failed Argo measurement
  /// under its failureLimit, a failed Flagger check under its threshold): the controller records it.
  public var warning: String?
  /// What this window's reading compared the treatment with; `none` when the gate could not have seen a
  /// regression in this window.
  public var basis: EvidenceBasis

  public init(
    verdict: GateVerdict, statistic: Double?, statisticName: String, threshold: Double?, windows: WindowSpan?,
    detail: String, warning: String? = nil, basis: EvidenceBasis
  ) {
    self.basis = basis
    self.verdict = verdict
    self.statistic = statistic
    self.statisticName = statisticName
    self.threshold = threshold
    self.windows = windows
    self.detail = detail
    self.warning = warning
  }
}

/// Resolves cohort names to the indices telemetry keys use.
func cohortSet(_ names: [String]?, subject: ReleaseSubject, path: String) throws(PolicyError) -> Set<UInt16>? {
  guard let names else { return nil }
  guard !names.isEmpty else { throw PolicyError(path: path, "an empty cohort list reads nothing; omit it to read every cohort") }
  var set = Set<UInt16>()
  for (i, name) in names.enumerated() {
    guard let index = subject.cohortNames.firstIndex(of: name) else {
      throw PolicyError(path: "\(path)[\(i)]", "unknown cohort '\(name)'; the scenario has \(subject.cohortNames.joined(separator: ", "))")
    }
    set.insert(UInt16(index))
  }
  return set
}
