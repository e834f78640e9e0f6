import Simulation

/// Whether a policy could have seen a regression in one window, rule by rule.
///
/// A gate watches when it is active, its failure could act in the release's phase, and its reading had
/// something to compare the treatment with (``EvidenceBasis``, not `none`); a safeguard when it had
/// enough data and its action could act (a pause safeguard cannot once the plan completed); an alert
/// when it had enough data (it pages a human whatever the phase).
public struct WindowCoverage: Sendable, Hashable {
  public var window: Int
  /// The window's start and end (on the windows' clock).
  public var start: SimulatedTime
  public var end: SimulatedTime
  /// Whether the published state had the flag on for some devices: something to watch.
  public var exposed: Bool
  /// Where the release stood: `milestone '10%'`, `after the last milestone`, `rolled back to 'beta'`.
  public var phase: String
  /// Per gate, in the policy's order: what its reading compared with, `nil` when it was inactive or could
  /// not act.
  public var gates: [EvidenceBasis?]
  /// Safeguards and alerts that could have seen a regression.
  public var others: [String]

  public init(window: Int, start: SimulatedTime, end: SimulatedTime, exposed: Bool, phase: String, gates: [EvidenceBasis?], others: [String]) {
    self.window = window
    self.start = start
    self.end = end
    self.exposed = exposed
    self.phase = phase
    self.gates = gates
    self.others = others
  }

  /// Devices had the flag and no rule could have seen a regression.
  public var blind: Bool {
    exposed && others.isEmpty && gates.allSatisfy { $0 == nil || $0 == EvidenceBasis.none }
  }
}

/// A stretch in which a policy could not detect anything while devices had the flag.
public struct BlindInterval: Sendable, Hashable {
  public var phase: String
  /// Microseconds, windows' clock.
  public var start: SimulatedTime
  public var end: SimulatedTime

  public init(phase: String, start: SimulatedTime, end: SimulatedTime) {
    self.phase = phase
    self.start = start
    self.end = end
  }

  public var seconds: Double { (end - start).seconds }
}
