import FlagEngine
import Simulation

/// What the controller does.
public enum Action: String, Sendable, Hashable, CaseIterable, Codable {
  /// Publish the next milestone (the first one at the start).
  case advance
  /// Stay at the milestone: its dwell and sample are met but a gate is still inconclusive.
  case hold
  /// Stop progressing and page a human.
  case pause
  /// A human resumed a paused release.
  case resume
  /// Publish the previous milestone's state (or the base state), and stop.
  case rollBack
  /// Turn the flag off for everyone: the kill switch.
  case kill
  /// The last milestone passed its dwell, sample and gates.
  case complete
  /// An on-call alert fired (detection only: nothing is published).
  case alert
  /// A gate's measurement failed without deciding anything yet (audit only).
  case warn
  /// A human shipped a fix (nothing is published; the scenario ends the faults the fix covers).
  case fix
  /// A human answered a page and left the release as it was.
  case acknowledge

  public init(from decoder: any Decoder) throws {
    self = try decodeNamedValue(
      Action.self, from: decoder,
      aliases: ["rollback": .rollBack, "roll-back": .rollBack, "disable": .kill, "kill-switch": .kill])
  }

  /// Whether the action publishes a new flag state.
  public var publishes: Bool {
    switch self {
    case .advance, .rollBack, .kill: return true
    default: return false
    }
  }

  /// Whether the action shows that something was seen to be wrong: a warning, an alert, a pause, a roll back
  /// or a kill. The first such decision after a fault began is when the fault was detected.
  public var signalsTrouble: Bool {
    switch self {
    case .warn, .alert, .pause, .rollBack, .kill: return true
    default: return false
    }
  }

  /// Whether the action reduces harm: a roll back, a kill, or a fix.
  public var mitigates: Bool {
    switch self {
    case .rollBack, .kill, .fix: return true
    default: return false
    }
  }

  /// How strongly an action stops a release, for choosing among rules that fire together.
  var severity: Int {
    switch self {
    case .kill: return 3
    case .rollBack: return 2
    case .pause: return 1
    default: return 0
    }
  }
}

/// One decision: when it takes effect, what it is, the flag state to publish when it changes it, and
/// the audit record that says why.
public struct Decision: Sendable {
  /// Never before the end of the window that led to it.
  public var time: SimulatedTime
  public var action: Action
  /// The complete client-features state to publish (`nil` when the action publishes nothing).
  public var state: ClientFeatures?
  public var audit: AuditRecord

  public init(time: SimulatedTime, action: Action, state: ClientFeatures?, audit: AuditRecord) {
    self.time = time
    self.action = action
    self.state = state
    self.audit = audit
  }
}

/// Where a release ended when the run ended.
public enum FinalState: String, Sendable, Hashable, Codable {
  /// Started (or not) and still progressing.
  case inProgress
  /// Paused, waiting for a human.
  case paused
  /// Every milestone passed.
  case completed
  /// Rolled back by a gate, a safeguard or a human.
  case rolledBack
  /// The kill switch turned the flag off.
  case killed
  /// A human shipped a fix.
  case fixed
}
