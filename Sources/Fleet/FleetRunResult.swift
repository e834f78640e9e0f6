import Simulation
import Telemetry

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
