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
  /// In a release of a regenerated artifact (`FleetModel.artifactEvery`): the generation devices hold
  /// under this state, those with the flag on and those with it off (-1: the artifact from before the
  /// release, known to be good). Nil outside such a release.
  public var artifact: ArtifactHolding?

  public init(time: SimulatedTime, state: FlagState, label: String, artifact: ArtifactHolding? = nil) {
    self.time = time
    self.state = state
    self.label = label
    self.artifact = artifact
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

/// Which artifact generation a state gives a device: `on` to devices with the flag on (the generation
/// being released), `off` to the others (the last one that reached everyone, or -1, the artifact from
/// before the release).
public struct ArtifactHolding: Sendable, Hashable {
  public var on: Int32
  public var off: Int32

  public init(on: Int32, off: Int32) {
    self.on = on
    self.off = off
  }

  /// Before the release: everyone holds the artifact from before it.
  public static let before = ArtifactHolding(on: -1, off: -1)
}

/// What decides the flag states of a run: a release policy's controller, wired in by the Scenario
/// module (Fleet does not know policies). It sees only telemetry windows, as a real controller would.
public protocol ReleaseDriver {
  /// The publications decided at the start of the run.
  mutating func start() -> [Publication]
  /// A read at `time`: the window the watermark has just passed, and what arrived late for earlier
  /// windows since the last read. Returns what to publish now or later.
  mutating func deliver(_ read: TelemetryRead, at time: SimulatedTime) -> [Publication]
  /// In a release of a regenerated artifact: generation `generation` was made at `time`; returns what to
  /// publish for it (nothing by default).
  mutating func artifact(_ generation: Int, at time: SimulatedTime) -> [Publication]
}

extension ReleaseDriver {
  public mutating func artifact(_ generation: Int, at time: SimulatedTime) -> [Publication] { [] }
}
