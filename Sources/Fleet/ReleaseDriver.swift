import FlagEngine
import Simulation
import Telemetry

/// A flag state to publish at a time, with a label for reports (a milestone's name, "kill switch"); or,
/// without a state, a fix shipped at that time: from then on the faults stop biting (devices they left
/// down, and irreversible effects, stay as they are).
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
  /// A telemetry window has been delivered at `time`; returns what to publish now or later.
  mutating func deliver(_ window: TelemetryWindow, at time: SimulatedTime) -> [Publication]
}

/// What a run measured, per policy.
public struct FleetRunResult: Sendable {
  /// Devices that ever had the released flag on.
  public var devicesExposed = 0
  /// Devices with at least one failure caused by the release (a fault biting).
  public var devicesFailed = 0
  /// Time devices spent failed, summed, in hours: from a device's first failure until it no longer
  /// suffers the fault (sees a state without it, or is back from a crash), or the end of the run.
  public var failedDeviceHours = 0.0
  /// Devices down at the end that only manual repair can bring back.
  public var devicesNeedingManualRecovery = 0
  /// Devices down at the end for any reason.
  public var devicesDownAtEnd = 0
  /// The first failure caused by the release.
  public var firstFailure: SimulatedTime?
  public var sessions = 0
  public var events = 0
  /// One row per telemetry window.
  public var windows: [WindowRecord] = []
  /// What was published, in order.
  public var publications: [(time: SimulatedTime, label: String)] = []
}

/// The fleet at the end of one telemetry window, and what the pipeline delivered for it.
public struct WindowRecord: Sendable {
  public var index: Int
  public var start: SimulatedTime
  public var end: SimulatedTime
  /// Devices whose current state has the flag on.
  public var devicesExposed: Int
  /// Devices that have seen the latest published state.
  public var devicesOnLatest: Int
  public var devicesFailedSoFar: Int
  public var devicesDown: Int
  /// The label of the latest publication.
  public var latestLabel: String
  /// What the controller received for this window (delivered after the pipeline's lag).
  public var treatment: OutcomeCounts
  public var control: OutcomeCounts
  public var treatmentLatencyP99: UInt64
  public var controlLatencyP99: UInt64
}
