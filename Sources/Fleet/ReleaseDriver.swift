import FlagEngine
import Simulation
import Telemetry

/// A flag state to publish at a time, with a label for reports (a milestone's name, "kill switch"); or,
/// without a state, a fix shipped at that time: from then on the faults stop biting, irreversible ones
/// included (devices they left down stay down until they can boot, or are repaired by hand).
public struct Publication: Sendable {
  public var time: SimulatedTime
  public var state: FlagState?
  public var label: String

  public init(time: SimulatedTime, state: FlagState, label: String) {
    self.time = time
    self.state = state
    self.label = label
  }

  public static func fix(at time: SimulatedTime, label: String = "fix") -> Publication {
    Publication(time: time, label: label)
  }

  private init(time: SimulatedTime, label: String) {
    self.time = time
    state = nil
    self.label = label
  }
}

/// What decides the flag states of a run: a release policy's controller, wired in by the Scenario
/// module (Fleet does not know policies). It sees only telemetry windows, as a real controller would.
public protocol ReleaseDriver {
  /// The publications decided at the start of the run.
  mutating func start() -> [Publication]
  /// A read at `time`: the window the watermark has just passed, and what arrived late for earlier
  /// windows since the last read. Returns what to publish now or later.
  mutating func deliver(_ read: TelemetryRead, at time: SimulatedTime) -> [Publication]
}
